package org.pv3dfarm.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once job status has been rebuilt from the events topic: before that, GET could miss existing jobs. */
@Readiness
@ApplicationScoped
public class JobStatusReadinessCheck implements HealthCheck {

    @Inject
    JobStatusStore store;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("job-status").status(store.caughtUp())
                .withData("jobs", store.size()).build();
    }
}
