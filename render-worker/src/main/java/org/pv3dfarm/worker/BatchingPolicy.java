package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * How the {@link DynamicBatcher} forms batches, in the spirit of Triton's dynamic batcher. Immutable; build with
 * {@link #builder()}.
 *
 * <p>A batch starts with the oldest waiting item. It is run at once when the waiting items reach
 * {@code maxBatchSize} or one of the {@code preferredSizes}; otherwise the batcher waits for more items until the
 * oldest has waited {@code maxQueueDelay}, then runs what it has. A run of {@code n} items is padded (the last item
 * repeated, its extra outputs dropped) to the smallest bucket {@code ≥ n}, so ONNX Runtime only ever sees the few
 * batch shapes in {@link #buckets()} and its memory stays flat.
 *
 * @param maxBatchSize   the most items in one run, 1..{@value #MAX_BATCH_SIZE}
 * @param maxQueueDelay  the longest the oldest waiting item waits for company (0: never waits), at most 10 s
 * @param preferredSizes sizes run without waiting, each 1..maxBatchSize (may be empty)
 * @param buckets        the padded batch shapes, ascending; always contains {@code maxBatchSize}
 */
public record BatchingPolicy(int maxBatchSize, Duration maxQueueDelay, List<Integer> preferredSizes,
                             List<Integer> buckets) {

    /** Bigger batches than this only grow memory; the graphs are well batched long before. */
    public static final int MAX_BATCH_SIZE = 256;

    public BatchingPolicy {
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("maxBatchSize must be 1.." + MAX_BATCH_SIZE + ", was " + maxBatchSize);
        }
        Objects.requireNonNull(maxQueueDelay, "maxQueueDelay");
        if (maxQueueDelay.isNegative() || maxQueueDelay.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("maxQueueDelay must be 0..10 s, was " + maxQueueDelay);
        }
        preferredSizes = sortedWithin("preferredSizes", preferredSizes, maxBatchSize);
        List<Integer> withMax = new ArrayList<>(sortedWithin("buckets", buckets, maxBatchSize));
        if (!withMax.contains(maxBatchSize)) {
            withMax.add(maxBatchSize);
        }
        buckets = List.copyOf(withMax);
    }

    private static List<Integer> sortedWithin(String name, List<Integer> sizes, int max) {
        Objects.requireNonNull(sizes, name);
        TreeSet<Integer> sorted = new TreeSet<>();
        for (Integer size : sizes) {
            if (size == null || size < 1 || size > max) {
                throw new IllegalArgumentException(name + " must lie in 1..maxBatchSize (" + max + "), had " + size);
            }
            sorted.add(size);
        }
        return List.copyOf(sorted);
    }

    /** The shape a run of {@code n} items is padded to: the smallest bucket {@code ≥ n}. */
    public int bucketFor(int n) {
        if (n < 1 || n > maxBatchSize) {
            throw new IllegalArgumentException("a run has 1.." + maxBatchSize + " items, not " + n);
        }
        for (int bucket : buckets) {
            if (bucket >= n) {
                return bucket;
            }
        }
        throw new AssertionError("buckets contain maxBatchSize");
    }

    /** Whether {@code n} waiting items are run without waiting for more. */
    public boolean runsAtOnce(int n) {
        return n >= maxBatchSize || preferredSizes.contains(n);
    }

    /** Powers of two up to {@code maxBatchSize} (and it): padding wastes less than half of a run. */
    public static List<Integer> powersOfTwo(int maxBatchSize) {
        List<Integer> sizes = new ArrayList<>();
        for (int size = 1; size < maxBatchSize; size *= 2) {
            sizes.add(size);
        }
        sizes.add(maxBatchSize);
        return sizes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link BatchingPolicy}. Defaults: at most 8 items, 2 ms queue delay, preferred sizes 4 and 8, buckets
     * the powers of two up to the maximum.
     */
    public static final class Builder {
        private int maxBatchSize = 8;
        private Duration maxQueueDelay = Duration.ofMillis(2);
        private List<Integer> preferredSizes;
        private List<Integer> buckets;

        private Builder() {
        }

        public Builder maxBatchSize(int value) {
            maxBatchSize = value;
            return this;
        }

        public Builder maxQueueDelay(Duration value) {
            maxQueueDelay = value;
            return this;
        }

        public Builder preferredSizes(List<Integer> value) {
            preferredSizes = value;
            return this;
        }

        public Builder buckets(List<Integer> value) {
            buckets = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public BatchingPolicy build() {
            List<Integer> preferred = preferredSizes != null ? preferredSizes
                    : List.of(Math.max(1, maxBatchSize / 2), maxBatchSize);
            List<Integer> shapes = buckets != null ? buckets : powersOfTwo(Math.max(1, maxBatchSize));
            return new BatchingPolicy(maxBatchSize, maxQueueDelay, preferred, shapes);
        }
    }
}
