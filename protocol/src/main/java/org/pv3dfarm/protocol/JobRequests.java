package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
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
        if (withId instanceof AnimateRequest animate && animate.seed() == null && animate.drawsMotions()) {
            return animate.withSeed(Math.floorMod(seeds.getAsLong(), JobValidator.SEED_LIMIT));
        }
        return withId;
    }

    /** The job id for a submission: derived from its idempotency key when it has one, random otherwise. */
    public static UUID assignJobId(JobRequest submitted) {
        return submitted.idempotencyKey() == null ? JobIds.random()
                : JobIds.forIdempotencyKey(submitted.tenant(), submitted.idempotencyKey());
    }

    /**
     * The request owned by {@code tenant} ({@code null}: the default tenant). The API sets it from the caller's
     * API key, so a body can never claim another tenant. Kinds without a builder go through their JSON, which keeps
     * every field.
     */
    public static JobRequest withTenant(JobRequest request, String tenant) {
        if (Objects.equals(request.tenant(), tenant)) {
            return request;
        }
        if (request instanceof GenerateRequest generate) {
            return generate.toBuilder().tenant(tenant).build();
        }
        try {
            ObjectMapper plain = new ObjectMapper();
            ObjectNode tree = (ObjectNode) plain.readTree(JobCodec.instance().encode(request));
            if (tenant == null) {
                tree.remove("tenant");
            } else {
                tree.put("tenant", tenant);
            }
            return JobCodec.instance().decodeRequest(plain.writeValueAsBytes(tree));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-encode a " + request.kind().wireName() + " request", e);
        }
    }
}
