package org.pv3dfarm.api;

import org.pv3dfarm.protocol.JobIds;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How long the farm keeps what a tenant leaves behind ({@code pv3d.retention.*}, overridable per tenant under
 * {@code pv3d.retention.tenants.NAME.*}): a finished job's output objects (counted from the object's last
 * modification, and in status from the job's last event), uploaded inputs (from the upload), and the finished
 * job itself in status and listings (from its last event).
 */
public final class RetentionPolicy {

    /** The three durations of one tenant. */
    public record Durations(Duration outputs, Duration uploads, Duration jobs) {

        public Durations {
            for (Duration d : new Duration[] {outputs, uploads, jobs}) {
                if (Objects.requireNonNull(d, "retention").isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("retention durations must be positive, was " + d);
                }
            }
        }
    }

    private final Durations defaults;
    private final Map<String, Durations> tenants;

    public RetentionPolicy(Durations defaults, Map<String, Durations> tenants) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.tenants = Map.copyOf(tenants);
    }

    static RetentionPolicy of(ApiConfig.Retention config) {
        Durations defaults = new Durations(config.outputs(), config.uploads(), config.jobs());
        Map<String, Durations> tenants = new HashMap<>();
        config.tenants().forEach((name, t) -> tenants.put(name, new Durations(t.outputs().orElse(defaults.outputs()),
                t.uploads().orElse(defaults.uploads()), t.jobs().orElse(defaults.jobs()))));
        return new RetentionPolicy(defaults, tenants);
    }

    /** The durations of {@code tenant} (as on the wire: {@code null} is the default tenant). */
    public Durations of(String tenant) {
        return tenants.getOrDefault(tenant == null ? JobIds.DEFAULT_TENANT : tenant, defaults);
    }
}
