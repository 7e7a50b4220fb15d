package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

    /** Every run the function saw, padding included. */
    private final List<List<Integer>> runs = new CopyOnWriteArrayList<>();
    private final List<DynamicBatcher<Integer, Integer>> batchers = new ArrayList<>();

    private DynamicBatcher<Integer, Integer> batcher(BatchingPolicy policy) {
        DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("test", policy, items -> {
            runs.add(List.copyOf(items));
            if (items.contains(-1)) {
                throw new IllegalArgumentException("bad item");
            }
            return items.stream().map(i -> i * 10).toList();
        });
        batchers.add(batcher);
        return batcher;
    }

    @AfterEach
    void close() {
        batchers.forEach(DynamicBatcher::close);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void itemsOfConcurrentCallersShareOneRun() throws Exception {
        DynamicBatcher<Integer, Integer> batcher = batcher(BatchingPolicy.builder().maxBatchSize(8)
                .preferredSizes(List.of(8)).maxQueueDelay(Duration.ofSeconds(5)).build());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService jobs = Executors.newFixedThreadPool(2); // the common pool may have a single thread
        Future<List<Integer>> jobA = jobs.submit(() -> runAll(batcher, go, range(0, 4)));
        Future<List<Integer>> jobB = jobs.submit(() -> runAll(batcher, go, range(4, 8)));
        go.countDown();
        jobs.shutdown();

        assertEquals(List.of(0, 10, 20, 30), jobA.get(10, TimeUnit.SECONDS), "each caller gets its own outputs");
        assertEquals(List.of(40, 50, 60, 70), jobB.get(10, TimeUnit.SECONDS));
        assertEquals(1, runs.size(), "4 is not a preferred size, so the first 4 waited for the other caller's");
        assertEquals(8, runs.get(0).size());
        assertEquals(1, batcher.stats().runs());
        assertEquals(8.0, batcher.stats().meanBatch());
    }

    @Test
    void aShortRunIsPaddedToItsBucketAndThePaddingIsDropped() throws Exception {
        DynamicBatcher<Integer, Integer> batcher = batcher(BatchingPolicy.builder().maxBatchSize(8)
                .maxQueueDelay(Duration.ZERO).build());

        assertEquals(List.of(10, 20, 30), batcher.runAll(List.of(1, 2, 3)));

        assertEquals(List.of(List.of(1, 2, 3, 3)), runs, "3 items run as a batch of 4, the last one repeated");
        DynamicBatcher.Stats stats = batcher.stats();
        assertEquals(3, stats.items());
        assertEquals(1, stats.paddedItems());
        assertEquals(1L, stats.runsByBucket().get(4));
    }

    @Test
    void noRunExceedsTheMaximumAndEveryShapeIsABucket() throws Exception {
        DynamicBatcher<Integer, Integer> batcher = batcher(BatchingPolicy.builder().maxBatchSize(8)
                .maxQueueDelay(Duration.ZERO).build());

        List<Integer> outputs = batcher.runAll(range(0, 21));

        assertEquals(range(0, 21).stream().map(i -> i * 10).toList(), outputs, "in order");
        assertEquals(List.of(8, 8, 8), runs.stream().map(List::size).toList(), "8 + 8 + 5 padded to 8");
        assertTrue(runs.stream().allMatch(r -> batcher.policy().buckets().contains(r.size())));
    }

    @Test
    void aLoneItemWaitsAtMostTheQueueDelay() throws Exception {
        Duration delay = Duration.ofMillis(150);
        DynamicBatcher<Integer, Integer> batcher = batcher(BatchingPolicy.builder().maxBatchSize(8)
                .preferredSizes(List.of(8)).maxQueueDelay(delay).build());

        long start = System.nanoTime();
        assertEquals(70, batcher.submit(7).get(10, TimeUnit.SECONDS));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(waitedMs >= delay.toMillis() - 5, "waited for company first: " + waitedMs + " ms");
        assertEquals(List.of(List.of(7)), runs, "then ran alone in the bucket of 1");
    }

    @Test
    void aFailingRunFailsOnlyItsItems() throws Exception {
        DynamicBatcher<Integer, Integer> batcher = batcher(BatchingPolicy.builder().maxBatchSize(2)
                .maxQueueDelay(Duration.ZERO).build());

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> batcher.runAll(List.of(-1, 5)));
        assertEquals("bad item", failure.getMessage());
        assertEquals(List.of(10, 20), batcher.runAll(List.of(1, 2)), "the batcher goes on");
    }

    @Test
    void withTwoLanesTheRowsOfOneCallRunSideBySideAndOthersWaitForALane() throws Exception {
        InferenceLanes lanes = new InferenceLanes(2);
        CountDownLatch bothIn = new CountDownLatch(2);
        DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("laned", BatchingPolicy.builder()
                .maxBatchSize(4).maxQueueDelay(Duration.ZERO).build(), items -> {
                    runs.add(List.copyOf(items));
                    bothIn.countDown();
                    bothIn.await(5, TimeUnit.SECONDS); // the first run waits here for a second one beside it
                    return items.stream().map(i -> i * 10).toList();
                }, lanes);
        batchers.add(batcher);

        assertEquals(range(0, 12).stream().map(i -> i * 10).toList(), batcher.runAll(range(0, 12)),
                "12 items in 3 runs of 4, outputs in order whatever run finished first");

        assertEquals(0, bothIn.getCount(), "two runs were in the lanes at once");
        assertEquals(2, lanes.mostBusy(), "never more than the two lanes");
        assertEquals(List.of(4, 4, 4), runs.stream().map(List::size).toList());
        assertEquals(3, batcher.stats().runs());
    }

    @Test
    void closingFailsWhatStillWaits() throws Exception {
        DynamicBatcher<Integer, Integer> batcher = batcher(BatchingPolicy.builder().maxBatchSize(8)
                .preferredSizes(List.of(8)).maxQueueDelay(Duration.ofSeconds(10)).build());
        CompletableFuture<Integer> waiting = batcher.submit(1);

        batcher.close();

        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertThrows(IllegalStateException.class, () -> batcher.submit(2));
    }

    private static List<Integer> runAll(DynamicBatcher<Integer, Integer> batcher, CountDownLatch go,
            List<Integer> items) {
        try {
            go.await();
            return batcher.runAll(items);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
