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
 *                  "png": 10, "upload": 25, "total": 600}
 * }
 * </pre>
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobManifest(String format, UUID jobId, String kind, String worker, int attempt, String completedAt,
        Model model, JsonNode request, Latents latents, Video video, Time time, float[] conditioningCamera,
        List<View> views, Depth depth, OutputKeys outputs, Timings timingsMs) {

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
