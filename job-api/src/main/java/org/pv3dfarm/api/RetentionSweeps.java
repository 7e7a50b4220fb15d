package org.pv3dfarm.api;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the {@link RetentionSweeper} every {@code pv3d.retention.sweep-interval} on a background thread. */
@ApplicationScoped
public class RetentionSweeps {

    private static final Logger LOG = Logger.getLogger(RetentionSweeps.class);

    @Inject
    RetentionSweeper sweeper;

    @Inject
    ApiConfig config;

    private ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent event) {
        if (!config.retention().sweepEnabled()) {
            return;
        }
        long every = config.retention().sweepInterval().toMillis();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pv3d-retention-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::sweepOnce, every, every, TimeUnit.MILLISECONDS);
    }

    private void sweepOnce() {
        try {
            RetentionSweeper.Sweep sweep = sweeper.sweep(Clock.systemUTC().instant());
            if (sweep.outputsDeleted() + sweep.uploadsDeleted() > 0) {
                LOG.infof("retention: %d objects scanned, %d outputs and %d upload objects deleted", sweep.scanned(),
                        sweep.outputsDeleted(), sweep.uploadsDeleted());
            }
        } catch (RuntimeException e) {
            LOG.warnf("retention sweep failed (retried at the next interval): %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
