package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SsdAnchorsTest {

    @Test
    void frontModelHas512AnchorsOnA16GridThen384OnAn8Grid() {
        List<SsdAnchors.Anchor> anchors = SsdAnchors.generate(SsdAnchors.Options.blazeFaceFront());

        assertEquals(896, anchors.size());
        // Two anchors per cell of the stride-8 layer, cell (0, 0) first, then (1, 0): x runs fastest.
        assertAnchor(anchors.get(0), 0.5f / 16, 0.5f / 16);
        assertAnchor(anchors.get(1), 0.5f / 16, 0.5f / 16);
        assertAnchor(anchors.get(2), 1.5f / 16, 0.5f / 16);
        assertAnchor(anchors.get(2 * 16), 0.5f / 16, 1.5f / 16);
        assertAnchor(anchors.get(511), 15.5f / 16, 15.5f / 16);
        // The three stride-16 layers share one 8×8 map: six anchors per cell.
        for (int i = 512; i < 518; i++) {
            assertAnchor(anchors.get(i), 0.5f / 8, 0.5f / 8);
        }
        assertAnchor(anchors.get(518), 1.5f / 8, 0.5f / 8);
        assertAnchor(anchors.get(895), 7.5f / 8, 7.5f / 8);
        for (SsdAnchors.Anchor a : anchors) {
            assertEquals(1f, a.width());
            assertEquals(1f, a.height());
        }
    }

    @Test
    void backModelHasTheSameLayoutAtTwiceTheStrides() {
        List<SsdAnchors.Anchor> back = SsdAnchors.generate(SsdAnchors.Options.blazeFaceBack());
        List<SsdAnchors.Anchor> front = SsdAnchors.generate(SsdAnchors.Options.blazeFaceFront());

        assertEquals(front, back);
    }

    @Test
    void anchorSizesFollowTheLayerScalesWhenNotFixed() {
        SsdAnchors.Options o = new SsdAnchors.Options(128, new int[] {8, 16, 16, 16}, 0.1484375f, 0.75f,
                new float[] {1f, 4f}, 0.5f, 1f, false);
        List<SsdAnchors.Anchor> anchors = SsdAnchors.generate(o);

        float s0 = 0.1484375f;
        float s1 = s0 + (0.75f - s0) / 3;
        assertEquals(16 * 16 * 3 + 8 * 8 * 9, anchors.size());
        assertEquals(s0, anchors.get(0).width(), 1e-6);                     // ratio 1
        assertEquals(s0 * 2, anchors.get(1).width(), 1e-6);                 // ratio 4: w = s·√4
        assertEquals(s0 / 2, anchors.get(1).height(), 1e-6);
        assertEquals(Math.sqrt(s0 * s1), anchors.get(2).width(), 1e-6);     // interpolated with the next layer
        int last = 16 * 16 * 3 + 8;                                         // last anchor of the first 8×8 cell
        // The last layer interpolates with scale 1: √(0.75 · 1).
        assertEquals(Math.sqrt(0.75), anchors.get(last).width(), 1e-6);
    }

    @Test
    void rejectsMeaninglessOptions() {
        assertThrows(IllegalArgumentException.class, () -> new SsdAnchors.Options(128, new int[0], 0.1f, 0.7f,
                new float[] {1f}, 0.5f, 1f, true));
        assertThrows(IllegalArgumentException.class, () -> new SsdAnchors.Options(128, new int[] {0}, 0.1f, 0.7f,
                new float[] {1f}, 0.5f, 1f, true));
        assertThrows(IllegalArgumentException.class, () -> new SsdAnchors.Options(128, new int[] {8}, 0.8f, 0.7f,
                new float[] {1f}, 0.5f, 1f, true));
    }

    private static void assertAnchor(SsdAnchors.Anchor a, float x, float y) {
        assertEquals(x, a.xCenter(), 1e-6, "x of " + a);
        assertEquals(y, a.yCenter(), 1e-6, "y of " + a);
    }
}
