package org.pv3dfarm.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobRequests;
import org.pv3dfarm.protocol.JobState;
import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.JobValidationException;
import org.pv3dfarm.protocol.JobValidator;
import org.pv3dfarm.protocol.VideoOutput;
import org.pv3dfarm.protocol.Violation;
import org.pv3dfarm.protocol.client.JobProducer;
import org.pv3dfarm.protocol.client.JobSubmissionException;
import org.pv3dfarm.protocol.client.SubmittedJob;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The submission pipeline shared by single and bulk submissions: served kind, the caller's tenant, validation,
 * per-tenant quotas, idempotency, then the queue. Every refusal is a {@link ProblemException} or
 * {@link JobValidationException}, so a single request answers it and a bulk request records it for its item.
 */
@ApplicationScoped
public class JobSubmissions {

    /** What a submission became. */
    public record Submitted(UUID jobId, JobKind kind, JobState state, boolean replayed) {
    }

    /** A request that passed every check: send it with {@link #send}, or it was a replay. */
    public record Prepared(JobRequest request, IdempotencyGuard.Fresh claim, Submitted replay) {

        boolean isReplay() {
            return replay != null;
        }
    }

    private final JobProducer producer;
    private final JobValidator validator;
    private final EnabledKinds enabledKinds;
    private final JobStatusStore store;
    private final ApiMetrics metrics;
    private final Duration statusLoadWait;
    private final IdempotencyGuard idempotency;
    private final InputChecker inputs;

    @Inject
    public JobSubmissions(JobProducer producer, JobValidator validator, EnabledKinds enabledKinds,
                          JobStatusStore store, ApiMetrics metrics, ApiConfig config, InputChecker inputs) {
        this.inputs = inputs;
        this.producer = producer;
        this.validator = validator;
        this.enabledKinds = enabledKinds;
        this.store = store;
        this.metrics = metrics;
        this.statusLoadWait = config.api().statusLoadWait();
        this.idempotency = new IdempotencyGuard(store);
    }

    /**
     * Checks one decoded request of {@code caller}; {@code admittedBefore} new jobs of the same call already count
     * against the tenant's active-jobs quota. The returned request is owned by the caller's tenant.
     */
    public Prepared prepare(Caller caller, JobRequest decoded, int admittedBefore) {
        if (!enabledKinds.contains(decoded.kind())) {
            throw new ProblemException(ProblemType.KIND_NOT_SERVED, "this farm serves " + enabledKinds.names()
                    + " jobs only", List.of(new Violation("kind", "'" + decoded.kind().wireName()
                    + "' is not served here; use one of " + enabledKinds.names())));
        }
        // Validated as sent (a malformed tenant is a 400), then owned by the caller (another tenant is a 403).
        List<Violation> violations = validator.validate(decoded, JobValidator.Stage.SUBMITTED);
        if (!violations.isEmpty()) {
            throw new JobValidationException(violations);
        }
        if (decoded.tenant() != null && !caller.owns(decoded.tenant())) {
            throw new ProblemException(ProblemType.TENANT_MISMATCH, "the API key belongs to tenant '"
                    + caller.tenant() + "'", List.of(new Violation("tenant", "must be left out or be '"
                    + caller.tenant() + "' (it is set from the API key)")));
        }
        JobRequest request = JobRequests.withTenant(decoded, caller.wireTenant());
        checkFrames(caller, request);
        if (request.idempotencyKey() != null) {
            awaitStatusLoaded();
        }
        IdempotencyGuard.Decision decision = idempotency.decide(request);
        if (decision instanceof IdempotencyGuard.Replay replay) {
            return new Prepared(request, null, new Submitted(replay.jobId(), request.kind(), replay.state(), true));
        }
        IdempotencyGuard.Fresh claim = (IdempotencyGuard.Fresh) decision;
        // After the idempotency decision: a replay answers its job even if the inputs have expired since.
        try {
            if (!request.sourceJobs().isEmpty()) {
                awaitStatusLoaded();
            }
            inputs.check(caller, request);
        } catch (RuntimeException e) {
            idempotency.release(claim);
            throw e;
        }
        int active = store.activeJobs(request.tenant()) + admittedBefore;
        if (active >= caller.quota().maxActiveJobs()) {
            idempotency.release(claim);
            throw new ProblemException(ProblemType.QUOTA_EXCEEDED, "tenant '" + caller.tenant() + "' has " + active
                    + " active jobs, its limit is " + caller.quota().maxActiveJobs()
                    + "; submit again once some finish", null);
        }
        return new Prepared(request, claim, null);
    }

    /**
     * Sends a prepared request; the future completes once the broker acknowledged the request (the accepted event
     * is then applied here, so the caller reads its write) or fails with the producer's error.
     */
    public CompletableFuture<Submitted> send(Prepared prepared, String traceId) {
        if (prepared.isReplay()) {
            return CompletableFuture.completedFuture(prepared.replay());
        }
        CompletableFuture<SubmittedJob> sent;
        try {
            sent = producer.submitAsync(prepared.request(), traceId);
        } catch (RuntimeException e) {
            idempotency.release(prepared.claim());
            throw e;
        }
        return sent.handle((job, error) -> {
            try {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    throw cause instanceof JobSubmissionException submission ? submission
                            : new JobSubmissionException("the job request was not acknowledged: " + cause, cause);
                }
                store.apply(job.accepted());
                metrics.submitted(job.request().kind());
                return new Submitted(job.jobId(), job.request().kind(), JobState.QUEUED, false);
            } finally {
                idempotency.release(prepared.claim());
            }
        });
    }

    private void checkFrames(Caller caller, JobRequest request) {
        if (request instanceof VideoOutput video && video.frames() != null && video.views() != null) {
            long frames = (long) video.frames() * video.views().size();
            if (frames > caller.quota().maxFramesPerJob()) {
                throw new ProblemException(ProblemType.QUOTA_EXCEEDED, "tenant '" + caller.tenant() + "' may render "
                        + caller.quota().maxFramesPerJob() + " frames per job",
                        List.of(new Violation("frames", "frames x views = " + frames + " exceeds the tenant's "
                                + caller.quota().maxFramesPerJob())));
            }
        }
    }

    private void awaitStatusLoaded() {
        long deadline = System.nanoTime() + statusLoadWait.toNanos();
        while (!store.caughtUp() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!store.caughtUp()) {
            throw new ProblemException(ProblemType.STATUS_LOADING, "job status is still being rebuilt from the "
                    + "events topic, so an idempotency key cannot be checked yet; retry shortly", null);
        }
    }
}
