package org.pv3dfarm.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pv3dfarm.protocol.JobKind;

/**
 * The API's own metrics, exported at {@code /q/metrics}: submissions by kind, refusals by problem type, and the
 * size and readiness of the status store.
 */
@ApplicationScoped
public class ApiMetrics {

    private final MeterRegistry registry;

    @Inject
    public ApiMetrics(MeterRegistry registry, JobStatusStore store) {
        this.registry = registry;
        Gauge.builder("pv3d.api.jobs.known", store, JobStatusStore::size)
                .description("Jobs in the status store").register(registry);
        Gauge.builder("pv3d.api.status.loaded", store, s -> s.caughtUp() ? 1 : 0)
                .description("1 once job status has been rebuilt from the events topic").register(registry);
    }

    public void submitted(JobKind kind) {
        Counter.builder("pv3d.api.jobs.submitted").description("Jobs put on the queue")
                .tag("kind", kind.wireName()).register(registry).increment();
    }

    public void rejected(ProblemType type) {
        Counter.builder("pv3d.api.requests.rejected").description("Requests answered with a problem")
                .tag("problem", type.name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
    }

    public void webhook(String outcome) {
        Counter.builder("pv3d.api.webhooks").description("Webhook deliveries by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }
}
