package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LetterboxTest {

    @Test
    void aWideImageIsPaddedAboveAndBelow() {
        Letterbox box = new Letterbox(200, 100, 128);

        assertEquals(0.64, box.scale(), 1e-12);
        assertEquals(0, box.offsetX(), 1e-12);
        assertEquals(32, box.offsetY(), 1e-12);
        assertEquals(new ImagePoint(100, 50), box.toSource(0.5, 0.5));
        assertEquals(new ImagePoint(0, 0), box.toSource(0, 0.25));
        assertEquals(new ImagePoint(200, 100), box.toSource(1, 0.75));
        assertEquals(100, box.toSourceLength(0.5), 1e-9); // half the square: 64 px of it, 100 of the image
    }

    @Test
    void aTallImageIsPaddedLeftAndRight() {
        Letterbox box = new Letterbox(300, 600, 256);

        assertEquals(256.0 / 600, box.scale(), 1e-12);
        assertEquals(64, box.offsetX(), 1e-9);
        assertEquals(0, box.offsetY(), 1e-12);
        ImagePoint p = box.toSource((64 + 30 * box.scale()) / 256, (70 * box.scale()) / 256);
        assertEquals(30, p.x(), 1e-9);
        assertEquals(70, p.y(), 1e-9);
    }

    @Test
    void rejectsEmptySizes() {
        assertThrows(IllegalArgumentException.class, () -> new Letterbox(0, 10, 128));
        assertThrows(IllegalArgumentException.class, () -> new Letterbox(10, 10, 0));
    }
}
