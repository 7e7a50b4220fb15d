package org.pv3dfarm.model;

/** ONNX Runtime failed to create a session or to run a graph; the message names the graph. */
public class ModelRunException extends RuntimeException {

    public ModelRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
