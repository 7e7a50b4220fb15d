package org.pv3dfarm.worker;

/**
 * An upload failed after every attempt its {@link RetryPolicy} allowed (or at once, for a failure that retrying
 * cannot fix, such as a refused signature). Retryable at job level: the store may be back by the next attempt.
 */
public class UploadException extends RetryableJobException {

    private final boolean transientFailure;
    private final int attempts;

    public UploadException(String message, Throwable cause, boolean transientFailure, int attempts) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.attempts = attempts;
    }

    /** True when the store was unreachable or answered with a server error; false for a refusal. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** How many attempts were made. */
    public int attempts() {
        return attempts;
    }
}
