package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started FFmpeg recorder fed with {@link RgbImage}s of one size: what {@link Mp4Encoder} and
 * {@link AnimationEncoder} share. Frames go through one direct staging buffer as packed RGB24 (FFmpeg converts to
 * the encoder's pixel format). {@link #stop()} writes the file's trailer and releases FFmpeg; {@link #close()}
 * releases it without a trailer and deletes the file, which is unplayable then. Not thread-safe.
 */
final class RgbRecording implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RgbRecording.class);

    private final Path file;
    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private final ByteBuffer staging;
    private int framesWritten;
    private boolean stopped;
    private boolean released;

    /** @param recorder a recorder already started on {@code file} at {@code width x height} */
    RgbRecording(Path file, FFmpegFrameRecorder recorder, int width, int height) {
        this.file = Objects.requireNonNull(file, "file");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.width = width;
        this.height = height;
        this.staging = ByteBuffer.allocateDirect(width * height * 3);
    }

    /** Starts {@code recorder} on {@code file}; a failure releases it and names {@code what} and the file. */
    static RgbRecording start(Path file, FFmpegFrameRecorder recorder, int width, int height, String what)
            throws VideoEncodingException {
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            release(recorder);
            throw new VideoEncodingException("FFmpeg could not start " + what + " at " + file + ": " + e.getMessage(),
                    e);
        }
        return new RgbRecording(file, recorder, width, height);
    }

    FFmpegFrameRecorder recorder() {
        return recorder;
    }

    int framesWritten() {
        return framesWritten;
    }

    /** Appends one frame; it must have the recording's size. */
    void write(RgbImage frame) throws VideoEncodingException {
        Objects.requireNonNull(frame, "frame");
        if (stopped || released) {
            throw new IllegalStateException("the recording of " + file + " is already finished");
        }
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height() + ", the file is "
                    + width + "x" + height);
        }
        staging.clear();
        staging.put(frame.rgb()).flip();
        try {
            recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 3, width * 3, avutil.AV_PIX_FMT_RGB24, staging);
        } catch (FrameRecorder.Exception e) {
            throw new VideoEncodingException("encoding frame " + framesWritten + " of " + file + " failed", e);
        }
        framesWritten++;
    }

    /** Flushes the encoder, writes the trailer and releases FFmpeg; at least one frame must have been written. */
    void stop() throws VideoEncodingException {
        if (stopped) {
            throw new IllegalStateException("finish() was already called for " + file);
        }
        if (framesWritten == 0) {
            throw new IllegalStateException("no frame was written to " + file);
        }
        stopped = true;
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new VideoEncodingException("finishing " + file + " failed", e);
        } finally {
            release(recorder);
            released = true;
        }
    }

    /** Releases FFmpeg; a file that was not stopped is deleted. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        release(recorder);
        if (!stopped) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete the unfinished {}: {}", file, e.toString());
            }
        }
    }

    static void release(FFmpegFrameRecorder recorder) {
        try {
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            LOG.warn("releasing the FFmpeg recorder failed: {}", e.toString());
        }
    }
}
