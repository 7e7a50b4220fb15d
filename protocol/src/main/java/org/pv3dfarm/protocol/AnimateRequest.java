package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.UUID;

/**
 * Animate a static portrait: invert its appearance code w (detect, align and crop the face, estimate its camera,
 * Adam on w through the inversion gradient graph), then render {@code motions} motion codes drawn from the seed,
 * or the given {@code z_motions}, along the views. The identity comes from an uploaded image ({@code input_key})
 * or from the stored latents of an earlier job ({@code source_job_id}, no inversion then).
 *
 * <p>Outputs: one MP4 per (motion, view), output view {@code m·V + v} ({@code video/view-OO.mp4}); the
 * inversion render ({@code inversion/render.png}) and target crop ({@code inversion/target.png}) with loss and
 * PSNR in the manifest; {@code latents.json}, which later jobs can name as their {@code source_job_id}.
 *
 * <p>JSON: {@code {"kind":"animate","input_key":"inputs/UPLOAD/face.png","motions":3,"seed":7}}.
 *
 * @param inputKey    uploaded portrait (PNG, JPEG, WebP) under the tenant's input prefix; or
 * @param sourceJobId a finished job of the same tenant whose {@code latents.json} gives w
 * @param faces       several faces in the image: fail ({@code single}, default) or take the largest
 * @param inversion   how w is fitted; defaults as in {@link InversionSettings}
 * @param seed        draws the motion codes when {@code z_motions} is absent (motion m from split m+1 of the seed)
 * @param motions     how many motion codes to draw, default 1, at most {@link ValidationLimits#maxMotions()}
 * @param zMotions    explicit motion codes instead (each {@code motion_dim} long)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AnimateRequest(
        Integer schemaVersion,
        UUID jobId,
        String idempotencyKey,
        String tenant,
        Priority priority,
        String model,
        String inputKey,
        UUID sourceJobId,
        FacePolicy faces,
        InversionSettings inversion,
        Long seed,
        Integer motions,
        List<List<Double>> zMotions,
        Integer frames,
        Integer fps,
        List<ViewSpec> views,
        OutputOptions outputs,
        Integer resolution) implements JobRequest, VideoOutput {

    public AnimateRequest {
        schemaVersion = Values.orDefault(schemaVersion, SchemaVersion.CURRENT);
        priority = Values.orDefault(priority, Priority.NORMAL);
        model = Values.orDefault(model, DEFAULT_MODEL);
        faces = Values.orDefault(faces, FacePolicy.SINGLE);
        inversion = Values.orDefault(inversion, InversionSettings.DEFAULTS);
        zMotions = Values.copyNested(zMotions);
        motions = motions != null ? motions : zMotions != null ? Integer.valueOf(zMotions.size()) : Integer.valueOf(1);
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
        return new AnimateRequest(schemaVersion, newJobId, idempotencyKey, tenant, priority, model, inputKey,
                sourceJobId, faces, inversion, seed, motions, zMotions, frames, fps, views, outputs, resolution);
    }

    /** A copy with the given seed. */
    public AnimateRequest withSeed(Long newSeed) {
        return new AnimateRequest(schemaVersion, jobId, idempotencyKey, tenant, priority, model, inputKey,
                sourceJobId, faces, inversion, newSeed, motions, zMotions, frames, fps, views, outputs, resolution);
    }

    /** Whether motion codes are drawn from the seed. */
    public boolean drawsMotions() {
        return zMotions == null;
    }

    @Override
    public List<InputRef> inputs() {
        return inputKey == null ? List.of() : List.of(new InputRef("input_key", inputKey, InputMedia.IMAGE));
    }

    @Override
    public List<SourceJobRef> sourceJobs() {
        return SourceJobRef.ifGiven("source_job_id", sourceJobId);
    }
}
