package org.pv3dfarm.worker;

/**
 * A job stopped between two batches because the worker is shutting down ({@link JobContext#stopRequested()}).
 * Retryable: nothing was committed, so the job is redelivered and runs again from the start, overwriting any
 * output it had uploaded under the same keys.
 */
public class JobStoppedException extends RetryableJobException {

    public JobStoppedException(String message) {
        super(message, null);
    }
}
