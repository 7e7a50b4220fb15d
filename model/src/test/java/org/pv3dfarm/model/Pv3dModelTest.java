package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed API on the committed tiny model: shapes, errors, batching, providers, and the committed files. */
class Pv3dModelTest {

    static ModelManifest manifest;
    static Pv3dModel model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        manifest = ModelLocator.loadPackaged("tiny");
        model = Pv3dModel.open(manifest, ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void committedManifestDescribesTheTinyModel() {
        assertEquals("pv3d-tiny", manifest.name());
        ModelConfig c = manifest.config();
        assertEquals(Cameras.CAMERA_SIZE, c.cDim());
        assertTrue(c.outputResolution() >= 64, "tiny output at least 64²");
        assertEquals(List.of(1), model.gradientSizes(GradientKind.INVERSION).subList(0, 1));
        assertTrue(manifest.graph(GraphRole.RENDER).output("opacity").isPresent());
        assertEquals(manifest.conventions().time().clipFrames(), 16);
        // The packaged copy on the classpath equals the committed directory.
        Path committed = Path.of(System.getProperty("pv3d.exported.dir"), "tiny");
        assertEquals(ModelManifest.load(committed).allFiles(), manifest.allFiles());
    }

    @Test
    void fullPipelineProducesTheDeclaredShapes() {
        FloatTensor ws = mapping(2, 1f);
        ModelConfig c = manifest.config();
        assertArrayEquals(new long[] {2, c.numWs(), c.wDim()}, ws.shape());
        FloatTensor planes = model.synthesis(ws, manifest.latentDistribution().zMotion().sample(new SplittableRandom(2), 2),
                ClipTime.times(2, 16));
        assertArrayEquals(new long[] {2, 3, c.planeChannels(), c.planeResolution(), c.planeResolution()}, planes.shape());
        FloatTensor cameras = Cameras.cameras(Trajectories.orbit(2), manifest.conventions().camera());
        RenderOutput r = model.render(planes, ws, cameras);
        int n = c.neuralResolution();
        assertArrayEquals(new long[] {2, c.featureChannels(), n, n}, r.features().shape());
        assertArrayEquals(new long[] {2, 3, n, n}, r.rawRgb().shape());
        assertArrayEquals(new long[] {2, 1, n, n}, r.depth().shape());
        assertNotNull(r.opacity());
        for (float d : r.depth().data()) {
            assertTrue(d >= c.rayStart() - 1e-5 && d <= c.rayEnd() + 1e-5, "depth inside the ray range: " + d);
        }
        for (float o : r.opacity().data()) {
            assertTrue(o >= -1e-6 && o <= 1 + 1e-6, "opacity in [0, 1]: " + o);
        }
        FloatTensor rgb = model.superResolution(r.features(), r.rawRgb(), ws);
        assertArrayEquals(new long[] {2, 3, c.outputResolution(), c.outputResolution()}, rgb.shape());
        assertTrue(rgb.isFinite());
        FloatTensor sigma = model.density(planes, FloatTensor.zeros(2, 5, 3));
        assertArrayEquals(new long[] {2, 5, 1}, sigma.shape());
    }

    @Test
    void batchedRunsEqualSingleRunsAndRepeatRunsAreIdentical() {
        FloatTensor ws = mapping(2, 0.7f);
        FloatTensor zMotion = manifest.latentDistribution().zMotion().sample(new SplittableRandom(3), 2);
        FloatTensor t = FloatTensor.vector(0.2f, 0.9f);
        FloatTensor planes = model.synthesis(ws, zMotion, t);
        FloatTensor cameras = Cameras.cameras(Trajectories.yawSweep(2, 0.3), manifest.conventions().camera());
        FloatTensor rgb = model.image(planes, ws, cameras);
        assertEquals(rgb, model.image(planes, ws, cameras), "the graphs are deterministic");
        for (int b = 0; b < 2; b++) {
            FloatTensor one = model.image(model.synthesis(ws.batchItem(b), zMotion.batchItem(b), t.batchItem(b)),
                    ws.batchItem(b), cameras.batchItem(b));
            assertTrue(TensorMath.maxAbsDiff(one, rgb.batchItem(b)) < 1e-4, "batch item " + b + " alone");
        }
    }

    @Test
    void concurrentCallsShareTheSessionsSafely() throws Exception {
        FloatTensor ws = mapping(1, 0.7f);
        FloatTensor planes = model.synthesis(ws, manifest.latentDistribution().zMotion().meanTensor(), FloatTensor.vector(0.5f));
        List<FloatTensor> cameras = new ArrayList<>();
        for (ViewAngle a : Trajectories.orbit(4)) {
            cameras.add(FloatTensor.of(Cameras.lookAt(a, manifest.conventions().camera()), 1, Cameras.CAMERA_SIZE));
        }
        List<FloatTensor> sequential = cameras.stream().map(c -> model.image(planes, ws, c)).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<FloatTensor>> futures = new ArrayList<>();
            for (FloatTensor c : cameras) {
                futures.add(pool.submit(() -> model.image(planes, ws, c)));
            }
            for (int i = 0; i < cameras.size(); i++) {
                assertEquals(sequential.get(i), futures.get(i).get(), "view " + i + " rendered concurrently");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void averageWIsWhatPsiZeroGivesForAnyLatent() {
        FloatTensor a = model.averageW();
        FloatTensor ws = mapping(1, 0f);
        assertArrayEquals(a.data(), java.util.Arrays.copyOf(ws.data(), manifest.config().wDim()));
        assertEquals(model.broadcastWs(a), ws);
    }

    @Test
    void wrongShapesGetMessagesNamingGraphInputAndDimension() {
        FloatTensor c = FloatTensor.of(Cameras.canonical(manifest), 1, Cameras.CAMERA_SIZE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.mapping(FloatTensor.zeros(1, 63), c, 1f));
        assertEquals("graphs.mapping: input 'z' has shape [1, 63] but the graph expects z[batch, 64] (dimension 1 must be 64)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.mapping(FloatTensor.zeros(2, 64), c, 1f));
        assertTrue(e.getMessage().contains("input 'c' has batch = 1") && e.getMessage().contains("input 'z' has batch = 2"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.density(FloatTensor.zeros(1, 3, 16, 64, 64), FloatTensor.zeros(1, 10, 2)));
        assertTrue(e.getMessage().startsWith("graphs.density: input 'points'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.render(FloatTensor.zeros(1, 3, 16, 64, 64), FloatTensor.zeros(1, 10, 64), FloatTensor.zeros(25)));
        assertTrue(e.getMessage().contains("input 'camera' has shape [25] (rank 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.inversionGradient(3));
        assertTrue(e.getMessage().contains("no inversion gradient graph for batch 3; exported batch sizes: [1"),
                e.getMessage());
        InversionGradient g = model.inversionGradient(1);
        e = assertThrows(IllegalArgumentException.class, () -> g.run(FloatTensor.zeros(1, 64), FloatTensor.zeros(1, 64),
                FloatTensor.vector(0f), FloatTensor.zeros(1, 25), FloatTensor.zeros(1, 3, 64, 64), g.fullMask()));
        assertTrue(e.getMessage().contains("input 'target' has shape [1, 3, 64, 64]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.broadcastWs(FloatTensor.zeros(1, 10, 64)));
        assertTrue(e.getMessage().contains("w must have shape [batch, 64]"), e.getMessage());
    }

    @Test
    void closedModelRefusesWork() {
        Pv3dModel other = Pv3dModel.open(manifest, ModelOptions.defaults());
        other.averageW();
        other.close();
        other.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, other::averageW);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void cudaRequestedWithoutCudaFallsBackToCpuWithAWarning() {
        Logger jul = Logger.getLogger(Pv3dModel.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try (Pv3dModel cuda = Pv3dModel.open(manifest, ModelOptions.builder().executionProvider(ExecutionProvider.CUDA)
                .intraOpThreads(1).memoryArena(false).optimization(GraphOptimization.BASIC).eagerSessions(true).build())) {
            // This build runs on the CPU jar (no CUDA provider) or on a machine without a GPU.
            assertEquals(ExecutionProvider.CPU, cuda.executionProvider());
            assertEquals(model.averageW(), cuda.averageW(), "the CPU fallback computes the same results");
        } finally {
            jul.removeHandler(handler);
        }
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == java.util.logging.Level.WARNING
                        && r.getMessage().contains("running on CPU")),
                "a WARNING says CUDA was asked for and the model runs on CPU");
    }

    @Test
    void corruptedCopiesOfTheCommittedModelAreRejectedNamingTheFile() throws IOException {
        Path copy = copyModel();
        byte[] bytes = Files.readAllBytes(copy.resolve("render.onnx"));
        bytes[bytes.length / 2] ^= 1;
        Files.write(copy.resolve("render.onnx"), bytes);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelManifest.load(copy));
        assertTrue(e.getMessage().contains("render.onnx (graphs.render) has sha256"), e.getMessage());

        Path other = copyModel();
        String data = manifest.dataFiles().isEmpty() ? "superres.onnx" : manifest.dataFiles().get(0).file();
        Files.delete(other.resolve(data));
        e = assertThrows(InvalidModelException.class, () -> ModelManifest.load(other));
        assertTrue(e.getMessage().contains(data) && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aGraphFileWhoseInputsDifferFromTheManifestIsRejectedAtSessionCreation() throws IOException {
        Path copy = copyModel();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(copy.resolve("model.json").toFile());
        ObjectNode render = (ObjectNode) root.get("graphs").get("render");
        ObjectNode density = (ObjectNode) root.get("graphs").get("density");
        render.put("file", density.get("file").asText()).put("sha256", density.get("sha256").asText());
        json.writeValue(copy.resolve("model.json").toFile(), root);
        ModelManifest swapped = ModelManifest.load(copy);
        try (Pv3dModel m = Pv3dModel.open(swapped, ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build())) {
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> m.run(GraphRole.RENDER, java.util.Map.of()));
            assertTrue(e.getMessage().contains("graphs.render: the ONNX file density.onnx has inputs"), e.getMessage());
        }
    }

    private FloatTensor mapping(int batch, float psi) {
        FloatTensor z = manifest.latentDistribution().z().sample(new SplittableRandom(batch * 31L), batch);
        return model.mapping(z, Cameras.repeat(Cameras.canonical(manifest), batch), psi);
    }

    private Path copyModel() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "model");
        try (Stream<Path> files = Files.list(manifest.directory())) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }
}
