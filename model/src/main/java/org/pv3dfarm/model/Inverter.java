package org.pv3dfarm.model;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;

/**
 * GAN inversion with the generator frozen: L-BFGS or Adam ({@link InversionOptions#optimizer()}) on w through the
 * inversion gradient graph, for a batch of targets at once (the per-sample losses are independent, so their sum is
 * minimised sample by sample). Keeps the best w seen; stops after {@link InversionOptions#steps()} or earlier as the
 * options say.
 *
 * <p><b>Coarse to fine</b>: given a coarse gradient graph (an approximate image that costs less per evaluation) whose
 * declared fidelity reaches {@link InversionOptions#minCoarseFidelityDb()} (otherwise it is ignored), the
 * first {@link InversionOptions#coarseSteps()} steps run on it and the rest on the full graph, starting from the best
 * coarse w with a fresh optimiser (the curvature pairs of one loss do not describe the other). An early stop (target
 * loss, patience) during the coarse phase only ends that phase. The step count, the listener's steps and the loss
 * history run through both phases (history[k] is the loss after step k on the graph that step used; the initial loss
 * is the first graph's); the result's best w and best loss are the fine phase's when it ran.
 */
public final class Inverter {

    private static final Logger LOG = System.getLogger(Inverter.class.getName());

    /** Told after every optimiser step; may throw to abandon the inversion (e.g. a cancelled job). */
    @FunctionalInterface
    public interface StepListener {
        /**
         * @param step     the steps taken so far (1-based)
         * @param loss     the total loss after this step
         * @param bestLoss the best total loss so far; it never rises, also across the coarse-to-fine switch, where the
         *                 full graph's loss at the best coarse w is usually a little above the coarse one (then the
         *                 coarse best stands until the fine phase beats it)
         */
        void afterStep(int step, double loss, double bestLoss);
    }

    private final InversionGradient gradient;
    private final InversionGradient coarse;
    private final InversionOptions options;

    /** Every step on {@code gradient}. */
    public Inverter(InversionGradient gradient, InversionOptions options) {
        this(gradient, null, options);
    }

