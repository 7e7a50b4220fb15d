package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.ViewAngle;

class FaceCameraFitTest {

    private static final FaceCameraFit FIT = FaceCameraFit.pv3d();
    /**
     * Mean |error| allowed on the face_probe heads (radians). Measured on the 8 heads with their true keypoints:
     * yaw 0.0115, pitch 0.0164 (max 0.0165 / 0.0414): the template is the mean head, each identity differs.
     */
    private static final double TRUE_KEYPOINTS_MEAN_TOLERANCE = 0.04;
    private static final double TRUE_KEYPOINTS_MAX_TOLERANCE = 0.1;
    /**
     * Mean |error| allowed with BlazeFace's (front model) keypoints, radians. Measured: yaw 0.089, pitch 0.070
     * (max 0.18 / 0.15); the 128² heads give BlazeFace few pixels per feature.
     */
    private static final double DETECTED_MEAN_TOLERANCE = 0.2;

    /** Template keypoints seen at known angles, then scaled, rolled and shifted: the fit recovers all of it. */
    @Test
    void recoversAnExactViewAndItsSimilarity() {
        double yaw = 0.4, pitch = -0.2, roll = 0.15, scale = 300, ox = 210, oy = 140;
        double[] uv = FIT.project(yaw, pitch, 6);
        List<ImagePoint> points = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            double x = uv[2 * k] - 0.5, y = uv[2 * k + 1] - 0.5;
            points.add(new ImagePoint(scale * (Math.cos(roll) * x - Math.sin(roll) * y) + ox,
                    scale * (Math.sin(roll) * x + Math.cos(roll) * y) + oy));
        }

        FaceCamera c = FIT.estimate(points);

