package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.MotionEdit;

/** The small parts of the inversion jobs: stored latents, inputs and their tenant scoping, motion edits, dispatch. */
class InversionPiecesTest {

    private static final ModelManifest MANIFEST = ModelLocator.loadDefault();
    private static final int W = MANIFEST.config().wDim();
    private static final int M = MANIFEST.config().motionDim();

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void storedLatentsRoundTripAndRefuseWhatDoesNotFitTheModel() throws Exception {
        UUID job = UUID.randomUUID();
        StoredLatents latents = StoredLatents.of(MANIFEST.name(), MANIFEST.version(), filled(W, 0.5f),
                filled(M, -1f), new float[] {0f, 0.5f}, filled(25, 1f), "reconstruct", job, null);
        StoredLatents back = StoredLatents.parse(latents.toJson(), "source_job_id", MANIFEST.name(), MANIFEST.version(),
                W, M);
        assertArrayEquals(latents.w(), back.w());
        assertArrayEquals(latents.t(), back.t());
        assertEquals(job, back.source().jobId());
        assertNull(back.tracks(), "a single track is not repeated");

        InvalidJobException otherModel = assertThrows(InvalidJobException.class,
                () -> StoredLatents.parse(latents.toJson(), "source_job_id", "pv3d-other", MANIFEST.version(), W, M));
        assertEquals("source_job_id", otherModel.field());
        InvalidJobException otherVersion = assertThrows(InvalidJobException.class,
                () -> StoredLatents.parse(latents.toJson(), "source_job_id", MANIFEST.name(), "refitted", W, M));
        assertEquals("source_job_id: its latents were made by " + MANIFEST.name() + " " + MANIFEST.version()
                + "; this job runs version refitted of it", otherVersion.getMessage());
        assertThrows(InvalidJobException.class,
                () -> StoredLatents.parse(latents.toJson(), "f", MANIFEST.name(), MANIFEST.version(), W + 1, M));
        assertThrows(InvalidJobException.class, () -> StoredLatents.parse("{\"format\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8), "f", MANIFEST.name(), MANIFEST.version(), W, M));
        assertThrows(InvalidJobException.class, () -> StoredLatents.parse("not json".getBytes(StandardCharsets.UTF_8),
                "f", MANIFEST.name(), MANIFEST.version(), W, M));
    }

    @Test
    void inputsAreScopedToTheTenantsPrefixAndSizeLimit(@TempDir Path dir) throws Exception {
        InMemoryObjectUploader store = new InMemoryObjectUploader("pv3d");
        store.upload("inputs/u1/face.png", new byte[] {1, 2, 3}, "image/png");
        store.upload("tenants/acme/inputs/u2/face.png", new byte[] {4, 5}, "image/png");
        JobInputs inputs = new JobInputs(store, MANIFEST, 2);

        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(inputs.download("acme",
                "tenants/acme/inputs/u2/face.png", "input_key", dir)));
        assertTrue(inputs.download("acme", "tenants/acme/inputs/u2/face.png", "input_key", dir).toString()
                .endsWith(".png"), "the extension is kept for the decoders");
        InvalidJobException foreign = assertThrows(InvalidJobException.class,
                () -> inputs.download("acme", "inputs/u1/face.png", "input_key", dir));
        assertTrue(foreign.getMessage().contains("tenants/acme/inputs/"), foreign.getMessage());
        InvalidJobException big = assertThrows(InvalidJobException.class,
                () -> inputs.download(null, "inputs/u1/face.png", "input_key", dir));
        assertTrue(big.getMessage().contains("larger than"), big.getMessage());
        InvalidJobException missing = assertThrows(InvalidJobException.class,
                () -> inputs.download(null, "inputs/u9/none.png", "input_key", dir));
        assertTrue(missing.getMessage().contains("names no uploaded object"), missing.getMessage());
    }

    @Test
    void storedLatentsAreReadFromTheRequestingTenantsOwnPrefix() throws Exception {
        InMemoryObjectUploader store = new InMemoryObjectUploader("pv3d");
        UUID job = UUID.randomUUID();
        byte[] json = StoredLatents.of(MANIFEST.name(), MANIFEST.version(), filled(W, 0f), filled(M, 0f), null,
                filled(25, 0f), "generate", job, null).toJson();
        store.upload("tenants/acme/" + job + "/latents.json", json, "application/json");
        JobInputs inputs = new JobInputs(store, MANIFEST, 1 << 20);

        assertEquals(job, inputs.latents("acme", job, "source_job_id").source().jobId());
        InvalidJobException otherTenant = assertThrows(InvalidJobException.class,
                () -> inputs.latents("globex", job, "source_job_id"));
        assertEquals("source_job_id", otherTenant.field());
        assertTrue(otherTenant.getMessage().contains("not a finished job of this tenant"), otherTenant.getMessage());
        assertThrows(InvalidJobException.class, () -> inputs.latents(null, job, "source_job_id"));
    }

    @Test
    void motionEditsReplaceInterpolateScaleAndStretchTimeInThatOrder() throws Exception {
        float[] base = filled(M, 1f);
        MotionEdit edit = new MotionEdit(Collections.nCopies(M, 2.0), Collections.nCopies(M, 4.0), 0.25, -1.0, 2.0);
        MotionEdits.Motion motion = MotionEdits.apply(edit, base, new float[] {0f, 0.25f, 0.5f}, "motion_edit");
        assertEquals(-2.5f, motion.zMotion()[0], 1e-6, "replace 2, a quarter toward 4 is 2.5, scaled by -1");
        assertArrayEquals(new float[] {0f, 0.5f, 1f}, motion.times(), 1e-6f);
        assertEquals(1f, base[0], "the input code is not changed");
        assertEquals(base, MotionEdits.apply(null, base, null, "motion_edit").zMotion());
        InvalidJobException wrongLength = assertThrows(InvalidJobException.class, () -> MotionEdits.apply(
                new MotionEdit(List.of(1.0), null, null, null, null), base, null, "motion_edit"));
        assertEquals("motion_edit.z_motion", wrongLength.field());
    }

    @Test
    void replayedTimesCycleTheFittedOnes() {
        assertArrayEquals(new float[] {0.1f, 0.7f, 0.1f, 0.7f, 0.1f},
                InversionJobs.replay(new float[] {0.1f, 0.7f}, 5));
        assertNull(InversionJobs.replay(null, 3));
        assertTrue(InversionJobs.isVideo("inputs/u/Clip.MOV"));
        assertTrue(!InversionJobs.isVideo("inputs/u/face.png"));
    }

    @Test
    void theDispatcherRunsTheKindsHandlerAndRefusesOthers() throws Exception {
        KindDispatchingHandler handler = new KindDispatchingHandler(Map.of(JobKind.GENERATE,
                context -> { throw new InvalidJobException("probe", "generate handler ran"); }));
        JobContext generate = new JobContext(GenerateRequest.builder().jobId(UUID.randomUUID()).seed(1L).build(),
                null, 1, "w", (done, total) -> { }, () -> false);
        assertEquals("probe", assertThrows(InvalidJobException.class, () -> handler.handle(generate)).field());
        JobContext edit = new JobContext(new org.pv3dfarm.protocol.EditRequest(null, UUID.randomUUID(), null, null,
                null, null, null, List.of(1L), null, null, null, null, null, null, null, null, null), null, 1, "w",
                (done, total) -> { }, () -> false);
        InvalidJobException refused = assertThrows(InvalidJobException.class, () -> handler.handle(edit));
        assertEquals("kind", refused.field());
        assertTrue(refused.getMessage().contains("not edit"), refused.getMessage());
    }
}
