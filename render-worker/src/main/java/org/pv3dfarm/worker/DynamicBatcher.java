package org.pv3dfarm.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects single items from any number of threads (jobs) into batched runs of one function, by a
 * {@link BatchingPolicy}: Triton's dynamic batching for one graph stage. Callers block only on their own items'
 * results; items of different jobs share a run.
 *
 * <p>Scheduler threads, one per {@link InferenceLanes inference lane}, form the runs in arrival order and execute
 * each in a lane: with one lane runs never overlap (a run has all of ONNX Runtime's threads); with {@code N} lanes
 * up to {@code N} runs (of this batcher and of the others sharing the lanes) execute at once, e.g. the two halves
 * of a job's rows that exceed {@code maxBatchSize}, or two jobs' batches that did not arrive together. A scheduler
 * forms its run by the policy, then waits for a free lane; items that arrive meanwhile go to the next run. A failing
 * run fails exactly its items' futures; the batcher goes on. {@link #close()} fails what is still waiting.
 *
 * @param <I> one item's inputs
 * @param <O> one item's outputs
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    /** Runs a padded batch: {@code items.size()} is a bucket; returns one output per item, in order. */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        List<O> apply(List<I> items) throws Exception;
    }

    /** Counters since the start: runs, real and padding items, runs by bucket. */
    public record Stats(long runs, long items, long paddedItems, Map<Integer, Long> runsByBucket) {
        /** Mean real items per run. */
        public double meanBatch() {
            return runs == 0 ? 0 : (double) items / runs;
        }
    }

    private record Pending<I, O>(I item, long enqueuedNanos, CompletableFuture<O> result) {
    }

    private final String name;
    private final BatchingPolicy policy;
    private final BatchFunction<I, O> function;
    private final InferenceLanes lanes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
    private final List<Thread> schedulers = new ArrayList<>();
    private boolean closed;
    private long runs;
    private long items;
    private long paddedItems;
    private final Map<Integer, Long> runsByBucket = new TreeMap<>();

    /** A batcher with one lane of its own: its runs execute one at a time. */
    public DynamicBatcher(String name, BatchingPolicy policy, BatchFunction<I, O> function) {
        this(name, policy, function, new InferenceLanes(1));
    }

    /** @param lanes where runs execute; share them between batchers whose graphs compete for the same cores */
    public DynamicBatcher(String name, BatchingPolicy policy, BatchFunction<I, O> function, InferenceLanes lanes) {
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.function = Objects.requireNonNull(function, "function");
        this.lanes = Objects.requireNonNull(lanes, "lanes");
        for (int i = 0; i < lanes.count(); i++) {
            Thread scheduler = new Thread(this::schedule, "pv3d-batcher-" + name + "-" + i);
            scheduler.setDaemon(true);
            schedulers.add(scheduler);
        }
        schedulers.forEach(Thread::start);
    }

    public BatchingPolicy policy() {
        return policy;
    }

    /** Queues one item; the future completes with its output, or exceptionally with its run's failure. */
    public CompletableFuture<O> submit(I item) {
        Objects.requireNonNull(item, "item");
        CompletableFuture<O> result = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the " + name + " batcher is closed");
            }
            queue.addLast(new Pending<>(item, System.nanoTime(), result));
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return result;
    }

    /**
     * Queues every item at once (so they can share runs) and waits for all outputs, in order.
     *
     * @throws Exception the first failed item's cause
     */
    public List<O> runAll(List<I> batch) throws Exception {
        List<CompletableFuture<O>> futures = new ArrayList<>(batch.size());
        lock.lock();
        try {
            for (I item : batch) {
                futures.add(submit(item));
            }
        } finally {
            lock.unlock();
        }
        List<O> outputs = new ArrayList<>(batch.size());
        for (CompletableFuture<O> future : futures) {
            try {
                outputs.add(future.get());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                throw (Error) cause;
            }
        }
        return outputs;
    }

    public Stats stats() {
        lock.lock();
        try {
            return new Stats(runs, items, paddedItems, Map.copyOf(runsByBucket));
        } finally {
            lock.unlock();
        }
    }

    private void schedule() {
        while (true) {
            List<Pending<I, O>> run = nextRun();
            if (run == null) {
                return;
            }
            execute(run);
        }
    }

    /** Blocks until a run is due by the policy; null once closed and drained. */
    private List<Pending<I, O>> nextRun() {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                if (queue.isEmpty()) {
                    arrived.awaitUninterruptibly();
                    continue;
                }
                int available = Math.min(queue.size(), policy.maxBatchSize());
                long waited = System.nanoTime() - queue.peekFirst().enqueuedNanos();
                long left = policy.maxQueueDelay().toNanos() - waited;
                if (policy.runsAtOnce(available) || left <= 0) {
                    List<Pending<I, O>> run = new ArrayList<>(available);
                    for (int i = 0; i < available; i++) {
                        run.add(queue.pollFirst());
                    }
                    return run;
                }
                try {
                    arrived.await(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void execute(List<Pending<I, O>> run) {
        int bucket = policy.bucketFor(run.size());
        List<I> inputs = new ArrayList<>(bucket);
        run.forEach(p -> inputs.add(p.item()));
        while (inputs.size() < bucket) {
            inputs.add(inputs.get(inputs.size() - 1)); // padding: a copy of the last item, its output dropped
        }
        List<O> outputs;
        try {
            outputs = lanes.run(() -> function.apply(inputs));
            if (outputs == null || outputs.size() != bucket) {
                throw new IllegalStateException("the " + name + " run of " + bucket + " items returned "
                        + (outputs == null ? "nothing" : outputs.size() + " outputs"));
            }
        } catch (Throwable e) {
            LOG.warn("a {} run of {} items failed: {}", name, run.size(), e.toString());
            // Even an Error only fails this run's jobs (their loops decide what it means); later runs go on.
            run.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        lock.lock();
        try {
            runs++;
            items += run.size();
            paddedItems += bucket - run.size();
            runsByBucket.merge(bucket, 1L, Long::sum);
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < run.size(); i++) {
            run.get(i).result().complete(outputs.get(i));
        }
    }

    /** Stops the schedulers after their current runs; items still waiting fail. */
    @Override
    public void close() {
        List<Pending<I, O>> abandoned;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            abandoned = new ArrayList<>(queue);
            queue.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        abandoned.forEach(p -> p.result().completeExceptionally(
                new IllegalStateException("the " + name + " batcher closed before this item ran")));
        try {
            for (Thread scheduler : schedulers) {
                scheduler.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DynamicBatcher[" + name + ", " + policy + "]";
    }
}
