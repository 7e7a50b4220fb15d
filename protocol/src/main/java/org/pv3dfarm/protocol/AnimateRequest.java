package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.UUID;

/**
 * Animate a sampled or given identity with the motion of an uploaded driving video. Defined so that its topic
 * and schema exist; its worker comes later.
 *
 * @param drivingVideoKey object key of the driving video in the farm's input bucket, required
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AnimateRequest(
        Integer schemaVersion,
        UUID jobId,
        String idempotencyKey,
        String tenant,
        Priority priority,
        String model,
        Long seed,
        List<Double> z,
        Double truncationPsi,
        String drivingVideoKey,
        Integer frames,
        Integer fps,
        List<ViewSpec> views,
        OutputOptions outputs,
        Integer resolution) implements JobRequest, Appearance, VideoOutput {

    public AnimateRequest {
        schemaVersion = Values.orDefault(schemaVersion, SchemaVersion.CURRENT);
        priority = Values.orDefault(priority, Priority.NORMAL);
        model = Values.orDefault(model, DEFAULT_MODEL);
        z = Values.copyOrNull(z);
        truncationPsi = Values.orDefault(truncationPsi, DEFAULT_TRUNCATION_PSI);
        frames = Values.orDefault(frames, DEFAULT_FRAMES);
        fps = Values.orDefault(fps, DEFAULT_FPS);
        views = views == null ? VideoOutput.defaultViews() : Values.copyOrNull(views);
        outputs = Values.orDefault(outputs, OutputOptions.MP4_ONLY);
    }

    @Override
    public JobKind kind() {
        return JobKind.ANIMATE;
    }

    @Override
    public AnimateRequest withJobId(UUID newJobId) {
        return new AnimateRequest(schemaVersion, newJobId, idempotencyKey, tenant, priority, model, seed, z,
                truncationPsi, drivingVideoKey, frames, fps, views, outputs, resolution);
    }

    /** A copy with the given seed. */
    public AnimateRequest withSeed(Long newSeed) {
        return new AnimateRequest(schemaVersion, jobId, idempotencyKey, tenant, priority, model, newSeed, z,
                truncationPsi, drivingVideoKey, frames, fps, views, outputs, resolution);
    }
}
