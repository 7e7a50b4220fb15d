package org.pv3dfarm.worker;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One 8-bit RGB picture, packed row-major ({@code r g b r g b ...}, top row first): what the encoders take.
 *
 * <p>The model's images are float NCHW in [-1, 1]; {@link #fromSignedUnitChw} maps a value {@code v} to
 * {@code round((v + 1) * 127.5)}, clamped to [0, 255] (NaN becomes 0), the inverse of the model's
 * {@code x / 127.5 - 1} input scaling.
 *
 * @param width  pixels per row, at least 1
 * @param height rows, at least 1
 * @param rgb    {@code width * height * 3} bytes; the record keeps the array (no copy), so do not change it after
 */
public record RgbImage(int width, int height, byte[] rgb) {

    /** Byte order of packed 8-bit pixels given to {@link #fromPacked}. */
    public enum ChannelOrder { RGB, BGR }

    public RgbImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("width and height must be at least 1, were " + width + "x" + height);
        }
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.length != pixels(width, height) * 3) {
            throw new IllegalArgumentException("rgb must hold width*height*3 = " + pixels(width, height) * 3
                    + " bytes, holds " + rgb.length);
        }
    }

    /**
     * From a float CHW image in [-1, 1] (RGB planes), starting at {@code offset} in {@code chw}: one image of an
     * NCHW batch is at {@code offset = n * 3 * height * width}.
     */
    public static RgbImage fromSignedUnitChw(float[] chw, int offset, int width, int height) {
        Objects.requireNonNull(chw, "chw");
        int plane = pixels(width, height);
        if (offset < 0 || (long) offset + 3L * plane > chw.length) {
            throw new IllegalArgumentException("chw holds " + chw.length + " floats; an image of " + width + "x"
                    + height + " at offset " + offset + " needs " + ((long) offset + 3L * plane));
        }
        byte[] rgb = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            int source = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                rgb[i * 3 + c] = (byte) toByte(chw[source + i]);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** From packed 8-bit pixels in RGB or BGR order, read from the buffer's position (which is left unchanged). */
    public static RgbImage fromPacked(ByteBuffer pixels, int width, int height, ChannelOrder order) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(order, "order");
        int count = pixels(width, height);
        if (pixels.remaining() < count * 3) {
            throw new IllegalArgumentException("pixels holds " + pixels.remaining() + " bytes; " + width + "x"
                    + height + " needs " + count * 3);
        }
        byte[] rgb = new byte[count * 3];
        pixels.duplicate().get(rgb);
        if (order == ChannelOrder.BGR) {
            for (int i = 0; i < rgb.length; i += 3) {
                byte blue = rgb[i];
                rgb[i] = rgb[i + 2];
                rgb[i + 2] = blue;
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** The red, green or blue value (0..255) of pixel (x, y). */
    public int sample(int x, int y, int channel) {
        Objects.checkIndex(x, width);
        Objects.checkIndex(y, height);
        Objects.checkIndex(channel, 3);
        return rgb[(y * width + x) * 3 + channel] & 0xff;
    }

    private static int toByte(float value) {
        if (!(value > -1f)) {
            return 0; // also NaN
        }
        return Math.min(255, Math.round((value + 1f) * 127.5f));
    }

    private static int pixels(int width, int height) {
        if (width < 1 || height < 1 || (long) width * height * 3 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " is out of range");
        }
        return width * height;
    }
}
