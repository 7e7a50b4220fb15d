package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.UUID;

/**
 * Reconstruct a monocular talking-head video: track the face frame by frame (crops and cameras, smoothed), fit one
 * appearance code w, one motion code z_motion and every fitted frame's time t with the reconstruction gradient
 * graph, then re-render from the requested views, optionally with the motion changed ({@code motion_edit}:
 * replace, interpolate, scale).
 *
 * <p>The fit uses {@code fit_frames} frames sampled evenly over the video, evaluated in windows of the graph's
 * frame count (4 for the committed models; a short last window is padded with masked-out frames) and summed
 * into one gradient per step. Output frame i replays the fitted time of fitted frame {@code i mod fit_frames}.
 * Writes {@code latents.json} with w, z_motion, the fitted t and the first frame's camera.
 *
 * @param inputKey  uploaded video (MP4, WebM, MOV) under the tenant's input prefix
 * @param faces     several faces: fail ({@code single}, default) or follow the largest
 * @param inversion how the codes are fitted
 * @param fitFrames video frames to fit, default {@value #DEFAULT_FIT_FRAMES}, at most
 *                  {@link ValidationLimits#maxFitFrames()} (fewer when the video is shorter)
 * @param motionEdit change to the fitted motion before rendering, or none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReconstructRequest(
        Integer schemaVersion,
        UUID jobId,
        String idempotencyKey,
        String tenant,
        Priority priority,
        String model,
        String inputKey,
        FacePolicy faces,
        InversionSettings inversion,
        Integer fitFrames,
        MotionEdit motionEdit,
        Integer frames,
        Integer fps,
        List<ViewSpec> views,
        OutputOptions outputs,
        Integer resolution) implements JobRequest, VideoOutput {

    public static final int DEFAULT_FIT_FRAMES = 16;

    public ReconstructRequest {
        schemaVersion = Values.orDefault(schemaVersion, SchemaVersion.CURRENT);
        priority = Values.orDefault(priority, Priority.NORMAL);
        model = Values.orDefault(model, DEFAULT_MODEL);
        faces = Values.orDefault(faces, FacePolicy.SINGLE);
        inversion = Values.orDefault(inversion, InversionSettings.DEFAULTS);
        fitFrames = Values.orDefault(fitFrames, DEFAULT_FIT_FRAMES);
        frames = Values.orDefault(frames, DEFAULT_FRAMES);
        fps = Values.orDefault(fps, DEFAULT_FPS);
        views = views == null ? VideoOutput.defaultViews() : Values.copyOrNull(views);
        outputs = Values.orDefault(outputs, OutputOptions.MP4_ONLY);
    }

    @Override
    public JobKind kind() {
        return JobKind.RECONSTRUCT;
    }

    @Override
    public ReconstructRequest withJobId(UUID newJobId) {
        return new ReconstructRequest(schemaVersion, newJobId, idempotencyKey, tenant, priority, model, inputKey,
                faces, inversion, fitFrames, motionEdit, frames, fps, views, outputs, resolution);
    }

    @Override
    public List<InputRef> inputs() {
        return inputKey == null ? List.of() : List.of(new InputRef("input_key", inputKey, InputMedia.VIDEO));
    }
}
