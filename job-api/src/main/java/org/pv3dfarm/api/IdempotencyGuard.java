package org.pv3dfarm.api;

import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobIds;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobState;
import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.Violation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides what a request with an {@code idempotency_key} is: new, a replay of an earlier job, or a conflict.
 *
 * <p>The job id is derived from tenant and key ({@link JobIds#forIdempotencyKey}), and the {@code accepted} event
 * carries the SHA-256 of the request, so Kafka holds everything needed: after a restart the store is rebuilt from
 * the events topic and the same key maps to the same job with the same digest. Two submissions of one key that
 * race on this replica are told apart by the in-flight claims; racing on two replicas, both write the same job id
 * and the same accepted digest when the bodies agree (a harmless duplicate record that the worker renders to the
 * same keys), and the later body loses only if they differ.
 */
final class IdempotencyGuard {

    /** What to do with a request. */
    sealed interface Decision permits Fresh, Replay {
    }

    /** Not seen before: submit it; {@link #release} the claim when done (whatever the outcome). */
    record Fresh(UUID claimed) implements Decision {
    }

    /** The same key and body as job {@code jobId}, now in {@code state}. */
    record Replay(UUID jobId, JobState state) implements Decision {
    }

    private final JobStatusStore store;
    private final Map<UUID, String> inFlight = new ConcurrentHashMap<>();

    IdempotencyGuard(JobStatusStore store) {
        this.store = store;
    }

    /**
     * The decision for a request whose tenant is already the caller's. Requests without a key are always fresh
     * (with no claim). Throws a 409 problem when the key names a job with another body.
     */
    Decision decide(JobRequest request) {
        if (request.idempotencyKey() == null) {
            return new Fresh(null);
        }
        UUID jobId = JobIds.forIdempotencyKey(request.tenant(), request.idempotencyKey());
        String digest = JobCodec.instance().requestSha256(request);
        Optional<JobStatus> existing = store.get(jobId);
        if (existing.isPresent() && existing.get().requestSha256() != null) {
            return same(request, jobId, digest, existing.get().requestSha256(), existing.get().state());
        }
        String racing = inFlight.putIfAbsent(jobId, digest);
        if (racing != null) {
            return same(request, jobId, digest, racing, JobState.QUEUED);
        }
        return new Fresh(jobId);
    }

    /** Ends a claim from {@link Fresh}: after the accepted event was applied to the store, or the send failed. */
    void release(Fresh fresh) {
        if (fresh.claimed() != null) {
            inFlight.remove(fresh.claimed());
        }
    }

    private static Replay same(JobRequest request, UUID jobId, String digest, String earlier, JobState state) {
        if (!earlier.equals(digest)) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_CONFLICT, "idempotency_key '"
                    + request.idempotencyKey() + "' already names job " + jobId + ", submitted with another body",
                    List.of(new Violation("idempotency_key", "was used for a different request")));
        }
        return new Replay(jobId, state);
    }
}
