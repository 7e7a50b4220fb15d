package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.InversionOptions;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.FacePolicy;
import org.pv3dfarm.protocol.InversionSettings;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.worker.inversion.InversionProgress;
import org.pv3dfarm.worker.inversion.InversionTarget;
import org.pv3dfarm.worker.inversion.PortraitInversion;
import org.pv3dfarm.worker.inversion.PortraitInverter;

/**
 * What the animate, reconstruct, retarget and edit handlers share: the {@link ClipWriter} they render through,
 * the inputs they read ({@link JobInputs}), face preparation ({@link FaceInputs}) and the fits ({@link PortraitInverter},
 * {@link VideoReconstruction}); and the one step two kinds have in common:
 * an identity from an upload (inverted) or from an earlier job's stored latents ({@link #identity}).
 */
public final class InversionJobs {

    /** Inversion outputs under the job's prefix. */
    public static final String RENDER_NAME = "inversion/render.png";
    public static final String TARGET_NAME = "inversion/target.png";
    private static final Set<String> VIDEO_SUFFIXES = Set.of(".mp4", ".m4v", ".mov", ".webm", ".mkv");

    /**
     * An identity to render.
     *
     * @param w         the appearance code
     * @param zMotion   the motion stored with it (an earlier job's), or the mean motion used for the inversion
     * @param times     an earlier reconstruct job's fitted per-frame t, else null
     * @param camera    the camera it was fitted under, or null
     * @param label     where it came from, for the manifest ({@code inversion}, {@code job:ID})
     * @param inversion the fit's manifest section, for an inverted upload
     * @param artifacts the fit's images, for an inverted upload
     */
    public record Identity(float[] w, float[] zMotion, float[] times, float[] camera, String label,
            JobManifest.Inversion inversion, List<ClipWriter.Artifact> artifacts) {
    }

    private final ClipWriter writer;
    private final JobInputs inputs;
    private final FaceInputs faces;
    private final Pv3dModel model;
    private final VideoReconstruction reconstruction;
    private final CameraPlanner cameras;
    private final Path workRoot;
    private final PngWriter png = new PngWriter();

