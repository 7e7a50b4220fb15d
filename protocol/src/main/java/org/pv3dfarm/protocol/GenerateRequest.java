package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Generate a new talking-head clip: sample an identity ({@link Appearance}) and a motion ({@code z_motion}, or
 * drawn from the seed), render {@code frames} frames along each view and encode one MP4 per view.
 *
 * <p>JSON: {@code {"kind":"generate","seed":42,"frames":16,"views":[{"trajectory":"orbit"}]}}; every other field
 * is optional. Build in Java with {@link #builder()}.
 *
 * @param zMotion explicit motion code (length = the model's {@code motion_dim}), or {@code null} to draw it from
 *                the seed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GenerateRequest(
        Integer schemaVersion,
        UUID jobId,
        String idempotencyKey,
        String tenant,
        Priority priority,
        String model,
        Long seed,
        List<Double> z,
        List<Double> zMotion,
        Double truncationPsi,
        Integer frames,
        Integer fps,
        List<ViewSpec> views,
        OutputOptions outputs,
        Integer resolution) implements JobRequest, Appearance, VideoOutput {

    public GenerateRequest {
        schemaVersion = Values.orDefault(schemaVersion, SchemaVersion.CURRENT);
        priority = Values.orDefault(priority, Priority.NORMAL);
        model = Values.orDefault(model, DEFAULT_MODEL);
        z = Values.copyOrNull(z);
        zMotion = Values.copyOrNull(zMotion);
        truncationPsi = Values.orDefault(truncationPsi, DEFAULT_TRUNCATION_PSI);
        frames = Values.orDefault(frames, DEFAULT_FRAMES);
        fps = Values.orDefault(fps, DEFAULT_FPS);
        views = views == null ? VideoOutput.defaultViews() : Values.copyOrNull(views);
        outputs = Values.orDefault(outputs, OutputOptions.MP4_ONLY);
    }

    @Override
    public JobKind kind() {
        return JobKind.GENERATE;
    }

    @Override
    public GenerateRequest withJobId(UUID newJobId) {
        return toBuilder().jobId(newJobId).build();
    }

    /** A copy with the given seed. */
    public GenerateRequest withSeed(Long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.schemaVersion = schemaVersion;
        b.jobId = jobId;
        b.idempotencyKey = idempotencyKey;
        b.tenant = tenant;
        b.priority = priority;
        b.model = model;
        b.seed = seed;
        b.z = z;
        b.zMotion = zMotion;
        b.truncationPsi = truncationPsi;
        b.frames = frames;
        b.fps = fps;
        b.views = views;
        b.outputs = outputs;
        b.resolution = resolution;
        return b;
    }

    /**
     * Builds a request; unset fields take the record's defaults. It does not validate: send it through a
     * {@link org.pv3dfarm.protocol.client.JobProducer} or {@link JobValidator}, which report every problem at once.
     */
    public static final class Builder {
        private Integer schemaVersion;
        private UUID jobId;
        private String idempotencyKey;
        private String tenant;
        private Priority priority;
        private String model;
        private Long seed;
        private List<Double> z;
        private List<Double> zMotion;
        private Double truncationPsi;
        private Integer frames;
        private Integer fps;
        private List<ViewSpec> views;
        private OutputOptions outputs;
        private Integer resolution;

        private Builder() {
        }

        public Builder schemaVersion(Integer value) {
            schemaVersion = value;
            return this;
        }

        public Builder jobId(UUID value) {
            jobId = value;
            return this;
        }

        public Builder idempotencyKey(String value) {
            idempotencyKey = value;
            return this;
        }

        public Builder tenant(String value) {
            tenant = value;
            return this;
        }

        public Builder priority(Priority value) {
            priority = value;
            return this;
        }

        public Builder model(String value) {
            model = value;
            return this;
        }

        public Builder seed(Long value) {
            seed = value;
            return this;
        }

        public Builder z(List<Double> value) {
            z = value;
            return this;
        }

        /** Convenience for model code: copies the floats. */
        public Builder z(float[] value) {
            z = value == null ? null : toList(value);
            return this;
        }

        public Builder zMotion(List<Double> value) {
            zMotion = value;
            return this;
        }

        /** Convenience for model code: copies the floats. */
        public Builder zMotion(float[] value) {
            zMotion = value == null ? null : toList(value);
            return this;
        }

        public Builder truncationPsi(Double value) {
            truncationPsi = value;
            return this;
        }

        public Builder frames(Integer value) {
            frames = value;
            return this;
        }

        public Builder fps(Integer value) {
            fps = value;
            return this;
        }

        public Builder views(List<ViewSpec> value) {
            views = value;
            return this;
        }

        public Builder views(ViewSpec... value) {
            views = List.of(value);
            return this;
        }

        public Builder outputs(OutputOptions value) {
            outputs = value;
            return this;
        }

        public Builder resolution(Integer value) {
            resolution = value;
            return this;
        }

        public GenerateRequest build() {
            return new GenerateRequest(schemaVersion, jobId, idempotencyKey, tenant, priority, model, seed, z, zMotion,
                    truncationPsi, frames, fps, views, outputs, resolution);
        }

        private static List<Double> toList(float[] values) {
            List<Double> list = new ArrayList<>(values.length);
            for (float v : values) {
                list.add((double) v);
            }
            return list;
        }
    }
}
