package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.UUID;

/**
 * Apply latent edits to the identity of a finished generate or reconstruct job and render the result. Defined so
 * that its topic and schema exist; its worker comes later.
 *
 * @param sourceJobId the job whose latent codes to edit, required
 * @param edits       the moves, applied in order, at least one
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EditRequest(
        Integer schemaVersion,
        UUID jobId,
        String idempotencyKey,
        String tenant,
        Priority priority,
        String model,
        UUID sourceJobId,
        List<LatentEdit> edits,
        Integer frames,
        Integer fps,
        List<ViewSpec> views,
        OutputOptions outputs,
        Integer resolution) implements JobRequest, VideoOutput {

    public EditRequest {
        schemaVersion = Values.orDefault(schemaVersion, SchemaVersion.CURRENT);
        priority = Values.orDefault(priority, Priority.NORMAL);
        model = Values.orDefault(model, DEFAULT_MODEL);
        edits = Values.copyOrNull(edits);
        frames = Values.orDefault(frames, DEFAULT_FRAMES);
        fps = Values.orDefault(fps, DEFAULT_FPS);
        views = views == null ? VideoOutput.defaultViews() : Values.copyOrNull(views);
        outputs = Values.orDefault(outputs, OutputOptions.MP4_ONLY);
    }

    @Override
    public JobKind kind() {
        return JobKind.EDIT;
    }

    @Override
    public EditRequest withJobId(UUID newJobId) {
        return new EditRequest(schemaVersion, newJobId, idempotencyKey, tenant, priority, model, sourceJobId, edits,
                frames, fps, views, outputs, resolution);
    }
}
