package org.pv3dfarm.worker.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.pv3dfarm.worker.RgbImage;
import org.pv3dfarm.worker.face.TestImages;

/** Test inputs: the committed images and videos written here with FFmpeg (H.264 by OpenH264). */
final class TestMedia {

    private TestMedia() {
    }

    /** The NASA astronaut portrait (public domain, see org/pv3dfarm/worker/face/NOTICE), 512×512 PNG bytes. */
    static byte[] astronautPng() {
        return resource("/org/pv3dfarm/worker/face/astronaut.png");
    }

    /** The astronaut at 256×256 as lossy WebP (see PROVENANCE beside it). */
    static byte[] astronautWebp() {
        return resource("/org/pv3dfarm/worker/media/astronaut-256.webp");
    }

    static byte[] resource(String name) {
        try (InputStream in = TestMedia.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbImage readPng(byte[] png) {
        try {
            return TestImages.toRgb(ImageIO.read(new java.io.ByteArrayInputStream(png)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code png} re-encoded as JPEG by ImageIO. */
    static Path jpeg(byte[] png, Path file) throws IOException {
        BufferedImage src = ImageIO.read(new java.io.ByteArrayInputStream(png));
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(src, 0, 0, null);
        if (!ImageIO.write(rgb, "jpg", file.toFile())) {
            throw new IllegalStateException("no JPEG writer");
        }
        return file;
    }

    /**
     * A video of {@code frames} frames at {@code fps} in {@code container} ("mp4", "mov" or "matroska"), H.264:
     * frame i has a bright vertical bar at x = 4·i on a dark gradient, so frames can be told apart.
     */
    static Path video(Path file, String container, int width, int height, int frames, int fps) throws IOException {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0)) {
            recorder.setFormat(container);
            recorder.setVideoCodecName("libopenh264");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setVideoBitrate(2_000_000);
            recorder.start();
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < frames; i++) {
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int v = Math.abs(x - 4 * i) < 3 ? 240 : 20 + y / 2;
                        int at = y * frame.imageStride + x * 3;
                        buf.put(at, (byte) v).put(at + 1, (byte) v).put(at + 2, (byte) v);
                    }
                }
                recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            recorder.stop();
        }
        return file;
    }

    /** The x of the brightest column of row {@code y}: where {@link #video}'s bar is. */
    static int barX(RgbImage image, int y) {
        int best = 0;
        for (int x = 1; x < image.width(); x++) {
            if (image.sample(x, y, 0) > image.sample(best, y, 0)) {
                best = x;
            }
        }
        return best;
    }

    /** The first {@code keep} bytes of {@code source}, written to {@code target}. */
    static Path cut(Path source, Path target, long keep) throws IOException {
        byte[] all = Files.readAllBytes(source);
        return Files.write(target, java.util.Arrays.copyOf(all, (int) Math.min(keep, all.length)));
    }
}
