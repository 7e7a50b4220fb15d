package org.pv3dfarm.worker.face;

/** An image that cannot be searched for faces; the message says why (for a job's failure reason). */
public class InvalidImageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidImageException(String message) {
        super(message);
    }
}
