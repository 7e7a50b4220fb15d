package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.ViewSpec;
import org.pv3dfarm.worker.CountingGraphs.Graph;

class FrameRendererTest {

    private static Pv3dModel model;
    private static ModelManifest manifest;

    @BeforeAll
    static void openModel() {
        model = WorkerTestModels.defaultModel();
        manifest = model.manifest();
    }

    private static GenerateRequest request(int frames, ViewSpec... views) {
        return GenerateRequest.builder().jobId(UUID.randomUUID()).seed(5L).frames(frames).views(views)
                .outputs(OutputOptions.MP4_ONLY).build();
    }

    private static CameraPlan plan(GenerateRequest request) throws InvalidJobException {
        return new CameraPlanner(manifest).plan(request);
    }

    private static JobLatents latents(GenerateRequest request) throws InvalidJobException {
        return new LatentSampler(manifest).sample(request);
    }

    @Test
    void eachFrameIsSynthesisedOnceAndItsPlanesServeEveryView() throws Exception {
        GenerateRequest request = request(6, ViewSpec.fixed(Math.PI / 2, Math.PI / 2),
                ViewSpec.fixed(Math.PI / 2, Math.PI / 2), ViewSpec.fixed(Math.PI / 2 + 0.4, Math.PI / 2));
        CountingGraphs graphs = new CountingGraphs(GeneratorGraphs.of(model));
        List<RenderedBatch> batches = new ArrayList<>();

        RenderStats stats = new FrameRenderer(graphs, 4).render(latents(request), plan(request), false, batches::add);

        assertEquals(List.of(new CountingGraphs.Call(Graph.MAPPING, 1)), graphs.calls(Graph.MAPPING),
                "the mapping network runs once per job");
        assertEquals(List.of(new CountingGraphs.Call(Graph.SYNTHESIS, 4), new CountingGraphs.Call(Graph.SYNTHESIS, 2)),
                graphs.calls(Graph.SYNTHESIS), "one synthesis per batch, each frame in exactly one: 6 frames, not 18");
        assertEquals(6 * 3, graphs.items(Graph.RENDER), "every (frame, view) is rendered once");
        assertEquals(List.of(4, 4, 4, 4, 2), graphs.calls(Graph.RENDER).stream().map(CountingGraphs.Call::batch)
                .toList(), "render calls of at most 4 rows (the batch's frames, the 1-view shape): 4·3 rows, then 2·3");
        assertEquals(6 * 3, graphs.items(Graph.SUPER_RESOLUTION));
        assertEquals(2, stats.batches());
        assertTrue(stats.synthesis().toNanos() > 0 && stats.render().toNanos() > 0, stats.toString());

        assertEquals(List.of(0, 4), batches.stream().map(RenderedBatch::firstFrame).toList(), "in frame order");
        assertEquals(List.of(4, 2), batches.stream().map(RenderedBatch::frameCount).toList());
        int side = manifest.config().outputResolution();
        for (RenderedBatch batch : batches) {
            for (int frame = batch.firstFrame(); frame < batch.endFrame(); frame++) {
                RenderedFrame first = batch.image(0, frame);
                assertEquals(frame, first.frame());
                assertEquals(side, first.image().width());
                assertNull(first.depth(), "no depth unless asked for");
                // Views 0 and 1 share a camera: rendered from the same planes they are the same picture.
                assertArrayEquals(first.image().rgb(), batch.image(1, frame).image().rgb(), "frame " + frame);
                assertFalse(Arrays.equals(first.image().rgb(), batch.image(2, frame).image().rgb()),
                        "another camera sees another picture at frame " + frame);
            }
        }
    }

    @Test
    void depthMapsComeAtTheNeuralResolutionWithinTheRayBounds() throws Exception {
        GenerateRequest request = request(2, ViewSpec.orbit());
        List<RenderedBatch> batches = new ArrayList<>();

        new FrameRenderer(GeneratorGraphs.of(model), 4).render(latents(request), plan(request), true, batches::add);

        assertEquals(1, batches.size());
        int side = manifest.config().neuralResolution();
        for (RenderedFrame frame : batches.get(0).images()) {
            DepthMap depth = frame.depth();
            assertNotNull(depth);
            assertEquals(side, depth.width());
            assertEquals(side, depth.height());
            for (float d : depth.values()) {
                assertTrue(d >= manifest.config().rayStart() - 1e-4 && d <= manifest.config().rayEnd() + 1e-4,
                        "depth " + d + " outside the ray bounds");
            }
        }
    }

