package org.pv3dfarm.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobState;

import java.util.UUID;

/**
 * The answer to {@code POST /v1/jobs}.
 *
 * @param statusUrl where to follow the job ({@code GET})
 * @param replayed  true when an earlier submission with the same idempotency key and body is returned instead of
 *                  queuing a new job
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubmissionResponse(UUID jobId, JobKind kind, JobState status, String statusUrl, boolean replayed) {
}
