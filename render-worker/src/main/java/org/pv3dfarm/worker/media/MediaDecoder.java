package org.pv3dfarm.worker.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.pv3dfarm.worker.RgbImage;

/**
 * Decodes an input file (already downloaded) into RGB pictures with FFmpeg through JavaCV: PNG, JPEG and WebP
 * images, MP4, MOV and WebM videos. Thread-safe (each call has its own FFmpeg state).
 *
 * <p>Hostile input is bounded at every step: the type comes from the magic bytes ({@link MediaSniffer}) and FFmpeg
 * is given that demuxer (no probing into other formats); the file size is checked before FFmpeg sees it, the
 * picture size before any frame is converted, the container's duration before decoding and every frame's
 * timestamp and count while decoding; every read checks the {@link MediaLimits#timeout()} deadline
 * ({@link DeadlineFileStream}). A video that decodes to fewer frames than its container declares (or, without a
 * count, ends before 90 % of its declared duration) is truncated. Any failure is a {@link MediaException} with its
 * reason; none is retried.
 *
 * <p>Video frames are subsampled evenly down to {@link MediaLimits#maxFrames()}: every s-th frame is kept, s from
 * the container's frame count when it has one; whenever more than the cap have been kept, every other kept frame
 * is dropped and s doubles, so the kept frames stay evenly spaced whatever the container claims.
 */
public final class MediaDecoder {

