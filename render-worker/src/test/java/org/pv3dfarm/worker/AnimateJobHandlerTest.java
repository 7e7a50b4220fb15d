package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.AnimateRequest;
import org.pv3dfarm.protocol.FacePolicy;
import org.pv3dfarm.protocol.InversionSettings;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.worker.face.BlazeFaceDetector;
import org.pv3dfarm.worker.face.FaceDetectorOptions;
import org.pv3dfarm.worker.face.PortraitPreparer;
import org.pv3dfarm.worker.media.MediaLimits;

/**
 * The animate handler on a real photo (the public-domain astronaut portrait): download from the store → decode →
 * detect → align → camera → invert → two motions rendered, with the inversion's images and figures; and inputs that
 * must fail cleanly (a text file posing as an image, a picture without a face).
 */
class AnimateJobHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static BlazeFaceDetector detector;

    @TempDir
    Path workRoot;

    @BeforeAll
    static void openDetector() {
        detector = BlazeFaceDetector.open(FaceDetectorOptions.defaults());
    }

    @AfterAll
    static void closeDetector() {
        detector.close();
    }

    private InMemoryObjectUploader store;

    private AnimateJobHandler handler() {
        Pv3dModel model = WorkerTestModels.defaultModel();
        store = new InMemoryObjectUploader("pv3d");
        ClipWriter writer = new ClipWriter(GeneratorGraphs.of(model), null, model.manifest(), "CPU", store, workRoot,
                4, 2);
        return new AnimateJobHandler(new InversionJobs(writer, new JobInputs(store, model.manifest(), 1 << 24),
                new MediaFaceInputs(MediaLimits.defaults(), new PortraitPreparer(detector,
                        model.manifest().config().outputResolution())), model, workRoot));
    }

    private static AnimateRequest request(String key) {
        return new AnimateRequest(null, UUID.randomUUID(), null, null, null, null, key, null, FacePolicy.LARGEST,
                new InversionSettings(8, 0.05, null, 0), 4L, 2, null, 2, null, null, null, null);
    }

    private static JobContext context(AnimateRequest request, AtomicInteger steps) {
        return new JobContext(request, null, 1, "test", new JobContext.Progress() {
            @Override
            public void report(int done, int total) {
            }

            @Override
            public void reportSteps(int done, int total) {
                steps.set(done);
            }
        }, () -> false);
    }

    @Test
    void theAstronautPortraitIsInvertedAndAnimatedWithTwoMotions() throws Exception {
        AnimateJobHandler handler = handler();
        byte[] photo;
        try (InputStream in = getClass().getResourceAsStream("face/astronaut.png")) {
            photo = in.readAllBytes();
        }
        store.upload("inputs/a1/astronaut.png", photo, "image/png");
        AnimateRequest request = request("inputs/a1/astronaut.png");
        AtomicInteger steps = new AtomicInteger();

        OutputKeys keys = handler.handle(context(request, steps));

        assertEquals(2, keys.videoKeys().size(), "one video per motion");
        assertEquals(8, steps.get(), "inversion progress in steps");
        OutputKeyLayout layout = OutputKeyLayout.forJob(request.jobId());
        JsonNode manifest = JSON.readTree(store.get(keys.manifestKey()).orElseThrow().bytes());
        JsonNode inversion = manifest.path("inversion");
        assertTrue(inversion.path("loss").asDouble() < inversion.path("initial_loss").asDouble(), inversion.toString());
        assertTrue(Double.isFinite(inversion.path("psnr_db").asDouble()), inversion.toString());
        assertEquals(25, inversion.path("camera").size());
        for (String name : new String[] {InversionJobs.RENDER_NAME, InversionJobs.TARGET_NAME}) {
            BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(store.get(layout.key(name))
                    .orElseThrow().bytes()));
            assertEquals(WorkerTestModels.defaultModel().manifest().config().outputResolution(), image.getWidth(), name);
        }
        JsonNode latents = JSON.readTree(store.get(keys.latentKey()).orElseThrow().bytes());
        assertEquals("animate", latents.at("/source/kind").asText());
        assertTrue(manifest.at("/tracks/1/output_views/0").asInt() == 1, manifest.path("tracks").toString());
    }

    @Test
    void aStopDuringTheInversionReleasesTheJobWithNothingWritten() throws Exception {
        AnimateJobHandler handler = handler();
        try (InputStream in = getClass().getResourceAsStream("face/astronaut.png")) {
            store.upload("inputs/a4/astronaut.png", in.readAllBytes(), "image/png");
        }
        AnimateRequest request = new AnimateRequest(null, UUID.randomUUID(), null, null, null, null,
                "inputs/a4/astronaut.png", null, FacePolicy.LARGEST, new InversionSettings(200, null, null, 0), 4L,
                null, null, 2, null, null, null, null);
        JobContext stopping = new JobContext(request, null, 1, "test", (done, total) -> { }, () -> true);
        JobStoppedException stopped = assertThrows(JobStoppedException.class, () -> handler.handle(stopping));
        assertTrue(stopped.getMessage().contains("inversion steps"), stopped.getMessage());
        assertEquals(java.util.Set.of("inputs/a4/astronaut.png"), store.keys(), "no output was written");
    }

    @Test
    void aTextFilePosingAsAnImageAndAPictureWithoutAFaceFailWithTheField() throws Exception {
        AnimateJobHandler handler = handler();
        store.upload("inputs/a2/face.png", "not a picture at all".getBytes(StandardCharsets.UTF_8), "image/png");
        InvalidJobException text = assertThrows(InvalidJobException.class,
                () -> handler.handle(context(request("inputs/a2/face.png"), new AtomicInteger())));
        assertEquals("input_key", text.field());
        assertTrue(text.getMessage().contains("unsupported_format"), text.getMessage());

        BufferedImage grey = new BufferedImage(160, 160, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 160; y++) {
            for (int x = 0; x < 160; x++) {
                grey.setRGB(x, y, 0x808080 + (x + y) % 7);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        store.upload("inputs/a3/wall.png", png.toByteArray(), "image/png");
        InvalidJobException noFace = assertThrows(InvalidJobException.class,
                () -> handler.handle(context(request("inputs/a3/wall.png"), new AtomicInteger())));
        assertEquals("input_key", noFace.field());
        assertTrue(noFace.getMessage().contains("no_face"), noFace.getMessage());
        assertTrue(store.keys().stream().noneMatch(k -> k.endsWith("manifest.json")), "nothing was written");
        try (var left = Files.list(workRoot)) {
            assertEquals(0, left.count(), "input directories are removed");
        }
    }
}
