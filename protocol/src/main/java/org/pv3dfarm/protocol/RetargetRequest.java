package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Apply the motion of a source to a target identity. Motion: the stored latents of a finished job
 * ({@code motion_source_job_id}: its z_motion, and its fitted per-frame t when it was a reconstruct job) or an
 * explicit {@code z_motion}. Identity: stored latents ({@code source_job_id}) or an upload ({@code input_key}, an
 * image, or a video whose first frame is used), inverted first as an animate job would.
 *
 * @param motionSourceJobId finished job whose motion to take; or
 * @param zMotion           explicit motion code ({@code motion_dim} long)
 * @param sourceJobId       finished job whose w to take; or
 * @param inputKey          uploaded image or video to invert
 * @param faces             face selection for an upload
 * @param inversion         how w is fitted for an upload
 * @param motionEdit        change to the motion before rendering, or none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RetargetRequest(
        Integer schemaVersion,
        UUID jobId,
        String idempotencyKey,
        String tenant,
        Priority priority,
        String model,
        UUID motionSourceJobId,
        List<Double> zMotion,
        UUID sourceJobId,
        String inputKey,
        FacePolicy faces,
        InversionSettings inversion,
        MotionEdit motionEdit,
        Integer frames,
        Integer fps,
        List<ViewSpec> views,
        OutputOptions outputs,
        Integer resolution) implements JobRequest, VideoOutput {

    public RetargetRequest {
        schemaVersion = Values.orDefault(schemaVersion, SchemaVersion.CURRENT);
        priority = Values.orDefault(priority, Priority.NORMAL);
        model = Values.orDefault(model, DEFAULT_MODEL);
        zMotion = Values.copyOrNull(zMotion);
        faces = Values.orDefault(faces, FacePolicy.SINGLE);
        inversion = Values.orDefault(inversion, InversionSettings.DEFAULTS);
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
        return new RetargetRequest(schemaVersion, newJobId, idempotencyKey, tenant, priority, model,
                motionSourceJobId, zMotion, sourceJobId, inputKey, faces, inversion, motionEdit, frames, fps, views,
                outputs, resolution);
    }

    @Override
    public List<InputRef> inputs() {
        return inputKey == null ? List.of() : List.of(new InputRef("input_key", inputKey, null));
    }

    @Override
    public List<SourceJobRef> sourceJobs() {
        List<SourceJobRef> refs = new ArrayList<>(SourceJobRef.ifGiven("motion_source_job_id", motionSourceJobId));
        refs.addAll(SourceJobRef.ifGiven("source_job_id", sourceJobId));
        return List.copyOf(refs);
    }
}
