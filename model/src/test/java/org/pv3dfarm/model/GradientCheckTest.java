package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gradient graphs agree with central finite differences of their own loss, computed from Java: for a unit
 * direction d, {@code (L(x + h·d) − L(x − h·d)) / 2h ≈ ∇L · d}, on random directions and on the gradient's own
 * direction (which pins down its scale), at the exporter's reference inputs.
 *
 * <p>Tolerance: |fd − ∇L·d| ≤ 2 % of ‖∇L‖ (the largest directional derivative). The error budget, measured on
 * the tiny model in float32 (loss ≈ 3, ‖∇L‖ ≈ 1–14):
 * <ul>
 *   <li>rounding: the loss is a float32 reduction over ~50k pixels, reproducible to ~3e-7 absolute, so the
 *       difference quotient carries ~3e-7/h: 3e-5 at h = 1e-2 (w, z_motion), 3e-4 at h = 1e-3 (t);</li>
 *   <li>truncation, h²/6·L''': small for w and z_motion at h = 1e-2 (‖w‖ ≈ 7, ‖z_motion‖ ≈ 9: the step is
 *       0.1–0.2 % of the point); t enters through sin/cos of 2πt and 4πt, so L''' is ~(4π)² larger and h is
 *       1e-3 (at h = 1e-2 the t check was off by up to 2 %);</li>
 *   <li>kinks: leaky ReLUs and the importance-sampling positions (detached in the graph, moving in the
 *       difference quotient) make L only piecewise smooth.</li>
 * </ul>
 * The worst case measured was 0.43 % of ‖∇L‖ (a random direction in t); a wrong gradient — a missing term, a
 * transposed or mis-scaled output, a swapped input — is off by a sizeable fraction of ‖∇L‖.
 */
class GradientCheckTest extends CommittedTinyModelFixture {

    static final double TOLERANCE = 0.02;
    static final double STEP_LATENT = 1e-2;
    static final double STEP_TIME = 1e-3;

    @Test
    void inversionGradientMatchesFiniteDifferences() {
        GradientGraphSpec spec = manifest.gradientGraphs(GradientKind.INVERSION).get(0);
        References.Case c = refs.gradient(spec);
        InversionGradient gradient = model.inversionGradient(spec.size());
        float[] w = c.inputs().get("w").data();
        try (InversionGradient.Problem p = gradient.bind(c.inputs().get("z_motion"), c.inputs().get("t"),
                c.inputs().get("camera"), c.inputs().get("target"), c.inputs().get("mask"))) {
            float[] grad = p.evaluate(w).gradW().data();
            SplittableRandom random = new SplittableRandom(11);
            check("inversion w", w, grad, STEP_LATENT, random, 3, x -> p.evaluate(x).totalLoss());
        }
    }

    @Test
    void reconstructionGradientsMatchFiniteDifferences() {
        GradientGraphSpec spec = manifest.gradientGraphs(GradientKind.RECONSTRUCTION).get(0);
        References.Case c = refs.gradient(spec);
        ReconstructionGradient gradient = model.reconstructionGradient(spec.size());
        float[] w = c.inputs().get("w").data();
        float[] zMotion = c.inputs().get("z_motion").data();
        float[] t = c.inputs().get("t").data();
        try (ReconstructionGradient.Problem p = gradient.bind(c.inputs().get("cameras"), c.inputs().get("targets"),
                c.inputs().get("masks"))) {
            ReconstructionGradient.Result r = p.evaluate(w, zMotion, t);
            SplittableRandom random = new SplittableRandom(12);
            // One evaluation of this graph costs ~4 inversion steps: the gradient direction only for w and z_motion.
            check("reconstruction w", w, r.gradW().data(), STEP_LATENT, random, 0, x -> p.evaluate(x, zMotion, t).loss());
            check("reconstruction z_motion", zMotion, r.gradZMotion().data(), STEP_LATENT, random, 0,
                    x -> p.evaluate(w, x, t).loss());
            check("reconstruction t", t, r.gradT().data(), STEP_TIME, random, 1, x -> p.evaluate(w, zMotion, x).loss());
        }
    }

    /** Compares directional derivatives on {@code randomDirections} random unit directions and on ∇L/‖∇L‖. */
    private static void check(String what, float[] x, float[] grad, double h, SplittableRandom random,
                              int randomDirections, Loss loss) {
        double gradNorm = TensorMath.norm(grad);
        assertTrue(gradNorm > 0, what + ": the gradient at the reference point is not zero");
        for (int k = 0; k <= randomDirections; k++) {
            float[] d = new float[x.length];
            if (k == 0) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (grad[i] / gradNorm);
                }
            } else {
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) random.nextGaussian();
                }
                double n = TensorMath.norm(d);
                for (int i = 0; i < d.length; i++) {
                    d[i] /= (float) n;
                }
            }
            float[] plus = x.clone();
            float[] minus = x.clone();
            for (int i = 0; i < d.length; i++) {
                plus[i] += (float) (h * d[i]);
                minus[i] -= (float) (h * d[i]);
            }
            // The step actually taken after rounding x ± h·d to float32.
            double span = 0;
            for (int i = 0; i < d.length; i++) {
                span += ((double) plus[i] - minus[i]) * d[i];
            }
            double fd = (loss.at(plus) - loss.at(minus)) / span;
            double analytic = TensorMath.dot(grad, d);
            double error = Math.abs(fd - analytic) / gradNorm;
            System.out.printf("fd %s direction %d: analytic %.6f, finite difference %.6f, error %.2e of |grad| %.3f%n",
                    what, k, analytic, fd, error, gradNorm);
            assertTrue(error <= TOLERANCE, what + " direction " + k + ": finite difference " + fd + " vs gradient "
                    + analytic + " differ by " + error + " of |grad| = " + gradNorm);
        }
    }

    @FunctionalInterface
    private interface Loss {
        double at(float[] x);
    }
}
