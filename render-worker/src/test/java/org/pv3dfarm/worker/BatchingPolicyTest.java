package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingPolicyTest {

    @Test
    void runsArePaddedToTheSmallestBucketThatHoldsThem() {
        BatchingPolicy policy = BatchingPolicy.builder().maxBatchSize(12).build();

        assertEquals(List.of(1, 2, 4, 8, 12), policy.buckets(), "powers of two, and the maximum");
        assertEquals(1, policy.bucketFor(1));
        assertEquals(4, policy.bucketFor(3));
        assertEquals(8, policy.bucketFor(5));
        assertEquals(12, policy.bucketFor(9));
        assertEquals(12, policy.bucketFor(12));
        assertThrows(IllegalArgumentException.class, () -> policy.bucketFor(13));
        assertThrows(IllegalArgumentException.class, () -> policy.bucketFor(0));
    }

    @Test
    void preferredSizesAndTheMaximumRunWithoutWaiting() {
        BatchingPolicy policy = BatchingPolicy.builder().maxBatchSize(8).preferredSizes(List.of(3))
                .buckets(List.of(4)).build();

        assertEquals(List.of(4, 8), policy.buckets(), "the maximum is always a bucket");
        assertTrue(policy.runsAtOnce(3));
        assertTrue(policy.runsAtOnce(8));
        assertFalse(policy.runsAtOnce(2));
        assertFalse(policy.runsAtOnce(5));
        assertEquals(List.of(4, 8), BatchingPolicy.builder().build().preferredSizes(), "defaults: half and all");
    }

    @Test
    void invalidSettingsAreRejectedWithTheirName() {
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> BatchingPolicy.builder().maxBatchSize(BatchingPolicy.MAX_BATCH_SIZE + 1).build());
        assertTrue(tooBig.getMessage().contains("maxBatchSize"), tooBig.getMessage());
        IllegalArgumentException preferred = assertThrows(IllegalArgumentException.class,
                () -> BatchingPolicy.builder().maxBatchSize(4).preferredSizes(List.of(6)).build());
        assertTrue(preferred.getMessage().contains("preferredSizes"), preferred.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BatchingPolicy.builder().maxQueueDelay(Duration.ofMillis(-1)).build());
        assertThrows(IllegalArgumentException.class,
                () -> BatchingPolicy.builder().buckets(List.of(0)).build());
    }
}
