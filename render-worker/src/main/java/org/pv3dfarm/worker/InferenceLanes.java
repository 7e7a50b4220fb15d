package org.pv3dfarm.worker;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many graph runs may execute at once on this worker's cores: {@code N} lanes, each one ONNX Runtime call at a
 * time. One lane is the old single inference lock (a run has all of ORT's intra-op threads); with {@code N} lanes
 * of single-threaded ORT calls, independent batches (other jobs', or further rows of one job) run side by side,
 * each on one core, and no parallel-for waits for a thread that the farm's other work (encoding, events,
 * uploads) took away. ORT sessions are safe for concurrent {@code Run} calls.
 *
 * <p>Lanes are handed out first come, first served (a fair semaphore), so synthesis, render and super-resolution
 * runs of different jobs take turns in arrival order. Thread-safe.
 */
public final class InferenceLanes {

    private final int count;
    private final Semaphore free;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger mostBusy = new AtomicInteger();

    /** @param count lanes, at least 1 */
    public InferenceLanes(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one inference lane is needed, not " + count);
        }
        this.count = count;
        this.free = new Semaphore(count, true);
    }

    public int count() {
        return count;
    }

    /** Runs {@code run} in a lane, waiting for one to be free; the lane is free again however it ends. */
    public <T> T run(Callable<T> run) throws Exception {
        free.acquire();
        try {
            mostBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
            try {
                return run.call();
            } finally {
                busy.decrementAndGet();
            }
        } finally {
            free.release();
        }
    }

    /** The most runs that were ever in lanes at once (at most {@link #count()}). */
    public int mostBusy() {
        return mostBusy.get();
    }

    @Override
    public String toString() {
        return "InferenceLanes[" + count + "]";
    }
}
