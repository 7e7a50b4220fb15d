package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.worker.RgbImage;

class FaceAlignmentTest {

    @Test
    void factorsAreTheCanonicalFramingOfTheTemplate() {
        // stated in FaceAlignment's javadoc; close to FFHQ's 3.6 / 4.0 / 0.1 (computed from the template with heads.project too)
        assertEquals(3.37, FaceAlignment.EYE_MOUTH_FACTOR, 0.01);
        assertEquals(4.05, FaceAlignment.EYE_EYE_FACTOR, 0.01);
        assertEquals(0.20, FaceAlignment.CENTRE_SHIFT, 0.01);
    }

    /** The mean head seen frontally: its crop is exactly the model's frame. */
    @Test
    void theTemplateSeenFrontallyIsCroppedToTheWholeFrame() {
        var points = FaceCameraFit.pv3d().projectedKeypoints(0, 0, 6, 256);
        FaceBox box = FaceAlignment.cropBox(new Detection(new FaceBox(0, 0, 256, 256), 1, points));
        assertEquals(128, box.center().x(), 1e-6);
        assertEquals(128, box.center().y(), 1e-6);
        assertEquals(256, box.width(), 1e-6);
        assertEquals(256, box.height(), 1e-6);
    }

    /** A rendered frontal head, aligned at its own resolution, comes back nearly unchanged. */
    @Test
    void aRenderedFrontalHeadIsAlignedOntoItself() {
        ProbeHeads frontal = ProbeHeads.frontal();
        RgbImage image = frontal.image();
        FaceBox box = FaceAlignment.cropBox(frontal.truth());
        assertEquals(64, box.center().x(), 3, "box " + box);
        assertEquals(64, box.center().y(), 4, "box " + box);
        assertEquals(128, box.width(), 10, "box " + box);

        RgbImage crop = FaceAlignment.crop(image, frontal.truth(), 128);

        assertEquals(128, crop.width());
        assertEquals(128, crop.height());
        double diff = 0;
        for (int i = 0; i < crop.rgb().length; i++) {
            diff += Math.abs((crop.rgb()[i] & 0xff) - (image.rgb()[i] & 0xff));
        }
        diff /= crop.rgb().length;
        System.out.printf("aligned frontal head: box %s, mean |diff| to the render %.2f / 255%n", box, diff);
        assertTrue(diff < 20, "mean abs diff " + diff);
    }

    @Test
    void cropsAreSquareAtTheRequestedResolutionAndKeepTheFace() {
        for (ProbeHeads h : ProbeHeads.views()) {
            Detection d = h.truth();
            FaceBox box = FaceAlignment.cropBox(d);
            assertEquals(box.width(), box.height(), 1e-9);
            for (FaceKeypoint k : new FaceKeypoint[] {FaceKeypoint.RIGHT_EYE, FaceKeypoint.LEFT_EYE,
                FaceKeypoint.NOSE_TIP, FaceKeypoint.MOUTH_CENTER}) {
                assertTrue(box.contains(d.keypoint(k)), h.file() + " " + k + " outside " + box);
            }
            RgbImage crop = FaceAlignment.crop(h.image(), d, 64);
            assertEquals(64, crop.width());
            assertEquals(64, crop.height());
        }
    }

    @Test
    void coincidentKeypointsHaveNoCrop() {
        Detection dot = new Detection(new FaceBox(0, 0, 1, 1), 1, Collections.nCopies(6, new ImagePoint(5, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaceAlignment.cropBox(dot));
        assertTrue(e.getMessage().contains("degenerate"), e.getMessage());
    }
}
