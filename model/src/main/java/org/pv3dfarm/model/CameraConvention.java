package org.pv3dfarm.model;

import java.util.Arrays;

/**
 * {@code conventions.camera} of model.json: where the EG3D LookAt cameras sit and what they see.
 *
 * @param layout a human-readable description of the 25-float layout
 * @param radius distance of the camera origin from the world origin
 * @param pivot the point every LookAt camera looks at (3 floats)
 * @param focal normalised focal length (fx = fy, in units of the image side)
 * @param canonical the 25-float frontal camera the mapping network is conditioned on
 */
public record CameraConvention(String layout, double radius, double[] pivot, double focal, float[] canonical) {

    public CameraConvention {
        if (!(radius > 0) || !(focal > 0)) {
            throw new IllegalArgumentException("conventions.camera radius and focal must be positive, were "
                    + radius + ", " + focal);
        }
        if (pivot == null || pivot.length != 3) {
            throw new IllegalArgumentException("conventions.camera.pivot must hold 3 numbers");
        }
        if (canonical == null || canonical.length != Cameras.CAMERA_SIZE) {
            throw new IllegalArgumentException("conventions.camera.canonical must hold " + Cameras.CAMERA_SIZE + " numbers");
        }
        pivot = pivot.clone();
        canonical = canonical.clone();
    }

    @Override
    public double[] pivot() {
        return pivot.clone();
    }

    @Override
    public float[] canonical() {
        return canonical.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CameraConvention c && layout.equals(c.layout) && radius == c.radius
                && Arrays.equals(pivot, c.pivot) && focal == c.focal && Arrays.equals(canonical, c.canonical);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(canonical);
    }

    @Override
    public String toString() {
        return "CameraConvention[radius=" + radius + ", pivot=" + Arrays.toString(pivot) + ", focal=" + focal + "]";
    }
}
