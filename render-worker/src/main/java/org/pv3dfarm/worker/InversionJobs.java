package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.protocol.FacePolicy;
import org.pv3dfarm.protocol.InversionSettings;
import org.pv3dfarm.protocol.JobRequest;

/**
 * What the animate, reconstruct, retarget and edit handlers share: the {@link ClipWriter} they render through,
 * the inputs they read ({@link JobInputs}), face preparation ({@link PortraitPreparer}, {@link VideoPreparer}) and
 * the fits ({@link PortraitInversion}, {@link VideoReconstruction}); and the one step two kinds have in common:
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
    private final PortraitPreparer portraits;
    private final VideoPreparer videos;
    private final PortraitInversion inversion;
    private final VideoReconstruction reconstruction;
    private final CameraPlanner cameras;
    private final Path workRoot;
    private final PngWriter png = new PngWriter();

    public InversionJobs(ClipWriter writer, JobInputs inputs, PortraitPreparer portraits, VideoPreparer videos,
            PortraitInversion inversion, VideoReconstruction reconstruction, Path workRoot) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.portraits = Objects.requireNonNull(portraits, "portraits");
        this.videos = Objects.requireNonNull(videos, "videos");
        this.inversion = Objects.requireNonNull(inversion, "inversion");
        this.reconstruction = Objects.requireNonNull(reconstruction, "reconstruction");
        this.cameras = new CameraPlanner(writer.manifest());
        this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
    }

    public ClipWriter writer() {
        return writer;
    }

    public JobInputs inputs() {
        return inputs;
    }

    public VideoPreparer videos() {
        return videos;
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
     * Exactly one of key and source is non-null (the validator's rule).
     */
    public Identity identity(JobRequest request, String key, String keyField, UUID source, String sourceField,
            FacePolicy faces, InversionSettings settings, boolean videoAllowed, Path dir)
            throws InvalidJobException, UploadException {
        if (source != null) {
            StoredLatents stored = inputs.latents(request.tenant(), source, sourceField);
            return new Identity(stored.w(), stored.zMotion(), stored.t(), stored.camera(), "job:" + source, null,
                    List.of());
        }
        if (key == null) {
            throw new InvalidJobException(keyField, "is required (or give " + sourceField + ")");
        }
        Path file = inputs.download(request.tenant(), key, keyField, dir);
        PreparedFace face;
        if (videoAllowed && isVideo(key)) {
            face = videos.prepare(file, 1, faces, keyField).get(0);
        } else {
            face = portraits.prepare(file, faces, keyField);
        }
        PortraitInversion.Result result = inversion.invert(face, settings);
        OutputKeyLayout layout = OutputKeyLayout.forJob(request.tenant(), request.jobId());
        List<ClipWriter.Artifact> artifacts = new ArrayList<>();
        artifacts.add(new ClipWriter.Artifact(RENDER_NAME, png.rgb(result.render()), PngWriter.CONTENT_TYPE));
        artifacts.add(new ClipWriter.Artifact(TARGET_NAME, png.rgb(RgbImage.fromSignedUnitChw(face.target().data(), 0,
                face.resolution(), face.resolution())), PngWriter.CONTENT_TYPE));
        JobManifest.Inversion section = new JobManifest.Inversion(key, 1, result.fit().steps(),
                result.fit().stopReason().name().toLowerCase(Locale.ROOT), result.fit().initialLoss(),
                result.fit().bestLoss(), result.psnrDb(), layout.key(RENDER_NAME), layout.key(TARGET_NAME),
                face.camera(), result.time().toMillis());
        return new Identity(result.w(), result.zMotion(), null, face.camera(), "inversion", section, artifacts);
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
