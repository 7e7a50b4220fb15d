package org.pv3dfarm.worker;

import java.util.UUID;

/**
 * Which jobs are already finished by a {@code cancelled} or {@code completed} event. The consumer loop skips a
 * cancelled job that is still queued and asks a running one to stop at its next batch boundary; it skips a job
 * that already completed (a redelivery after a crash between the completed event and the offset commit), so a
 * consumer of completion events sees one {@code completed} per job.
 */
public interface FinishedJobs {

    boolean isCancelled(UUID jobId);

    boolean isCompleted(UUID jobId);

    /** Whether every finish that existed when the worker started is known; until then a finished job may run. */
    default boolean ready() {
        return true;
    }

    /** Nothing is ever finished (tests that neither cancel nor redeliver). */
    static FinishedJobs none() {
        return new FinishedJobs() {
            @Override
            public boolean isCancelled(UUID jobId) {
                return false;
            }

            @Override
            public boolean isCompleted(UUID jobId) {
                return false;
            }
        };
    }
}
