package org.pv3dfarm.worker;

import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.pv3dfarm.protocol.JobRequest;

/**
 * What a {@link JobHandler} gets for one attempt of one job.
 *
 * @param request       the decoded request, already validated (stage QUEUED), so its job id is set
 * @param traceId       the trace id of the request record, or {@code null}
 * @param attempt       1 for the first attempt on this worker, higher for retries of a retryable failure
 * @param workerId      who runs it
 * @param progress      reports work done; sent as a progress event without waiting
 * @param stopRequested true once the worker is shutting down past its grace period, or the job was cancelled: a
 *                      long handler should check it between batches and throw (a released job is redelivered, a
 *                      cancelled one is dropped)
 */
public record JobContext(JobRequest request, String traceId, int attempt, String workerId, Progress progress,
        BooleanSupplier stopRequested) {

    /** Receives progress: {@code done} of {@code total} units (frames over all views for a generate job). */
    @FunctionalInterface
    public interface Progress {
        void report(int done, int total);

        /** Optimisation steps done of total (the inversion kinds, before they render); ignored by default. */
        default void reportSteps(int done, int total) {
        }
    }

    public JobContext {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.jobId(), "request.jobId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(stopRequested, "stopRequested");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
    }

    public UUID jobId() {
        return request.jobId();
    }

    /** Where this job's outputs go. */
    public OutputKeyLayout keys() {
        return OutputKeyLayout.forJob(request.tenant(), request.jobId());
    }
}
