package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CamerasTest {

    static final double RADIUS = 2.7;
    static final double[] PIVOT = {0, 0, 0.2};
    static final double FOCAL = 4.2647;
    static final CameraConvention CONVENTION = new CameraConvention("", RADIUS, PIVOT, FOCAL,
            Cameras.lookAt(Math.PI / 2, Math.PI / 2, RADIUS, PIVOT, FOCAL));

    @Test
    void frontalCameraSitsOnPlusZLooksDownMinusZWithYDown() {
        float[] c = Cameras.lookAt(Math.PI / 2, Math.PI / 2, RADIUS, PIVOT, FOCAL);
        assertEquals(Cameras.CAMERA_SIZE, c.length);
        assertVec(new double[] {0, 0, 2.7}, column(c, 3), 1e-6);     // origin
        assertVec(new double[] {0, 0, -1}, column(c, 2), 1e-6);      // forward (camera z)
        assertVec(new double[] {1, 0, 0}, column(c, 0), 1e-6);       // camera x: world right
        assertVec(new double[] {0, -1, 0}, column(c, 1), 1e-6);      // camera y: world down
        assertArrayEquals(new float[] {0, 0, 0, 1}, new float[] {c[12], c[13], c[14], c[15]});
        assertArrayEquals(new float[] {(float) FOCAL, 0, 0.5f, 0, (float) FOCAL, 0.5f, 0, 0, 1},
                java.util.Arrays.copyOfRange(c, 16, 25));
    }

    @Test
    void everyCameraHasAnOrthonormalRightHandedRotationAndLooksAtThePivot() {
        for (double yaw = 0.6; yaw < 2.6; yaw += 0.17) {
            for (double pitch = 0.7; pitch < 2.5; pitch += 0.19) {
                float[] c = Cameras.lookAt(yaw, pitch, RADIUS, PIVOT, FOCAL);
                double[][] axes = {column(c, 0), column(c, 1), column(c, 2)};
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        assertEquals(i == j ? 1 : 0, dot(axes[i], axes[j]), 1e-6, "R^T R at " + yaw + ", " + pitch);
                    }
                }
                assertEquals(1, det(axes), 1e-6, "right-handed (det +1)");
                double[] origin = column(c, 3);
                assertEquals(RADIUS, Math.sqrt(dot(origin, origin)), 1e-5, "on the sphere");
                double[] toPivot = {PIVOT[0] - origin[0], PIVOT[1] - origin[1], PIVOT[2] - origin[2]};
                double n = Math.sqrt(dot(toPivot, toPivot));
                assertEquals(1, dot(axes[2], toPivot) / n, 1e-6, "forward points at the pivot");
                assertTrue(axes[0][1] == 0 || Math.abs(axes[0][1]) < 1e-6, "no roll: camera x stays horizontal");
            }
        }
    }

    @Test
    void yawAndPitchMoveTheCameraTheDocumentedWay() {
        double[] right = column(Cameras.offset(CONVENTION, 0.3, 0), 3);
        assertTrue(right[0] > 0.5 && Math.abs(right[1]) < 1e-6, "yaw+ moves towards +x: " + java.util.Arrays.toString(right));
        double[] below = column(Cameras.offset(CONVENTION, 0, 0.3), 3);
        assertTrue(below[1] < -0.5 && Math.abs(below[0]) < 1e-6, "pitch+ moves down: " + java.util.Arrays.toString(below));
        double[] yaw30 = column(Cameras.offset(CONVENTION, Math.toRadians(30), 0), 3);
        assertEquals(RADIUS * Math.sin(Math.toRadians(30)), yaw30[0], 1e-6);
        assertEquals(RADIUS * Math.cos(Math.toRadians(30)), yaw30[2], 1e-6);
    }

    @Test
    void pitchIsClampedAwayFromThePoles() {
        float[] top = Cameras.lookAt(Math.PI / 2, 0, RADIUS, new double[] {0, 0, 0}, FOCAL);
        for (float v : top) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void stackingAndRepeating() {
        FloatTensor t = Cameras.cameras(Trajectories.orbit(5), CONVENTION);
        assertArrayEquals(new long[] {5, 25}, t.shape());
        FloatTensor r = Cameras.repeat(CONVENTION.canonical(), 3);
        assertArrayEquals(new long[] {3, 25}, r.shape());
        assertEquals(CONVENTION.canonical()[3], r.data()[25 + 3]);
        assertThrows(IllegalArgumentException.class, () -> Cameras.stack(List.of(new float[24])));
    }

    @Test
    void trajectories() {
        List<ViewAngle> orbit = Trajectories.orbit(120);
        assertEquals(120, orbit.size());
        assertEquals(Math.PI / 2, orbit.get(0).yaw(), 1e-12);
        assertEquals(Math.PI / 2 - 0.05 + 0.25, orbit.get(0).pitch(), 1e-12);
        assertEquals(Math.PI / 2 + 0.35, orbit.get(30).yaw(), 1e-12);
        assertEquals(Math.PI / 2 - 0.05, orbit.get(30).pitch(), 1e-12);

        List<ViewAngle> sweep = Trajectories.yawSweep(4, 0.4);
        assertEquals(Math.PI / 2, sweep.get(0).yaw(), 1e-12);
        assertEquals(Math.PI / 2 + 0.4, sweep.get(1).yaw(), 1e-12);
        assertEquals(Math.PI / 2 - 0.4, sweep.get(3).yaw(), 1e-12);
        assertEquals(Math.PI / 2, sweep.get(3).pitch(), 1e-12);
        List<ViewAngle> pitch = Trajectories.pitchSweep(4, 0.2);
        assertEquals(Math.PI / 2 + 0.2, pitch.get(1).pitch(), 1e-12);
        assertEquals(Math.PI / 2, pitch.get(1).yaw(), 1e-12);
        assertEquals(List.of(ViewAngle.FRONTAL), Trajectories.yawSweep(1, 0.4));
        List<ViewAngle> fixed = Trajectories.fixed(4, 0.5, -0.1);
        assertEquals(4, fixed.size());
        assertEquals(new ViewAngle(Math.PI / 2 + 0.5, Math.PI / 2 - 0.1), fixed.get(3));
        assertThrows(IllegalArgumentException.class, () -> Trajectories.orbit(0));
        assertThrows(IllegalArgumentException.class, () -> Trajectories.yawSweep(3, 2.0));
        // the protocol's largest amplitude, pi/2, is drawable: a pitch sweep then reaches both poles
        List<ViewAngle> poles = Trajectories.pitchSweep(4, Math.PI / 2);
        assertEquals(Math.PI, poles.get(1).pitch(), 1e-12);
        assertEquals(0, poles.get(3).pitch(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Trajectories.pitchSweep(4, Math.PI / 2 + 1e-9));
    }

    @Test
    void clipTimesCycle() {
        assertEquals(0f, ClipTime.t(0, 16));
        assertEquals(1f, ClipTime.t(15, 16));
        assertEquals(1f / 15, ClipTime.t(1, 16), 1e-7);
        assertEquals(0f, ClipTime.t(16, 16));
        assertEquals(ClipTime.t(3, 16), ClipTime.t(35, 16));
        FloatTensor t = ClipTime.times(20, 16);
        assertArrayEquals(new long[] {20}, t.shape());
        assertEquals(ClipTime.t(19, 16), t.data()[19]);
        assertThrows(IllegalArgumentException.class, () -> ClipTime.t(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ClipTime.t(-1, 16));
    }

    static double[] column(float[] camera, int col) {
        return new double[] {camera[col], camera[4 + col], camera[8 + col]};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double det(double[][] cols) {
        double[] a = cols[0];
        double[] b = cols[1];
        double[] c = cols[2];
        return a[0] * (b[1] * c[2] - b[2] * c[1]) - b[0] * (a[1] * c[2] - a[2] * c[1]) + c[0] * (a[1] * b[2] - a[2] * b[1]);
    }

    private static void assertVec(double[] expected, double[] actual, double tol) {
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], actual[i], tol, "component " + i);
        }
    }
}
