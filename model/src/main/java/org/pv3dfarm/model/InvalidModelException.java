package org.pv3dfarm.model;

/**
 * An exported model that breaks the model contract: a malformed or incomplete {@code model.json}, a missing graph
 * file, a checksum that does not match, or a graph whose inputs differ from its manifest entry. The message names
 * the model directory or file and the offending field.
 */
public class InvalidModelException extends RuntimeException {

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
