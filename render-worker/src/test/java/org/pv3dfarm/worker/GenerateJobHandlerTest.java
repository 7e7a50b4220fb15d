package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.ViewSpec;
import org.pv3dfarm.worker.CountingGraphs.Graph;

class GenerateJobHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Pv3dModel model;
    private static ModelManifest manifest;

    @TempDir
    Path workRoot;
    @TempDir
    Path scratch;
    private RecordingUploader uploader;
    private CountingGraphs graphs;
    private GenerateJobHandler handler;
    private final List<int[]> progress = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void openModel() {
        model = WorkerTestModels.tiny();
        manifest = model.manifest();
    }

    @BeforeEach
    void setUp() {
        uploader = new RecordingUploader(new InMemoryObjectUploader("outputs"));
        graphs = new CountingGraphs(GeneratorGraphs.of(model));
        handler = new GenerateJobHandler(graphs, null, manifest, model.executionProvider().name(), uploader, workRoot, 4,
                2);
    }

    /** Requests for the tiny model: its random weights render noise-like pictures that change with every input. */
    private static GenerateRequest.Builder tinyRequest() {
        return GenerateRequest.builder().model(manifest.name());
    }

    private JobContext context(GenerateRequest request, BooleanSupplier stop) {
        return new JobContext(request, "trace-1", 1, "test-worker", (done, total) -> progress.add(new int[] {done, total}),
                stop);
    }

    private OutputKeys run(GenerateRequest request) throws Exception {
        return handler.handle(context(request, () -> false));
    }

    private List<RgbImage> decode(String key) throws Exception {
        Path file = scratch.resolve(key.replace('/', '_'));
        Files.write(file, uploader.bytes(key));
        Mp4Info info = Mp4Info.probe(file);
        assertEquals(Mp4Encoder.H264, info.codec(), key);
        return DecodedVideo.frames(file);
    }

    private RgbImage png(String key) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(uploader.bytes(key)));
        byte[] rgb = new byte[image.getWidth() * image.getHeight() * 3];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int i = (y * image.getWidth() + x) * 3;
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
        return new RgbImage(image.getWidth(), image.getHeight(), rgb);
    }

    /**
     * Asserts that decoded frame pairs {viewA, frameA, viewB, frameB} differ, on average, by more than the codec's
     * error of both frames (see the caller); returns their mean difference.
     */
    private double assertDifferBeyondCodecError(OutputKeyLayout layout, List<List<RgbImage>> videos,
            List<int[]> pairs) throws Exception {
        double difference = 0;
        double codecError = 0;
        for (int[] p : pairs) {
            RgbImage decodedA = videos.get(p[0]).get(p[1]);
            RgbImage decodedB = videos.get(p[2]).get(p[3]);
            codecError += DecodedVideo.meanAbsoluteDifference(png(layout.frame(p[0], p[1])), decodedA)
                    + DecodedVideo.meanAbsoluteDifference(png(layout.frame(p[2], p[3])), decodedB);
            difference += DecodedVideo.meanAbsoluteDifference(decodedA, decodedB);
        }
        difference /= pairs.size();
        codecError /= pairs.size();
        assertTrue(difference > codecError, "decoded frames differ by " + difference
                + " levels, within the codec's error of " + codecError);
        return difference;
    }

    private void assertWorkRootEmpty() throws Exception {
        try (Stream<Path> left = Files.list(workRoot)) {
            assertEquals(List.of(), left.toList(), "the job's temporary directory is deleted");
        }
    }

    @Test
    void aTwoViewEightFrameJobBecomesTwoH264VideosThatMoveWithTheManifestLast() throws Exception {
        UUID jobId = UUID.randomUUID();
        GenerateRequest request = tinyRequest().jobId(jobId).seed(42L).frames(8).fps(25)
                .views(ViewSpec.fixed(Math.PI / 2, Math.PI / 2), ViewSpec.orbit())
                .outputs(new OutputOptions(true, true)).build();
        OutputKeyLayout layout = OutputKeyLayout.forJob(jobId);

        long started = System.nanoTime();
        OutputKeys keys = run(request);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(layout.outputKeys("outputs", 2, 8, true, true, null, null, null, null), keys);
        assertEquals(layout.key("latents.json"), keys.latentKey());
        List<String> order = uploader.order();
        assertEquals(layout.manifest(), order.get(order.size() - 1), "manifest.json is the last upload");
        assertEquals(1, Collections.frequency(order, layout.manifest()));
        assertEquals(2 + 2 * 8 + 2 * 8 + 1 + 1, order.size(),
                "2 videos, 16 PNG frames, 16 depth maps, latents.json, 1 manifest");
        StoredLatents stored = StoredLatents.parse(uploader.bytes(keys.latentKey()), "source", manifest.name(),
                manifest.version(), manifest.config().wDim(), manifest.config().motionDim());
        assertEquals("generate", stored.source().kind());
        assertEquals(jobId, stored.source().jobId());
        assertEquals(25, stored.camera().length);

        // Plane reuse: 8 frames synthesised once each (2 batches of 4), rendered for both views.
        assertEquals(1, graphs.calls(Graph.MAPPING).size());
        assertEquals(2, graphs.calls(Graph.SYNTHESIS).size());
        assertEquals(8, graphs.items(Graph.SYNTHESIS));
        assertEquals(16, graphs.items(Graph.RENDER));
        assertEquals(16, graphs.items(Graph.SUPER_RESOLUTION));

        int side = manifest.config().outputResolution();
        List<List<RgbImage>> videos = new ArrayList<>();
        for (int view = 0; view < 2; view++) {
            List<RgbImage> frames = decode(layout.video(view));
            assertEquals(8, frames.size(), "view " + view);
            assertEquals(side, frames.get(0).width());
            assertEquals(side, frames.get(0).height());
            videos.add(frames);
            for (int frame = 0; frame < 8; frame++) {
                assertEquals(side, png(layout.frame(view, frame)).width(), "PNG frame " + frame + " of view " + view);
            }
        }
        // The PNG frames are the model's exact pictures (lossless); the decoded videos add the codec's error. By
        // the triangle inequality mad(decoded A, decoded B) <= err(A) + err(B) + mad(exact A, exact B), so decoded
        // frames further apart than err(A) + err(B) prove that the pictures themselves differ: real change, not
        // compression noise (which is ~3 levels here: the tiny model's random weights render noise-like detail).
        // View 0's camera never moves, so its change over the clip is the motion (t) alone.
        double overTime = assertDifferBeyondCodecError(layout, videos, List.of(new int[] {0, 0, 0, 7}));
        // Across views, frame by frame: view 1 (the orbit) sees each frame from another camera. The exact pictures
        // differ at every frame (identical cameras give identical pictures: FrameRendererTest), and so do the
        // videos, on average over the clip, beyond the codec's error.
        List<int[]> sameFrame = new ArrayList<>();
        for (int frame = 0; frame < 8; frame++) {
            sameFrame.add(new int[] {0, frame, 1, frame});
            double exact = DecodedVideo.meanAbsoluteDifference(png(layout.frame(0, frame)), png(layout.frame(1, frame)));
            assertTrue(exact > 1, "the views' pictures of frame " + frame + " differ by " + exact + " levels");
        }
        double acrossViews = assertDifferBeyondCodecError(layout, videos, sameFrame);
        System.out.printf("2 views x 8 frames rendered, encoded and uploaded in %d ms; mean abs difference over "
                + "time %.2f, across views %.2f (8-bit levels)%n", elapsedMs, overTime, acrossViews);

        // Depth: 16-bit maps at the neural resolution on the manifest's one scale.
        JsonNode jobManifest = JSON.readTree(uploader.bytes(layout.manifest()));
        BufferedImage depth = ImageIO.read(new ByteArrayInputStream(uploader.bytes(layout.depth(1, 5))));
        assertEquals(16, depth.getColorModel().getComponentSize(0));
        assertEquals(manifest.config().neuralResolution(), depth.getWidth());
        DepthScale scale = new DepthScale(jobManifest.at("/depth/near").asDouble(), jobManifest.at("/depth/far").asDouble());
        assertEquals(manifest.config().rayStart(), scale.near());
        assertEquals(manifest.config().rayEnd(), scale.far());
        int code = depth.getRaster().getSample(16, 16, 0);
        assertTrue(code > 0 && scale.decode(code) >= scale.near() && scale.decode(code) <= scale.far());

        // The manifest says what was made, with what, and where.
        assertEquals(JobManifest.FORMAT, jobManifest.get("format").asText());
        assertEquals(jobId.toString(), jobManifest.get("job_id").asText());
        assertEquals(manifest.name(), jobManifest.at("/model/name").asText());
        assertEquals(manifest.version(), jobManifest.at("/model/version").asText());
        assertEquals("CPU", jobManifest.at("/model/execution_provider").asText());
        assertEquals(42, jobManifest.at("/request/seed").asInt(), "the request is echoed");
        assertEquals("seed", jobManifest.at("/latents/z_source").asText());
        assertEquals(8, jobManifest.at("/video/frames").asInt());
        assertEquals(25, jobManifest.at("/video/fps").asInt());
        assertEquals(side, jobManifest.at("/video/width").asInt());
        assertEquals("h264", jobManifest.at("/video/codec").asText());
        assertEquals(8, jobManifest.at("/time/t").size());
        assertEquals("fixed", jobManifest.at("/views/0/camera/trajectory").asText());
        assertEquals("orbit", jobManifest.at("/views/1/camera/trajectory").asText());
        assertEquals(layout.video(1), jobManifest.at("/views/1/video_key").asText());
        assertEquals(layout.frame(1, 7), jobManifest.at("/views/1/frame_keys/7").asText());
        assertEquals(layout.depth(0, 0), jobManifest.at("/views/0/depth_keys/0").asText());
        assertEquals(uploader.bytes(layout.video(0)).length, jobManifest.at("/views/0/video_bytes").asLong());
        assertEquals(layout.manifest(), jobManifest.at("/outputs/manifest_key").asText());
        assertEquals(25, jobManifest.get("conditioning_camera").size());
        assertTrue(jobManifest.at("/timings_ms/total").asLong() >= jobManifest.at("/timings_ms/synthesis").asLong());

        assertEquals(List.of(8, 16), progress.stream().map(p -> p[0]).toList(), "progress after every batch");
        assertTrue(progress.stream().allMatch(p -> p[1] == 16));
        assertWorkRootEmpty();
    }

    @Test
    void withoutPngOrDepthRequestedOnlyTheVideosAndTheManifestAreWritten() throws Exception {
        UUID jobId = UUID.randomUUID();
        OutputKeys keys = run(tinyRequest().jobId(jobId).seed(3L).frames(2).build());

        OutputKeyLayout layout = OutputKeyLayout.forJob(jobId);
        assertEquals(List.of(layout.video(0), layout.key("latents.json"), layout.manifest()), uploader.order());
        assertNull(keys.framesPrefix());
        assertNull(keys.depthPrefix());
        JsonNode jobManifest = JSON.readTree(uploader.bytes(layout.manifest()));
        assertFalse(jobManifest.has("depth"));
        assertFalse(jobManifest.at("/outputs").has("frames_prefix"), "absent values are left out");
        assertEquals(0, jobManifest.at("/views/0/frame_keys").size());
        assertWorkRootEmpty();
    }

    @Test
    void aCodeOfTheWrongLengthFailsCleanlyBeforeAnythingRuns() throws Exception {
        GenerateRequest request = tinyRequest().jobId(UUID.randomUUID()).seed(1L)
                .z(Collections.nCopies(12, 0.5)).frames(4).build();

        InvalidJobException e = assertThrows(InvalidJobException.class, () -> run(request));

        assertEquals("z", e.field());
        assertTrue(e.getMessage().contains("z_dim = 64") && e.getMessage().contains("has 12"), e.getMessage());
        assertEquals(List.of(), uploader.order(), "nothing uploaded");
        assertTrue(graphs.calls(Graph.MAPPING).isEmpty(), "the model never ran");
        assertWorkRootEmpty();
    }

    @Test
    void requestsForAnotherModelOrResolutionAreInvalidForThisWorker() {
        InvalidJobException model = assertThrows(InvalidJobException.class, () -> run(tinyRequest()
                .jobId(UUID.randomUUID()).seed(1L).model("pv3d-ffhq").build()));
        assertEquals("model", model.field());
        InvalidJobException resolution = assertThrows(InvalidJobException.class, () -> run(tinyRequest()
                .jobId(UUID.randomUUID()).seed(1L).resolution(512).build()));
        assertEquals("resolution", resolution.field());
    }

    @Test
    void aStopBetweenBatchesEndsTheJobRetryablyWithoutAManifest() throws Exception {
        UUID jobId = UUID.randomUUID();
        GenerateRequest request = tinyRequest().jobId(jobId).seed(1L).frames(12).build();

        JobStoppedException e = assertThrows(JobStoppedException.class,
                () -> handler.handle(context(request, () -> !graphs.calls(Graph.SYNTHESIS).isEmpty())));

        assertTrue(e.getMessage().contains("4 of 12"), e.getMessage());
        assertEquals(1, graphs.calls(Graph.SYNTHESIS).size(), "stopped after the first batch");
        assertTrue(uploader.order().isEmpty(), "no video and no manifest for a stopped job");
        assertWorkRootEmpty();
    }

    @Test
    void aStoreOutageIsRetryableAndLeavesNoTemporaryFiles() throws Exception {
        uploader.store().failNext(1);
        GenerateRequest request = tinyRequest().jobId(UUID.randomUUID()).seed(1L).frames(2).build();

        // UploadException is a RetryableJobException: the loop retries the job.
        assertThrows(UploadException.class, () -> run(request));

        assertFalse(uploader.order().contains(OutputKeyLayout.forJob(request.jobId()).manifest()));
        assertWorkRootEmpty();
    }
}
