package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CentredMovingAverageTest {

    @Test
    void averagesACentredWindowThatShrinksSymmetricallyAtTheEnds() {
        double[] x = {0, 10, 0, 0, 0, 4};
        // r = 1: ends untouched (r_i = 0), inside the mean of three
        assertArrayEquals(new double[] {0, 10 / 3.0, 10 / 3.0, 0, 4 / 3.0, 4}, new CentredMovingAverage(1).apply(x), 1e-12);
        // r = 2: frame 2 averages frames 0..4, frame 1 only 0..2
        assertArrayEquals(new double[] {0, 10 / 3.0, 2, 14 / 5.0, 4 / 3.0, 4}, new CentredMovingAverage(2).apply(x), 1e-12);
    }

    @Test
    void constantAndLinearSeriesAreKeptExactly() {
        double[] ramp = new double[20];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = 0.3 + 0.05 * i;
        }
        assertArrayEquals(ramp, new CentredMovingAverage(4).apply(ramp), 1e-12);
        assertArrayEquals(new double[] {2, 2, 2}, new CentredMovingAverage(3).apply(new double[] {2, 2, 2}), 1e-12);
        assertArrayEquals(new double[] {1, 5}, new CentredMovingAverage(0).apply(new double[] {1, 5}), 0);
        assertEquals(0, new CentredMovingAverage(2).apply(new double[0]).length);
    }

    @Test
    void independentNoiseShrinksBySquareRootOfTheWindow() {
        SplittableRandom random = new SplittableRandom(5);
        double[] noise = new double[20_000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextDouble(-1, 1);
        }
        double[] smooth = new CentredMovingAverage(4).apply(noise);
        double ratio = Math.sqrt(variance(smooth) / variance(noise));
        assertEquals(1 / 3.0, ratio, 0.02, "window of 9: std shrinks by 3");
    }

    @Test
    void negativeRadiusIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CentredMovingAverage(-1));
    }

    private static double variance(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double s = 0;
        for (double v : x) {
            s += (v - mean) * (v - mean) / x.length;
        }
        assertTrue(s > 0);
        return s;
    }
}
