package org.pv3dfarm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobState;

import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code POST /v1/jobs/bulk}: one result per item, in the order of the items.
 *
 * @param accepted items queued now (202)
 * @param replayed items that named an earlier job by idempotency key and body (200)
 * @param rejected items refused with a problem (4xx, or 503 when the broker did not acknowledge)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BulkSubmissionResponse(int accepted, int replayed, int rejected, List<Item> results) {

    /**
     * One item's outcome: {@code status} is the HTTP status a single submission would have had; a job for
     * 200/202, a problem otherwise.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, int status, UUID jobId, JobKind kind, JobState state, String statusUrl,
                       Problem problem) {

        static Item of(int index, JobSubmissions.Submitted job) {
            return new Item(index, job.replayed() ? 200 : 202, job.jobId(), job.kind(), job.state(),
                    JobsResource.statusUrl(job.jobId()), null);
        }

        static Item of(int index, Problem problem) {
            return new Item(index, problem.status(), null, null, null, null, problem);
        }
    }

    static BulkSubmissionResponse of(List<Item> results) {
        int accepted = 0;
        int replayed = 0;
        for (Item item : results) {
            accepted += item.status() == 202 ? 1 : 0;
            replayed += item.status() == 200 ? 1 : 0;
        }
        return new BulkSubmissionResponse(accepted, replayed, results.size() - accepted - replayed, results);
    }
}
