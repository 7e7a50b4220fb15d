package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.UUID;

/**
 * Work done so far in the current attempt: {@code done} of {@code total} {@code unit}s, 0 &lt;= done &lt;= total.
 * For a generate job the unit is frames over all views (frames x views in total).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobProgress(
        Integer schemaVersion,
        @JsonProperty(required = true) UUID jobId,
        @JsonProperty(required = true) JobKind kind,
        String tenant,
        @JsonProperty(required = true) Instant time,
        Integer attempt,
        @JsonProperty(required = true) Integer done,
        @JsonProperty(required = true) Integer total,
        ProgressUnit unit) implements JobEvent {

    public JobProgress {
        schemaVersion = Checks.supportedVersion(schemaVersion);
        Checks.required(jobId, "job_id");
        Checks.required(kind, "kind");
        Checks.required(time, "time");
        attempt = Checks.atLeast(Values.orDefault(attempt, 1), 1, "attempt");
        Checks.atLeast(total, 1, "total");
        Checks.atLeast(done, 0, "done");
        if (done > total) {
            throw new IllegalArgumentException("done (" + done + ") must not exceed total (" + total + ")");
        }
        unit = Values.orDefault(unit, ProgressUnit.FRAMES);
    }

    @Override
    public String type() {
        return "progress";
    }
}
