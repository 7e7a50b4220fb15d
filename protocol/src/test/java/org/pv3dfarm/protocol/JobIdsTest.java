package org.pv3dfarm.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JobIdsTest {

    @Test
    void idempotencyKeysMapToStableIdsPerTenant() {
        assertEquals(JobIds.forIdempotencyKey("acme", "k1"), JobIds.forIdempotencyKey("acme", "k1"));
        assertNotEquals(JobIds.forIdempotencyKey("acme", "k1"), JobIds.forIdempotencyKey("acme", "k2"));
        assertNotEquals(JobIds.forIdempotencyKey("acme", "k1"), JobIds.forIdempotencyKey("other", "k1"));
        assertEquals(JobIds.forIdempotencyKey(null, "k1"), JobIds.forIdempotencyKey(JobIds.DEFAULT_TENANT, "k1"));
        assertThrows(IllegalArgumentException.class, () -> JobIds.forIdempotencyKey("acme", ""));
    }

    @Test
    void forQueueAssignsIdAndSeedOnlyWhereCodesMustBeDrawn() {
        GenerateRequest seedless = GenerateRequest.builder().idempotencyKey("k").build();
        GenerateRequest queued = (GenerateRequest) JobRequests.forQueue(seedless,
                JobRequests.assignJobId(seedless), () -> -1L);
        assertEquals(JobIds.forIdempotencyKey(null, "k"), queued.jobId());
        assertEquals((1L << 32) - 1, queued.seed(), "seeds are folded into [0, 2^32)");

        GenerateRequest explicit = GenerateRequest.builder().z(Samples.code(64, 0.0))
                .zMotion(Samples.code(64, 0.0)).build();
        assertEquals(null, ((GenerateRequest) JobRequests.forQueue(explicit, Samples.JOB, () -> 5L)).seed());

        GenerateRequest seeded = GenerateRequest.builder().seed(3L).build();
        assertEquals(3L, ((GenerateRequest) JobRequests.forQueue(seeded, Samples.JOB, () -> 5L)).seed());

        AnimateRequest animate = (AnimateRequest) JobRequests.forQueue(new AnimateRequest(null, null, null, null,
                null, null, "d.png", null, null, null, null, null, null, null, null, null, null, null), Samples.JOB,
                () -> 8L);
        assertEquals(8L, animate.seed());
        assertEquals(Samples.JOB, JobRequests.forQueue(Samples.edit(), Samples.JOB, () -> 1L).jobId());
    }
}
