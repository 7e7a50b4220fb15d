package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.pv3dfarm.protocol.JobCancelled;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.client.JobEventSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FinishedJobs} from the events topic: one thread reads {@link Topics#EVENTS} from the beginning (no
 * consumer group, like the API's status follower) and keeps the ids of cancelled and of completed jobs. Memory
 * grows with the number of finished jobs still on the topic (about 80 bytes each: 80 MB per million), which the
 * events topic's retention bounds.
 */
public final class FinishedJobsWatcher implements FinishedJobs, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FinishedJobsWatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final JobEventSubscriber events;
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    private final Set<UUID> completed = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    private FinishedJobsWatcher(JobEventSubscriber events, String name) {
        this.events = Objects.requireNonNull(events, "events");
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts watching the events topic of {@code bootstrapServers}. */
    public static FinishedJobsWatcher start(String bootstrapServers, String clientId) {
        FinishedJobsWatcher watcher = new FinishedJobsWatcher(
                JobEventSubscriber.fromBeginning(bootstrapServers, clientId), "pv3d-finished-jobs-" + clientId);
        watcher.thread.start();
        return watcher;
    }

    @Override
    public boolean isCancelled(UUID jobId) {
        return cancelled.contains(jobId);
    }

    @Override
    public boolean isCompleted(UUID jobId) {
        return completed.contains(jobId);
    }

    /** Whether every event that existed at the start has been read. */
    @Override
    public boolean ready() {
        return caughtUp;
    }

    private void run() {
        try {
            while (running) {
                for (JobEvent event : events.poll(POLL)) {
                    if (event instanceof JobCancelled) {
                        cancelled.add(event.jobId());
                    } else if (event instanceof JobCompleted) {
                        completed.add(event.jobId());
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
