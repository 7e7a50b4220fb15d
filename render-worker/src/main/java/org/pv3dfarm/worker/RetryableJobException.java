package org.pv3dfarm.worker;

/**
 * A job failed for a reason that may pass (the object store or broker was unreachable), so running it again
 * later may succeed. The consumer loop retries such a job, with backoff, up to its attempt limit; any other
 * exception fails the job at once.
 */
public class RetryableJobException extends Exception {

    public RetryableJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
