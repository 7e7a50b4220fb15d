package org.pv3dfarm.api;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.client.JobEventSubscriber;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Keeps the {@link JobStatusStore} current: one thread reads {@link Topics#EVENTS} from the beginning for as long
 * as the API runs, without a consumer group, so that every replica folds every event.
 */
@ApplicationScoped
public class JobStatusFollower {

    private static final Logger LOG = Logger.getLogger(JobStatusFollower.class);
    private static final Duration POLL = Duration.ofMillis(250);

    private final JobStatusStore store;
    private final Supplier<JobEventSubscriber> subscribers;
    private volatile boolean running;
    private volatile JobEventSubscriber subscriber;
    private Thread thread;

    @Inject
    public JobStatusFollower(JobStatusStore store, ApiConfig config) {
        this(store, () -> JobEventSubscriber.fromBeginning(config.kafka().bootstrapServers(),
                config.kafka().clientId() + "-status-" + UUID.randomUUID()));
    }

    /** For a follower on another store, e.g. to check that a rebuild agrees. */
    public JobStatusFollower(JobStatusStore store, Supplier<JobEventSubscriber> subscribers) {
        this.store = store;
        this.subscribers = subscribers;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "pv3d-job-status-follower");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        JobEventSubscriber current = subscriber;
        BackgroundThreads.stop(thread, current == null ? null : current::wakeup);
        thread = null;
    }

    private void run() {
        try (JobEventSubscriber events = subscribers.get()) {
            subscriber = events;
            long started = System.nanoTime();
            while (running) {
                for (JobEvent event : events.poll(POLL)) {
                    store.apply(event);
                }
                if (!store.caughtUp() && events.caughtUp()) {
                    store.markCaughtUp();
                    LOG.infof("job status loaded from %s: %d job(s) in %d ms", Topics.EVENTS, store.size(),
                            Duration.ofNanos(System.nanoTime() - started).toMillis());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("the job status follower stopped; status will not change until a restart", e);
        } finally {
            subscriber = null;
        }
    }
}
