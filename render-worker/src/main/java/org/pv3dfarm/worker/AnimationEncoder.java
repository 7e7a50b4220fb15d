package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.pv3dfarm.protocol.PreviewFormat;

/**
 * Encodes frames into a looping animated GIF or WebP with FFmpeg through JavaCV: GIF with FFmpeg's own
 * {@code gif} encoder (pixel format {@code rgb8}, a fixed 3-3-2 palette), WebP with {@code libwebp_anim}
 * ({@code yuv420p}, lossy). The {@code org.bytedeco:ffmpeg} 8.0.1 build we ship has both (checked at {@link #open},
 * since the recorder would otherwise fall back to another codec silently), and {@link #finish} reads the file back
 * ({@link AnimationInfo}) and fails unless it holds every frame at the right size. Not thread-safe.
 */
public final class AnimationEncoder implements AutoCloseable {

    private final Path file;
    private final PreviewFormat format;
    private final int width;
    private final int height;
    private final FFmpegFrameRecorder recorder;
    private final ByteBuffer staging;
    private int framesWritten;
    private boolean done;

    private AnimationEncoder(Path file, PreviewFormat format, int width, int height, FFmpegFrameRecorder recorder) {
        this.file = file;
        this.format = format;
        this.width = width;
        this.height = height;
        this.recorder = recorder;
        this.staging = ByteBuffer.allocateDirect(width * height * 3);
    }

    /** The FFmpeg encoder that writes a format. */
    public static String encoderName(PreviewFormat format) {
        return format == PreviewFormat.GIF ? "gif" : "libwebp_anim";
    }

    /** Creates (or overwrites) {@code file} and starts the animation. */
    public static AnimationEncoder open(Path file, PreviewFormat format, int width, int height, int fps)
            throws VideoEncodingException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        if (width < 1 || height < 1 || fps < 1) {
            throw new IllegalArgumentException("need a positive size and fps, were " + width + "x" + height + ", " + fps);
        }
        Mp4Encoder.quietFfmpegLogs();
        String name = encoderName(format);
        int codecId = format == PreviewFormat.GIF ? avcodec.AV_CODEC_ID_GIF : avcodec.AV_CODEC_ID_WEBP;
        AVCodec codec = avcodec.avcodec_find_encoder_by_name(name);
        if (codec == null || codec.isNull() || codec.id() != codecId) {
            throw new VideoEncodingException("FFmpeg has no '" + name + "' encoder for " + format.wireName()
                    + " previews in this build");
        }
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        recorder.setFormat(format.wireName());
        recorder.setVideoCodecName(name);
        recorder.setVideoCodec(codecId);
        recorder.setPixelFormat(format == PreviewFormat.GIF ? avutil.AV_PIX_FMT_RGB8 : avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setOption("loop", "0"); // play forever
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            release(recorder);
            throw new VideoEncodingException("FFmpeg could not start a " + format.wireName() + " at " + file + ": "
                    + e.getMessage(), e);
        }
        return new AnimationEncoder(file, format, width, height, recorder);
    }

    public int framesWritten() {
        return framesWritten;
    }

    /** Appends a frame of the animation's size. */
    public void write(RgbImage frame) throws VideoEncodingException {
        Objects.requireNonNull(frame, "frame");
        if (done) {
            throw new IllegalStateException("the animation " + file + " is already finished");
        }
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height() + ", the animation "
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

    /** Finishes the file and verifies it holds every frame at the right size. */
    public AnimationInfo finish() throws VideoEncodingException {
        if (done) {
            throw new IllegalStateException("finish() was already called for " + file);
        }
        if (framesWritten == 0) {
            throw new IllegalStateException("no frame was written to " + file);
        }
        done = true;
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new VideoEncodingException("finishing " + file + " failed", e);
        } finally {
            release(recorder);
        }
        AnimationInfo info = AnimationInfo.probe(file, format);
        if (info.width() != width || info.height() != height || info.frames() != framesWritten) {
            throw new VideoEncodingException(file + " holds " + info.frames() + " frames of " + info.width() + "x"
                    + info.height() + "; expected " + framesWritten + " of " + width + "x" + height);
        }
        return info;
    }

    /** Releases FFmpeg's resources; an unfinished file is deleted. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        release(recorder);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in the job's work directory, which is deleted with it
        }
    }

    private static void release(FFmpegFrameRecorder recorder) {
        try {
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            // nothing left to do with a recorder that cannot be released
        }
    }
}
