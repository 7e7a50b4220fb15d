package org.pv3dfarm.api;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.pv3dfarm.protocol.JobStatus;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Live job status changes for server-sent events: {@link JobStatusStore} hands every change here, and each
 * subscriber gets the changes its filter accepts. Emission is serialised per subscriber because changes arrive from
 * the status follower and from request threads at once.
 */
@ApplicationScoped
public class StatusStream {

    private static final class Subscriber {
        private final Predicate<JobStatus> filter;
        private final MultiEmitter<? super JobStatus> emitter;
        private final boolean untilFinal;
        private boolean done;

        Subscriber(Predicate<JobStatus> filter, MultiEmitter<? super JobStatus> emitter, boolean untilFinal) {
            this.filter = filter;
            this.emitter = emitter;
            this.untilFinal = untilFinal;
        }

        synchronized void offer(JobStatus status) {
            if (done || !filter.test(status)) {
                return;
            }
            emitter.emit(status);
            if (untilFinal && JobStatusStore.isFinalOrAfter(status)) {
                done = true;
                emitter.complete();
            }
        }
    }

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    /** Called by the store after a status changed. */
    void changed(JobStatus status) {
        for (Subscriber subscriber : subscribers) {
            subscriber.offer(status);
        }
    }

    /**
     * The statuses from {@code current} (read once the subscription is registered, so no change falls between
     * the two), then every later change that {@code filter} accepts. With {@code untilFinal} the stream completes
     * after the first final status (for one job's stream); otherwise it runs until the client goes away.
     */
    public Multi<JobStatus> follow(Supplier<List<JobStatus>> current, Predicate<JobStatus> filter,
                                   boolean untilFinal) {
        return Multi.createFrom().emitter(emitter -> {
            Subscriber subscriber = new Subscriber(filter, emitter, untilFinal);
            emitter.onTermination(() -> subscribers.remove(subscriber));
            synchronized (subscriber) {
                subscribers.add(subscriber);
                for (JobStatus status : current.get()) {
                    subscriber.offer(status);
                }
            }
        });
    }

    int subscribers() {
        return subscribers.size();
    }
}
