package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * What an MP4 file really holds, as FFmpeg's demuxer and decoder report it: used to check the encoder's output
 * rather than trust its settings.
 *
 * @param codec  the video stream's codec name, e.g. {@code h264}
 * @param width  pixels
 * @param height pixels
 * @param frames video frames, counted by decoding every one
 * @param fps    the stream's frame rate
 * @param bytes  size of the file
 */
public record Mp4Info(String codec, int width, int height, int frames, double fps, long bytes) {

    /** Opens the file with FFmpeg and decodes every frame to count them. */
    public static Mp4Info probe(Path file) throws VideoEncodingException {
        Objects.requireNonNull(file, "file");
        Mp4Encoder.quietFfmpegLogs();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            int frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            Mp4Info info = new Mp4Info(grabber.getVideoCodecName(), grabber.getImageWidth(), grabber.getImageHeight(),
                    frames, grabber.getFrameRate(), Files.size(file));
            grabber.stop();
            return info;
        } catch (IOException e) {
            throw new VideoEncodingException("cannot read back " + file + ": " + e.getMessage(), e);
        }
    }
}
