package org.pv3dfarm.worker.inversion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.pv3dfarm.model.FloatTensor;

class PsnrTest {

    @Test
    void isTenLogOfPeakSquaredOverTheMaskedMse() {
        FloatTensor target = FloatTensor.zeros(1, 3, 2, 2);
        // every value off by 0.2 → MSE 0.04 → 10·log10(4 / 0.04) = 20 dB
        FloatTensor render = FloatTensor.filled(0.2f, 1, 3, 2, 2);
        assertEquals(20.0, Psnr.masked(render, target, FloatTensor.filled(1f, 1, 1, 2, 2)), 1e-5);
        // an error only where the mask is 0 does not count
        float[] off = new float[12];
        off[0] = off[4] = off[8] = 1f; // pixel 0, all channels
        FloatTensor mask = FloatTensor.of(new float[] {0, 1, 1, 1}, 1, 1, 2, 2);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.masked(FloatTensor.of(off, 1, 3, 2, 2), target, mask));
        // values are clamped to [-1, 1]: 3 counts as 1
        FloatTensor far = FloatTensor.filled(3f, 1, 3, 2, 2);
        FloatTensor one = FloatTensor.filled(1f, 1, 3, 2, 2);
        assertEquals(10 * Math.log10(4.0), Psnr.masked(far, target, FloatTensor.filled(1f, 1, 1, 2, 2)), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.masked(far, one, FloatTensor.filled(1f, 1, 1, 2, 2)));
        assertEquals(Double.POSITIVE_INFINITY, Psnr.masked(far, FloatTensor.filled(2f, 1, 3, 2, 2),
                FloatTensor.filled(1f, 1, 1, 2, 2)), "both clamped: 3 and 2 both show as white");
    }

    @Test
    void emptyMasksAndShapeMismatchesAreRejected() {
        FloatTensor t = FloatTensor.zeros(1, 3, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> Psnr.masked(t, t, FloatTensor.zeros(1, 1, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> Psnr.masked(t, FloatTensor.zeros(1, 3, 2, 3),
                FloatTensor.filled(1f, 1, 1, 2, 2)));
    }
}
