package org.pv3dfarm.farm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the simulated workers of {@link ConsumptionBenchmark} ran: each job's runs and queue waits. Duplicates are
 * runs beyond the first of a job; lost jobs are the expected ones that never ran. Percentiles are nearest-rank over
 * the queue waits of all runs.
 */
final class JobLedger {

    record Summary(int duplicates, int lost, double waitP50Ms, double waitP95Ms) {
    }

    private final int expected;
    private final Map<String, Integer> runs = new ConcurrentHashMap<>();
    private final List<Long> waitsMs = new ArrayList<>();
    private final CountDownLatch allDone;
    private volatile long lastDoneMillis;

    JobLedger(int expected) {
        this.expected = expected;
        this.allDone = new CountDownLatch(expected);
    }

    /** One run of a job finished; {@code waitMs} is the time from its record's timestamp to its start. */
    void done(String jobId, long waitMs) {
        synchronized (waitsMs) {
            waitsMs.add(waitMs);
        }
        if (runs.merge(jobId, 1, Integer::sum) == 1) {
            lastDoneMillis = System.currentTimeMillis();
            allDone.countDown();
        }
    }

    boolean awaitAll(Duration timeout) throws InterruptedException {
        return allDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Wall-clock time at which the last distinct job finished. */
    long lastDoneMillis() {
        return lastDoneMillis;
    }

    Summary summary() {
        int total = runs.values().stream().mapToInt(Integer::intValue).sum();
        List<Long> waits;
        synchronized (waitsMs) {
            waits = List.copyOf(waitsMs);
        }
        return new Summary(total - runs.size(), expected - runs.size(), percentile(waits, 0.50),
                percentile(waits, 0.95));
    }

    /** Nearest-rank percentile ({@code p} in (0, 1]); NaN for no values. */
    static double percentile(List<Long> values, double p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
