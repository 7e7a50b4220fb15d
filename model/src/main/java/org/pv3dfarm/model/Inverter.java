package org.pv3dfarm.model;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;

/**
 * GAN inversion with the generator frozen: L-BFGS or Adam ({@link InversionOptions#optimizer()}) on w through the
 * inversion gradient graph, for a batch of
 * targets at once (the per-sample losses are independent, so their sum is minimised sample by sample).
 * Keeps the best w seen; stops after {@link InversionOptions#steps()} or earlier as the options say.
 */
public final class Inverter {

    private static final Logger LOG = System.getLogger(Inverter.class.getName());

    /** Told after every optimiser step; may throw to abandon the inversion (e.g. a cancelled job). */
    @FunctionalInterface
    public interface StepListener {
        /**
         * @param step     the steps taken so far (1-based)
         * @param loss     the total loss after this step
         * @param bestLoss the best total loss so far
         */
        void afterStep(int step, double loss, double bestLoss);
    }

    private final InversionGradient gradient;
    private final InversionOptions options;

    public Inverter(InversionGradient gradient, InversionOptions options) {
        this.gradient = gradient;
        this.options = options;
    }

    /**
     * Optimises w from {@code initialW} [b, w_dim] so that the rendered images match {@code target} under
     * {@code mask}, with z_motion, t and camera held fixed.
     */
    public InversionResult invert(FloatTensor initialW, FloatTensor zMotion, FloatTensor t, FloatTensor camera,
                                  FloatTensor target, FloatTensor mask) {
        return invert(initialW, zMotion, t, camera, target, mask, (step, loss, best) -> { });
    }

    /** As {@link #invert(FloatTensor, FloatTensor, FloatTensor, FloatTensor, FloatTensor, FloatTensor)}, telling
     * {@code listener} after every step. */
    public InversionResult invert(FloatTensor initialW, FloatTensor zMotion, FloatTensor t, FloatTensor camera,
                                  FloatTensor target, FloatTensor mask, StepListener listener) {
        if (initialW.rank() != 2 || initialW.dim(0) != gradient.batch()) {
            throw new IllegalArgumentException("initial w must have shape [" + gradient.batch() + ", w_dim], was "
                    + Arrays.toString(initialW.shape()));
        }
        float[] w = initialW.data().clone();
        float[] best = w.clone();
        Adam adam = new Adam(w.length);
        Lbfgs lbfgs = new Lbfgs(10, options.learningRate(), 10 * options.learningRate());
        double[] history = new double[options.steps() + 1];
        try (InversionGradient.Problem problem = gradient.bind(zMotion, t, camera, target, mask)) {
            InversionGradient.Result current = problem.evaluate(w);
            history[0] = current.totalLoss();
            double bestLoss = history[0];
            float[] bestPerSample = current.loss().clone();
            double patienceReference = bestLoss;
            int sinceImprovement = 0;
            InversionResult.StopReason reason = InversionResult.StopReason.STEPS;
            int k = 0;
            while (k < options.steps()) {
                if (!Double.isFinite(current.totalLoss())) {
                    throw new IllegalStateException("inversion diverged at step " + k + " (loss " + current.totalLoss()
                            + "); lower the learning rate");
                }
                if (options.targetLoss() > 0 && bestLoss <= options.targetLoss()) {
                    reason = InversionResult.StopReason.TARGET_LOSS;
                    break;
                }
                if (options.optimizer() == InversionOptions.Optimizer.LBFGS) {
                    current = lbfgs.step(w, current, InversionGradient.Result::totalLoss, r -> r.gradW().data(),
                            problem::evaluate);
                } else {
                    adam.step(w, current.gradW().data(), options.learningRateAt(k));
                    current = problem.evaluate(w);
                }
                k++;
                history[k] = current.totalLoss();
                if (history[k] < bestLoss) {
                    bestLoss = history[k];
                    bestPerSample = current.loss().clone();
                    System.arraycopy(w, 0, best, 0, w.length);
                }
                listener.afterStep(k, history[k], bestLoss);
                if (bestLoss < patienceReference * (1 - options.minImprovement())) {
                    patienceReference = bestLoss;
                    sinceImprovement = 0;
                } else if (options.patience() > 0 && ++sinceImprovement >= options.patience()) {
                    reason = InversionResult.StopReason.NO_IMPROVEMENT;
                    break;
                }
            }
            if (reason == InversionResult.StopReason.STEPS && options.targetLoss() > 0 && bestLoss <= options.targetLoss()) {
                reason = InversionResult.StopReason.TARGET_LOSS;
            }
            LOG.log(Level.DEBUG, "inversion: {0} steps, loss {1} -> {2} ({3})", k, history[0], bestLoss, reason);
            return new InversionResult(FloatTensor.of(best, initialW.shapeCopy()), bestPerSample, history[0], bestLoss,
                    Arrays.copyOf(history, k + 1), k, reason,
                    1 + (options.optimizer() == InversionOptions.Optimizer.LBFGS ? lbfgs.evaluations() : k));
        }
    }
}
