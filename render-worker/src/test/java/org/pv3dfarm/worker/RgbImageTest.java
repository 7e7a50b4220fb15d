package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RgbImageTest {

    @Test
    void signedUnitPlanesArePackedAndScaledToBytes() {
        // 2x1 image: pixel 0 = (-1, 0, 1), pixel 1 = (NaN, 2, -3); second image of the batch starts at 6.
        float[] batch = {9, 9, 9, 9, 9, 9, -1f, Float.NaN, 0f, 2f, 1f, -3f};
        RgbImage image = RgbImage.fromSignedUnitChw(batch, 6, 2, 1);
        assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, 0, (byte) 255, 0}, image.rgb());
    }

    @Test
    void bgrBytesAreReordered() {
        ByteBuffer bgr = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new byte[] {3, 2, 1, 6, 5, 4},
                RgbImage.fromPacked(bgr, 2, 1, RgbImage.ChannelOrder.BGR).rgb());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6},
                RgbImage.fromPacked(bgr, 2, 1, RgbImage.ChannelOrder.RGB).rgb());
    }

    @Test
    void sizesMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
        assertThrows(IllegalArgumentException.class, () -> RgbImage.fromSignedUnitChw(new float[12], 1, 2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> RgbImage.fromPacked(ByteBuffer.allocate(5), 2, 1, RgbImage.ChannelOrder.RGB));
    }
}
