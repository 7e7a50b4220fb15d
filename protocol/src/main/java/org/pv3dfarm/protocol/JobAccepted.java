package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.UUID;

/**
 * The request is on its topic (written by the producer client after the broker acknowledged the request).
 *
 * @param idempotencyKey the submitter's key, if any
 * @param requestSha256  hex SHA-256 of the request as submitted (before the farm assigned job id and seed), so
 *                       that a resubmission with the same key can be told apart from a different body
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobAccepted(
        Integer schemaVersion,
        @JsonProperty(required = true) UUID jobId,
        @JsonProperty(required = true) JobKind kind,
        String tenant,
        @JsonProperty(required = true) Instant time,
        Priority priority,
        String idempotencyKey,
        String requestSha256) implements JobEvent {

    public JobAccepted {
        schemaVersion = Checks.supportedVersion(schemaVersion);
        Checks.required(jobId, "job_id");
        Checks.required(kind, "kind");
        Checks.required(time, "time");
        priority = Values.orDefault(priority, Priority.NORMAL);
    }

    @Override
    public String type() {
        return "accepted";
    }
}
