package org.pv3dfarm.worker.face;

/**
 * A point in image pixels: x to the right, y down, (0, 0) the top-left corner of the image (pixel (i, j) covers
 * [i, i + 1) × [j, j + 1), so its centre is (i + 0.5, j + 0.5)).
 */
public record ImagePoint(double x, double y) {

    public ImagePoint {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("point coordinates must be finite, were (" + x + ", " + y + ")");
        }
    }

    /** Euclidean distance to {@code other}. */
    public double distance(ImagePoint other) {
        return Math.hypot(x - other.x, y - other.y);
    }
}
