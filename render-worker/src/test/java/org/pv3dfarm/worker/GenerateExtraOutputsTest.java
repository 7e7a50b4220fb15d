package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.MeshFormat;
import org.pv3dfarm.protocol.MeshOptions;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.PreviewFormat;
import org.pv3dfarm.protocol.ViewSpec;
import org.pv3dfarm.worker.CountingGraphs.Graph;
import org.pv3dfarm.worker.mesh.GlbWriter;
import org.pv3dfarm.worker.mesh.ScalarGrid;

/** Grid video, preview, meshes and per-frame conditioning on the committed tiny model in ONNX Runtime. */
class GenerateExtraOutputsTest {

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

    @BeforeAll
    static void openModel() {
        model = WorkerTestModels.defaultModel();
        manifest = model.manifest();
    }

    @BeforeEach
    void setUp() {
        uploader = new RecordingUploader(new InMemoryObjectUploader("outputs"));
        graphs = new CountingGraphs(GeneratorGraphs.of(model));
        handler = new GenerateJobHandler(graphs, DensityGraph.of(model), manifest, "CPU", uploader, workRoot, 4,
                GenerateJobHandler.DEFAULT_PIPELINE_DEPTH);
    }

    private OutputKeys run(GenerateRequest request) throws Exception {
        return handler.handle(new JobContext(request, "trace", 1, "test-worker", (done, total) -> { }, () -> false));
    }

    private Path file(String key) throws Exception {
        return Files.write(scratch.resolve(key.replace('/', '_')), uploader.bytes(key));
    }

    private JsonNode manifestOf(OutputKeys keys) throws Exception {
        return JSON.readTree(uploader.bytes(keys.manifestKey()));
    }

