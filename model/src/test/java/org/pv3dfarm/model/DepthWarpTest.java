package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The warp's own geometry, without a model. */
class DepthWarpTest {

    @Test
    void unprojectThenProjectReturnsThePixel() {
        float[] cam = Cameras.offset(CamerasTest.CONVENTION, 0.4, -0.2);
        for (int i = 0; i < 32; i += 5) {
            for (int j = 0; j < 32; j += 7) {
                double[] p = DepthWarp.unproject(cam, 32, i, j, 2.6);
                double[] q = DepthWarp.project(cam, 32, p);
                assertEquals(i, q[0], 1e-5); // the camera is stored in float32
                assertEquals(j, q[1], 1e-5);
            }
        }
    }

    @Test
    void frontalCentreRayPassesThroughThePivotAndImageAxesFollowTheConvention() {
        float[] cam = Cameras.offset(CamerasTest.CONVENTION, 0, 0);
        // The image centre lies between pixels 15 and 16 of 32: project the pivot there.
        double[] q = DepthWarp.project(cam, 32, new double[] {0, 0, 0.2});
        assertEquals(15.5, q[0], 1e-9);
        assertEquals(15.5, q[1], 1e-9);
        assertEquals(2.5, q[2], 1e-6);
        // World +x appears to the right (larger column), world +y up (smaller row).
        double[] right = DepthWarp.project(cam, 32, new double[] {0.1, 0, 0.2});
        double[] up = DepthWarp.project(cam, 32, new double[] {0, 0.1, 0.2});
        assertEquals(15.5 + 0.1 / 2.5 * 4.2647 * 32, right[1], 1e-4);
        assertEquals(15.5 - 0.1 / 2.5 * 4.2647 * 32, up[0], 1e-4);
        assertNull(DepthWarp.project(cam, 32, new double[] {0, 0, 3.0}), "behind the camera");
    }

    @Test
    void bilinearSamplingInterpolatesAndClampsAtTheLastRow() {
        FloatTensor img = FloatTensor.of(new float[] {0, 1, 2, 3}, 1, 1, 2, 2);
        assertEquals(1.5, DepthWarp.bilinear(img, 0, 0.5, 0.5), 1e-9);
        assertEquals(3.0, DepthWarp.bilinear(img, 0, 1, 1), 1e-9);
        assertEquals(2.5, DepthWarp.bilinear(img, 0, 1, 0.5), 1e-9);
    }
}
