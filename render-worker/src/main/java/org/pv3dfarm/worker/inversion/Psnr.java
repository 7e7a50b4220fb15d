package org.pv3dfarm.worker.inversion;

import org.pv3dfarm.model.FloatTensor;

/**
 * Peak signal-to-noise ratio of a render against its target under a mask, for pictures in [-1, 1] (peak-to-peak 2):
 * <pre>
 *   MSE  = Σ m·(clamp(x) − clamp(y))² / (C · Σ m)   over the C = 3 channels and every pixel, m the mask
 *   PSNR = 10 · log10(2² / MSE)  dB                  (+∞ when MSE = 0)
 * </pre>
 * Both are clamped to [-1, 1] first: the pictures as shown (a photo's target is within range anyway; a model's raw
 * render may not be). Clamping never increases a difference, so PSNR ≥ 10·log10(4 / loss) with the inversion graph's
 * unclamped loss (docs/model.md), equal when both lie within range.
 */
public final class Psnr {

    private Psnr() {
    }

    /** PSNR (dB) of {@code render} [1, C, H, W] against {@code target} (same shape) under {@code mask} [1, 1, H, W]. */
    public static double masked(FloatTensor render, FloatTensor target, FloatTensor mask) {
        long[] shape = render.shape();
        if (!java.util.Arrays.equals(shape, target.shape()) || shape.length != 4 || shape[0] != 1
                || mask.data().length != shape[2] * shape[3]) {
            throw new IllegalArgumentException("need render and target [1, C, H, W] and a mask [1, 1, H, W], got "
                    + java.util.Arrays.toString(shape) + ", " + java.util.Arrays.toString(target.shape()) + ", "
                    + java.util.Arrays.toString(mask.shape()));
        }
        int channels = (int) shape[1];
        int plane = mask.data().length;
        float[] x = render.data(), y = target.data(), m = mask.data();
        double sum = 0, weight = 0;
        for (int i = 0; i < plane; i++) {
            weight += m[i];
            for (int c = 0; c < channels; c++) {
                double d = clamp(x[c * plane + i]) - clamp(y[c * plane + i]);
                sum += m[i] * d * d;
            }
        }
        if (!(weight > 0)) {
            throw new IllegalArgumentException("the mask is empty: no pixel to compare");
        }
        double mse = sum / (channels * weight);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(4 / mse);
    }

    private static double clamp(float v) {
        return Math.max(-1, Math.min(1, v));
    }
}
