package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.ViewSpec;
import org.pv3dfarm.worker.CountingGraphs.Graph;

class BatchingGeneratorGraphsTest {

    private static final Pv3dModel MODEL = WorkerTestModels.defaultModel();
    private static final ModelManifest MANIFEST = MODEL.manifest();

    /** Two 4-frame, 2-view jobs rendered at the same time through one batching graph. */
    @Test
    void concurrentJobsShareRunsAndGetTheSamePicturesAsAlone() throws Exception {
        GenerateRequest jobA = request(11L);
        GenerateRequest jobB = request(12L);
        CountingGraphs counted = new CountingGraphs(GeneratorGraphs.of(MODEL));
        // Neither job's 4 frames (8 views) alone is a preferred size, so each waits for the other's.
        BatchingPolicy frames = BatchingPolicy.builder().maxBatchSize(8).preferredSizes(List.of(8))
                .maxQueueDelay(Duration.ofSeconds(10)).build();
        BatchingPolicy views = BatchingPolicy.builder().maxBatchSize(16).preferredSizes(List.of(16))
                .maxQueueDelay(Duration.ofSeconds(10)).build();
        List<RenderedBatch> batchedA;
        List<RenderedBatch> batchedB;
        try (BatchingGeneratorGraphs batching = new BatchingGeneratorGraphs(counted, frames, views)) {
            List<List<RenderedBatch>> both = renderAtOnce(batching, jobA, jobB);
            batchedA = both.get(0);
            batchedB = both.get(1);
            assertEquals(1, batching.synthesisStats().runs());
            assertEquals(8, batching.synthesisStats().items());
        }

        assertEquals(List.of(new CountingGraphs.Call(Graph.SYNTHESIS, 8)), counted.calls(Graph.SYNTHESIS),
                "both jobs' frames in one synthesis run");
        assertEquals(List.of(new CountingGraphs.Call(Graph.RENDER, 16)), counted.calls(Graph.RENDER),
                "both jobs' (frame, view) pairs in one render run");
        assertEquals(List.of(new CountingGraphs.Call(Graph.SUPER_RESOLUTION, 16)),
                counted.calls(Graph.SUPER_RESOLUTION));
        assertSamePictures(render(GeneratorGraphs.of(MODEL), jobA, new CountDownLatch(0)), batchedA);
        assertSamePictures(render(GeneratorGraphs.of(MODEL), jobB, new CountDownLatch(0)), batchedB);
    }

    /** Two jobs in two lanes: runs of different jobs execute at the same time on the one model, and nothing mixes. */
    @Test
    void twoLanesRunTwoJobsSideBySideWithTheSamePicturesAsAlone() throws Exception {
        GenerateRequest jobA = request(21L);
        GenerateRequest jobB = request(22L);
        CountDownLatch twoRendersAtOnce = new CountDownLatch(2);
        CountingGraphs counted = new CountingGraphs(GeneratorGraphs.of(MODEL), () -> {
            twoRendersAtOnce.countDown();
            try {
                twoRendersAtOnce.await(10, TimeUnit.SECONDS); // the first render waits for a second beside it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // No waiting for company: each job's rows run as they come, in whichever lane is free.
        BatchingPolicy eager = BatchingPolicy.builder().maxBatchSize(8).maxQueueDelay(Duration.ZERO).build();
        List<RenderedBatch> batchedA;
        List<RenderedBatch> batchedB;
        InferenceLanes lanes = new InferenceLanes(2);
        try (BatchingGeneratorGraphs batching = new BatchingGeneratorGraphs(counted, eager, eager, lanes)) {
            List<List<RenderedBatch>> both = renderAtOnce(batching, jobA, jobB);
            batchedA = both.get(0);
            batchedB = both.get(1);
        }

        assertEquals(0, twoRendersAtOnce.getCount(), "two render runs were in the lanes at the same time");
        assertEquals(2, lanes.mostBusy());
        assertEquals(8, counted.items(Graph.SYNTHESIS), "each job's 4 frames synthesised once, however they ran");
        assertEquals(16, counted.items(Graph.RENDER), "every (job, frame, view) rendered once");
        assertSamePictures(render(GeneratorGraphs.of(MODEL), jobA, new CountDownLatch(0)), batchedA);
        assertSamePictures(render(GeneratorGraphs.of(MODEL), jobB, new CountDownLatch(0)), batchedB);
    }

    private static GenerateRequest request(long seed) {
        return GenerateRequest.builder().jobId(UUID.randomUUID()).seed(seed).frames(4)
                .views(ViewSpec.orbit(), ViewSpec.fixed(Math.PI / 2 + 0.3, Math.PI / 2))
                .outputs(OutputOptions.MP4_ONLY).build();
    }

    /** Both jobs rendered through the same graphs, started together on two threads. */
    private static List<List<RenderedBatch>> renderAtOnce(GeneratorGraphs graphs, GenerateRequest jobA,
            GenerateRequest jobB) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        Future<List<RenderedBatch>> a = threads.submit(() -> render(graphs, jobA, go));
        Future<List<RenderedBatch>> b = threads.submit(() -> render(graphs, jobB, go));
        go.countDown();
        threads.shutdown();
        return List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
    }

    private static List<RenderedBatch> render(GeneratorGraphs graphs, GenerateRequest request, CountDownLatch go)
            throws Exception {
        JobLatents latents = new LatentSampler(MANIFEST).sample(request);
        CameraPlan plan = new CameraPlanner(MANIFEST).plan(request);
        List<RenderedBatch> batches = new ArrayList<>();
        go.await();
        // all of a batch's 8 (frame, view) rows in one call, so that both jobs' rows can meet in one run of 16
        new FrameRenderer(graphs, 4, 0, 8).render(latents, plan, false, batches::add);
        return batches;
    }

    /** Equal up to one 8-bit level: other batch shapes may round differently. */
    static void assertSamePictures(List<RenderedBatch> expected, List<RenderedBatch> actual) {
        assertEquals(expected.size(), actual.size());
        for (int b = 0; b < expected.size(); b++) {
            List<RenderedFrame> want = expected.get(b).images();
            List<RenderedFrame> got = actual.get(b).images();
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                byte[] w = want.get(i).image().rgb();
                byte[] g = got.get(i).image().rgb();
                int worst = 0;
                for (int p = 0; p < w.length; p++) {
                    worst = Math.max(worst, Math.abs((w[p] & 0xff) - (g[p] & 0xff)));
                }
                assertTrue(worst <= 1, "image " + i + " of batch " + b + " differs by " + worst + " levels");
                assertEquals(want.get(i).view(), got.get(i).view());
                assertEquals(want.get(i).frame(), got.get(i).frame());
            }
        }
    }
}
