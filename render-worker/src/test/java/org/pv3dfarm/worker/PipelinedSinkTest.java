package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipelinedSinkTest {

    private static RenderedBatch batch(int first) {
        return new RenderedBatch(first, 1, 0, List.of());
    }

    @Test
    void theRendererGoesOnWhileTheWriterWorksAndBatchesArriveInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> written = new CopyOnWriteArrayList<>();
        try (PipelinedSink sink = new PipelinedSink(b -> {
            release.await();
            written.add(b.firstFrame());
        }, 2, "test")) {
            sink.accept(batch(0)); // the writer takes it and blocks on the latch
            sink.accept(batch(1));
            sink.accept(batch(2)); // queue of 2 is now full, yet the renderer never waited for the writer
            assertTrue(written.isEmpty(), "nothing written while the writer is busy");

            release.countDown();
            sink.finish();
        }
        assertEquals(List.of(0, 1, 2), written);
    }

    @Test
    void aSlowWriterHoldsTheRendererBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (PipelinedSink sink = new PipelinedSink(b -> release.await(), 1, "test")) {
            sink.accept(batch(0));
            TimeUnit.MILLISECONDS.sleep(100); // the writer picks up the first batch
            sink.accept(batch(1));
            Thread renderer = new Thread(() -> {
                try {
                    sink.accept(batch(2));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            renderer.start();
            renderer.join(300);
            assertTrue(renderer.isAlive(), "the third batch waits: one in the writer, one queued");
            release.countDown();
            renderer.join(10_000);
            assertTrue(!renderer.isAlive(), "and goes on once the writer catches up");
            sink.finish();
        }
    }

    @Test
    void aWriterFailureReachesTheRendererAndLaterBatchesAreDropped() throws Exception {
        IOException broken = new IOException("disk full");
        List<Integer> written = new CopyOnWriteArrayList<>();
        try (PipelinedSink sink = new PipelinedSink(b -> {
            written.add(b.firstFrame());
            throw broken;
        }, 1, "test")) {
            // The failure may surface at any accept, the first one included (the writer can fail before it returns).
            IOException thrown = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    sink.accept(batch(i));
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                sink.finish();
            });
            assertSame(broken, thrown);
        }
        assertEquals(List.of(0), written, "nothing after the failure");
    }
}