    /**
     * @param gradient the full inversion gradient graph
     * @param coarse   the coarse one for the first {@link InversionOptions#coarseSteps()} steps (same batch), or null
     */
    public Inverter(InversionGradient gradient, InversionGradient coarse, InversionOptions options) {
        if (coarse != null && coarse.batch() != gradient.batch()) {
            throw new IllegalArgumentException("the coarse gradient graph's batch " + coarse.batch()
                    + " differs from the full graph's " + gradient.batch());
        }
        this.gradient = gradient;
        this.coarse = coarse;
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
                    + Arrays.toString(initialW.shapeCopy()));
        }
        double[] history = new double[options.steps() + 1];
        // A coarse graph whose image is too far from the full one would lead the fine phase astray (NaN: unknown).
        boolean useCoarse = coarse != null && coarse.fidelityDb() >= options.minCoarseFidelityDb();
        int coarseSteps = useCoarse ? options.coarseSteps() : 0;
        Phase phase = new Phase(initialW.data().clone(), history, listener);
        if (coarseSteps > 0) {
            try (InversionGradient.Problem problem = coarse.bind(zMotion, t, camera, target, mask)) {
                phase.run(problem, coarseSteps);
            }
            if (phase.steps < options.steps() && options.fineSteps() > 0) {
                phase = phase.next(Math.min(options.fineSteps(), options.steps() - phase.steps));
            }
        }
        if (coarseSteps == 0 || phase.budget > 0) {
            try (InversionGradient.Problem problem = gradient.bind(zMotion, t, camera, target, mask)) {
                phase.run(problem, coarseSteps == 0 ? options.steps() : phase.budget);
            }
        }
        LOG.log(Level.DEBUG, "inversion: {0} steps ({1} coarse), loss {2} -> {3} ({4})", phase.steps,
                Math.min(coarseSteps, phase.steps), history[0], phase.bestLoss, phase.reason);
        return new InversionResult(FloatTensor.of(phase.best, initialW.shapeCopy()), phase.bestPerSample,
                history[0], phase.bestLoss, Arrays.copyOf(history, phase.historyLength), phase.steps, phase.reason,
                phase.evaluations);
    }

    /** One optimiser run over one gradient graph; {@link #next} carries the step count into the fine phase. */
    private final class Phase {
        private final float[] w;
        private final double[] history;
        private final StepListener listener;
        private float[] best;
        private float[] bestPerSample;
        private double bestLoss = Double.POSITIVE_INFINITY;
        private double earlierBest = Double.POSITIVE_INFINITY;
        private int steps;
        private int historyLength;
        private int evaluations;
        private int budget;
        private InversionResult.StopReason reason = InversionResult.StopReason.STEPS;

        Phase(float[] w, double[] history, StepListener listener) {
            this.w = w;
            this.best = w.clone();
            this.history = history;
            this.listener = listener;
        }

        /** The fine phase: from this phase's best w, {@code budget} more steps, the step count and history kept. */
        Phase next(int budget) {
            Phase fine = new Phase(best.clone(), history, listener);
            fine.steps = steps;
            fine.historyLength = historyLength;
            fine.evaluations = evaluations;
            fine.earlierBest = Math.min(earlierBest, bestLoss);
            fine.budget = budget;
            return fine;
        }

        void run(InversionGradient.Problem problem, int maxSteps) {
            Adam adam = new Adam(w.length);
            Lbfgs lbfgs = new Lbfgs(10, options.learningRate(), 10 * options.learningRate());
            InversionGradient.Result current = problem.evaluate(w);
            int adamEvaluations = 1;
            if (steps == 0) {
                history[historyLength++] = current.totalLoss();
            }
            bestLoss = current.totalLoss();
            bestPerSample = current.loss().clone();
            double patienceReference = bestLoss;
            int sinceImprovement = 0;
            int k = 0;
            reason = InversionResult.StopReason.STEPS;
            while (k < maxSteps) {
                if (!Double.isFinite(current.totalLoss())) {
                    throw new IllegalStateException("inversion diverged at step " + steps + " (loss "
                            + current.totalLoss() + "); lower the learning rate");
                }
                if (options.targetLoss() > 0 && bestLoss <= options.targetLoss()) {
                    reason = InversionResult.StopReason.TARGET_LOSS;
                    break;
                }
                if (options.optimizer() == InversionOptions.Optimizer.LBFGS) {
                    current = lbfgs.step(w, current, InversionGradient.Result::totalLoss, r -> r.gradW().data(),
                            problem::evaluate);
                } else {
                    adam.step(w, current.gradW().data(), options.learningRateAt(steps));
                    current = problem.evaluate(w);
                    adamEvaluations++;
                }
                k++;
                steps++;
                double loss = current.totalLoss();
                history[historyLength++] = loss;
                if (loss < bestLoss) {
                    bestLoss = loss;
                    bestPerSample = current.loss().clone();
                    System.arraycopy(w, 0, best, 0, w.length);
                }
                listener.afterStep(steps, loss, Math.min(earlierBest, bestLoss));
                if (bestLoss < patienceReference * (1 - options.minImprovement())) {
                    patienceReference = bestLoss;
                    sinceImprovement = 0;
                } else if (options.patience() > 0 && ++sinceImprovement >= options.patience()) {
                    reason = InversionResult.StopReason.NO_IMPROVEMENT;
                    break;
                }
            }
            if (reason == InversionResult.StopReason.STEPS && options.targetLoss() > 0
                    && bestLoss <= options.targetLoss()) {
                reason = InversionResult.StopReason.TARGET_LOSS;
            }
            evaluations += options.optimizer() == InversionOptions.Optimizer.LBFGS ? 1 + lbfgs.evaluations()
                    : adamEvaluations;
            budget = 0;
        }
    }
}
