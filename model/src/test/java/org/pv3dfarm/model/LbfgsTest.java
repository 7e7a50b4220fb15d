package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {

    /** f(x) = ½ Σ c_i (x_i − 1)², c_i from 1 to 1000: an ill-conditioned quadratic. */
    record Eval(double loss, float[] grad) {
    }

    static Eval quadratic(float[] x) {
        double f = 0;
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double c = Math.pow(1000, i / (double) (x.length - 1));
            f += 0.5 * c * (x[i] - 1) * (x[i] - 1);
            g[i] = (float) (c * (x[i] - 1));
        }
        return new Eval(f, g);
    }

    @Test
    void solvesAnIllConditionedQuadraticInFarFewerStepsThanAdam() {
        float[] x = new float[16];
        Lbfgs lbfgs = new Lbfgs(10, 0.1, 1.0);
        Eval current = quadratic(x);
        int steps = 0;
        while (current.loss() > 1e-8 && steps < 300) {
            current = lbfgs.step(x, current, Eval::loss, Eval::grad, LbfgsTest::quadratic);
            steps++;
        }
        assertTrue(current.loss() <= 1e-8, "loss " + current.loss() + " after " + steps + " steps");
        assertTrue(steps < 150, steps + " steps");
        for (float v : x) {
            assertEquals(1f, v, 1e-3f);
        }
        // Adam at its best fixed learning rate for this problem is still far off after the same number of steps
        float[] y = new float[16];
        Adam adam = new Adam(16);
        for (int k = 0; k < steps; k++) {
            adam.step(y, quadratic(y).grad(), 0.05);
        }
        assertTrue(quadratic(y).loss() > 100 * current.loss(), "adam " + quadratic(y).loss());
    }

    @Test
    void everyAcceptedStepDecreasesTheLossAndNoStepMovesAValueBeyondTheCap() {
        float[] x = {5, -3, 8};
        Lbfgs lbfgs = new Lbfgs(3, 0.5, 2.0);
        Eval current = quadratic(x);
        for (int k = 0; k < 20; k++) {
            float[] before = x.clone();
            Eval next = lbfgs.step(x, current, Eval::loss, Eval::grad, LbfgsTest::quadratic);
            assertTrue(next.loss() <= current.loss(), "step " + k);
            for (int i = 0; i < x.length; i++) {
                assertTrue(Math.abs(x[i] - before[i]) <= 2.0 + 1e-5, "moved " + (x[i] - before[i]));
            }
            current = next;
        }
        assertTrue(lbfgs.evaluations() >= 20);
    }

    @Test
    void aZeroGradientLeavesThePointAlone() {
        float[] x = {1, 1};
        Eval at = quadratic(x);
        assertSame(at, new Lbfgs(5, 0.1, 1).step(x, at, Eval::loss, Eval::grad, LbfgsTest::quadratic));
        assertEquals(1f, x[0]);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Lbfgs(0, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Lbfgs(5, 0.5, 0.1));
    }
}
