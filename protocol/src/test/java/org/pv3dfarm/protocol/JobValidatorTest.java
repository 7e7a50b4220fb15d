package org.pv3dfarm.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobValidatorTest {

    private static final ViewSpec SOURCE_VIEW = new ViewSpec(Trajectory.SOURCE, null, null, null, null);

    private final JobValidator validator = new JobValidator(Samples.LIMITS);

    @Test
    void everySampleIsValidWhenSubmittedAndWhenQueued() {
        for (JobRequest request : Samples.allRequests()) {
            assertEquals(List.of(), validator.validate(request, JobValidator.Stage.SUBMITTED), request::toString);
            JobRequest queued = JobRequests.forQueue(request, Samples.JOB, () -> 99L);
            assertEquals(List.of(), validator.validate(queued, JobValidator.Stage.QUEUED), queued::toString);
        }
    }

    @Test
    void minimalGenerateIsValid() {
        assertEquals(List.of(), validator.validate(GenerateRequest.builder().build(), JobValidator.Stage.SUBMITTED));
    }

    static GenerateRequest.Builder base() {
        return GenerateRequest.builder();
    }

    static Stream<Arguments> badGenerates() {
        return Stream.<Arguments>of(
                bad("frames", b -> b.frames(0)),
                bad("frames", b -> b.frames(-5)),
                bad("frames", b -> b.frames(1025)),
                bad("frames", b -> b.frames(Integer.MAX_VALUE)),
                bad("fps", b -> b.fps(0)),
                bad("fps", b -> b.fps(61)),
                bad("views", b -> b.views(List.of())),
                bad("views", b -> b.views(Collections.nCopies(17, ViewSpec.orbit()))),
                bad("frames", b -> b.frames(1024).views(Collections.nCopies(5, ViewSpec.orbit()))),
                bad("views[1]", b -> b.views(nullAt(1))),
                bad("views[0].trajectory", b -> b.views(new ViewSpec(null, null, null, null, null))),
                bad("views[0].yaw", b -> b.views(new ViewSpec(Trajectory.FIXED, null, 1.0, null, null))),
                bad("views[0].pitch", b -> b.views(new ViewSpec(Trajectory.FIXED, 1.0, null, null, null))),
                bad("views[0].yaw", b -> b.views(ViewSpec.fixed(-0.1, 1.0))),
                bad("views[0].yaw", b -> b.views(ViewSpec.fixed(3.2, 1.0))),
                bad("views[0].pitch", b -> b.views(ViewSpec.fixed(1.0, Double.NaN))),
                bad("views[0].pitch", b -> b.views(ViewSpec.fixed(1.0, Double.POSITIVE_INFINITY))),
                bad("views[0].amplitude", b -> b.views(new ViewSpec(Trajectory.ORBIT, null, null, 0.0, null))),
                bad("views[0].amplitude", b -> b.views(new ViewSpec(Trajectory.ORBIT, null, null, 2.0, null))),
                bad("views[0].amplitude", b -> b.views(new ViewSpec(Trajectory.FIXED, 1.0, 1.0, 0.3, null))),
                bad("views[0].cameras",
                        b -> b.views(new ViewSpec(Trajectory.ORBIT, null, null, null, List.of(Samples.frontalCamera())))),
                bad("views[0].cameras", b -> b.views(new ViewSpec(Trajectory.EXPLICIT, null, null, null, null))),
                bad("views[0].cameras", b -> b.views(new ViewSpec(Trajectory.EXPLICIT, null, null, null, List.of()))),
                bad("views[0].cameras", b -> b.frames(16).views(explicit(3))),
                bad("views[0].yaw", b -> b.views(new ViewSpec(Trajectory.EXPLICIT, 1.0, null, null,
                        List.of(Samples.frontalCamera())))),
                bad("views[0].cameras[0]", b -> b.views(explicitWith(c -> c.subList(0, 24)))),
                bad("views[0].cameras[0]", b -> b.views(explicitWith(c -> set(c, 15, 0.0)))),
                bad("views[0].cameras[0][3]", b -> b.views(explicitWith(c -> set(c, 3, Double.NaN)))),
                bad("views[0].cameras[0][20]", b -> b.views(explicitWith(c -> set(c, 20, 1e9)))),
                bad("views[0].cameras[0][2]", b -> b.views(explicitWith(c -> set(c, 2, null)))),
                bad("views[0].cameras[0]", b -> b.views(explicitWith(c -> c.subList(0, 17)))),
                bad("views[0].cameras[0]", b -> b.views(explicitWith(c -> set(c, 0, 2.0)))),
                bad("views[0].cameras[0]", b -> b.views(explicitWith(c -> set(c, 4, 0.5)))),
                bad("views[0].amplitude", b -> b.views(new ViewSpec(Trajectory.PITCH_SWEEP, null, 0.5, 0.6, null))),
                bad("views[1].conditioning", b -> b.views(ViewSpec.orbit().conditioningPerFrame(),
                        ViewSpec.yawSweep().conditioningPerFrame())),
                bad("outputs.grid", b -> b.outputs(OutputOptions.MP4_ONLY.withGrid(true))),
                bad("outputs.preview_format", b -> b.outputs(new OutputOptions(null, null, null, false,
                        PreviewFormat.WEBP, null))),
                bad("outputs.mesh.frames", b -> b.outputs(mesh(new MeshOptions(null, null, null, null)))),
                bad("outputs.mesh.frames", b -> b.outputs(mesh(new MeshOptions(List.of(), null, null, null)))),
                bad("outputs.mesh.frames", b -> b.outputs(mesh(new MeshOptions(Collections.nCopies(17, 0), null,
                        null, null)))),
                bad("outputs.mesh.frames[1]", b -> b.frames(16).outputs(mesh(MeshOptions.of(0, 16)))),
                bad("outputs.mesh.frames[0]", b -> b.outputs(mesh(MeshOptions.of(-1)))),
                bad("outputs.mesh.frames[1]", b -> b.outputs(mesh(MeshOptions.of(3, 3)))),
                bad("outputs.mesh.frames[0]", b -> b.outputs(mesh(new MeshOptions(nullAt(0, 1), null, null, null)))),
                bad("outputs.mesh.resolution", b -> b.outputs(mesh(new MeshOptions(List.of(0), 7, null, null)))),
                bad("outputs.mesh.resolution", b -> b.outputs(mesh(new MeshOptions(List.of(0), 257, null, null)))),
                bad("outputs.mesh.threshold", b -> b.outputs(mesh(new MeshOptions(List.of(0), null, Double.NaN,
                        null)))),
                bad("outputs.mesh.formats", b -> b.outputs(mesh(new MeshOptions(List.of(0), null, null, List.of())))),
                bad("outputs.mesh.formats", b -> b.outputs(mesh(new MeshOptions(List.of(0), null, null,
                        List.of(MeshFormat.PLY, MeshFormat.PLY))))),
                bad("z", b -> b.z(Samples.code(63, 0.0))),
                bad("z", b -> b.z(Samples.code(65, 0.0))),
                bad("z", b -> b.z(List.of())),
                bad("z", b -> b.z(Samples.code(1_000_000, 0.0))),
                bad("z[5]", b -> b.z(set(Samples.code(64, 0.0), 5, Double.NaN))),
                bad("z[0]", b -> b.z(set(Samples.code(64, 0.0), 0, Double.NEGATIVE_INFINITY))),
                bad("z[9]", b -> b.z(set(Samples.code(64, 0.0), 9, null))),
                bad("z[63]", b -> b.z(set(Samples.code(64, 0.0), 63, 101.0))),
                bad("z[1]", b -> b.z(set(Samples.code(64, 0.0), 1, 1e300))),
                bad("z_motion", b -> b.zMotion(Samples.code(32, 0.0))),
                bad("z_motion[2]", b -> b.zMotion(set(Samples.code(64, 0.0), 2, Double.NaN))),
                bad("seed", b -> b.seed(-1L)),
                bad("seed", b -> b.seed(1L << 32)),
                bad("truncation_psi", b -> b.truncationPsi(-0.1)),
                bad("truncation_psi", b -> b.truncationPsi(2.5)),
                bad("truncation_psi", b -> b.truncationPsi(Double.NaN)),
                bad("resolution", b -> b.resolution(256)),
                bad("resolution", b -> b.resolution(0)),
                bad("model", b -> b.model("pv3d-huge")),
                bad("model", b -> b.model("../etc/passwd")),
                bad("model", b -> b.model("")),
                bad("tenant", b -> b.tenant("ACME")),
                bad("tenant", b -> b.tenant("")),
                bad("tenant", b -> b.tenant("a".repeat(64))),
                bad("tenant", b -> b.tenant("acme/../other")),
                bad("idempotency_key", b -> b.idempotencyKey("")),
                bad("idempotency_key", b -> b.idempotencyKey("k".repeat(129))),
                bad("idempotency_key", b -> b.idempotencyKey("has space")),
                bad("idempotency_key", b -> b.idempotencyKey("new\nline")),
                bad("job_id", b -> b.jobId(Samples.JOB)),
                bad("schema_version", b -> b.schemaVersion(2)),
                bad("schema_version", b -> b.schemaVersion(0)));
    }

    private static OutputOptions mesh(MeshOptions mesh) {
        return OutputOptions.MP4_ONLY.withMesh(mesh);
    }

    @Test
    void trajectoryAndOutputOptionsAtTheirLimitsAreValid() {
        GenerateRequest request = base().frames(16)
                .views(new ViewSpec(Trajectory.PITCH_SWEEP, null, null, Math.PI / 2, null).conditioningPerFrame(),
                        new ViewSpec(Trajectory.EXPLICIT, null, null, null, List.of(Samples.frontalCamera().subList(0, 16))))
                .outputs(new OutputOptions(true, true, true, true, PreviewFormat.WEBP,
                        new MeshOptions(List.of(0, 15), 256, -3.5, List.of(MeshFormat.PLY))))
                .build();
        assertEquals(List.of(), validator.validate(request, JobValidator.Stage.SUBMITTED));
        MeshOptions defaults = MeshOptions.of(2);
        assertEquals(MeshOptions.DEFAULT_RESOLUTION, defaults.resolution());
        assertEquals(MeshOptions.DEFAULT_THRESHOLD, defaults.threshold());
        assertEquals(List.of(MeshFormat.PLY, MeshFormat.GLB), defaults.formats());
        assertEquals(PreviewFormat.GIF, OutputOptions.MP4_ONLY.previewFormat());
    }

    @ParameterizedTest
    @MethodSource("badGenerates")
    void eachRuleNamesItsField(String field, UnaryOperator<GenerateRequest.Builder> change) {
        List<Violation> violations = validator.validate(change.apply(base()).build(), JobValidator.Stage.SUBMITTED);
        assertTrue(violations.stream().anyMatch(v -> v.field().equals(field)),
                () -> "expected a violation of " + field + ", got " + violations);
        assertTrue(violations.stream().noneMatch(v -> v.message().isBlank()));
    }

    @Test
    void queuedRequestsNeedJobIdAndSeedUnlessBothCodesAreGiven() {
        List<Violation> violations = validator.validate(base().build(), JobValidator.Stage.QUEUED);
        assertEquals(List.of("job_id", "seed"), violations.stream().map(Violation::field).toList());
        GenerateRequest explicit = base().jobId(Samples.JOB).z(Samples.code(64, 0.1))
                .zMotion(Samples.code(64, 0.1)).build();
        assertEquals(List.of(), validator.validate(explicit, JobValidator.Stage.QUEUED));
        GenerateRequest halfExplicit = base().jobId(Samples.JOB).z(Samples.code(64, 0.1)).build();
        assertEquals(List.of("seed"), fields(validator.validate(halfExplicit, JobValidator.Stage.QUEUED)));
    }

    @Test
    void reportsEveryViolationAtOnce() {
        GenerateRequest request = base().frames(0).fps(0).tenant("BAD").model("x y")
                .views(ViewSpec.fixed(9, 9)).build();
        assertEquals(List.of("model", "tenant", "frames", "fps", "views[0].yaw", "views[0].pitch").stream().sorted()
                .toList(), fields(validator.validate(request, JobValidator.Stage.SUBMITTED)).stream().sorted().toList());
    }

    @Test
    void capsTheNumberOfViolations() {
        List<Double> allNaN = new ArrayList<>(Collections.nCopies(64, Double.NaN));
        List<Violation> violations = validator.validate(base().z(allNaN).zMotion(allNaN).build(),
                JobValidator.Stage.SUBMITTED);
        assertEquals(JobValidator.MAX_VIOLATIONS + 1, violations.size());
        assertTrue(violations.get(JobValidator.MAX_VIOLATIONS).message().contains("only the first"));
    }

    @Test
    void unknownModelDimsStillBoundCodes() {
        JobValidator loose = new JobValidator(ValidationLimits.defaults());
        assertEquals(List.of(), loose.validate(base().model("someone-elses").z(Samples.code(512, 0.0))
                .resolution(512).build(), JobValidator.Stage.SUBMITTED));
        assertEquals(List.of("z"), fields(loose.validate(base().z(Samples.code(5000, 0.0)).build(),
                JobValidator.Stage.SUBMITTED)));
    }

    @Test
    void limitsAreConfigurable() {
        JobValidator strict = new JobValidator(ValidationLimits.builder().model(Samples.DEMO).maxFrames(8)
                .maxViews(2).maxFps(10).build());
        assertEquals(List.of("frames", "fps", "views"), fields(strict.validate(base().frames(9).fps(11)
                .views(ViewSpec.orbit(), ViewSpec.orbit(), ViewSpec.orbit()).build(), JobValidator.Stage.SUBMITTED)));
    }

    @Test
    void limitsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ValidationLimits.builder().maxFrames(0).build());
        assertThrows(IllegalArgumentException.class, () -> ValidationLimits.builder().maxAbsCode(Double.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> new ModelLimits("m", 0, 64, 128));
        assertThrows(IllegalArgumentException.class, () -> new ModelLimits(" ", 64, 64, 128));
    }

    @Test
    void hostileJsonIsCaughtByCodecOrValidator() {
        // 1e400 parses to Infinity: the codec lets it through, the validator names it.
        JobRequest request = JobCodec.instance().decodeRequest(
                "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"fixed\",\"yaw\":1e400,\"pitch\":1}]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("views[0].yaw"), fields(validator.validate(request, JobValidator.Stage.SUBMITTED)));
    }

    @Test
    void requireValidThrowsWithEveryViolation() {
        JobValidationException e = assertThrows(JobValidationException.class,
                () -> validator.requireValid(base().frames(0).fps(0).build(), JobValidator.Stage.SUBMITTED));
        assertEquals(List.of("frames", "fps"), fields(e.violations()));
        assertTrue(e.getMessage().contains("frames: must be between 1 and 1024, was 0"), e.getMessage());
        GenerateRequest ok = base().build();
        assertSame(ok, validator.requireValid(ok, JobValidator.Stage.SUBMITTED));
    }

    static Stream<Arguments> badOtherKinds() {
        AnimateRequest a = Samples.animate();
        return Stream.of(
                Arguments.of("input_key", animate(null, null, null, null, null)),
                Arguments.of("input_key", animate("x.png", Samples.SOURCE, null, null, null)),
                Arguments.of("input_key", animate("../secrets/x.png", null, null, null, null)),
                Arguments.of("input_key", animate("uploads//x.png", null, null, null, null)),
                Arguments.of("input_key", animate("/abs/x.png", null, null, null, null)),
                Arguments.of("input_key", animate("uploads/./x.png", null, null, null, null)),
                Arguments.of("input_key", animate("up loads/x.png", null, null, null, null)),
                Arguments.of("input_key", animate("a".repeat(513), null, null, null, null)),
                Arguments.of("motions", animate(a.inputKey(), null, 0, null, null)),
                Arguments.of("motions", animate(a.inputKey(), null, 9, null, null)),
                Arguments.of("motions", animate(a.inputKey(), null, 2, List.of(Samples.code(64, 0.0)), null)),
                Arguments.of("z_motions[0]", animate(a.inputKey(), null, null, List.of(Samples.code(3, 0.0)), null)),
                Arguments.of("z_motions[1]", animate(a.inputKey(), null, null, nullAt(1, Samples.code(64, 0.0)),
                        null)),
                Arguments.of("inversion.steps", animate(a.inputKey(), null, null, null,
                        new InversionSettings(5001, null, null, null))),
                Arguments.of("inversion.learning_rate", animate(a.inputKey(), null, null, null,
                        new InversionSettings(null, Double.NaN, null, null))),
                Arguments.of("inversion.target_loss", animate(a.inputKey(), null, null, null,
                        new InversionSettings(null, null, -1.0, null))),
                Arguments.of("inversion.patience", animate(a.inputKey(), null, null, null,
                        new InversionSettings(null, null, null, -1))),
                Arguments.of("motions", new AnimateRequest(null, null, null, null, null, null, "x.png", null, null,
                        null, 1L, 8, null, 1024, null, null, null, null)),
                Arguments.of("outputs.mesh.frames[0]", new AnimateRequest(null, null, null, null, null, null, "x.png",
                        null, null, null, 1L, null, null, 4, null, null, new OutputOptions(false, false, false, false,
                        null, new MeshOptions(List.of(4), null, null, null)), null)),
                Arguments.of("input_key", reconstruct(null, null, null)),
                Arguments.of("fit_frames", reconstruct("x.mp4", 65, null)),
                Arguments.of("inversion.optimizer", new ReconstructRequest(null, null, null, null, null, null, "x.mp4",
                        null, new InversionSettings(10, null, null, null, InversionSettings.Optimizer.LBFGS), null, null,
                        null, null, null, null, null)),
                Arguments.of("motion_edit.amount", reconstruct("x.mp4", null,
                        new MotionEdit(null, Samples.code(64, 0.0), null, null, null))),
                Arguments.of("motion_edit.amount", reconstruct("x.mp4", null,
                        new MotionEdit(null, Samples.code(64, 0.0), 3.0, null, null))),
                Arguments.of("motion_edit.z_motion", reconstruct("x.mp4", null,
                        new MotionEdit(Samples.code(2, 0.0), null, null, null, null))),
                Arguments.of("motion_edit.scale", reconstruct("x.mp4", null, MotionEdit.scaled(4.5))),
                Arguments.of("motion_edit.time_scale", reconstruct("x.mp4", null,
                        new MotionEdit(null, null, null, null, 0.0))),
                Arguments.of("views[0].trajectory", new AnimateRequest(null, null, null, null, null, null, "x.png",
                        null, null, null, 1L, null, null, null, null, List.of(SOURCE_VIEW), null, null)),
                Arguments.of("views[1].yaw", new ReconstructRequest(null, null, null, null, null, null, "x.mp4", null,
                        null, null, null, null, null, List.of(ViewSpec.orbit(),
                        new ViewSpec(Trajectory.SOURCE, 1.0, null, null, null)), null, null)),
                Arguments.of("motion_source_job_id", retarget(null, null, Samples.SOURCE, null)),
                Arguments.of("motion_source_job_id", retarget(Samples.SOURCE, Samples.code(64, 0.0), Samples.SOURCE,
                        null)),
                Arguments.of("z_motion", retarget(null, Samples.code(5, 0.0), Samples.SOURCE, null)),
                Arguments.of("source_job_id", retarget(Samples.SOURCE, null, null, null)),
                Arguments.of("source_job_id", retarget(Samples.SOURCE, null, Samples.SOURCE, "x.png")),
                Arguments.of("source_job_ids", edit(List.of(), List.of(), null)),
                Arguments.of("source_job_ids", edit(Collections.nCopies(5, Samples.SOURCE),
                        Collections.nCopies(4, 1L), null)),
                Arguments.of("source_job_ids[1]", edit(nullAt(1, Samples.SOURCE), List.of(), null)),
                Arguments.of("seeds[0]", edit(List.of(), List.of(-1L), null)),
                Arguments.of("z_motion", edit(List.of(), List.of(1L), Samples.code(63, 0.0))));
    }

    @Test
    void inversionJobsMayAskForMeshes() {
        OutputOptions mesh = new OutputOptions(false, false, false, false, null,
                new MeshOptions(List.of(0, 3), null, null, null));
        AnimateRequest animate = new AnimateRequest(null, null, null, null, null, null, "x.png", null, null, null, 1L,
                null, null, 4, null, null, mesh, null);
        ReconstructRequest reconstruct = new ReconstructRequest(null, null, null, null, null, null, "x.mp4", null,
                null, null, null, 4, null, null, mesh, null);
        assertEquals(List.of(), validator.validate(animate, JobValidator.Stage.SUBMITTED));
        assertEquals(List.of(), validator.validate(reconstruct, JobValidator.Stage.SUBMITTED));
    }

    @Test
    void aReconstructJobMayReplayItsVideosCameras() {
        ReconstructRequest request = new ReconstructRequest(null, null, null, null, null, null, "x.mp4", null, null,
                null, null, null, null, List.of(SOURCE_VIEW, ViewSpec.yawSweep()), null, null);
        assertEquals(List.of(), validator.validate(request, JobValidator.Stage.SUBMITTED));
    }

    @ParameterizedTest
    @MethodSource("badOtherKinds")
    void otherKindsNameTheirFields(String field, JobRequest request) {
        List<Violation> violations = validator.validate(request, JobValidator.Stage.SUBMITTED);
        assertTrue(fields(violations).contains(field), () -> "expected " + field + " in " + violations);
    }

    @Test
    void queuedAnimateNeedsSeedToDrawMotions() {
        AnimateRequest noSeed = new AnimateRequest(null, Samples.JOB, null, null, null, null, "x.png", null, null,
                null, null, null, null, null, null, null, null, null);
        assertEquals(List.of("seed"), fields(validator.validate(noSeed, JobValidator.Stage.QUEUED)));
        AnimateRequest given = new AnimateRequest(null, Samples.JOB, null, null, null, null, "x.png", null, null,
                null, null, null, List.of(Samples.code(64, 0.0)), null, null, null, null, null);
        assertEquals(List.of(), fields(validator.validate(given, JobValidator.Stage.QUEUED)));
        assertEquals(1, given.motions(), "motions defaults to the number of given codes");
    }

    @Test
    void inversionRequestsNameWhatTheyRead() {
        AnimateRequest animate = Samples.animate();
        assertEquals(List.of(new InputRef("input_key", animate.inputKey(), InputMedia.IMAGE)), animate.inputs());
        assertEquals(List.of(), animate.sourceJobs());
        assertEquals(InputMedia.VIDEO, Samples.reconstruct().inputs().get(0).media());
        RetargetRequest retarget = retarget(Samples.JOB, null, Samples.SOURCE, null);
        assertEquals(List.of(new SourceJobRef("motion_source_job_id", Samples.JOB),
                new SourceJobRef("source_job_id", Samples.SOURCE)), retarget.sourceJobs());
        assertEquals(List.of(new SourceJobRef("source_job_ids[0]", Samples.SOURCE)), Samples.edit().sourceJobs());
        assertEquals(InversionSettings.DEFAULT_STEPS, animate(null, Samples.SOURCE, null, null, null).inversion()
                .steps());
    }

    @Test
    void nullRequestIsAViolation() {
        assertEquals(1, validator.validate(null, JobValidator.Stage.SUBMITTED).size());
    }

    private static Arguments bad(String field, UnaryOperator<GenerateRequest.Builder> change) {
        return Arguments.of(field, change);
    }

    private static List<ViewSpec> nullAt(int index) {
        return nullAt(index, ViewSpec.orbit());
    }

    private static <T> List<T> nullAt(int index, T filler) {
        List<T> list = new ArrayList<>(Collections.nCopies(index + 1, filler));
        list.set(index, null);
        return list;
    }

    private static ViewSpec explicit(int count) {
        return new ViewSpec(Trajectory.EXPLICIT, null, null, null, Collections.nCopies(count, Samples.frontalCamera()));
    }

    private static ViewSpec explicitWith(UnaryOperator<List<Double>> change) {
        return new ViewSpec(Trajectory.EXPLICIT, null, null, null,
                Collections.singletonList(change.apply(Samples.frontalCamera())));
    }

    private static List<Double> set(List<Double> list, int index, Double value) {
        List<Double> copy = new ArrayList<>(list);
        copy.set(index, value);
        return copy;
    }

    private static AnimateRequest animate(String key, java.util.UUID source, Integer motions,
            List<List<Double>> codes, InversionSettings inversion) {
        return new AnimateRequest(null, null, null, null, null, null, key, source, null, inversion, 1L, motions, codes,
                null, null, null, null, null);
    }

    private static ReconstructRequest reconstruct(String key, Integer fitFrames, MotionEdit edit) {
        return new ReconstructRequest(null, null, null, null, null, null, key, null, null, fitFrames, edit, null, null,
                null, null, null);
    }

    private static RetargetRequest retarget(java.util.UUID motionSource, List<Double> zMotion, java.util.UUID source,
            String key) {
        return new RetargetRequest(null, null, null, null, null, null, motionSource, zMotion, source, key, null, null,
                null, null, null, null, null, null);
    }

    private static EditRequest edit(List<java.util.UUID> sources, List<Long> seeds, List<Double> zMotion) {
        return new EditRequest(null, null, null, null, null, null, sources, seeds, null, zMotion, null, null, null,
                null, null, null, null);
    }

    private static List<String> fields(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }
}
