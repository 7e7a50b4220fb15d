package org.pv3dfarm.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.OutputKeys;

/**
 * A finished job's {@code manifest.json}, written last: what was rendered, with what, and where every output is.
 * Snake-case JSON; absent values are left out. Layout ({@value #FORMAT}):
 *
 * <pre>
 * {
 *   "format": "pv3d-farm-job-manifest/1", "job_id": "...", "kind": "generate",
 *   "worker": "worker-1", "attempt": 1, "completed_at": "2025-...Z",
 *   "model": {"name": "pv3d-demo", "version": "0.1.0", "execution_provider": "CPU"},
 *   "request": { the request as queued, in the protocol's JSON },
 *   "latents": {"seed": 42, "z_source": "seed", "z_motion_source": "seed", "truncation_psi": 0.7},
 *   "video": {"container": "mp4", "codec": "h264", "pixel_format": "yuv420p", "width": 128, "height": 128,
 *             "fps": 25, "frames": 8, "bitrate": 1000000},
 *   "time": {"clip_frames": 16, "t": [0.0, 0.0667, ...]},
 *   "conditioning_camera": [25 floats],
 *   "views": [{"index": 0, "camera": {"trajectory": "orbit", "yaw_center": 1.57, ...},
 *              "video_key": "JOB/video/view-00.mp4", "video_bytes": 12345,
 *              "frame_keys": [...], "depth_keys": [...]}],
 *   "depth": {"width": 32, "height": 32, "near": 2.25, "far": 3.3, "encoding": "depth = near + ...",
 *             "meaning": "expected distance along the ray ..."},        (only when depth maps were asked for)
 *   "outputs": {"bucket": ..., "manifest_key": ..., "video_keys": [...], "frames_prefix": ..., "depth_prefix": ...},
 *   "timings_ms": {"mapping": 3, "synthesis": 120, "render": 300, "super_resolution": 80, "encode": 40,
 *                  "png": 10, "upload": 25, "total": 600},
 *   "conditioning_view": 0,                  (only when a view conditions the mapping frame by frame)
 *   "grid": {"key": "JOB/video/grid.mp4", "columns": 2, "rows": 1, "width": 256, "height": 128, "frames": 8,
 *            "codec": "h264", "bytes": 12345},                          (only when asked for)
 *   "preview": {"thumbnail_key": "JOB/preview/thumbnail.png", "animation_key": "JOB/preview/preview.gif",
 *               "format": "gif", "encoder": "gif", "width": 128, "height": 128, "frames": 8, "bytes": 4567},
 *   "meshes": {"resolution": 64, "threshold": 10.0, "bounds": [-0.5, 0.5], "coordinates": "...",
 *              "frames": [{"frame": 0, "t": 0.0, "vertices": 1234, "triangles": 2464, "area": 1.2,
 *                          "volume": 0.1, "watertight": true, "keys": {"ply": "JOB/mesh/frame-0000.ply"}}],
 *              "time_ms": 800}
 * }
 * </pre>
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobManifest(String format, UUID jobId, String kind, String worker, int attempt, String completedAt,
        Model model, JsonNode request, Latents latents, Video video, Time time, float[] conditioningCamera,
        List<View> views, Depth depth, OutputKeys outputs, Timings timingsMs, Integer conditioningView, Grid grid,
        Preview preview, Meshes meshes, List<Track> tracks, Inversion inversion) {

    /** A manifest without the optional grid, preview and meshes, conditioned on {@code conditioning_camera}. */
    public JobManifest(String format, UUID jobId, String kind, String worker, int attempt, String completedAt,
            Model model, JsonNode request, Latents latents, Video video, Time time, float[] conditioningCamera,
            List<View> views, Depth depth, OutputKeys outputs, Timings timingsMs) {
        this(format, jobId, kind, worker, attempt, completedAt, model, request, latents, video, time,
                conditioningCamera, views, depth, outputs, timingsMs, null, null, null, null, null, null);
    }

    /** This manifest with the per-frame conditioning view and the optional outputs (nulls for absent ones). */
    public JobManifest withExtras(Integer newConditioningView, ExtraOutputs.Written extra,
            MeshOutputs.Written newMeshes) {
        return new JobManifest(format, jobId, kind, worker, attempt, completedAt, model, request, latents, video,
                time, conditioningCamera, views, depth, outputs, timingsMs, newConditioningView,
                extra == null ? null : Grid.of(extra.grid()), extra == null ? null : Preview.of(extra.preview()),
                Meshes.of(newMeshes), tracks, inversion);
    }

    /** This manifest with the tracks (identity/motion pairs; null for a plain one-track job) and the inversion. */
    public JobManifest withTracks(List<Track> newTracks, Inversion newInversion) {
        return new JobManifest(format, jobId, kind, worker, attempt, completedAt, model, request, latents, video,
                time, conditioningCamera, views, depth, outputs, timingsMs, conditioningView, grid, preview, meshes,
                newTracks, newInversion);
    }

    /**
     * One identity/motion pair of a job that renders several (animate motions, edit appearances): its output
     * views are {@code index·V .. index·V + V − 1}.
     *
     * @param identity where w came from ({@code inversion}, {@code job:ID}, {@code seed:N}, {@code request})
     * @param motion   where z_motion came from ({@code seed}, {@code request}, {@code job:ID}), after any edit
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Track(int index, List<Integer> outputViews, String identity, String motion, float[] zMotion) {
    }

    /**
     * How the codes were fitted to the input: loss is the masked pixel MSE on [-1, 1] images, PSNR on the crop
     * ({@code 10·log10(4 / mse)}), keys of the render at the fitted codes and of the target crop.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Inversion(String input, int frames, int steps, String stopReason, double initialLoss, double loss,
            double psnrDb, String renderKey, String targetKey, float[] camera, long timeMs) {
    }

    /** The grid video: views tiled row-major in view order. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Grid(String key, int columns, int rows, int width, int height, int frames, String codec,
            long bytes) {

        static Grid of(ExtraOutputs.Grid grid) {
            return grid == null ? null : new Grid(grid.key(), grid.layout().columns(), grid.layout().rows(),
                    grid.video().width(), grid.video().height(), grid.video().frames(), grid.video().codec(),
                    grid.video().bytes());
        }
    }

    /** The thumbnail and the looping animation of the first view. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Preview(String thumbnailKey, String animationKey, String format, String encoder, int width,
            int height, int frames, long bytes) {

        static Preview of(ExtraOutputs.Preview preview) {
            return preview == null ? null : new Preview(preview.thumbnailKey(), preview.animationKey(),
                    preview.animation().format().wireName(), preview.encoder(), preview.animation().width(),
                    preview.animation().height(), preview.animation().frames(), preview.animation().bytes());
        }
    }

    /** Marching-cubes meshes of the density at chosen frames. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Meshes(int resolution, double threshold, double[] bounds, String coordinates,
            List<MeshOutputs.Mesh> frames, long timeMs) {

        public static final String COORDINATES = "world units of the model (EG3D): y up, the frontal camera on +z; "
                + "triangles counter-clockwise seen from outside";

        static Meshes of(MeshOutputs.Written meshes) {
            return meshes == null ? null : new Meshes(meshes.resolution(), meshes.threshold(),
                    new double[] {-meshes.boxHalf(), meshes.boxHalf()}, COORDINATES, meshes.meshes(),
                    meshes.time().toMillis());
        }
    }

    public static final String FORMAT = "pv3d-farm-job-manifest/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL); // also inside nested protocol records

    /** The model that rendered the job and where it ran. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Model(String name, String version, String executionProvider) {
    }

    /** Where the codes came from ({@code seed} or {@code request}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Latents(Long seed, String zSource, String zMotionSource, float truncationPsi) {

        static Latents of(JobLatents latents) {
            return new Latents(latents.seed(), latents.zSource().name().toLowerCase(Locale.ROOT),
                    latents.zMotionSource().name().toLowerCase(Locale.ROOT), latents.truncationPsi());
        }
    }

    /** Every view's video. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Video(String container, String codec, String pixelFormat, int width, int height, int fps,
            int frames, int bitrate) {

        static Video of(VideoFormat format, int frames) {
            return new Video("mp4", Mp4Encoder.H264, "yuv420p", format.width(), format.height(), format.fps(), frames,
                    format.bitrate());
        }
    }

    /** The motion time of each frame; it cycles every {@code clip_frames}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Time(int clipFrames, float[] t) {
    }

    /** One view: how its cameras were made and where its outputs are. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record View(int index, ViewPlan.Summary camera, String videoKey, long videoBytes, List<String> frameKeys,
            List<String> depthKeys) {

        static View of(ViewPlan plan, ViewOutputs outputs) {
            return new View(plan.index(), plan.summary(), outputs.videoKey(), outputs.video().bytes(),
                    outputs.frameKeys(), outputs.depthKeys());
        }

        /** This view as output view {@code outputIndex} (a later track's copy of a planned view). */
        View atIndex(int outputIndex) {
            return new View(outputIndex, camera, videoKey, videoBytes, frameKeys, depthKeys);
        }
    }

    /** How to read the depth PNGs back into distances. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Depth(int width, int height, double near, double far, String encoding, String meaning) {
    }

    /** Milliseconds per stage of the job, and in all. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Timings(long mapping, long synthesis, long render, long superResolution, long encode, long png,
            long upload, long total) {
    }

    public JobManifest {
        Objects.requireNonNull(jobId, "jobId");
        views = List.copyOf(views);
    }

    /** The request as the protocol writes it, for the manifest's {@code request}. */
    public static JsonNode echo(JobRequest request) {
        try {
            return JSON.readTree(JobCodec.instance().encode(request));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-read the encoded request of job " + request.jobId(), e);
        }
    }

    /** The manifest as UTF-8 JSON. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the manifest of job " + jobId, e);
        }
    }
}