    /** The last 10 % of a declared duration may be missing before a video counts as truncated (rounding, B-frames). */
    static final double TRUNCATION_TOLERANCE = 0.9;

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // hostile inputs would fill the logs with FFmpeg's warnings
    }

    private final MediaLimits limits;

    public MediaDecoder(MediaLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public MediaLimits limits() {
        return limits;
    }

    /** An image's one picture; a video is refused ({@link MediaException.Reason#UNSUPPORTED_FORMAT}). */
    public RgbImage decodeImage(Path file) throws MediaException {
        MediaType type = check(file);
        if (type.isVideo()) {
            throw new MediaException(MediaException.Reason.UNSUPPORTED_FORMAT, "expected an image (PNG, JPEG or WebP),"
                    + " the file is a " + type + " video");
        }
        return decode(file, type).first();
    }

    /** A video's frames; an image is refused ({@link MediaException.Reason#UNSUPPORTED_FORMAT}). */
    public DecodedMedia decodeVideo(Path file) throws MediaException {
        MediaType type = check(file);
        if (!type.isVideo()) {
            throw new MediaException(MediaException.Reason.UNSUPPORTED_FORMAT, "expected a video (MP4, MOV or WebM),"
                    + " the file is a " + type + " image");
        }
        return decode(file, type);
    }

    /** An image or a video, whichever the file is. */
    public DecodedMedia decode(Path file) throws MediaException {
        return decode(file, check(file));
    }

    private MediaType check(Path file) throws MediaException {
        Objects.requireNonNull(file, "file");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new MediaException(MediaException.Reason.CORRUPT, "cannot read the input file: " + e.getMessage(), e);
        }
        if (size > limits.maxBytes()) {
            throw new MediaException(MediaException.Reason.TOO_LARGE, "the file has " + size + " bytes, more than the "
                    + limits.maxBytes() + " allowed");
        }
        return MediaSniffer.sniff(file);
    }

    private DecodedMedia decode(Path file, MediaType type) throws MediaException {
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        int size;
        try {
            size = (int) Files.size(file);
        } catch (IOException e) {
            throw new MediaException(MediaException.Reason.CORRUPT, "cannot read the input file: " + e.getMessage(), e);
        }
        DeadlineFileStream in;
        try {
            in = new DeadlineFileStream(file, deadline);
        } catch (IOException e) {
            throw new MediaException(MediaException.Reason.CORRUPT, "cannot open the input file: " + e.getMessage(), e);
        }
        try (in; FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(in, size)) {
            grabber.setFormat(type.demuxer());
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.setVideoOption("threads", "1"); // the cores belong to the model
            return new Run(type, grabber, in).read();
        } catch (FrameGrabber.Exception e) {
            throw failure(in, type, e);
        } catch (IOException | RuntimeException e) {
            if (in.expired()) {
                throw timeout(type);
            }
            throw new MediaException(MediaException.Reason.CORRUPT, "the " + type + " file cannot be decoded: "
                    + e.getMessage(), e);
        }
    }

    private MediaException failure(DeadlineFileStream in, MediaType type, FrameGrabber.Exception e) {
        if (in.expired()) {
            return timeout(type);
        }
        return new MediaException(MediaException.Reason.CORRUPT, "the " + type + " file is corrupt or truncated"
                + " (FFmpeg: " + e.getMessage() + ")", e);
    }

    private MediaException timeout(MediaType type) {
        return new MediaException(MediaException.Reason.TIMEOUT, "decoding the " + type + " file took longer than "
                + limits.timeout().toMillis() + " ms");
    }

    /** One decode: the grabber's state and the frames kept so far. */
    private final class Run {
        private final MediaType type;
        private final FFmpegFrameGrabber grabber;
        private final DeadlineFileStream in;
        private final List<RgbImage> kept = new ArrayList<>();
        private final List<Double> times = new ArrayList<>();

        Run(MediaType type, FFmpegFrameGrabber grabber, DeadlineFileStream in) {
            this.type = type;
            this.grabber = grabber;
            this.in = in;
        }

        DecodedMedia read() throws MediaException, FrameGrabber.Exception {
            grabber.start();
            if (grabber.getVideoStream() < 0 || !grabber.hasVideo()) {
                throw new MediaException(MediaException.Reason.CORRUPT, "the " + type + " file has no picture stream");
            }
            int width = grabber.getImageWidth();
            int height = grabber.getImageHeight();
            checkSize(width, height);
            long declaredMicros = type.isVideo() ? Math.max(0, grabber.getLengthInTime()) : 0;
            if (declaredMicros > limits.maxDuration().toNanos() / 1000) {
                throw tooLong("lasts " + seconds(declaredMicros) + " s");
            }
            long declaredFrames = declaredFrames();
            int stride = declaredFrames > limits.maxFrames()
                    ? (int) ((declaredFrames + limits.maxFrames() - 1) / limits.maxFrames()) : 1;
            int count = 0;
            long first = Long.MIN_VALUE;
            long last = 0;
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                if (in.expired()) {
                    throw timeout(type);
                }
                if (++count > limits.maxSourceFrames()) {
                    throw tooLong("has more than " + limits.maxSourceFrames() + " frames");
                }
                long ts = frame.timestamp;
                first = first == Long.MIN_VALUE ? ts : first;
                last = ts;
                if (ts - first > limits.maxDuration().toNanos() / 1000) {
                    throw tooLong("has frames past " + limits.maxDuration().toSeconds() + " s");
                }
                if ((count - 1) % stride == 0) {
                    kept.add(toRgb(frame, width, height));
                    times.add(seconds(ts - first));
                    if (kept.size() > limits.maxFrames()) {
                        halve();
                        stride *= 2;
                    }
                }
                if (!type.isVideo()) {
                    break;
                }
            }
            if (in.expired()) {
                throw timeout(type); // a refused read ends the stream like its end would
            }
            if (count == 0) {
                throw new MediaException(MediaException.Reason.CORRUPT, "the " + type + " file holds no decodable"
                        + " picture (corrupt or truncated)");
            }
            if (type.isVideo()) {
                checkComplete(count, declaredFrames, declaredMicros, last - first);
            }
            double duration = type.isVideo() ? seconds(last - first) + 1 / frameRate() : 0;
            return new DecodedMedia(type, kept, times, count, duration);
        }

        private void checkSize(int width, int height) throws MediaException {
            if (width < 1 || height < 1) {
                throw new MediaException(MediaException.Reason.CORRUPT, "the " + type + " file declares no picture"
                        + " size");
            }
            if (width > limits.maxWidth() || height > limits.maxHeight()
                    || (long) width * height > limits.maxPixels()) {
                throw new MediaException(MediaException.Reason.TOO_LARGE, "the picture is " + width + "x" + height
                        + ", over the limit of " + limits.maxWidth() + "x" + limits.maxHeight() + " and "
                        + limits.maxPixels() + " pixels");
            }
        }

        private long declaredFrames() {
            if (!type.isVideo()) {
                return 1;
            }
            AVStream stream = grabber.getFormatContext().streams(grabber.getVideoStream());
            return stream == null ? 0 : Math.max(0, stream.nb_frames());
        }

        private void checkComplete(int count, long declaredFrames, long declaredMicros, long spanMicros)
                throws MediaException {
            if (declaredFrames > 0 && count < declaredFrames) {
                throw new MediaException(MediaException.Reason.CORRUPT, "the " + type + " file is truncated: its"
                        + " container declares " + declaredFrames + " frames, only " + count + " could be decoded");
            }
            double covered = (spanMicros / 1e6 + 1 / frameRate()) * 1e6;
            if (declaredFrames == 0 && declaredMicros > 0 && covered < TRUNCATION_TOLERANCE * declaredMicros) {
                throw new MediaException(MediaException.Reason.CORRUPT, "the " + type + " file is truncated: it"
                        + " declares " + seconds(declaredMicros) + " s, its frames cover " + seconds((long) covered)
                        + " s");
            }
        }

        private double frameRate() {
            double fps = grabber.getFrameRate();
            return fps > 0 && Double.isFinite(fps) ? fps : 25;
        }

        /** Keeps every other kept frame (the first, third, ...). */
        private void halve() {
            for (int i = kept.size() - 1; i >= 0; i--) {
                if (i % 2 == 1) {
                    kept.remove(i);
                    times.remove(i);
                }
            }
        }

        private MediaException tooLong(String what) {
            return new MediaException(MediaException.Reason.TOO_LONG, "the video " + what + ", over the limit of "
                    + limits.maxDuration().toSeconds() + " s and " + limits.maxSourceFrames() + " frames");
        }

        private RgbImage toRgb(Frame frame, int width, int height) throws MediaException {
            // JavaCV reports channels as stride / width, so padded rows look like 4 channels: check the stride.
            if (frame.imageWidth != width || frame.imageHeight != height || frame.imageStride < width * 3
                    || frame.image == null || frame.image.length == 0) {
                throw new MediaException(MediaException.Reason.CORRUPT, "the " + type + " file changes its picture"
                        + " size mid-stream (" + frame.imageWidth + "x" + frame.imageHeight + ", expected " + width
                        + "x" + height + ")");
            }
            ByteBuffer pixels = ((ByteBuffer) frame.image[0]).duplicate();
            int row = width * 3;
            int stride = frame.imageStride; // bytes per row, may include padding
            byte[] rgb = new byte[row * height];
            for (int y = 0; y < height; y++) {
                pixels.position(y * stride);
                pixels.get(rgb, y * row, row);
            }
            return new RgbImage(width, height, rgb);
        }
    }

    private static double seconds(long micros) {
        return micros / 1e6;
    }
}
