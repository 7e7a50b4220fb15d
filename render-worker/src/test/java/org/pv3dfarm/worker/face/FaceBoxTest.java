package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceBoxTest {

    @Test
    void intersectionOverUnion() {
        FaceBox a = new FaceBox(0, 0, 2, 2);

        assertEquals(1, a.iou(a), 1e-12);
        assertEquals(0, a.iou(new FaceBox(3, 3, 4, 4)), 1e-12);
        assertEquals(2.0 / 6.0, a.iou(new FaceBox(1, 0, 3, 2)), 1e-12); // half overlap: 2 / (4 + 4 − 2)
        assertEquals(0, new FaceBox(1, 1, 1, 1).iou(new FaceBox(1, 1, 1, 1)), 1e-12, "empty union");
    }

    @Test
    void geometry() {
        FaceBox b = FaceBox.ofCenter(10, 20, 4, 6);

        assertEquals(new FaceBox(8, 17, 12, 23), b);
        assertEquals(new ImagePoint(10, 20), b.center());
        assertEquals(24, b.area(), 1e-12);
        assertTrue(b.contains(new ImagePoint(8, 23)));
        assertFalse(b.contains(new ImagePoint(7.9, 20)));
    }

    @Test
    void rejectsInvertedOrNonFiniteBoxesAndBadDetections() {
        assertThrows(IllegalArgumentException.class, () -> new FaceBox(2, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new FaceBox(0, 0, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImagePoint(Double.POSITIVE_INFINITY, 0));
        List<ImagePoint> six = Collections.nCopies(6, new ImagePoint(1, 1));
        FaceBox box = new FaceBox(0, 0, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> new Detection(box, 1.5, six));
        assertThrows(IllegalArgumentException.class, () -> new Detection(box, 0.5, six.subList(0, 5)));
        assertEquals(new ImagePoint(1, 1), new Detection(box, 0.5, six).keypoint(FaceKeypoint.LEFT_EAR_TRAGION));
    }
}
