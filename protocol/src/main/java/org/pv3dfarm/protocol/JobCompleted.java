package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.UUID;

/**
 * Every output is uploaded (manifest last). Written before the worker commits the request's offset, so a crash in
 * between gives a duplicate {@code completed} with the same keys, never a lost one.
 *
 * @param durationMs wall time of the attempt, for operators
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobCompleted(
        Integer schemaVersion,
        @JsonProperty(required = true) UUID jobId,
        @JsonProperty(required = true) JobKind kind,
        String tenant,
        @JsonProperty(required = true) Instant time,
        Integer attempt,
        String worker,
        @JsonProperty(required = true) OutputKeys outputs,
        Long durationMs) implements JobEvent {

    public JobCompleted {
        schemaVersion = Checks.supportedVersion(schemaVersion);
        Checks.required(jobId, "job_id");
        Checks.required(kind, "kind");
        Checks.required(time, "time");
        attempt = Checks.atLeast(Values.orDefault(attempt, 1), 1, "attempt");
        Checks.required(outputs, "outputs");
        if (durationMs != null) {
            Checks.atLeast(durationMs, 0L, "duration_ms");
        }
    }

    @Override
    public String type() {
        return "completed";
    }
}
