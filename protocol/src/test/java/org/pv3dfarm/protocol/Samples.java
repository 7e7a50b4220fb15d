package org.pv3dfarm.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Valid messages of every type, shared by the tests. */
final class Samples {

    static final UUID JOB = UUID.fromString("0b6f2c55-8f7e-4d55-9a55-0e6b7d1c2a10");
    static final UUID SOURCE = UUID.fromString("5d0c7f3e-2b7a-4f0e-8b1f-3c6d9e2a4b58");
    static final Instant T = Instant.parse("2026-01-02T03:04:05.123Z");
    /** The default model (pv3d-demo): 64-d codes, 64² output. */
    static final ModelLimits DEMO = new ModelLimits(JobRequest.DEFAULT_MODEL, 64, 64, 64);
    static final ValidationLimits LIMITS = ValidationLimits.builder().model(DEMO).build();

    private Samples() {
    }

    static List<Double> code(int length, double value) {
        return new ArrayList<>(Collections.nCopies(length, value));
    }

    static List<Double> frontalCamera() {
        List<Double> c = new ArrayList<>(List.of(
                1.0, 0.0, 0.0, 0.0,
                0.0, -1.0, 0.0, 0.0,
                0.0, 0.0, -1.0, 2.7,
                0.0, 0.0, 0.0, 1.0,
                4.2647, 0.0, 0.5, 0.0, 4.2647, 0.5, 0.0, 0.0, 1.0));
        return c;
    }

    /** A generate request that uses every field. */
    static GenerateRequest fullGenerate() {
        return GenerateRequest.builder()
                .idempotencyKey("batch-7:item-42")
                .tenant("acme")
                .priority(Priority.HIGH)
                .model(JobRequest.DEFAULT_MODEL)
                .z(code(64, 0.25))
                .zMotion(code(64, -0.5))
                .truncationPsi(0.8)
                .frames(32)
                .fps(30)
                .views(ViewSpec.orbit(),
                        new ViewSpec(Trajectory.YAW_SWEEP, 1.4, 1.6, 0.4, null),
                        ViewSpec.pitchSweep(),
                        ViewSpec.fixed(Math.PI / 2, Math.PI / 2).conditioningPerFrame(),
                        new ViewSpec(Trajectory.EXPLICIT, null, null, null, List.of(frontalCamera())),
                        new ViewSpec(Trajectory.EXPLICIT, null, null, null, List.of(frontalCamera().subList(0, 16))))
                .outputs(new OutputOptions(true, true, true, true, PreviewFormat.WEBP,
                        new MeshOptions(List.of(0, 31), 32, 5.0, List.of(MeshFormat.GLB))))
                .resolution(64)
                .build();
    }

    static AnimateRequest animate() {
        return new AnimateRequest(null, null, null, "acme", null, null, "tenants/acme/inputs/u1/face.png", null,
                FacePolicy.LARGEST, new InversionSettings(100, 0.1, 0.002, 20), 7L, 3, null, 48, null, null, null,
                null);
    }

    static ReconstructRequest reconstruct() {
        return new ReconstructRequest(null, null, "rec-1", null, Priority.HIGH, null, "inputs/u2/clip.mp4", null,
                null, 8, new MotionEdit(null, code(64, 0.5), 0.5, 1.5, 2.0), null, null, List.of(ViewSpec.yawSweep()),
                new OutputOptions(false, true), null);
    }

    static RetargetRequest retarget() {
        return new RetargetRequest(null, null, null, null, null, null, SOURCE, null, null, "inputs/u3/face.png",
                null, null, MotionEdit.scaled(0.5), 20, 25, null, null, null);
    }

    static EditRequest edit() {
        return new EditRequest(null, null, null, null, null, null, List.of(SOURCE), List.of(1L, 2L), null, null,
                null, new MotionEdit(code(64, 0.1), null, null, 2.0, null), null, null, null, null, null);
    }

    static List<JobRequest> allRequests() {
        return List.of(fullGenerate(), GenerateRequest.builder().seed(42L).build(), animate(), reconstruct(),
                retarget(), edit());
    }

    static OutputKeys outputKeys() {
        return new OutputKeys("pv3d-outputs", JOB + "/manifest.json",
                List.of(JOB + "/view-00.mp4", JOB + "/view-01.mp4"), JOB + "/frames/", JOB + "/depth/", null, 32,
                JOB + "/video/grid.mp4", JOB + "/preview/thumbnail.png", JOB + "/preview/preview.gif",
                List.of(JOB + "/mesh/frame-0000.ply", JOB + "/mesh/frame-0000.glb"));
    }

    static List<JobEvent> allEvents() {
        return List.of(
                new JobAccepted(null, JOB, JobKind.GENERATE, "acme", T, Priority.HIGH, "k-1", "ab".repeat(32)),
                new JobStarted(null, JOB, JobKind.GENERATE, "acme", T, "worker-1", 1),
                new JobProgress(null, JOB, JobKind.GENERATE, "acme", T, 1, 8, 32, ProgressUnit.FRAMES),
                new JobCompleted(null, JOB, JobKind.GENERATE, "acme", T, 1, "worker-1", outputKeys(), 1234L),
                new JobFailed(null, JOB, JobKind.RECONSTRUCT, null, T, 2, "storage_error", "S3 unreachable", true),
                new JobCancelled(null, JOB, JobKind.EDIT, null, T, "user asked"));
    }

    static DeadLetter deadLetter() {
        return new DeadLetter(null, Topics.GENERATE, 3, 1234L, JOB.toString(),
                Map.of(HeaderNames.TENANT, "acme", HeaderNames.TRACE_ID, "t-1"),
                java.util.Base64.getEncoder().encodeToString(new byte[]{'{', 0, (byte) 0xff}),
                "frames: must be between 1 and 1024, was 0", JobValidationException.class.getName(), "render-workers",
                JOB, T);
    }
}
