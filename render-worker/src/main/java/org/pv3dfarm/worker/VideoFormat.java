package org.pv3dfarm.worker;

/**
 * Size, rate and bitrate of an MP4 to encode. H.264 in yuv420p halves the chroma planes, so width and height
 * must be even.
 *
 * @param width   pixels, even, 16..8192
 * @param height  pixels, even, 16..8192
 * @param fps     frames per second, 1..240 (the job's fps)
 * @param bitrate bits per second, 10 kbit/s..200 Mbit/s
 */
public record VideoFormat(int width, int height, int fps, int bitrate) {

    /** Bits per pixel per frame of {@link #of}: enough for sharp detail at the farm's sizes with OpenH264. */
    static final double DEFAULT_BITS_PER_PIXEL = 0.3;
    static final int MIN_DEFAULT_BITRATE = 1_000_000;

    public VideoFormat {
        side("width", width);
        side("height", height);
        if (fps < 1 || fps > 240) {
            throw new IllegalArgumentException("fps must be 1..240, was " + fps);
        }
        if (bitrate < 10_000 || bitrate > 200_000_000) {
            throw new IllegalArgumentException("bitrate must be 10000..200000000 bit/s, was " + bitrate);
        }
    }

    /**
     * A format with the default bitrate {@code max(1 Mbit/s, 0.3 * width * height * fps)}: about 2 Mbit/s for
     * 512x512 at 25 fps.
     */
    public static VideoFormat of(int width, int height, int fps) {
        long bitrate = Math.max(MIN_DEFAULT_BITRATE, Math.round(DEFAULT_BITS_PER_PIXEL * width * height * fps));
        return new VideoFormat(width, height, fps, (int) Math.min(bitrate, 200_000_000));
    }

    private static void side(String name, int value) {
        if (value < 16 || value > 8192 || value % 2 != 0) {
            throw new IllegalArgumentException(name + " must be even and 16..8192 (yuv420p), was " + value);
        }
    }
}
