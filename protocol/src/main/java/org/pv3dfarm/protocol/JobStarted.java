package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker took the job and began an attempt.
 *
 * @param worker  the worker's id (client id or host), for operators
 * @param attempt 1 for the first delivery, higher for redeliveries and retries
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobStarted(
        Integer schemaVersion,
        @JsonProperty(required = true) UUID jobId,
        @JsonProperty(required = true) JobKind kind,
        String tenant,
        @JsonProperty(required = true) Instant time,
        String worker,
        Integer attempt) implements JobEvent {

    public JobStarted {
        schemaVersion = Checks.supportedVersion(schemaVersion);
        Checks.required(jobId, "job_id");
        Checks.required(kind, "kind");
        Checks.required(time, "time");
        attempt = Checks.atLeast(Values.orDefault(attempt, 1), 1, "attempt");
    }

    @Override
    public String type() {
        return "started";
    }
}
