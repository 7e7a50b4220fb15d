package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.pv3dfarm.worker.RgbImage;

class LetterboxResamplerTest {

    private final LetterboxResampler signed = new LetterboxResampler(-1f, 1f, -1f);

    @Test
    void aSquareImageOfTheInputSizeIsOnlyRescaledInValue() {
        RgbImage noise = TestImages.noise(32, 32, 5);
        float[] t = signed.resample(noise, new Letterbox(32, 32, 32));

        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(noise.sample(x, y, c) / 127.5f - 1f, t[(y * 32 + x) * 3 + c], 1e-5);
                }
            }
        }
    }

    @Test
    void padsAroundAWideImageAndKeepsItsColour() {
        RgbImage orange = TestImages.uniform(200, 100, 255, 128, 0);
        float[] t = new LetterboxResampler(0f, 1f, 0.25f).resample(orange, new Letterbox(200, 100, 64));

        // Content rows 16..47 (scale 0.32, offset 16); rows above and below are padding.
        for (int x = 0; x < 64; x++) {
            assertPixel(t, 64, x, 0, 0.25f, 0.25f, 0.25f);
            assertPixel(t, 64, x, 15, 0.25f, 0.25f, 0.25f);
            assertPixel(t, 64, x, 16, 1f, 128 / 255f, 0f);
            assertPixel(t, 64, x, 47, 1f, 128 / 255f, 0f);
            assertPixel(t, 64, x, 48, 0.25f, 0.25f, 0.25f);
        }
    }

    @Test
    void shrinkingAveragesInsteadOfAliasing() {
        // A one-pixel checkerboard shrunk 4×: every output pixel is the mean grey, not a sampled black or white.
        byte[] rgb = new byte[128 * 128 * 3];
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                byte v = (byte) ((x + y) % 2 == 0 ? 255 : 0);
                rgb[(y * 128 + x) * 3] = v;
                rgb[(y * 128 + x) * 3 + 1] = v;
                rgb[(y * 128 + x) * 3 + 2] = v;
            }
        }
        float[] t = new LetterboxResampler(0f, 1f, 0f).resample(new RgbImage(128, 128, rgb), new Letterbox(128, 128, 32));

        for (float v : t) {
            assertEquals(0.5f, v, 0.02f);
        }
    }

    @Test
    void enlargingInterpolatesBetweenPixels() {
        byte[] rgb = {0, 0, 0, (byte) 255, (byte) 255, (byte) 255};
        float[] t = new LetterboxResampler(0f, 1f, 0f).resample(new RgbImage(2, 1, rgb), new Letterbox(2, 1, 8));

        // Row 3 is inside the 8×4 content band (rows 2..5); x runs from black through grey to white.
        float left = t[(3 * 8) * 3];
        float middleLeft = t[(3 * 8 + 3) * 3];
        float middleRight = t[(3 * 8 + 4) * 3];
        float right = t[(3 * 8 + 7) * 3];
        assertEquals(0f, left, 1e-6);
        assertEquals(1f, right, 1e-6);
        assertEquals(1f, middleLeft + middleRight, 1e-5);
        assertEquals(0.375f, middleLeft, 1e-5); // centre 3.5 samples source x 0.875: 0.625 of pixel 0, 0.375 of pixel 1
    }

    @Test
    void rejectsALetterboxOfAnotherImage() {
        assertThrows(IllegalArgumentException.class,
                () -> signed.resample(TestImages.uniform(10, 10, 0, 0, 0), new Letterbox(20, 10, 32)));
        assertThrows(IllegalArgumentException.class, () -> new LetterboxResampler(1f, 1f, 0f));
    }

    private static void assertPixel(float[] t, int size, int x, int y, float r, float g, float b) {
        int i = (y * size + x) * 3;
        assertEquals(r, t[i], 1e-5, "r at " + x + "," + y);
        assertEquals(g, t[i + 1], 1e-5, "g at " + x + "," + y);
        assertEquals(b, t[i + 2], 1e-5, "b at " + x + "," + y);
    }
}
