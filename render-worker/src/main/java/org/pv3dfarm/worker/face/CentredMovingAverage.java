package org.pv3dfarm.worker.face;

/**
 * Temporal smoothing of a per-frame series (crop centre, scale, roll, camera angles of a video's faces) by a centred
 * moving average that shrinks symmetrically at the ends:
 * <pre>
 *   r_i = min(r, i, n − 1 − i)
 *   x̂_i = (1 / (2·r_i + 1)) · Σ_{j = i − r_i}^{i + r_i} x_j
 * </pre>
 * Centred, so it adds no lag (the whole video is known before the fit, unlike a live One-Euro filter), and the
 * symmetric window keeps constant and linearly changing series exactly (a slow head turn is not bent at the
 * ends); independent per-frame noise shrinks by a factor √(2r + 1) in the middle.
 */
public final class CentredMovingAverage {

    private final int radius;

    /** @param radius r ≥ 0, frames on each side (0: no smoothing) */
    public CentredMovingAverage(int radius) {
        if (radius < 0) {
            throw new IllegalArgumentException("radius must not be negative, was " + radius);
        }
        this.radius = radius;
    }

    public int radius() {
        return radius;
    }

    /** The smoothed series (a new array of the same length). */
    public double[] apply(double[] x) {
        int n = x.length;
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + x[i];
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int r = Math.min(radius, Math.min(i, n - 1 - i));
            out[i] = (prefix[i + r + 1] - prefix[i - r]) / (2 * r + 1);
        }
        return out;
    }
}
