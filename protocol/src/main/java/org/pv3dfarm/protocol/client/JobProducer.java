package org.pv3dfarm.protocol.client;

import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobValidationException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Puts job requests on the farm's queues.
 *
 * <p>Contract of {@link #submitAsync}: the request is validated as submitted (every violation reported at once,
 * thrown before anything is sent); the farm assigns the job id (from the idempotency key when given) and a seed
 * where codes must be drawn; the queued request is written to {@code Topics.jobs(kind)} keyed by job id with the
 * protocol headers, with {@code acks=all} and idempotence; once the broker acknowledged it, an {@code accepted}
 * event is written to the events topic. The future completes when the request is acknowledged and the accepted
 * event is written or has failed (a failed accepted write is logged, not reported: the job is queued regardless
 * and its status appears with the worker's first event). It fails only when the request itself was not written;
 * the job may then still have been written (a timeout), so resubmit with an idempotency key.
 *
 * <p>Implementations are thread-safe.
 */
public interface JobProducer extends AutoCloseable {

    /**
     * Validates and sends.
     *
     * @param traceId an id that ties the job's records and logs together, or {@code null} for none
     * @throws JobValidationException when the request is invalid (nothing was sent)
     */
    CompletableFuture<SubmittedJob> submitAsync(JobRequest request, String traceId);

    /**
     * {@link #submitAsync} and wait.
     *
     * @throws JobValidationException when the request is invalid (nothing was sent)
     * @throws JobSubmissionException when the broker did not acknowledge the request
     */
    default SubmittedJob submit(JobRequest request) {
        return submit(request, null);
    }

    /**
     * {@link #submitAsync} and wait.
     *
     * @param traceId an id that ties the job's records and logs together, or {@code null} for none
     * @throws JobValidationException when the request is invalid (nothing was sent)
     * @throws JobSubmissionException when the broker did not acknowledge the request
     */
    default SubmittedJob submit(JobRequest request, String traceId) {
        try {
            return submitAsync(request, traceId).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobSubmissionException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | CompletionException e) {
            throw JobSubmissionException.wrap(e.getCause());
        }
    }

    /** Flushes pending sends and releases the connection. */
    @Override
    void close();
}
