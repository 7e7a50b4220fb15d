package org.pv3dfarm.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks a {@link JobRequest} against the protocol's rules and the {@link ValidationLimits}, and reports every
 * violation with the JSON path of its field ({@code views[2].yaw}). Thread-safe and cheap; validate again
 * wherever a request crosses a trust boundary (API, producer client, worker).
 *
 * <p>Rules beyond the limits: every number finite; angles in [0, pi]; sweep amplitudes in (0, pi/2], and a pitch
 * sweep's pitch +- amplitude within [0, pi]; {@code psi} in [0, 2]; seeds in [0, 2^32); explicit cameras 25 floats
 * (or 16, cam2world only) with an orthonormal rotation and a bottom row of {@code 0 0 0 1}; at most one view
 * conditions the mapping; {@code source} views (the input video's cameras) in reconstruct jobs only; outputs: a grid needs two views, mesh frames exist in the clip and do not repeat,
 * mesh resolution in [8, 256]; the inversion kinds: exactly one identity source and one
 * motion source where there are alternatives, inversion settings and motion edits within their bounds;
 * names and object keys from small safe alphabets (object keys without {@code .}/{@code ..} segments).
 * At most {@link #MAX_VIOLATIONS} violations are listed, so a hostile body cannot make a huge error.
 */
public final class JobValidator {

    /** Where in its life a request is checked. */
    public enum Stage {
        /** As sent by a submitter: the farm has not assigned {@code job_id} (and must, so it has to be absent). */
        SUBMITTED,
        /** As read from a request topic: {@code job_id} is set, and so is a seed wherever codes must be drawn. */
        QUEUED
    }

    public static final int MAX_VIOLATIONS = 50;
    /** Largest seed + 1: seeds are unsigned 32-bit, as in numpy. */
    public static final long SEED_LIMIT = 1L << 32;
    public static final double MAX_TRUNCATION_PSI = 2.0;
    public static final int MAX_OBJECT_KEY_LENGTH = 512;
    public static final int MAX_RESOLUTION = 4096;

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern OBJECT_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
    private static final double CAMERA_ROW_TOLERANCE = 1e-4;
    private static final double ROTATION_TOLERANCE = 1e-3;
    private static final double ANGLE_TOLERANCE = 1e-9;

    private final ValidationLimits limits;

    public JobValidator(ValidationLimits limits) {
        this.limits = Checks.required(limits, "limits");
    }

    public ValidationLimits limits() {
        return limits;
    }

    /** Every violation of the request at this stage; empty when it is valid. */
    public List<Violation> validate(JobRequest request, Stage stage) {
        Collector out = new Collector();
        if (request == null) {
            out.add("", "a job request is required");
            return out.violations;
        }
        ModelLimits model = common(request, stage, out);
        if (request instanceof Appearance appearance) {
            appearance(appearance, model, out);
        }
        if (request instanceof VideoOutput video) {
            video(video, model, out);
        }
        if (request instanceof GenerateRequest generate) {
            code("z_motion", generate.zMotion(), model == null ? null : model.motionDim(), "motion_dim", out);
            if (stage == Stage.QUEUED && generate.seed() == null
                    && (generate.z() == null || generate.zMotion() == null)) {
                out.add("seed", "is required when z or z_motion is not given");
            }
        } else if (request instanceof AnimateRequest animate) {
            onlyOne("input_key", animate.inputKey(), "source_job_id", animate.sourceJobId(), out);
            objectKeyIfGiven("input_key", animate.inputKey(), out);
            inversion(animate.inversion(), out);
            seed("seed", animate.seed(), out);
            boolean motionsOk = range("motions", animate.motions(), 1, limits.maxMotions(), out);
            if (animate.zMotions() != null) {
                List<List<Double>> codes = animate.zMotions();
                if (codes.isEmpty() || codes.size() > limits.maxMotions()) {
                    out.add("z_motions", "must list 1 to " + limits.maxMotions() + " motion codes, has "
                            + codes.size());
                    motionsOk = false;
                } else {
                    for (int i = 0; i < codes.size(); i++) {
                        if (codes.get(i) == null) {
                            out.add("z_motions[" + i + "]", "must be a motion code, was null");
                        } else {
                            motion("z_motions[" + i + "]", codes.get(i), model, out);
                        }
                    }
                    if (motionsOk && animate.motions() != codes.size()) {
                        out.add("motions", "must equal the number of z_motions (" + codes.size() + ") or be left out");
                        motionsOk = false;
                    }
                }
            } else if (stage == Stage.QUEUED && animate.seed() == null) {
                out.add("seed", "is required when z_motions is not given");
            }
            if (motionsOk) {
                renderedTracks("motions", animate, animate.motions(), out);
            }
        } else if (request instanceof ReconstructRequest reconstruct) {
            objectKey("input_key", reconstruct.inputKey(), out);
            inversion(reconstruct.inversion(), out);
            range("fit_frames", reconstruct.fitFrames(), 1, limits.maxFitFrames(), out);
            if (reconstruct.inversion().optimizer() == InversionSettings.Optimizer.LBFGS) {
                out.add("inversion.optimizer", "a video fit uses adam (leave it out or say adam)");
            }
            motionEdit(reconstruct.motionEdit(), model, out);
        } else if (request instanceof RetargetRequest retarget) {
            onlyOne("motion_source_job_id", retarget.motionSourceJobId(), "z_motion", retarget.zMotion(), out);
            motion("z_motion", retarget.zMotion(), model, out);
            onlyOne("source_job_id", retarget.sourceJobId(), "input_key", retarget.inputKey(), out);
            objectKeyIfGiven("input_key", retarget.inputKey(), out);
            inversion(retarget.inversion(), out);
            motionEdit(retarget.motionEdit(), model, out);
        } else if (request instanceof EditRequest edit) {
            edit(edit, model, out);
        }
        return out.violations;
    }

    /** Throws {@link JobValidationException} listing every violation, or returns the request when valid. */
    public <T extends JobRequest> T requireValid(T request, Stage stage) {
        List<Violation> violations = validate(request, stage);
        if (!violations.isEmpty()) {
            throw new JobValidationException(violations);
        }
        return request;
    }

    private ModelLimits common(JobRequest request, Stage stage, Collector out) {
        if (!SchemaVersion.isSupported(request.schemaVersion())) {
            out.add("schema_version", "version " + request.schemaVersion() + " is not supported; use "
                    + SchemaVersion.CURRENT);
        }
        UUID jobId = request.jobId();
        if (stage == Stage.SUBMITTED && jobId != null) {
            out.add("job_id", "is assigned by the farm; leave it out (use idempotency_key to make resubmission safe)");
        } else if (stage == Stage.QUEUED && jobId == null) {
            out.add("job_id", "is required on a queued request");
        }
        if (request.idempotencyKey() != null && !IDEMPOTENCY_KEY.matcher(request.idempotencyKey()).matches()) {
            out.add("idempotency_key", "must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
        }
        if (request.tenant() != null && !TENANT.matcher(request.tenant()).matches()) {
            out.add("tenant", "must be 1 to 63 characters of a-z 0-9 -, starting with a letter or digit");
        }
        String name = request.model();
        if (!MODEL.matcher(name).matches()) {
            out.add("model", "must be 1 to 64 characters of a-z 0-9 . _ -, starting with a letter or digit");
            return null;
        }
        if (limits.models().isEmpty()) {
            return null;
        }
        ModelLimits model = limits.models().get(name);
        if (model == null) {
            out.add("model", "unknown model '" + name + "'; known: " + String.join(", ",
                    limits.models().keySet().stream().sorted().toList()));
        }
        return model;
    }

    private void appearance(Appearance appearance, ModelLimits model, Collector out) {
        seed("seed", appearance.seed(), out);
        code("z", appearance.z(), model == null ? null : model.zDim(), "z_dim", out);
        finiteRange("truncation_psi", appearance.truncationPsi(), 0.0, MAX_TRUNCATION_PSI, out);
    }

    private void video(VideoOutput video, ModelLimits model, Collector out) {
        boolean framesOk = range("frames", video.frames(), 1, limits.maxFrames(), out);
        range("fps", video.fps(), 1, limits.maxFps(), out);
        List<ViewSpec> views = video.views();
        boolean viewsOk = true;
        if (views.isEmpty()) {
            out.add("views", "must list at least one view");
            viewsOk = false;
        } else if (views.size() > limits.maxViews()) {
            out.add("views", "must list at most " + limits.maxViews() + " views, has " + views.size());
            viewsOk = false;
        } else {
            boolean hasSourceVideo = video instanceof ReconstructRequest;
            for (int i = 0; i < views.size(); i++) {
                view("views[" + i + "]", views.get(i), framesOk ? video.frames() : null, out);
                if (!hasSourceVideo && views.get(i) != null && views.get(i).trajectory() == Trajectory.SOURCE) {
                    out.add("views[" + i + "].trajectory", "source replays an input video's cameras: reconstruct "
                            + "jobs only");
                }
            }
        }
        if (viewsOk) {
            int conditioning = 0;
            for (int i = 0; i < views.size(); i++) {
                if (views.get(i) != null && views.get(i).conditionsMapping() && ++conditioning == 2) {
                    out.add("views[" + i + "].conditioning", "only one view may condition the mapping network");
                }
            }
        }
        outputs(video.outputs(), framesOk ? video.frames() : null, viewsOk ? views.size() : null, out);
        if (framesOk && viewsOk && (long) video.frames() * views.size() > limits.maxRenderedFrames()) {
            out.add("frames", "frames x views = " + (long) video.frames() * views.size() + " exceeds the limit of "
                    + limits.maxRenderedFrames() + " rendered frames per job");
        }
        Integer resolution = video.resolution();
        if (resolution != null) {
            if (model != null && resolution != model.outputResolution()) {
                out.add("resolution", "only the model's native resolution " + model.outputResolution()
                        + " is supported (or leave it out), was " + resolution);
            } else if (model == null) {
                range("resolution", resolution, 1, MAX_RESOLUTION, out);
            }
        }
    }

    /** The extra outputs; frames and views are null when they are themselves invalid. */
    private static void outputs(OutputOptions outputs, Integer frames, Integer views, Collector out) {
        if (outputs == null) {
            return;
        }
        if (outputs.grid() && views != null && views < 2) {
            out.add("outputs.grid", "needs at least 2 views to tile, the request has " + views);
        }
        if (!outputs.preview() && outputs.previewFormat() != PreviewFormat.GIF) {
            out.add("outputs.preview_format", "is set but outputs.preview is false");
        }
        MeshOptions mesh = outputs.mesh();
        if (mesh == null) {
            return;
        }
        List<Integer> meshFrames = mesh.frames();
        if (meshFrames == null || meshFrames.isEmpty() || meshFrames.size() > MeshOptions.MAX_FRAMES) {
            out.add("outputs.mesh.frames", "must list 1 to " + MeshOptions.MAX_FRAMES + " frame indices, has "
                    + (meshFrames == null ? 0 : meshFrames.size()));
        } else {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int i = 0; i < meshFrames.size(); i++) {
                Integer frame = meshFrames.get(i);
                String at = "outputs.mesh.frames[" + i + "]";
                if (frame == null) {
                    out.add(at, "must be a frame index, was null");
                } else if (frame < 0 || (frames != null && frame >= frames)) {
                    out.add(at, "must be a frame of the job, 0 to " + (frames == null ? "frames - 1" : frames - 1)
                            + ", was " + frame);
                } else if (!seen.add(frame)) {
                    out.add(at, "repeats frame " + frame);
                }
            }
        }
        range("outputs.mesh.resolution", mesh.resolution(), MeshOptions.MIN_RESOLUTION, MeshOptions.MAX_RESOLUTION,
                out);
        if (!Double.isFinite(mesh.threshold())) {
            out.add("outputs.mesh.threshold", "must be a finite number, was " + mesh.threshold());
        }
        if (mesh.formats().isEmpty() || mesh.formats().stream().anyMatch(java.util.Objects::isNull)
                || new java.util.HashSet<>(mesh.formats()).size() != mesh.formats().size()) {
            out.add("outputs.mesh.formats", "must list ply and/or glb, each once");
        }
    }

    private void view(String path, ViewSpec view, Integer frames, Collector out) {
        if (view == null) {
            out.add(path, "must be a view object, was null");
            return;
        }
        finiteRange(path + ".yaw", view.yaw(), 0.0, Math.PI, out);
        finiteRange(path + ".pitch", view.pitch(), 0.0, Math.PI, out);
        if (view.amplitude() != null) {
            double a = view.amplitude();
            if (!Double.isFinite(a) || a <= 0 || a > Math.PI / 2) {
                out.add(path + ".amplitude", "must be a finite number in (0, pi/2], was " + a);
            }
        }
        Trajectory trajectory = view.trajectory();
        if (trajectory == null) {
            out.add(path + ".trajectory", "is required (orbit, yaw_sweep, pitch_sweep, fixed, explicit or source)");
            return;
        }
        switch (trajectory) {
            case FIXED -> {
                required(path + ".yaw", view.yaw(), out);
                required(path + ".pitch", view.pitch(), out);
                forbidden(path + ".amplitude", view.amplitude(), "a fixed view", out);
                forbidden(path + ".cameras", view.cameras(), "a fixed view", out);
            }
            case EXPLICIT -> {
                forbidden(path + ".yaw", view.yaw(), "an explicit view", out);
                forbidden(path + ".pitch", view.pitch(), "an explicit view", out);
                forbidden(path + ".amplitude", view.amplitude(), "an explicit view", out);
                cameras(path + ".cameras", view.cameras(), frames, out);
            }
            case SOURCE -> {
                forbidden(path + ".yaw", view.yaw(), "a source view", out);
                forbidden(path + ".pitch", view.pitch(), "a source view", out);
                forbidden(path + ".amplitude", view.amplitude(), "a source view", out);
                forbidden(path + ".cameras", view.cameras(), "a source view", out);
            }
            case PITCH_SWEEP -> {
                forbidden(path + ".cameras", view.cameras(), "a pitch_sweep view", out);
                // past a pole the LookAt camera would flip over; only a defaulted amplitude is the model's business
                double pitch = view.pitch() == null ? Math.PI / 2 : view.pitch();
                Double a = view.amplitude();
                if (a != null && Double.isFinite(pitch) && Double.isFinite(a)
                        && (pitch - a < -ANGLE_TOLERANCE || pitch + a > Math.PI + ANGLE_TOLERANCE)) {
                    out.add(path + ".amplitude", "pitch " + pitch + " +- amplitude " + a
                            + " must stay within [0, pi] (the camera would pass over a pole)");
                }
            }
            default -> forbidden(path + ".cameras", view.cameras(), "a " + trajectory.wireName() + " view", out);
        }
    }

    private void cameras(String path, List<List<Double>> cameras, Integer frames, Collector out) {
        if (cameras == null) {
            out.add(path, "is required for an explicit view");
            return;
        }
        if (cameras.isEmpty() || (frames != null && cameras.size() != 1 && cameras.size() != frames)
                || cameras.size() > limits.maxFrames()) {
            out.add(path, "must hold 1 camera or one per frame (" + (frames == null ? "frames" : frames)
                    + "), has " + cameras.size());
            return;
        }
        for (int i = 0; i < cameras.size() && !out.full(); i++) {
            String at = path + "[" + i + "]";
            List<Double> camera = cameras.get(i);
            if (camera == null) {
                out.add(at, "must be a list of " + ViewSpec.CAMERA_FLOATS + " numbers, was null");
            } else if (camera.size() != ViewSpec.CAMERA_FLOATS && camera.size() != ViewSpec.CAM2WORLD_FLOATS) {
                out.add(at, "must have " + ViewSpec.CAMERA_FLOATS + " numbers (16 cam2world, 9 intrinsics) or "
                        + ViewSpec.CAM2WORLD_FLOATS + " (cam2world only), has " + camera.size());
            } else if (numbers(at, camera, out)) {
                double[] bottom = {camera.get(12), camera.get(13), camera.get(14), camera.get(15)};
                double[] expected = {0, 0, 0, 1};
                for (int k = 0; k < 4; k++) {
                    if (Math.abs(bottom[k] - expected[k]) > CAMERA_ROW_TOLERANCE) {
                        out.add(at, "cam2world bottom row (values 12..15) must be 0 0 0 1");
                        break;
                    }
                }
                if (!orthonormalRotation(camera)) {
                    out.add(at, "cam2world rotation (values 0..2, 4..6, 8..10) must be orthonormal within "
                            + ROTATION_TOLERANCE);
                }
            }
        }
    }

    /** Whether the 3x3 rotation of a row-major cam2world has orthonormal columns (a camera, not a shear). */
    private static boolean orthonormalRotation(List<Double> m) {
        for (int a = 0; a < 3; a++) {
            for (int b = a; b < 3; b++) {
                double dot = 0;
                for (int row = 0; row < 3; row++) {
                    dot += m.get(row * 4 + a) * m.get(row * 4 + b);
                }
                if (Math.abs(dot - (a == b ? 1 : 0)) > ROTATION_TOLERANCE) {
                    return false;
                }
            }
        }
        return true;
    }

    private void edit(EditRequest edit, ModelLimits model, Collector out) {
        int appearances = edit.appearances();
        boolean countOk = appearances >= 1 && appearances <= limits.maxAppearances();
        if (!countOk) {
            out.add("source_job_ids", "source_job_ids and seeds must name 1 to " + limits.maxAppearances()
                    + " appearances together, name " + appearances);
        }
        for (int i = 0; i < edit.sourceJobIds().size(); i++) {
            required("source_job_ids[" + i + "]", edit.sourceJobIds().get(i), out);
        }
        for (int i = 0; i < edit.seeds().size(); i++) {
            required("seeds[" + i + "]", edit.seeds().get(i), out);
            seed("seeds[" + i + "]", edit.seeds().get(i), out);
        }
        finiteRange("truncation_psi", edit.truncationPsi(), 0.0, MAX_TRUNCATION_PSI, out);
        if (edit.zMotion() != null && edit.motionSourceJobId() != null) {
            out.add("z_motion", "give z_motion or motion_source_job_id, not both");
        }
        motion("z_motion", edit.zMotion(), model, out);
        motionEdit(edit.motionEdit(), model, out);
        if (countOk) {
            renderedTracks("source_job_ids", edit, appearances, out);
        }
    }

    /** Inversion settings within the limits. */
    private void inversion(InversionSettings settings, Collector out) {
        range("inversion.steps", settings.steps(), 1, limits.maxSteps(), out);
        Double rate = settings.learningRate();
        if (!Double.isFinite(rate) || rate <= 0 || rate > InversionSettings.MAX_LEARNING_RATE) {
            out.add("inversion.learning_rate", "must be a finite number in (0, " + InversionSettings.MAX_LEARNING_RATE
                    + "], was " + rate);
        }
        finiteRange("inversion.target_loss", settings.targetLoss(), 0.0, InversionSettings.MAX_TARGET_LOSS, out);
        range("inversion.patience", settings.patience(), 0, limits.maxSteps(), out);
    }

    private void motionEdit(MotionEdit edit, ModelLimits model, Collector out) {
        if (edit == null) {
            return;
        }
        motion("motion_edit.z_motion", edit.zMotion(), model, out);
        motion("motion_edit.toward", edit.toward(), model, out);
        if ((edit.toward() == null) != (edit.amount() == null)) {
            out.add(edit.toward() == null ? "motion_edit.toward" : "motion_edit.amount",
                    "toward and amount go together (interpolate toward a code by an amount)");
        }
        finiteRange("motion_edit.amount", edit.amount(), MotionEdit.MIN_AMOUNT, MotionEdit.MAX_AMOUNT, out);
        finiteRange("motion_edit.scale", edit.scale(), -MotionEdit.MAX_SCALE, MotionEdit.MAX_SCALE, out);
        Double timeScale = edit.timeScale();
        if (timeScale != null && (!Double.isFinite(timeScale) || timeScale <= 0
                || timeScale > MotionEdit.MAX_TIME_SCALE)) {
            out.add("motion_edit.time_scale", "must be a finite number in (0, " + MotionEdit.MAX_TIME_SCALE
                    + "], was " + timeScale);
        }
    }

    private void motion(String path, List<Double> code, ModelLimits model, Collector out) {
        code(path, code, model == null ? null : model.motionDim(), "motion_dim", out);
    }

    private static void seed(String path, Long seed, Collector out) {
        if (seed != null && (seed < 0 || seed >= SEED_LIMIT)) {
            out.add(path, "must be between 0 and " + (SEED_LIMIT - 1) + ", was " + seed);
        }
    }

    /** Exactly one of two alternative fields. */
    private static void onlyOne(String first, Object a, String second, Object b, Collector out) {
        if (a == null && b == null) {
            out.add(first, "is required (or give " + second + ")");
        } else if (a != null && b != null) {
            out.add(first, "give " + first + " or " + second + ", not both");
        }
    }

    private void objectKeyIfGiven(String path, String key, Collector out) {
        if (key != null) {
            objectKey(path, key, out);
        }
    }

    /** A job rendering {@code tracks} clips of frames x views each stays within the rendered-frames limit. */
    private void renderedTracks(String path, VideoOutput video, int tracks, Collector out) {
        if (video.frames() == null || video.views() == null || tracks <= 1) {
            return;
        }
        long rendered = (long) video.frames() * video.views().size() * tracks;
        if (rendered > limits.maxRenderedFrames()) {
            out.add(path, "frames x views x " + path + " = " + rendered + " exceeds the limit of "
                    + limits.maxRenderedFrames() + " rendered frames per job");
        }
    }

    /** A latent code: the model's length when known, every value a finite number within the limit. */
    private void code(String path, List<Double> code, Integer expectedLength, String dimName, Collector out) {
        if (code == null) {
            return;
        }
        if (expectedLength != null && code.size() != expectedLength) {
            out.add(path, "must have " + expectedLength + " values (the model's " + dimName + "), has " + code.size());
            return;
        }
        if (code.isEmpty() || code.size() > limits.maxCodeLength()) {
            out.add(path, "must have 1 to " + limits.maxCodeLength() + " values, has " + code.size());
            return;
        }
        numbers(path, code, out);
    }

    /** Whether every value is a finite number within the code limit; names the bad ones. */
    private boolean numbers(String path, List<Double> values, Collector out) {
        boolean ok = true;
        for (int i = 0; i < values.size() && !out.full(); i++) {
            Double v = values.get(i);
            String at = path + "[" + i + "]";
            if (v == null) {
                out.add(at, "must be a number, was null");
                ok = false;
            } else if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                out.add(at, "must be a finite number, was " + v);
                ok = false;
            } else if (Math.abs(v) > limits.maxAbsCode()) {
                out.add(at, "must be within +-" + limits.maxAbsCode() + ", was " + v);
                ok = false;
            }
        }
        return ok;
    }

    private void objectKey(String path, String key, Collector out) {
        if (key == null) {
            out.add(path, "is required");
            return;
        }
        boolean badSegment = false;
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                badSegment = true;
                break;
            }
        }
        if (key.length() > MAX_OBJECT_KEY_LENGTH || !OBJECT_KEY.matcher(key).matches() || badSegment) {
            out.add(path, "must be an object key of at most " + MAX_OBJECT_KEY_LENGTH
                    + " characters of A-Z a-z 0-9 . _ - /, with no empty, '.' or '..' segments");
        }
    }

    private static boolean range(String path, Integer value, int min, int max, Collector out) {
        if (value == null) {
            out.add(path, "is required");
            return false;
        }
        if (value < min || value > max) {
            out.add(path, "must be between " + min + " and " + max + ", was " + value);
            return false;
        }
        return true;
    }

    private static void finiteRange(String path, Double value, double min, double max, Collector out) {
        if (value != null && (!Double.isFinite(value) || value < min || value > max)) {
            out.add(path, "must be a finite number in [" + min + ", " + max + "], was " + value);
        }
    }

    private static void required(String path, Object value, Collector out) {
        if (value == null) {
            out.add(path, "is required");
        }
    }

    private static void forbidden(String path, Object value, String what, Collector out) {
        if (value != null) {
            out.add(path, "is not allowed for " + what);
        }
    }

    /** Collects violations up to {@link #MAX_VIOLATIONS}, then one that says the list was cut. */
    private static final class Collector {
        private final List<Violation> violations = new ArrayList<>();
        private boolean truncated;

        void add(String field, String message) {
            if (violations.size() < MAX_VIOLATIONS) {
                violations.add(new Violation(field, message));
            } else if (!truncated) {
                truncated = true;
                violations.add(new Violation("", "more violations were found; only the first "
                        + MAX_VIOLATIONS + " are listed"));
            }
        }

        /** Whether the list was cut: further checks are wasted work. */
        boolean full() {
            return truncated;
        }
    }
}
