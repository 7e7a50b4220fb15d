package org.pv3dfarm.worker;

import java.util.UUID;

/**
 * Which jobs were cancelled ({@code cancelled} events). The consumer loop skips a cancelled job that is still
 * queued and asks a running one to stop at its next batch boundary.
 */
@FunctionalInterface
public interface CancelledJobs {

    boolean isCancelled(UUID jobId);

    /** No job is ever cancelled (a worker without the events topic, and tests that do not cancel). */
    static CancelledJobs none() {
        return jobId -> false;
    }
}