        assertEquals(yaw, c.yawOffset(), 1e-3);
        assertEquals(pitch, c.pitchOffset(), 1e-3);
        assertEquals(roll, c.roll(), 1e-3);
        assertEquals(scale, c.scale(), 0.5);
        assertEquals(ox, c.offsetX(), 0.5);
        assertEquals(oy, c.offsetY(), 0.5);
        assertTrue(c.rmsPixels() < 0.05, "rms " + c.rmsPixels());
        float[] expected = Cameras.lookAt(Math.PI / 2 + yaw, Math.PI / 2 + pitch, 2.7, new double[] {0, 0, 0.2}, 4.2647);
        assertCameraClose(expected, c.camera(), 2e-3);
    }

    @Test
    void theFourFaceKeypointsSufficeWithoutTheEars() {
        FaceCamera c = FIT.estimate(FIT.projectedKeypoints(-0.3, 0.1, 4, 128));
        assertEquals(-0.3, c.yawOffset(), 1e-3);
        assertEquals(0.1, c.pitchOffset(), 1e-3);
    }

    /** An ear guessed far below the chin (no pose puts it there) is trimmed out of the fit. */
    @Test
    void aFarOffEarIsTrimmed() {
        List<ImagePoint> points = new ArrayList<>(FIT.projectedKeypoints(0.3, -0.1, 6, 256));
        ImagePoint ear = points.get(FaceKeypoint.RIGHT_EAR_TRAGION.ordinal());
        points.set(FaceKeypoint.RIGHT_EAR_TRAGION.ordinal(), new ImagePoint(ear.x(), ear.y() + 150));

        FaceCamera c = FIT.estimate(points);

        System.out.printf("face camera, far-off ear: yaw err %.4f, pitch err %.4f rad%n", c.yawOffset() - 0.3,
                c.pitchOffset() + 0.1);
        assertEquals(0.3, c.yawOffset(), 0.02);
        assertEquals(-0.1, c.pitchOffset(), 0.02);
    }

    @Test
    void findsTheViewsOfTheProbeHeadsFromTheirTrueKeypoints() {
        double sumYaw = 0, sumPitch = 0, maxYaw = 0, maxPitch = 0;
        List<ProbeHeads> heads = ProbeHeads.views();
        for (ProbeHeads h : heads) {
            FaceCamera c = FIT.estimate(h.truth());
            double ey = Math.abs(c.yawOffset() - h.yawOffset()), ep = Math.abs(c.pitchOffset() - h.pitchOffset());
            sumYaw += ey;
            sumPitch += ep;
            maxYaw = Math.max(maxYaw, ey);
            maxPitch = Math.max(maxPitch, ep);
            assertEquals(0, c.roll(), 0.05, h.file() + " roll");
        }
        double meanYaw = sumYaw / heads.size(), meanPitch = sumPitch / heads.size();
        System.out.printf("face camera, true keypoints, %d heads: mean |yaw err| %.4f (max %.4f), mean |pitch err| %.4f"
                + " (max %.4f) rad%n", heads.size(), meanYaw, maxYaw, meanPitch, maxPitch);
        assertTrue(meanYaw < TRUE_KEYPOINTS_MEAN_TOLERANCE && meanPitch < TRUE_KEYPOINTS_MEAN_TOLERANCE,
                "mean errors " + meanYaw + ", " + meanPitch);
        assertTrue(maxYaw < TRUE_KEYPOINTS_MAX_TOLERANCE && maxPitch < TRUE_KEYPOINTS_MAX_TOLERANCE,
                "max errors " + maxYaw + ", " + maxPitch);
    }

    /** Detect → estimate on the rendered heads: BlazeFace's keypoints are coarser than the true ones. */
    @Test
    void detectedKeypointsGiveTheViewRoughly() {
        double sumYaw = 0, sumPitch = 0, maxYaw = 0, maxPitch = 0;
        List<ProbeHeads> heads = ProbeHeads.views();
        try (BlazeFaceDetector detector = BlazeFaceDetector.open(FaceDetectorOptions.defaults())) {
            for (ProbeHeads h : heads) {
                List<Detection> faces = detector.detect(h.image());
                assertEquals(1, faces.size(), h.file());
                FaceCamera c = FIT.estimate(faces.get(0));
                double ey = Math.abs(c.yawOffset() - h.yawOffset()), ep = Math.abs(c.pitchOffset() - h.pitchOffset());
                sumYaw += ey;
                sumPitch += ep;
                maxYaw = Math.max(maxYaw, ey);
                maxPitch = Math.max(maxPitch, ep);
            }
        }
        double meanYaw = sumYaw / heads.size(), meanPitch = sumPitch / heads.size();
        System.out.printf("face camera, BlazeFace keypoints, %d heads: mean |yaw err| %.4f (max %.4f), mean |pitch err|"
                + " %.4f (max %.4f) rad%n", heads.size(), meanYaw, maxYaw, meanPitch, maxPitch);
        assertTrue(meanYaw < DETECTED_MEAN_TOLERANCE && meanPitch < DETECTED_MEAN_TOLERANCE,
                "mean errors " + meanYaw + ", " + meanPitch);
    }

    @Test
    void theFrontalHeadGivesTheCanonicalCamera() {
        FaceCamera c = FIT.estimate(ProbeHeads.frontal().truth());

        float[] canonical = Cameras.lookAt(ViewAngle.FRONTAL.yaw(), ViewAngle.FRONTAL.pitch(), 2.7,
                new double[] {0, 0, 0.2}, 4.2647);
        System.out.printf("face camera, frontal head: yaw %.4f pitch %.4f roll %.4f rad from frontal%n",
                c.yawOffset(), c.pitchOffset(), c.roll());
        assertCameraClose(canonical, c.camera(), 0.1);
        assertEquals(0, c.yawOffset(), 0.03);
        assertEquals(0, c.pitchOffset(), 0.05);
    }

    @Test
    void degenerateKeypointsAreRejectedClearly() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> FIT.estimate(List.of()));
        assertTrue(none.getMessage().contains("got 0"), none.getMessage());
        List<ImagePoint> line = List.of(new ImagePoint(10, 10), new ImagePoint(20, 20), new ImagePoint(30, 30),
                new ImagePoint(40, 40));
        IllegalArgumentException collinear = assertThrows(IllegalArgumentException.class, () -> FIT.estimate(line));
        assertTrue(collinear.getMessage().contains("collinear"), collinear.getMessage());
        List<ImagePoint> same = java.util.Collections.nCopies(6, new ImagePoint(5, 5));
        assertThrows(IllegalArgumentException.class, () -> FIT.estimate(same));
    }

    private static void assertCameraClose(float[] expected, float[] actual, double tolerance) {
        assertEquals(Cameras.CAMERA_SIZE, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, "camera float " + i);
        }
    }
}
