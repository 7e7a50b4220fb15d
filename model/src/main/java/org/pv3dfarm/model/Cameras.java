package org.pv3dfarm.model;

import java.util.List;

/**
 * EG3D LookAt cameras as the 25-float vectors the model takes: cam2world (row-major 4x4, OpenCV camera axes:
 * x right, y down, z forward; world y up) then the normalised intrinsics {@code [[f,0,0.5],[0,f,0.5],[0,0,1]]}.
 *
 * <p>For yaw θ and pitch φ (clamped into [1e-5, π − 1e-5]) on a sphere of radius r around the world origin:
 * <pre>
 *   origin  = r · (sin φ · cos(π − θ), cos φ, sin φ · sin(π − θ))
 *   forward = normalize(pivot − origin)
 *   right   = −normalize((0, 1, 0) × forward)
 *   up      = normalize(forward × right)
 *   cam2world = [right | up | forward | origin]   (columns; last row 0 0 0 1)
 * </pre>
 * so the frontal camera (θ = φ = π/2) sits at (0, 0, r), looks down −z, and its y axis points down in the world.
 */
public final class Cameras {

    /** Floats per camera: 16 cam2world + 9 intrinsics. */
    public static final int CAMERA_SIZE = 25;
    private static final double PITCH_EPS = 1e-5;

    private Cameras() {
    }

    /** The camera at (yaw, pitch) on a sphere of {@code radius}, looking at {@code pivot}, with focal {@code focal}. */
    public static float[] lookAt(double yaw, double pitch, double radius, double[] pivot, double focal) {
        if (pivot.length != 3) {
            throw new IllegalArgumentException("pivot must have 3 coordinates");
        }
        double p = Math.min(Math.max(pitch, PITCH_EPS), Math.PI - PITCH_EPS);
        double[] origin = {
            radius * Math.sin(p) * Math.cos(Math.PI - yaw),
            radius * Math.cos(p),
            radius * Math.sin(p) * Math.sin(Math.PI - yaw)};
        double[] forward = normalize(new double[] {pivot[0] - origin[0], pivot[1] - origin[1], pivot[2] - origin[2]});
        double[] right = normalize(cross(new double[] {0, 1, 0}, forward));
        for (int i = 0; i < 3; i++) {
            right[i] = -right[i];
        }
        double[] up = normalize(cross(forward, right));
        float[] c = new float[CAMERA_SIZE];
        for (int row = 0; row < 3; row++) {
            c[row * 4] = (float) right[row];
            c[row * 4 + 1] = (float) up[row];
            c[row * 4 + 2] = (float) forward[row];
            c[row * 4 + 3] = (float) origin[row];
        }
        c[15] = 1f;
        c[16] = (float) focal;
        c[18] = 0.5f;
        c[20] = (float) focal;
        c[21] = 0.5f;
        c[24] = 1f;
        return c;
    }

    /** The camera at a view angle under a model's camera convention. */
    public static float[] lookAt(ViewAngle angle, CameraConvention convention) {
        return lookAt(angle.yaw(), angle.pitch(), convention.radius(), convention.pivot(), convention.focal());
    }

    /** The frontal camera the mapping network is conditioned on, as the manifest declares it. */
    public static float[] canonical(ModelManifest manifest) {
        return manifest.conventions().camera().canonical();
    }

    /** The frontal camera turned by (yawOffset, pitchOffset) radians. */
    public static float[] offset(CameraConvention convention, double yawOffset, double pitchOffset) {
        return lookAt(ViewAngle.fromFrontal(yawOffset, pitchOffset), convention);
    }

    /** Cameras for a list of view angles as a [n, 25] tensor. */
    public static FloatTensor cameras(List<ViewAngle> angles, CameraConvention convention) {
        return stack(angles.stream().map(a -> lookAt(a, convention)).toList());
    }

    /** Stacks 25-float cameras into a [n, 25] tensor. */
    public static FloatTensor stack(List<float[]> cameras) {
        float[] data = new float[cameras.size() * CAMERA_SIZE];
        for (int i = 0; i < cameras.size(); i++) {
            float[] c = cameras.get(i);
            if (c.length != CAMERA_SIZE) {
                throw new IllegalArgumentException("camera " + i + " has " + c.length + " floats, expected " + CAMERA_SIZE);
            }
            System.arraycopy(c, 0, data, i * CAMERA_SIZE, CAMERA_SIZE);
        }
        return FloatTensor.of(data, cameras.size(), CAMERA_SIZE);
    }

    /** One camera repeated n times: [n, 25]. */
    public static FloatTensor repeat(float[] camera, int n) {
        return stack(java.util.Collections.nCopies(n, camera));
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] normalize(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (n == 0) {
            throw new IllegalArgumentException("degenerate camera: zero-length direction");
        }
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }
}
