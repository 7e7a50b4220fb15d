package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;
import java.util.UUID;

/**
 * A request for one job, as submitted over HTTP and as written to {@link Topics#jobs(JobKind)}. The
 * {@code kind} field of the JSON picks the record type.
 *
 * <p>Components left {@code null} by a producer take the documented defaults in the record's constructor, so a
 * decoded request always says exactly what will be rendered; constructors never reject input — that is the job
 * of {@link JobValidator}, which names every bad field at once.
 *
 * <p>{@code job_id} is assigned by the farm (never by the submitter): a random UUID, or
 * {@link JobIds#forIdempotencyKey(String, String)} when the submitter gives an {@code idempotency_key}, so that
 * resubmitting the same key names the same job.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = GenerateRequest.class, name = "generate"),
        @JsonSubTypes.Type(value = AnimateRequest.class, name = "animate"),
        @JsonSubTypes.Type(value = ReconstructRequest.class, name = "reconstruct"),
        @JsonSubTypes.Type(value = RetargetRequest.class, name = "retarget"),
        @JsonSubTypes.Type(value = EditRequest.class, name = "edit")})
public sealed interface JobRequest
        permits GenerateRequest, AnimateRequest, ReconstructRequest, RetargetRequest, EditRequest {

    /** The default model name. */
    String DEFAULT_MODEL = "pv3d-demo";

    /** The message version ({@link SchemaVersion}); defaults to the current one. */
    Integer schemaVersion();

    /** The farm-assigned job id; {@code null} until the request is prepared for the queue. */
    UUID jobId();

    /** Optional submitter key that makes resubmission name the same job (per tenant). */
    String idempotencyKey();

    /** Optional tenant; {@code null} means the default tenant. */
    String tenant();

    /** Scheduling priority; defaults to {@link Priority#NORMAL}. */
    Priority priority();

    /** The model to run, by the name in its manifest; defaults to {@link #DEFAULT_MODEL}. */
    String model();

    /** What the job does; fixed by the record type. */
    JobKind kind();

    /** A copy of this request with the given job id. */
    JobRequest withJobId(UUID jobId);

    /**
     * The uploaded objects this job reads (images, videos); none for a generate job. The job API checks each one
     * before it accepts the job (see {@link InputRef}).
     */
    @JsonIgnore
    default List<InputRef> inputs() {
        return List.of();
    }

    /**
     * Earlier jobs whose stored latents ({@code latents.json}) this job reads; none for a generate job. The job API
     * accepts only finished jobs of the same tenant.
     */
    @JsonIgnore
    default List<SourceJobRef> sourceJobs() {
        return List.of();
    }
}
