package org.pv3dfarm.protocol;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What is known about one job, folded from its events in topic order. Every replica that folds the same events
 * gets the same status, which is why status needs no database.
 *
 * <p>Rules, chosen so that at-least-once delivery and the two writers (producer client and worker) never make the
 * status go backwards:
 * <ul>
 *   <li>{@code completed} and {@code cancelled} are final: later events change nothing.</li>
 *   <li>{@code failed} with {@code retryable=false} is final, except that a {@code started} event of a later
 *       attempt reopens it: only a deliberate replay of the dead letter (which numbers its attempt after the
 *       failed one) produces that, while stale events of earlier attempts stay ignored. A retryable failure sets
 *       {@code queued} and keeps the error, and a later {@code started}/{@code progress}/{@code completed} of the
 *       same or a later attempt continues the job.</li>
 *   <li>{@code accepted} fills in the submission details whenever it arrives, and sets {@code queued} only when no
 *       worker event came first.</li>
 *   <li>{@code progress} of an older attempt than the latest seen is ignored; within an attempt done only grows.</li>
 * </ul>
 *
 * @param progressDone  units done in the latest attempt (0 before progress is known)
 * @param progressTotal units in total, or 0 before progress is known
 * @param outputs       where the outputs are, once completed
 * @param failureCode   the code of the latest failure, if any
 * @param failureReason the reason of the latest failure, if any
 * @param retryable     whether the latest failure was retryable, if any
 */
public record JobStatus(
        UUID jobId,
        JobKind kind,
        String tenant,
        JobState state,
        Priority priority,
        String idempotencyKey,
        String requestSha256,
        int attempt,
        int progressDone,
        int progressTotal,
        ProgressUnit progressUnit,
        OutputKeys outputs,
        String failureCode,
        String failureReason,
        Boolean retryable,
        Instant acceptedAt,
        Instant updatedAt) {

    public JobStatus {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
    }

    /** The status of a job whose first seen event is this one. */
    public static JobStatus of(JobEvent first) {
        JobStatus blank = new JobStatus(first.jobId(), first.kind(), first.tenant(), JobState.QUEUED, Priority.NORMAL,
                null, null, 0, 0, 0, ProgressUnit.FRAMES, null, null, null, null, null, first.time());
        return blank.apply(first);
    }

    /** The status after this event; {@code this} when the event changes nothing. */
    public JobStatus apply(JobEvent event) {
        if (!event.jobId().equals(jobId)) {
            throw new IllegalArgumentException("event of job " + event.jobId() + " applied to job " + jobId);
        }
        if (event instanceof JobAccepted accepted) {
            return onAccepted(accepted);
        }
        if (state == JobState.FAILED && event instanceof JobStarted started && started.attempt() > attempt) {
            return onStarted(started); // a replayed dead letter
        }
        if (state == JobState.COMPLETED || state == JobState.CANCELLED
                || (state == JobState.FAILED && !Boolean.TRUE.equals(retryable))) {
            return this;
        }
        if (event instanceof JobStarted started) {
            return onStarted(started);
        }
        if (event instanceof JobProgress progress) {
            return onProgress(progress);
        }
        if (event instanceof JobCompleted completed) {
            return new JobStatus(jobId, kind, tenant, JobState.COMPLETED, priority, idempotencyKey, requestSha256,
                    Math.max(attempt, completed.attempt()), progressTotal, progressTotal, progressUnit,
                    completed.outputs(), failureCode, failureReason, retryable, acceptedAt, completed.time());
        }
        if (event instanceof JobFailed failed) {
            return onFailed(failed);
        }
        if (event instanceof JobCancelled cancelled) {
            return with(JobState.CANCELLED, attempt, progressDone, progressTotal, progressUnit, cancelled.time());
        }
        throw new IllegalArgumentException("unknown event type " + event.getClass().getName());
    }

    private JobStatus onAccepted(JobAccepted accepted) {
        boolean workerSeen = attempt > 0 || state != JobState.QUEUED;
        return new JobStatus(jobId, kind, accepted.tenant(), workerSeen ? state : JobState.QUEUED,
                accepted.priority(), accepted.idempotencyKey(), accepted.requestSha256(), attempt, progressDone,
                progressTotal, progressUnit, outputs, failureCode, failureReason, retryable, accepted.time(),
                workerSeen ? updatedAt : accepted.time());
    }

    private JobStatus onStarted(JobStarted started) {
        if (started.attempt() < attempt) {
            return this;
        }
        int done = started.attempt() > attempt ? 0 : progressDone;
        return with(JobState.RUNNING, started.attempt(), done, progressTotal, progressUnit, started.time());
    }

    private JobStatus onFailed(JobFailed failed) {
        if (failed.attempt() < attempt) {
            return this;
        }
        return new JobStatus(jobId, kind, tenant, failed.retryable() ? JobState.QUEUED : JobState.FAILED, priority,
                idempotencyKey, requestSha256, failed.attempt(), progressDone, progressTotal, progressUnit, outputs,
                failed.code(), failed.reason(), failed.retryable(), acceptedAt, failed.time());
    }

    private JobStatus onProgress(JobProgress progress) {
        if (progress.attempt() < attempt) {
            return this;
        }
        int done = progress.attempt() > attempt ? progress.done() : Math.max(progressDone, progress.done());
        return with(JobState.RUNNING, progress.attempt(), done, progress.total(), progress.unit(), progress.time());
    }

    private JobStatus with(JobState newState, int newAttempt, int done, int total, ProgressUnit unit, Instant at) {
        return new JobStatus(jobId, kind, tenant, newState, priority, idempotencyKey, requestSha256, newAttempt, done,
                total, unit, outputs, failureCode, failureReason, retryable, acceptedAt, at);
    }
}
