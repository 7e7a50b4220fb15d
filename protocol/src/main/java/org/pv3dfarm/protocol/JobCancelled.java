package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.UUID;

/**
 * The job was cancelled on request; a worker that sees it skips the job, or stops a running one at its next batch
 * boundary. Final.
 *
 * @param reason why, for people (optional)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobCancelled(
        Integer schemaVersion,
        @JsonProperty(required = true) UUID jobId,
        @JsonProperty(required = true) JobKind kind,
        String tenant,
        @JsonProperty(required = true) Instant time,
        String reason) implements JobEvent {

    public JobCancelled {
        schemaVersion = Checks.supportedVersion(schemaVersion);
        Checks.required(jobId, "job_id");
        Checks.required(kind, "kind");
        Checks.required(time, "time");
    }

    @Override
    public String type() {
        return "cancelled";
    }
}