    /** The raw sigma of frame 0's planes on an n³ grid over the model's cube, sorted. */
    private float[] sortedSigma(GenerateRequest request, int n) throws Exception {
        MeshOutputs meshes = new MeshOutputs(GeneratorGraphs.of(model), DensityGraph.of(model),
                manifest.config().boxWarp(), manifest.config().numWs());
        JobLatents latents = new LatentSampler(manifest).sample(request);
        CameraPlan plan = new CameraPlanner(manifest).plan(request);
        double[] points = ScalarGrid.cubePoints(n, manifest.config().boxWarp() / 2);
        float[] xyz = new float[points.length];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (float) points[i];
        }
        float[] sigma = model.density(meshes.planes(ClipTrack.of(latents), plan, 0), FloatTensor.of(xyz, 1, n * n * n, 3)).data();
        Arrays.sort(sigma);
        return sigma;
    }

    @Test
    void gridPreviewAndMeshesAreWrittenVerifiedAndListedBeforeTheManifest() throws Exception {
        int n = 24;
        GenerateRequest probe = GenerateRequest.builder().jobId(UUID.randomUUID()).seed(11L).frames(6)
                .views(ViewSpec.orbit(), ViewSpec.fixed(1.2, 1.5), ViewSpec.yawSweep()).build();
        float[] sigma = sortedSigma(probe, n);
        // the level above which 15 % of the cube lies: the solid's volume is known before meshing
        double threshold = sigma[(int) (0.85 * sigma.length)];
        GenerateRequest request = probe.toBuilder().outputs(new OutputOptions(true, false, true, true,
                PreviewFormat.GIF, new MeshOptions(List.of(0, 5), n, threshold, null))).build();

        OutputKeys keys = run(request);
        OutputKeyLayout layout = OutputKeyLayout.forJob(request.jobId());

        assertEquals(layout.gridVideo(), keys.gridVideoKey());
        assertEquals(layout.thumbnail(), keys.thumbnailKey());
        assertEquals(layout.animation(PreviewFormat.GIF), keys.animationKey());
        assertEquals(List.of(layout.mesh(0, MeshFormat.PLY), layout.mesh(0, MeshFormat.GLB),
                layout.mesh(5, MeshFormat.PLY), layout.mesh(5, MeshFormat.GLB)), keys.meshKeys());
        assertEquals(6, keys.frameCount());
        assertEquals(layout.frame(2, 5), keys.frameKey(2, 5));
        List<String> order = uploader.order();
        assertEquals(keys.manifestKey(), order.get(order.size() - 1), "the manifest goes last");

        // grid: 3 views in 2x2 tiles of the output size, H.264, each tile the view's own frame, the fourth cell black
        int side = manifest.config().outputResolution();
        List<RgbImage> grid = DecodedVideo.frames(file(keys.gridVideoKey()));
        assertEquals(Mp4Encoder.H264, Mp4Info.probe(file(keys.gridVideoKey())).codec());
        assertEquals(6, grid.size());
        assertEquals(2 * side, grid.get(0).width());
        assertEquals(2 * side, grid.get(0).height());
        List<RgbImage> view1 = DecodedVideo.frames(file(keys.videoKeys().get(1)));
        List<RgbImage> view2 = DecodedVideo.frames(file(keys.videoKeys().get(2)));
        RgbImage tile1 = crop(grid.get(3), side, 0);
        assertTrue(DecodedVideo.meanAbsoluteDifference(tile1, view1.get(3)) + 1
                < DecodedVideo.meanAbsoluteDifference(tile1, view2.get(3)), "tile 1 shows view 1");
        RgbImage empty = crop(grid.get(3), side, side);
        assertTrue(DecodedVideo.meanAbsoluteDifference(empty, new RgbImage(side, side, new byte[side * side * 3])) < 3);

        // preview: the thumbnail is frame 0 of view 0, the GIF loops over every frame
        assertArrayEquals(uploader.bytes(layout.frame(0, 0)), uploader.bytes(keys.thumbnailKey()));
        AnimationInfo gif = AnimationInfo.probe(file(keys.animationKey()), PreviewFormat.GIF);
        assertEquals(List.of(side, side, 6), List.of(gif.width(), gif.height(), gif.frames()));

        // meshes: closed surfaces whose volume is the share of the cube above the threshold
        JsonNode meshes = manifestOf(keys).path("meshes");
        assertEquals(n, meshes.path("resolution").asInt());
        assertEquals(threshold, meshes.path("threshold").asDouble(), 1e-6);
        JsonNode frame0 = meshes.path("frames").get(0);
        assertEquals(0, frame0.path("frame").asInt());
        assertTrue(frame0.path("watertight").asBoolean());
        assertTrue(frame0.path("triangles").asInt() > 100, frame0.toString());
        double box = Math.pow(manifest.config().boxWarp(), 3);
        assertEquals(0.15 * box, frame0.path("volume").asDouble(), 0.05 * box, frame0.toString());
        assertEquals(5, meshes.path("frames").get(1).path("frame").asInt());
        assertEquals(1.0 / 3, meshes.path("frames").get(1).path("t").asDouble(), 1e-6, "frame 5 of a 16-frame clip");

        String ply = new String(uploader.bytes(keys.meshKeys().get(0)), StandardCharsets.US_ASCII);
        assertTrue(ply.contains("element vertex " + frame0.path("vertices").asInt() + "\n"));
        assertTrue(ply.contains("element face " + frame0.path("triangles").asInt() + "\n"));
        ByteBuffer glb = ByteBuffer.wrap(uploader.bytes(keys.meshKeys().get(1))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(GlbWriter.MAGIC, glb.getInt());
        assertEquals(2, glb.getInt());
        assertEquals(uploader.bytes(keys.meshKeys().get(1)).length, glb.getInt());

        JsonNode jobManifest = manifestOf(keys);
        assertEquals(2, jobManifest.at("/grid/columns").asInt());
        assertEquals(6, jobManifest.at("/grid/frames").asInt());
        assertEquals("gif", jobManifest.at("/preview/format").asText());
        assertEquals(keys.meshKeys().size(), jobManifest.at("/outputs/mesh_keys").size());
        assertTrue(jobManifest.path("conditioning_view").isMissingNode(), "canonical conditioning by default");
    }

    @Test
    void aWebpPreviewAndPerFrameConditioningOnTheRenderCamera() throws Exception {
        GenerateRequest canonical = GenerateRequest.builder().jobId(UUID.randomUUID()).seed(3L).frames(5)
                .views(ViewSpec.yawSweep()).outputs(OutputOptions.MP4_ONLY.withPreview(PreviewFormat.WEBP)).build();
        OutputKeys keys = run(canonical);
        AnimationInfo webp = AnimationInfo.probe(file(keys.animationKey()), PreviewFormat.WEBP);
        int side = manifest.config().outputResolution();
        assertEquals(List.of(side, side, 5), List.of(webp.width(), webp.height(), webp.frames()));
        assertEquals(1, graphs.calls(Graph.MAPPING).size(), "canonical: one mapping call per job");
        assertNull(keys.gridVideoKey());
        assertNull(keys.meshKeys());

        graphs = new CountingGraphs(GeneratorGraphs.of(model));
        handler = new GenerateJobHandler(graphs, DensityGraph.of(model), manifest, "CPU", uploader, workRoot, 4,
                GenerateJobHandler.DEFAULT_PIPELINE_DEPTH);
        GenerateRequest perFrame = canonical.toBuilder().jobId(UUID.randomUUID())
                .views(ViewSpec.yawSweep().conditioningPerFrame()).build();
        OutputKeys conditioned = run(perFrame);
        assertEquals(List.of(4, 1), graphs.calls(Graph.MAPPING).stream().map(CountingGraphs.Call::batch).toList(),
                "mapped per batch, one row per frame");
        assertEquals(0, manifestOf(conditioned).path("conditioning_view").asInt());
        // frame 0 of a yaw sweep is frontal (the canonical camera): same image; frame 1 is turned: another
        List<RgbImage> a = DecodedVideo.frames(file(keys.videoKeys().get(0)));
        List<RgbImage> b = DecodedVideo.frames(file(conditioned.videoKeys().get(0)));
        double same = DecodedVideo.meanAbsoluteDifference(a.get(0), b.get(0));
        double turned = DecodedVideo.meanAbsoluteDifference(a.get(1), b.get(1));
        assertTrue(same < 1.0, "frontal frame differs by " + same);
        assertTrue(turned > same + 0.5, "conditioning on the turned camera changes the image: " + turned);
    }

    @Test
    void meshesNeedADensityGraphAndFramesOfTheJob() {
        GenerateJobHandler noDensity = new GenerateJobHandler(graphs, manifest, "CPU", uploader, workRoot, 4);
        GenerateRequest request = GenerateRequest.builder().jobId(UUID.randomUUID()).seed(1L).frames(4)
                .outputs(OutputOptions.MP4_ONLY.withMesh(MeshOptions.of(1))).build();
        InvalidJobException none = assertThrows(InvalidJobException.class, () -> noDensity.handle(
                new JobContext(request, "t", 1, "w", (d, t) -> { }, () -> false)));
        assertEquals("outputs.mesh", none.field());
        InvalidJobException outside = assertThrows(InvalidJobException.class, () -> run(request.toBuilder()
                .outputs(OutputOptions.MP4_ONLY.withMesh(MeshOptions.of(4))).build()));
        assertEquals("outputs.mesh.frames[0]", outside.field());
        assertNotEquals(0, uploader.order().size() + 1);
        assertEquals(List.of(), uploader.order(), "an invalid job uploads nothing");
    }

    /** The output-sized tile of a grid frame whose top-left corner is (x0, y0). */
    private static RgbImage crop(RgbImage image, int x0, int y0) {
        int side = manifest.config().outputResolution();
        byte[] rgb = new byte[side * side * 3];
        for (int y = 0; y < side; y++) {
            System.arraycopy(image.rgb(), ((y0 + y) * image.width() + x0) * 3, rgb, y * side * 3, side * 3);
        }
        return new RgbImage(side, side, rgb);
    }
}
