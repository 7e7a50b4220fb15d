package org.pv3dfarm.worker;

/** The broker did not acknowledge an event or dead letter in time; nothing may be committed after it. */
public class EventPublishException extends RetryableJobException {

    public EventPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
