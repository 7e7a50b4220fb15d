package org.pv3dfarm.protocol;

import java.util.UUID;
import java.util.function.LongSupplier;

/** Turns a submitted request into the fully determined request that goes on the queue. */
public final class JobRequests {

    private JobRequests() {
    }

    /**
     * The request with its job id and, where codes must be drawn and no seed was given, a seed from
     * {@code seeds} (taken modulo 2^32), so that the queued request alone fixes the output and a redelivery
     * renders the same clip.
     */
    public static JobRequest forQueue(JobRequest submitted, UUID jobId, LongSupplier seeds) {
        JobRequest withId = submitted.withJobId(jobId);
        if (withId instanceof GenerateRequest generate && generate.seed() == null
                && (generate.z() == null || generate.zMotion() == null)) {
            return generate.withSeed(Math.floorMod(seeds.getAsLong(), JobValidator.SEED_LIMIT));
        }
        if (withId instanceof AnimateRequest animate && animate.seed() == null && animate.z() == null) {
            return animate.withSeed(Math.floorMod(seeds.getAsLong(), JobValidator.SEED_LIMIT));
        }
        return withId;
    }

    /** The job id for a submission: derived from its idempotency key when it has one, random otherwise. */
    public static UUID assignJobId(JobRequest submitted) {
        return submitted.idempotencyKey() == null ? JobIds.random()
                : JobIds.forIdempotencyKey(submitted.tenant(), submitted.idempotencyKey());
    }
}
