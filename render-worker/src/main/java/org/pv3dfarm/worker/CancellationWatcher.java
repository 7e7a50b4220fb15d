package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.pv3dfarm.protocol.JobCancelled;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.client.JobEventSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CancelledJobs} from the events topic: one thread reads {@link Topics#EVENTS} from the beginning (no
 * consumer group, like the API's status follower) and keeps the ids of cancelled jobs. Memory grows with the
 * number of cancellations only (16 bytes each and the set's overhead), not with the number of jobs.
 */
public final class CancellationWatcher implements CancelledJobs, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CancellationWatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final JobEventSubscriber events;
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    private CancellationWatcher(JobEventSubscriber events, String name) {
        this.events = Objects.requireNonNull(events, "events");
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts watching the events topic of {@code bootstrapServers}. */
    public static CancellationWatcher start(String bootstrapServers, String clientId) {
        CancellationWatcher watcher = new CancellationWatcher(
                JobEventSubscriber.fromBeginning(bootstrapServers, clientId), "pv3d-cancellations-" + clientId);
        watcher.thread.start();
        return watcher;
    }

    @Override
    public boolean isCancelled(UUID jobId) {
        return cancelled.contains(jobId);
    }

    /** Whether every event that existed at the start has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            while (running) {
                for (JobEvent event : events.poll(POLL)) {
                    if (event instanceof JobCancelled) {
                        cancelled.add(event.jobId());
                    }
                }
                caughtUp = caughtUp || events.caughtUp();
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("the cancellation watcher stopped; cancellations are no longer seen", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        events.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
    }
}
