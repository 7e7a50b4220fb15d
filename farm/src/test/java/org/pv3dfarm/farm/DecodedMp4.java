package org.pv3dfarm.farm;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * An MP4 decoded with FFmpeg (JavaCV's grabber), independently of the worker's encoder: its codec and every
 * frame as packed RGB.
 *
 * @param codecId FFmpeg's codec id ({@link avcodec#AV_CODEC_ID_H264} for H.264)
 * @param frames  packed RGB24, {@code width * height * 3} bytes each
 */
record DecodedMp4(int codecId, String codecName, int width, int height, List<byte[]> frames) {

    static DecodedMp4 decode(Path file) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            int codecId = grabber.getVideoCodec();
            String codecName = grabber.getVideoCodecName();
            int width = grabber.getImageWidth();
            int height = grabber.getImageHeight();
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                ByteBuffer image = (ByteBuffer) frame.image[0];
                byte[] rgb = new byte[frame.imageWidth * frame.imageHeight * 3];
                for (int y = 0; y < frame.imageHeight; y++) {
                    image.duplicate().position(y * frame.imageStride)
                            .get(rgb, y * frame.imageWidth * 3, frame.imageWidth * 3);
                }
                frames.add(rgb);
            }
            grabber.stop();
            return new DecodedMp4(codecId, codecName, width, height, List.copyOf(frames));
        }
    }

    /** Mean absolute difference of two frames per sample, 0..255. */
    static double difference(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }
}
