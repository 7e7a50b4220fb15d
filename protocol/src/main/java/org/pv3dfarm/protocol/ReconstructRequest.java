package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.UUID;

/**
 * Invert an uploaded portrait image or video into the model's latent space (GAN inversion with the exported
 * gradient graphs), then render the result along the views. The latent codes are written as an output so that
 * retarget and edit jobs can use them. Defined so that its topic and schema exist; its worker comes later.
 *
 * @param inputKey  object key of the upload in the farm's input bucket, required
 * @param inputType whether the upload is an image or a video, required
 * @param steps     optimisation steps, default {@link #DEFAULT_STEPS}
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
        InputMedia inputType,
        Integer steps,
        Integer frames,
        Integer fps,
        List<ViewSpec> views,
        OutputOptions outputs,
        Integer resolution) implements JobRequest, VideoOutput {

    public static final int DEFAULT_STEPS = 500;

    public ReconstructRequest {
        schemaVersion = Values.orDefault(schemaVersion, SchemaVersion.CURRENT);
        priority = Values.orDefault(priority, Priority.NORMAL);
        model = Values.orDefault(model, DEFAULT_MODEL);
        steps = Values.orDefault(steps, DEFAULT_STEPS);
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
                inputType, steps, frames, fps, views, outputs, resolution);
    }
}
