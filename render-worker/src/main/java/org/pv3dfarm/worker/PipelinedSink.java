package org.pv3dfarm.worker;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Overlaps a job's inference with the encoding and uploading of what it already rendered: the renderer hands
 * each batch to this sink and goes on with the next batch, while one writer thread passes the batches, in order,
 * to the downstream sink (the encoders and uploads).
 *
 * <p>Backpressure: at most {@code depth} batches wait; when the writer falls behind, {@link #accept} blocks, so
 * memory stays bounded by {@code depth + 2} batches. A failure of the downstream sink is rethrown to the renderer
 * by the next {@link #accept} or by {@link #finish()}; batches after it are dropped. Single producer.
 */
public final class PipelinedSink implements FrameRenderer.BatchSink, AutoCloseable {

    /** Marks the end of the batches. */
    private static final RenderedBatch END = new RenderedBatch(0, 0, 0, List.of());

    private final FrameRenderer.BatchSink downstream;
    private final BlockingQueue<RenderedBatch> queue;
    private final Thread writer;
    private volatile Exception failure;
    private boolean ended;

    /** @param depth batches that may wait for the writer, 1 or more */
    public PipelinedSink(FrameRenderer.BatchSink downstream, int depth, String name) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1, was " + depth);
        }
        this.queue = new ArrayBlockingQueue<>(depth);
        this.writer = new Thread(this::write, "pv3d-writer-" + name);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void accept(RenderedBatch batch) throws Exception {
        Objects.requireNonNull(batch, "batch");
        if (ended) {
            throw new IllegalStateException("the pipeline has finished");
        }
        while (!queue.offer(batch, 50, TimeUnit.MILLISECONDS)) {
            rethrowFailure();
            if (!writer.isAlive()) {
                throw new IllegalStateException("the writer thread has stopped");
            }
        }
        rethrowFailure();
    }

    /** Waits until every accepted batch went downstream; rethrows the downstream failure, if any. */
    public void finish() throws Exception {
        if (!ended) {
            ended = true;
            while (writer.isAlive() && !queue.offer(END, 50, TimeUnit.MILLISECONDS)) {
                // the writer is busy; it drains the queue even after a failure
            }
        }
        writer.join();
        rethrowFailure();
    }

    private void rethrowFailure() throws Exception {
        Exception e = failure;
        if (e != null) {
            throw e;
        }
    }

    private void write() {
        while (true) {
            RenderedBatch batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                failure = failure != null ? failure : e;
                return;
            }
            if (batch == END) {
                return;
            }
            if (failure != null) {
                continue; // drop, but keep draining so that the renderer never blocks on a dead writer
            }
            try {
                downstream.accept(batch);
            } catch (Exception e) {
                failure = e;
            } catch (Error e) {
                failure = new IllegalStateException("the writer failed: " + e, e);
                throw e;
            }
        }
    }

    /** Stops the writer without waiting for what is queued (e.g. when the renderer failed). */
    @Override
    public void close() {
        if (writer.isAlive()) {
            writer.interrupt();
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
