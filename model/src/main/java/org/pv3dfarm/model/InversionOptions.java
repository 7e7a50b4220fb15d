package org.pv3dfarm.model;

/**
 * How {@link Inverter} optimises w. Immutable; build with {@link #builder()}.
 *
 * <p>The learning rate follows a cosine ramp-down over the last {@code rampDown} fraction of the steps
 * (α_k = α·(0.5 − 0.5·cos(π·min(1, (1 − k/steps)/rampDown))), StyleGAN's projector schedule without the warm-up):
 * large steps while far from the target, small ones to settle.
 *
 * @param steps the most Adam steps to take
 * @param learningRate Adam's α
 * @param rampDown the fraction of the steps over which α decays to 0 (0 = constant α)
 * @param targetLoss stop once the total loss is at or below this (0 = never)
 * @param patience stop after this many steps without a relative improvement of {@code minImprovement} of the
 *                 best loss (0 = never)
 * @param minImprovement the relative improvement that resets the patience counter
 * @param optimizer      how w moves: {@link Optimizer#ADAM} (α the learning rate, with the ramp-down) or
 *                       {@link Optimizer#LBFGS} ({@link Lbfgs}: α the largest move of a value on a plain gradient
 *                       step, 10 pairs, moves capped at 10·α; no ramp-down)
 * @param fineSteps      the coarse-to-fine schedule: when {@link Inverter} has a coarse gradient graph (the model
 *                       exports {@link GradientKind#INVERSION_COARSE}), the first {@code steps − fineSteps} steps run
 *                       on it and the last {@code fineSteps} on the full graph, from the best coarse w (an early stop
 *                       of the coarse phase starts the fine phase at once); without one every step is fine.
 *                       {@code fineSteps ≥ steps} keeps every step on the full graph; 0 trusts the coarse graph alone
 *                       (the reported losses are then the coarse graph's)
 * @param minCoarseFidelityDb the coarse graph is used only when its manifest declares a {@code fidelity_db} (PSNR of
 *                       its image against the full one) of at least this; a fitted model whose detail lives in the
 *                       neural render (the demo model: ~19 dB) then inverts on the full graph only
 */
public record InversionOptions(int steps, double learningRate, double rampDown, double targetLoss, int patience,
                               double minImprovement, Optimizer optimizer, int fineSteps,
                               double minCoarseFidelityDb) {

    /** The optimiser {@link Inverter} uses. */
    public enum Optimizer { ADAM, LBFGS }

    public InversionOptions {
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, was " + steps);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive, was " + learningRate);
        }
        if (!(rampDown >= 0 && rampDown <= 1)) {
            throw new IllegalArgumentException("rampDown must be in [0, 1], was " + rampDown);
        }
        if (!(targetLoss >= 0)) {
            throw new IllegalArgumentException("targetLoss must not be negative, was " + targetLoss);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must not be negative, was " + patience);
        }
        if (!(minImprovement >= 0 && minImprovement < 1)) {
            throw new IllegalArgumentException("minImprovement must be in [0, 1), was " + minImprovement);
        }
        if (fineSteps < 0) {
            throw new IllegalArgumentException("fineSteps must not be negative, was " + fineSteps);
        }
        if (!Double.isFinite(minCoarseFidelityDb)) {
            throw new IllegalArgumentException("minCoarseFidelityDb must be finite, was " + minCoarseFidelityDb);
        }
    }

    /** The steps on the coarse graph when one is available: {@code max(0, steps − fineSteps)}. */
    public int coarseSteps() {
        return Math.max(0, steps - fineSteps);
    }

    /** The learning rate at step k (0-based). */
    public double learningRateAt(int k) {
        if (rampDown == 0) {
            return learningRate;
        }
        double remaining = 1.0 - (double) k / steps;
        double ramp = Math.min(1.0, remaining / rampDown);
        return learningRate * (0.5 - 0.5 * Math.cos(Math.PI * ramp));
    }

    /**
     * The default {@link #fineSteps()}. On the tiny model a coarse evaluation costs about 0.43 of a full one in CPU
     * time, and 300 steps with 0 to 60 of them fine all ended at 31.5–31.7 dB on the unseen-latent target: the coarse
     * optimum already holds the PSNR, so a few fine steps only polish it and make the reported loss the full graph's
     * (docs/benchmarks.md, issue 6).
     */
    public static final int DEFAULT_FINE_STEPS = 10;

    /**
     * The default {@link #minCoarseFidelityDb()}: the tiny model's coarse image is ~35 dB from the full one and its
     * coarse-to-fine inversions kept 31–32 dB; the demo model's is ~19 dB, and there the astronaut inversion reached
     * 15.0 dB coarse to fine (a 20 dB coarse graph) against 17.5 dB on the full graph (docs/benchmarks.md, issue 6).
     */
    public static final double DEFAULT_MIN_COARSE_FIDELITY_DB = 30;

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link InversionOptions}; defaults: L-BFGS, 300 steps, α 0.05, ramp-down 0.25 (Adam only), no early stop,
     * the last {@link #DEFAULT_FINE_STEPS} steps fine (coarse to fine where the model has a coarse graph).
     * L-BFGS is the default because it measured better: on the tiny model, 300 steps from the average w reach a loss
     * of 0.013 against Adam's 0.047 at about the same time per step (docs/benchmarks.md, issue 6).
     */
    public static final class Builder {
        private int steps = 300;
        private double learningRate = 0.05;
        private double rampDown = 0.25;
        private double targetLoss;
        private int patience;
        private double minImprovement = 1e-3;
        private Optimizer optimizer = Optimizer.LBFGS;
        private int fineSteps = DEFAULT_FINE_STEPS;
        private double minCoarseFidelityDb = DEFAULT_MIN_COARSE_FIDELITY_DB;

        private Builder() {
        }

        public Builder steps(int value) {
            this.steps = value;
            return this;
        }

        public Builder learningRate(double value) {
            this.learningRate = value;
            return this;
        }

        public Builder rampDown(double value) {
            this.rampDown = value;
            return this;
        }

        public Builder targetLoss(double value) {
            this.targetLoss = value;
            return this;
        }

        public Builder patience(int value) {
            this.patience = value;
            return this;
        }

        public Builder minImprovement(double value) {
            this.minImprovement = value;
            return this;
        }

        public Builder optimizer(Optimizer value) {
            this.optimizer = value;
            return this;
        }

        /** The last steps on the full gradient graph (see {@link InversionOptions#fineSteps()}). */
        public Builder fineSteps(int value) {
            this.fineSteps = value;
            return this;
        }

        /** The least declared fidelity of a coarse graph that is used (see {@link InversionOptions#minCoarseFidelityDb()}). */
        public Builder minCoarseFidelityDb(double value) {
            this.minCoarseFidelityDb = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid option */
        public InversionOptions build() {
            return new InversionOptions(steps, learningRate, rampDown, targetLoss, patience, minImprovement,
                    optimizer, fineSteps, minCoarseFidelityDb);
        }
    }
}
