package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.UUID;

/**
 * Re-drive the identity of a finished reconstruct job with the motion of another uploaded video. Defined so that
 * its topic and schema exist; its worker comes later.
 *
 * @param sourceJobId     the reconstruct job whose latent codes to use, required
 * @param drivingVideoKey object key of the driving video in the farm's input bucket, required
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RetargetRequest(
        Integer schemaVersion,
        UUID jobId,
        String idempotencyKey,
        String tenant,
        Priority priority,
        String model,
        UUID sourceJobId,
        String drivingVideoKey,
        Integer frames,
        Integer fps,
        List<ViewSpec> views,
        OutputOptions outputs,
        Integer resolution) implements JobRequest, VideoOutput {

    public RetargetRequest {
        schemaVersion = Values.orDefault(schemaVersion, SchemaVersion.CURRENT);
        priority = Values.orDefault(priority, Priority.NORMAL);
        model = Values.orDefault(model, DEFAULT_MODEL);
        frames = Values.orDefault(frames, DEFAULT_FRAMES);
        fps = Values.orDefault(fps, DEFAULT_FPS);
        views = views == null ? VideoOutput.defaultViews() : Values.copyOrNull(views);
        outputs = Values.orDefault(outputs, OutputOptions.MP4_ONLY);
    }

    @Override
    public JobKind kind() {
        return JobKind.RETARGET;
    }

    @Override
    public RetargetRequest withJobId(UUID newJobId) {
        return new RetargetRequest(schemaVersion, newJobId, idempotencyKey, tenant, priority, model, sourceJobId,
                drivingVideoKey, frames, fps, views, outputs, resolution);
    }
}
