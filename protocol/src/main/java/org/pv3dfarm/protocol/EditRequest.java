package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One motion over many appearances, with motion scaling and interpolation. Appearances: the stored latents of
 * finished jobs ({@code source_job_ids}, their w) and/or identities drawn from {@code seeds} (z as a generate job
 * with that seed draws it, mapped with {@code truncation_psi}); rendered in that order, appearance a's views are
 * output views {@code a·V + v}. Motion: {@code z_motion}, or the motion of {@code motion_source_job_id} (and its
 * fitted t), or else the first appearance's own motion; then {@code motion_edit}.
 *
 * @param sourceJobIds      finished jobs whose identities to render
 * @param seeds             seeds whose identities to render
 * @param truncationPsi     truncation for seeded identities, default 0.7
 * @param zMotion           the motion code for all; or
 * @param motionSourceJobId finished job whose motion to use
 * @param motionEdit        change to the motion (scale, interpolate toward a code, time scale), or none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EditRequest(
        Integer schemaVersion,
        UUID jobId,
        String idempotencyKey,
        String tenant,
        Priority priority,
        String model,
        List<UUID> sourceJobIds,
        List<Long> seeds,
        Double truncationPsi,
        List<Double> zMotion,
        UUID motionSourceJobId,
        MotionEdit motionEdit,
        Integer frames,
        Integer fps,
        List<ViewSpec> views,
        OutputOptions outputs,
        Integer resolution) implements JobRequest, VideoOutput {

    public EditRequest {
        schemaVersion = Values.orDefault(schemaVersion, SchemaVersion.CURRENT);
        priority = Values.orDefault(priority, Priority.NORMAL);
        model = Values.orDefault(model, DEFAULT_MODEL);
        sourceJobIds = Values.orDefault(Values.copyOrNull(sourceJobIds), List.of());
        seeds = Values.orDefault(Values.copyOrNull(seeds), List.of());
        truncationPsi = Values.orDefault(truncationPsi, Appearance.DEFAULT_TRUNCATION_PSI);
        zMotion = Values.copyOrNull(zMotion);
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
        return new EditRequest(schemaVersion, newJobId, idempotencyKey, tenant, priority, model, sourceJobIds, seeds,
                truncationPsi, zMotion, motionSourceJobId, motionEdit, frames, fps, views, outputs, resolution);
    }

    /** Appearances rendered: source jobs, then seeds. */
    public int appearances() {
        return sourceJobIds.size() + seeds.size();
    }

    @Override
    public List<SourceJobRef> sourceJobs() {
        List<SourceJobRef> refs = new ArrayList<>();
        for (int i = 0; i < sourceJobIds.size(); i++) {
            if (sourceJobIds.get(i) != null) {
                refs.add(new SourceJobRef("source_job_ids[" + i + "]", sourceJobIds.get(i)));
            }
        }
        refs.addAll(SourceJobRef.ifGiven("motion_source_job_id", motionSourceJobId));
        return List.copyOf(refs);
    }
}
