package org.pv3dfarm.worker.mesh;

import java.util.Objects;

/**
 * Samples of a scalar field on a regular grid: the sample {@code (i, j, k)} lies at
 * {@code origin + spacing · (i, j, k)} and is {@code values[(k · ny + j) · nx + i]} (x fastest).
 *
 * @param nx      samples along x, at least 2
 * @param ny      samples along y, at least 2
 * @param nz      samples along z, at least 2
 * @param origin  world position of sample (0, 0, 0), 3 numbers
 * @param spacing distance between neighbouring samples, positive
 * @param values  {@code nx · ny · nz} samples; NaN is not allowed; the record keeps the array, do not change it
 */
public record ScalarGrid(int nx, int ny, int nz, double[] origin, double spacing, float[] values) {

    public ScalarGrid {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(values, "values");
        if (nx < 2 || ny < 2 || nz < 2) {
            throw new IllegalArgumentException("a grid needs at least 2 samples per axis, has " + nx + "x" + ny + "x" + nz);
        }
        if (origin.length != 3) {
            throw new IllegalArgumentException("origin must hold 3 coordinates");
        }
        if (!(spacing > 0) || Double.isInfinite(spacing)) {
            throw new IllegalArgumentException("spacing must be finite and positive, was " + spacing);
        }
        if ((long) nx * ny * nz != values.length) {
            throw new IllegalArgumentException("a " + nx + "x" + ny + "x" + nz + " grid needs " + (long) nx * ny * nz
                    + " values, has " + values.length);
        }
        for (float v : values) {
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException("grid values must not be NaN");
            }
        }
        origin = origin.clone();
    }

    @Override
    public double[] origin() {
        return origin.clone();
    }

    /** The sample at (i, j, k); indices must lie in the grid. */
    public float value(int i, int j, int k) {
        return values[(k * ny + j) * nx + i];
    }

    /** World coordinate {@code axis} (0 x, 1 y, 2 z) of grid index {@code index} (fractional allowed). */
    public double coordinate(int axis, double index) {
        return origin[axis] + spacing * index;
    }

    /**
     * A cube of {@code n³} samples spanning {@code [-half, half]} on every axis, the field evaluated at each sample
     * (x fastest): the points a density graph is asked about.
     */
    public static double[] cubePoints(int n, double half) {
        if (n < 2 || !(half > 0)) {
            throw new IllegalArgumentException("need n >= 2 and half > 0, were " + n + ", " + half);
        }
        double[] points = new double[n * n * n * 3];
        double step = 2 * half / (n - 1);
        int p = 0;
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    points[p++] = -half + i * step;
                    points[p++] = -half + j * step;
                    points[p++] = -half + k * step;
                }
            }
        }
        return points;
    }

    /** The grid whose samples are {@link #cubePoints(int, double)} with the given values. */
    public static ScalarGrid cube(int n, double half, float[] values) {
        return new ScalarGrid(n, n, n, new double[] {-half, -half, -half}, 2 * half / (n - 1), values);
    }
}
