package org.pv3dfarm.model;

/**
 * What an inversion found.
 *
 * @param w the best w seen, [b, w_dim]
 * @param loss the per-sample loss at that w
 * @param initialLoss the total loss at the starting w
 * @param bestLoss the total loss at the best w
 * @param lossHistory the total loss at every evaluated step (index 0 = the start)
 * @param steps the Adam steps taken
 * @param stopReason why the loop ended
 * @param evaluations gradient graph evaluations made (steps + 1 for Adam; L-BFGS's line search may add some)
 */
public record InversionResult(FloatTensor w, float[] loss, double initialLoss, double bestLoss, double[] lossHistory,
                              int steps, StopReason stopReason, int evaluations) {

    /** Why an inversion stopped. */
    public enum StopReason { STEPS, TARGET_LOSS, NO_IMPROVEMENT }

    /** initialLoss / bestLoss: how many times smaller the loss got. */
    public double lossReduction() {
        return initialLoss / bestLoss;
    }
}