    @Test
    void aSinkThatThrowsStopsTheRemainingBatches() throws Exception {
        GenerateRequest request = request(9, ViewSpec.orbit());
        CountingGraphs graphs = new CountingGraphs(GeneratorGraphs.of(model));
        JobStoppedException stop = new JobStoppedException("stop");

        JobStoppedException thrown = assertThrows(JobStoppedException.class, () -> new FrameRenderer(graphs, 4)
                .render(latents(request), plan(request), false, batch -> {
                    throw stop;
                }));

        assertSame(stop, thrown);
        assertEquals(1, graphs.calls(Graph.SYNTHESIS).size(), "nothing is rendered after the sink said stop");
    }

    @Test
    void renderCallsOfAnyRowCountGiveTheSamePicturesAndDepthsAsOneCall() throws Exception {
        GenerateRequest request = request(4, ViewSpec.fixed(Math.PI / 2, Math.PI / 2),
                ViewSpec.fixed(Math.PI / 2 + 0.4, Math.PI / 2), ViewSpec.fixed(Math.PI / 2 - 0.3, Math.PI / 2 + 0.2));
        List<RenderedBatch> oneCall = new ArrayList<>();
        List<RenderedBatch> chunked = new ArrayList<>();
        CountingGraphs graphs = new CountingGraphs(GeneratorGraphs.of(model));

        new FrameRenderer(GeneratorGraphs.of(model), 4, 0, 12).render(latents(request), plan(request), true,
                oneCall::add);
        // 5 rows a call: chunks that straddle views (rows 0-4 are view 0's four frames and view 1's first)
        new FrameRenderer(graphs, 4, 0, 5).render(latents(request), plan(request), true, chunked::add);

        assertEquals(List.of(5, 5, 2), graphs.calls(Graph.RENDER).stream().map(CountingGraphs.Call::batch).toList());
        assertEquals(1, graphs.calls(Graph.SYNTHESIS).size(), "still one synthesis for the 4 frames");
        BatchingGeneratorGraphsTest.assertSamePictures(oneCall, chunked);
        for (int i = 0; i < 12; i++) {
            float[] want = oneCall.get(0).images().get(i).depth().values();
            float[] got = chunked.get(0).images().get(i).depth().values();
            double meanError = 0;
            for (int p = 0; p < want.length; p++) {
                meanError += Math.abs(want[p] - got[p]) / want.length;
            }
            assertTrue(meanError < 1e-4, "depth map " + i + " differs by " + meanError + " on average");
        }
        assertThrows(IllegalArgumentException.class, () -> new FrameRenderer(graphs, 4, 0, 0));
    }

    @Test
    void theBatchSizeIsBounded() {
        GeneratorGraphs graphs = GeneratorGraphs.of(model);
        assertThrows(IllegalArgumentException.class, () -> new FrameRenderer(graphs, 0));
        assertThrows(IllegalArgumentException.class, () -> new FrameRenderer(graphs, FrameRenderer.MAX_BATCH_FRAMES + 1));
    }

    @Test
    void aGivenWRendersTheSameImagesAsTheMappedCodeWithoutTheMappingNetwork() throws Exception {
        GenerateRequest request = request(3, ViewSpec.fixed(Math.PI / 2, Math.PI / 2), ViewSpec.orbit());
        JobLatents codes = latents(request);
        List<RenderedBatch> mapped = new ArrayList<>();
        RenderStats stats = new FrameRenderer(GeneratorGraphs.of(model), 4, manifest.config().numWs())
                .render(List.of(ClipTrack.of(codes)), plan(request), false, mapped::add);
        float[] w = stats.trackW().get(0);
        assertEquals(manifest.config().wDim(), w.length);

        CountingGraphs graphs = new CountingGraphs(GeneratorGraphs.of(model));
        List<RenderedBatch> given = new ArrayList<>();
        // two tracks: the same identity with two motions, output views k·V + v
        new FrameRenderer(graphs, 4, manifest.config().numWs()).render(List.of(
                ClipTrack.ofW(w, codes.zMotion(), null), ClipTrack.ofW(w, new float[codes.zMotion().length], null)),
                plan(request), false, given::add);

        assertEquals(List.of(), graphs.calls(Graph.MAPPING), "a given w skips the mapping network");
        assertEquals(1, given.size());
        assertEquals(4, given.get(0).views(), "2 tracks x 2 views");
        for (int v = 0; v < 2; v++) {
            for (int f = 0; f < 3; f++) {
                assertArrayEquals(mapped.get(0).image(v, f).image().rgb(), given.get(0).image(v, f).image().rgb(),
                        "view " + v + " frame " + f);
            }
        }
        assertTrue(!java.util.Arrays.equals(given.get(0).image(0, 2).image().rgb(),
                given.get(0).image(2, 2).image().rgb()), "the second track moves differently");
    }
}
