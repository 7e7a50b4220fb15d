package org.pv3dfarm.model;

/**
 * Warps one raw render into another camera through its depth (the multi-view warping error of the PV3D paper):
 * each source pixel's ray, cut at its expected depth, gives a world point; that point is projected into the
 * destination camera and the destination render is sampled there bilinearly.
 *
 * <p>Pixel centres follow the renderer: pixel (row i, column j) of an N×N image looks through normalised image
 * coordinates u = (j + 0.5)/N, v = (i + 0.5)/N, i.e. camera direction ((u − cx)/fx, (v − cy)/fy, 1).
 */
final class DepthWarp {

    /** One warped pixel: the destination colour sampled at the point, and the point's distance to the destination camera. */
    record Sample(float[] rgb, double distance, double row, double col) {
    }

    private DepthWarp() {
    }

    /** The world point seen by pixel (row, col) of {@code camera} at distance {@code depth} along its unit ray. */
    static double[] unproject(float[] camera, int n, int row, int col, double depth) {
        double u = (col + 0.5) / n;
        double v = (row + 0.5) / n;
        double x = (u - camera[18]) / camera[16];
        double y = (v - camera[21]) / camera[20];
        double[] dir = new double[3];
        for (int r = 0; r < 3; r++) {
            dir[r] = camera[r * 4] * x + camera[r * 4 + 1] * y + camera[r * 4 + 2];
        }
        double len = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
        return new double[] {camera[3] + depth * dir[0] / len, camera[7] + depth * dir[1] / len,
                camera[11] + depth * dir[2] / len};
    }

    /**
     * The continuous pixel coordinates (row, col) where a world point lands in {@code camera}, with the point's
     * camera-space z, or null when it is behind the camera.
     */
    static double[] project(float[] camera, int n, double[] p) {
        double[] rel = {p[0] - camera[3], p[1] - camera[7], p[2] - camera[11]};
        double[] c = new double[3];
        for (int k = 0; k < 3; k++) { // R^T · rel: column k of the rotation dotted with rel
            c[k] = camera[k] * rel[0] + camera[4 + k] * rel[1] + camera[8 + k] * rel[2];
        }
        if (c[2] <= 1e-6) {
            return null;
        }
        double u = camera[16] * c[0] / c[2] + camera[18];
        double v = camera[20] * c[1] / c[2] + camera[21];
        return new double[] {v * n - 0.5, u * n - 0.5, c[2]};
    }

    /** Bilinear sample of channel {@code ch} of a [1, C, N, N] image at continuous (row, col) inside the grid. */
    static double bilinear(FloatTensor image, int ch, double row, double col) {
        int n = (int) image.dim(-1);
        int r0 = (int) Math.floor(row);
        int c0 = (int) Math.floor(col);
        int r1 = Math.min(r0 + 1, n - 1);
        int c1 = Math.min(c0 + 1, n - 1);
        double fr = row - r0;
        double fc = col - c0;
        float[] d = image.data();
        int base = ch * n * n;
        return (1 - fr) * ((1 - fc) * d[base + r0 * n + c0] + fc * d[base + r0 * n + c1])
                + fr * ((1 - fc) * d[base + r1 * n + c0] + fc * d[base + r1 * n + c1]);
    }

    /** Whether continuous (row, col) lies where bilinear sampling needs no padding. */
    static boolean inside(double row, double col, int n) {
        return row >= 0 && col >= 0 && row <= n - 1 && col <= n - 1;
    }
}
