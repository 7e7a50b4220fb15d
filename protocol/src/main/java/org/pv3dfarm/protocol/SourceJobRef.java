package org.pv3dfarm.protocol;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An earlier job whose stored latents a job reads.
 *
 * @param field the request field that names it, for error messages (e.g. {@code source_job_id})
 * @param jobId the earlier job, of the same tenant
 */
public record SourceJobRef(String field, UUID jobId) {

    public SourceJobRef {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(jobId, "jobId");
    }

    /** The reference when the field names a job, else none. */
    public static List<SourceJobRef> ifGiven(String field, UUID jobId) {
        return jobId == null ? List.of() : List.of(new SourceJobRef(field, jobId));
    }
}
