package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void firstStepMovesEachParameterByTheLearningRateAgainstItsGradientSign() {
        // With bias correction, m̂ = g and v̂ = g² at step 1, so the update is lr·g/(|g| + ε) ≈ lr·sign(g).
        Adam adam = new Adam(3);
        float[] p = {1, 1, 1};
        adam.step(p, new float[] {5, -0.001f, 0}, 0.1);
        assertEquals(0.9f, p[0], 1e-6);
        assertEquals(1.1f, p[1], 1e-4);
        assertEquals(1f, p[2]);
        assertEquals(1, adam.steps());
    }

    @Test
    void minimisesAnIllConditionedQuadratic() {
        // f(x) = Σ a_i (x_i − c_i)², with curvatures spanning 4 decades: Adam's per-coordinate scaling copes.
        double[] a = {1e-2, 1, 1e2};
        double[] c = {3, -2, 0.5};
        float[] x = new float[3];
        Adam adam = new Adam(3);
        for (int k = 0; k < 2000; k++) {
            float[] g = new float[3];
            for (int i = 0; i < 3; i++) {
                g[i] = (float) (2 * a[i] * (x[i] - c[i]));
            }
            adam.step(x, g, 0.05 * (1 - k / 2000.0));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(c[i], x[i], 2e-2, "coordinate " + i);
        }
    }

    @Test
    void validatesArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Adam(0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(1, 1.0, 0.999, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adam(1, 0.9, 0.999, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Adam(2).step(new float[2], new float[3], 0.1));
        assertTrue(e.getMessage().contains("holds 2"), e.getMessage());
    }

    @Test
    void inversionScheduleRampsDownToZero() {
        InversionOptions o = InversionOptions.builder().steps(100).learningRate(0.1).rampDown(0.25).build();
        assertEquals(0.1, o.learningRateAt(0), 1e-12);
        assertEquals(0.1, o.learningRateAt(75), 1e-12);
        assertEquals(0.05, o.learningRateAt(88) , 0.01);
        assertTrue(o.learningRateAt(99) < 0.001);
        assertEquals(0.1, InversionOptions.builder().rampDown(0).learningRate(0.1).build().learningRateAt(299), 0);
        assertThrows(IllegalArgumentException.class, () -> InversionOptions.builder().steps(0).build());
        assertThrows(IllegalArgumentException.class, () -> InversionOptions.builder().learningRate(-1).build());
        assertThrows(IllegalArgumentException.class, () -> InversionOptions.builder().rampDown(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> InversionOptions.builder().patience(-1).build());
    }
}
