package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.worker.RgbImage;

class AlignedCropTest {

    @Test
    void theWholePictureAtItsOwnSizeIsThePictureItself() {
        RgbImage noise = TestImages.noise(40, 40, 3);
        AlignedCrop.Cut cut = new AlignedCrop(20, 20, 40, 0).cut(noise, 40);
        assertArrayEquals(noise.rgb(), cut.image().rgb());
        for (float c : cut.coverage()) {
            assertEquals(1f, c);
        }
    }

    @Test
    void rollRotatesTheSamplingGridAboutTheCentre() {
        // one white pixel at (30, 20) of a black 40x40 picture, i.e. 10 px right of the centre (20, 20)
        byte[] rgb = new byte[40 * 40 * 3];
        java.util.Arrays.fill(rgb, (20 * 40 + 30) * 3, (20 * 40 + 30) * 3 + 3, (byte) 255);
        RgbImage dot = new RgbImage(40, 40, rgb);
        // roll +90°: crop pixel offset (dx, dy) samples the photo at centre + R(90°)(dx, dy) = centre + (−dy, dx),
        // so the photo's (+10, 0) shows at crop offset (0, −10): pixel (20, 10)
        RgbImage turned = new AlignedCrop(21, 20, 40, Math.PI / 2).cut(dot, 40).image();
        assertEquals(255, turned.sample(20, 10, 0));
        assertEquals(0, turned.sample(30, 20, 0));
        double[] p = new AlignedCrop(20, 20, 40, Math.PI / 2).toPhoto(0.5, 0.25);
        assertArrayEquals(new double[] {30, 20}, p, 1e-9);
    }

    @Test
    void shrinkingAveragesAndCoverageCountsTheInsideOnly() {
        RgbImage checker = new RgbImage(64, 64, new byte[64 * 64 * 3]);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                if ((x + y) % 2 == 0) {
                    java.util.Arrays.fill(checker.rgb(), (y * 64 + x) * 3, (y * 64 + x) * 3 + 3, (byte) 255);
                }
            }
        }
        AlignedCrop.Cut small = new AlignedCrop(32, 32, 64, 0).cut(checker, 8);
        for (int i = 0; i < 8 * 8 * 3; i++) {
            assertEquals(128, small.image().rgb()[i] & 0xff, 1, "a checkerboard shrunk 8x is mid grey, not aliased");
        }
        // the crop's left half lies left of the picture: coverage 0 there, 1 on the right
        AlignedCrop.Cut half = new AlignedCrop(0, 32, 64, 0).cut(checker, 4);
        FloatTensor mask = half.mask();
        assertArrayEquals(new long[] {1, 1, 4, 4}, mask.shape());
        assertArrayEquals(new float[] {0, 0, 1, 1}, java.util.Arrays.copyOfRange(mask.data(), 4, 8));
        FloatTensor target = half.target();
        assertArrayEquals(new long[] {1, 3, 4, 4}, target.shape());
    }

    @Test
    void targetMapsBytesToSignedUnit() {
        RgbImage two = new RgbImage(2, 1, new byte[] {0, (byte) 255, 0, (byte) 255, 0, (byte) 255});
        float[] chw = new AlignedCrop.Cut(two, new float[] {1, 1}).target().data();
        assertArrayEquals(new float[] {-1, 1, 1, -1, -1, 1}, chw, 1e-6f);
    }

    @Test
    void degenerateCropsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new AlignedCrop(0, 0, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new AlignedCrop(Double.NaN, 0, 10, 0));
    }
}
