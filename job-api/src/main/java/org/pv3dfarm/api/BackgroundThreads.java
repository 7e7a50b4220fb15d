package org.pv3dfarm.api;

import java.time.Duration;

/** Stopping the API's background consumer threads: wake their blocked poll, then wait a bounded time. */
final class BackgroundThreads {

    /** How long a stop waits for a background thread to end. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private BackgroundThreads() {
    }

    /**
     * Runs {@code wakeup} (when not null) so that a blocked Kafka poll returns, then joins {@code thread} (when not
     * null) for up to {@link #STOP_WAIT}. The caller has already told the thread's loop to end.
     */
    static void stop(Thread thread, Runnable wakeup) {
        if (wakeup != null) {
            wakeup.run();
        }
        if (thread != null) {
            try {
                thread.join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
