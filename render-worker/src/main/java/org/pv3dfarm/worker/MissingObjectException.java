package org.pv3dfarm.worker;

/** An object a job reads does not exist, or is larger than the job may read. */
public class MissingObjectException extends Exception {

    private final String key;
    private final boolean tooLarge;

    public MissingObjectException(String key, boolean tooLarge, String message) {
        super(message);
        this.key = key;
        this.tooLarge = tooLarge;
    }

    public String key() {
        return key;
    }

    /** The object exists but exceeds the size limit. */
    public boolean tooLarge() {
        return tooLarge;
    }
}
