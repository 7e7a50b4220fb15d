package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InferenceLanesTest {

    /** Six callers each hold a lane until all that can get one are in. */
    private static int mostAtOnce(int lanes) throws Exception {
        InferenceLanes pool = new InferenceLanes(lanes);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch full = new CountDownLatch(lanes);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int id = i;
                results.add(callers.submit(() -> pool.run(() -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    full.countDown();
                    full.await(10, TimeUnit.SECONDS); // hold the lane until every lane is taken
                    Thread.sleep(20);
                    inside.decrementAndGet();
                    return id;
                })));
            }
            for (int i = 0; i < 6; i++) {
                assertEquals(i, results.get(i).get(20, TimeUnit.SECONDS), "each run returns its own result");
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(most.get(), pool.mostBusy(), "the lanes count what they let in");
        return most.get();
    }

    @Test
    void atMostTheLaneCountRunAtOnceAndThatManyDo() throws Exception {
        assertEquals(1, mostAtOnce(1), "one lane: one run at a time, like a lock");
        assertEquals(3, mostAtOnce(3), "three lanes: three runs side by side, never a fourth");
    }

    @Test
    void aFailingRunFreesItsLane() throws Exception {
        InferenceLanes pool = new InferenceLanes(1);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(() -> {
            throw new IllegalStateException("graph failed");
        }));
        assertEquals("graph failed", e.getMessage(), "the run's own failure reaches the caller");
        assertEquals("next", pool.run(() -> "next"), "the lane is free again");
    }

    @Test
    void atLeastOneLane() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InferenceLanes(0));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }
}