    /** @param model the model the gradient graphs and comparison renders run on */
    public InversionJobs(ClipWriter writer, JobInputs inputs, FaceInputs faces, Pv3dModel model, Path workRoot) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.faces = Objects.requireNonNull(faces, "faces");
        this.model = Objects.requireNonNull(model, "model");
        this.reconstruction = new VideoReconstruction(model);
        this.cameras = new CameraPlanner(writer.manifest());
        this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
    }

    public ClipWriter writer() {
        return writer;
    }

    public JobInputs inputs() {
        return inputs;
    }

    public FaceInputs faces() {
        return faces;
    }

    public VideoReconstruction reconstruction() {
        return reconstruction;
    }

    public CameraPlanner cameras() {
        return cameras;
    }

    public ModelManifest manifest() {
        return writer.manifest();
    }

    /**
     * The context's request as the handler's type, if this worker's model can run it; else an invalid job naming
     * the kind, model or resolution.
     */
    public <T extends JobRequest> T request(JobContext context, Class<T> type, JobKind kind)
            throws InvalidJobException {
        if (!type.isInstance(context.request())) {
            throw new InvalidJobException("kind", "this handler runs " + kind.wireName() + " jobs, not "
                    + context.request().kind().wireName());
        }
        T request = type.cast(context.request());
        writer.requireServable(request);
        return request;
    }

    /** A temporary directory for one job's inputs; delete it with {@link WorkDirectories}. */
    public Path inputDir(JobRequest request) throws RetryableJobException {
        try {
            return Files.createTempDirectory(workRoot, "inputs-" + request.jobId() + "-");
        } catch (IOException e) {
            throw new RetryableJobException("cannot create an input directory under " + workRoot + ": " + e, e);
        }
    }

    /** Deletes a job's input directory. */
    public static void deleteInputs(Path dir) {
        WorkDirectories.deleteRecursively(dir);
    }

    /**
     * The identity of an upload ({@code key}; an image, or a video whose first frame is used when
     * {@code videoAllowed}), inverted with the settings; or of an earlier job's stored latents ({@code source}).
     * Exactly one of key and source is non-null (the validator's rule). The fit reports its steps as progress and
     * stops (a retryable {@link JobStoppedException}) when the context asks it to.
     */
    public Identity identity(JobRequest request, String key, String keyField, UUID source, String sourceField,
            FacePolicy policy, InversionSettings settings, boolean videoAllowed, Path dir, JobContext context)
            throws InvalidJobException, UploadException, JobStoppedException {
        if (source != null) {
            StoredLatents stored = inputs.latents(request.tenant(), source, sourceField);
            return new Identity(stored.w(), stored.zMotion(), stored.t(), stored.camera(), "job:" + source, null,
                    List.of());
        }
        if (key == null) {
            throw new InvalidJobException(keyField, "is required (or give " + sourceField + ")");
        }
        Path file = inputs.download(request.tenant(), key, keyField, dir);
        PreparedFace face = videoAllowed && isVideo(key) ? faces.video(file, 1, policy, keyField).get(0)
                : faces.portrait(file, policy, keyField);
        long start = System.nanoTime();
        InversionTarget target = new InversionTarget(face.target(), face.mask(), face.camera(),
                manifest().latentDistribution().zMotion().meanTensor(), 0f);
        PortraitInversion result;
        try {
            result = new PortraitInverter(model, options(settings)).invert(target, (index, step, steps, loss) -> {
                context.progress().reportSteps(step, steps);
                if (step < steps && context.stopRequested().getAsBoolean()) {
                    throw new Stopped(step);
                }
            });
        } catch (Stopped e) {
            throw new JobStoppedException("job " + request.jobId() + " stopped after " + e.step
                    + " inversion steps: the worker is shutting down or the job was cancelled");
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        OutputKeyLayout layout = OutputKeyLayout.forJob(request.tenant(), request.jobId());
        List<ClipWriter.Artifact> artifacts = List.of(
                new ClipWriter.Artifact(RENDER_NAME, png.rgb(result.renderImage()), PngWriter.CONTENT_TYPE),
                new ClipWriter.Artifact(TARGET_NAME, png.rgb(face.image()), PngWriter.CONTENT_TYPE));
        JobManifest.Inversion section = new JobManifest.Inversion(key, 1, result.result().steps(),
                result.result().stopReason().name().toLowerCase(Locale.ROOT), result.result().initialLoss(),
                result.result().bestLoss(), result.psnrDb(), layout.key(RENDER_NAME), layout.key(TARGET_NAME),
                face.camera(), ms);
        return new Identity(result.wVector(), target.zMotion().data(), null, face.camera(), "inversion", section,
                artifacts);
    }

    /** The model's image at w, motion and time from a camera (a fit's comparison render). */
    public RgbImage render(float[] w, float[] zMotion, float t, float[] camera) {
        FloatTensor ws = model.broadcastWs(FloatTensor.of(w.clone(), 1, w.length));
        FloatTensor rgb = model.image(model.synthesis(ws, FloatTensor.of(zMotion.clone(), 1, zMotion.length),
                FloatTensor.of(new float[] {t}, 1)), ws, FloatTensor.of(camera.clone(), 1, camera.length));
        return RgbImage.fromSignedUnitChw(rgb.data(), 0, (int) rgb.dim(3), (int) rgb.dim(2));
    }

    /** The model's inversion options for a request's settings. */
    public static InversionOptions options(InversionSettings settings) {
        InversionOptions.Builder options = InversionOptions.builder().steps(settings.steps())
                .learningRate(settings.learningRate()).targetLoss(settings.targetLoss()).patience(settings.patience());
        if (settings.optimizer() != null) {
            options.optimizer(settings.optimizer() == InversionSettings.Optimizer.ADAM
                    ? InversionOptions.Optimizer.ADAM : InversionOptions.Optimizer.LBFGS);
        }
        return options.build();
    }

    /** Unwinds an inversion from its progress callback when the job must stop. */
    private static final class Stopped extends RuntimeException {
        private final int step;

        Stopped(int step) {
            super(null, null, false, false);
            this.step = step;
        }
    }

    /** Whether an upload's name says it is a video. */
    public static boolean isVideo(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return VIDEO_SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    /**
     * Per-frame times of a clip of {@code frames} frames that replays a fitted motion: frame i takes
     * {@code fitted[i mod n]}; null when there is no fitted motion (the plan's times apply).
     */
    public static float[] replay(float[] fitted, int frames) {
        if (fitted == null || fitted.length == 0) {
            return null;
        }
        float[] times = new float[frames];
        for (int i = 0; i < frames; i++) {
            times[i] = fitted[i % fitted.length];
        }
        return times;
    }
}
