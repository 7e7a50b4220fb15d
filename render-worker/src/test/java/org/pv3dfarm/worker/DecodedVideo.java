package org.pv3dfarm.worker;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Decodes a video with FFmpeg, independently of the encoder under test, into RGB frames. */
final class DecodedVideo {

    private DecodedVideo() {
    }

    static List<RgbImage> frames(Path file) throws Exception {
        List<RgbImage> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                ByteBuffer image = (ByteBuffer) frame.image[0];
                byte[] rgb = new byte[frame.imageWidth * frame.imageHeight * 3];
                for (int y = 0; y < frame.imageHeight; y++) {
                    image.duplicate().position(y * frame.imageStride).get(rgb, y * frame.imageWidth * 3,
                            frame.imageWidth * 3);
                }
                frames.add(new RgbImage(frame.imageWidth, frame.imageHeight, rgb));
            }
            grabber.stop();
        }
        return frames;
    }

    /** Mean absolute difference per sample, 0..255. */
    static double meanAbsoluteDifference(RgbImage a, RgbImage b) {
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
        }
        return (double) sum / a.rgb().length;
    }
}
