package org.pv3dfarm.protocol;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bounds {@link JobValidator} enforces. Build with {@link #builder()}; the API fills the models from their
 * manifests and may tighten the rest from configuration.
 *
 * @param models            the known models by name; when empty, any well-formed model name passes and code
 *                          lengths are only capped by {@code maxCodeLength}
 * @param maxFrames         frames per view, at least 1
 * @param maxFps            frames per second, at least 1
 * @param maxViews          views per job, at least 1
 * @param maxRenderedFrames frames x views per job: the real cost of a job
 * @param maxCodeLength     cap on any code length when the model is not known
 * @param maxAbsCode        cap on |value| of every code and camera entry (latents are roughly unit normal)
 * @param maxSteps          optimisation steps of an inversion ({@link InversionSettings#steps()})
 * @param maxMotions        motion codes rendered by one animate job
 * @param maxAppearances    appearances (source jobs and seeds) rendered by one edit job
 * @param maxFitFrames      video frames a reconstruct job fits
 */
public record ValidationLimits(
        Map<String, ModelLimits> models,
        int maxFrames,
        int maxFps,
        int maxViews,
        int maxRenderedFrames,
        int maxCodeLength,
        double maxAbsCode,
        int maxSteps,
        int maxMotions,
        int maxAppearances,
        int maxFitFrames) {

    public ValidationLimits {
        models = Map.copyOf(Checks.required(models, "models"));
        Checks.atLeast(maxFrames, 1, "max_frames");
        Checks.atLeast(maxFps, 1, "max_fps");
        Checks.atLeast(maxViews, 1, "max_views");
        Checks.atLeast(maxRenderedFrames, 1, "max_rendered_frames");
        Checks.atLeast(maxCodeLength, 1, "max_code_length");
        if (!(maxAbsCode > 0) || Double.isInfinite(maxAbsCode)) {
            throw new IllegalArgumentException("max_abs_code must be finite and > 0, was " + maxAbsCode);
        }
        Checks.atLeast(maxSteps, 1, "max_steps");
        Checks.atLeast(maxMotions, 1, "max_motions");
        Checks.atLeast(maxAppearances, 1, "max_appearances");
        Checks.atLeast(maxFitFrames, 1, "max_fit_frames");
    }

    /** The default bounds with no models registered. */
    public static ValidationLimits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A validating builder; {@link #build()} throws {@link IllegalArgumentException} naming the bad bound. */
    public static final class Builder {
        private final Map<String, ModelLimits> models = new LinkedHashMap<>();
        private int maxFrames = 1024;
        private int maxFps = 60;
        private int maxViews = 16;
        private int maxRenderedFrames = 4096;
        private int maxCodeLength = 4096;
        private double maxAbsCode = 100.0;
        private int maxSteps = 5000;
        private int maxMotions = 8;
        private int maxAppearances = 8;
        private int maxFitFrames = 64;

        private Builder() {
        }

        public Builder model(ModelLimits model) {
            models.put(model.name(), model);
            return this;
        }

        public Builder models(Collection<ModelLimits> all) {
            all.forEach(this::model);
            return this;
        }

        public Builder maxFrames(int value) {
            maxFrames = value;
            return this;
        }

        public Builder maxFps(int value) {
            maxFps = value;
            return this;
        }

        public Builder maxViews(int value) {
            maxViews = value;
            return this;
        }

        public Builder maxRenderedFrames(int value) {
            maxRenderedFrames = value;
            return this;
        }

        public Builder maxCodeLength(int value) {
            maxCodeLength = value;
            return this;
        }

        public Builder maxAbsCode(double value) {
            maxAbsCode = value;
            return this;
        }

        public Builder maxSteps(int value) {
            maxSteps = value;
            return this;
        }

        public Builder maxMotions(int value) {
            maxMotions = value;
            return this;
        }

        public Builder maxAppearances(int value) {
            maxAppearances = value;
            return this;
        }

        public Builder maxFitFrames(int value) {
            maxFitFrames = value;
            return this;
        }

        public ValidationLimits build() {
            return new ValidationLimits(models, maxFrames, maxFps, maxViews, maxRenderedFrames, maxCodeLength,
                    maxAbsCode, maxSteps, maxMotions, maxAppearances, maxFitFrames);
        }
    }
}
