package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened to a job, written to {@link Topics#EVENTS} keyed by the job id. The {@code type}
 * field of the JSON picks the record type. Events are written by the farm's own code, so their constructors
 * reject bad values outright.
 *
 * <p>Life of a job: {@code accepted} (the request is on its topic) then {@code started} per attempt, any number
 * of {@code progress}, then one of {@code completed}, {@code failed} or {@code cancelled}. Delivery is at least
 * once: a reader must tolerate duplicates and an {@code accepted} that arrives after a worker's first event;
 * {@link JobStatus#apply(JobEvent)} does.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobAccepted.class, name = "accepted"),
        @JsonSubTypes.Type(value = JobStarted.class, name = "started"),
        @JsonSubTypes.Type(value = JobProgress.class, name = "progress"),
        @JsonSubTypes.Type(value = JobCompleted.class, name = "completed"),
        @JsonSubTypes.Type(value = JobFailed.class, name = "failed"),
        @JsonSubTypes.Type(value = JobCancelled.class, name = "cancelled")})
public sealed interface JobEvent permits JobAccepted, JobStarted, JobProgress, JobCompleted, JobFailed, JobCancelled {

    Integer schemaVersion();

    UUID jobId();

    JobKind kind();

    /** The job's tenant; {@code null} for the default tenant. */
    String tenant();

    /** When it happened, by the writer's clock. */
    Instant time();

    /** The wire name of the event type, as in the {@code type} field and {@link HeaderNames#MESSAGE_TYPE}. */
    String type();
}
