package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.pv3dfarm.protocol.PreviewFormat;

/**
 * Encodes frames into a looping animated GIF or WebP with FFmpeg through JavaCV: GIF with FFmpeg's own
 * {@code gif} encoder (pixel format {@code rgb8}: a fixed 3-3-2 palette, which swscale reaches with an ordered
 * dither; a per-clip palette would need {@code pal8} frames, which JavaCV's recorder cannot convert to), WebP
 * with {@code libwebp_anim} ({@code yuv420p}, lossy, full colour). The {@code org.bytedeco:ffmpeg} 8.0.1 build we ship has both (checked at {@link #open},
 * since the recorder would otherwise fall back to another codec silently), and {@link #finish} reads the file back
 * ({@link AnimationInfo}) and fails unless it holds every frame at the right size. Not thread-safe.
 */
public final class AnimationEncoder implements AutoCloseable {

    private final Path file;
    private final PreviewFormat format;
    private final int width;
    private final int height;
    private final RgbRecording recording;

    private AnimationEncoder(Path file, PreviewFormat format, int width, int height, RgbRecording recording) {
        this.file = file;
        this.format = format;
        this.width = width;
        this.height = height;
        this.recording = recording;
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
        RgbRecording recording = RgbRecording.start(file, recorder, width, height, "a " + format.wireName());
        return new AnimationEncoder(file, format, width, height, recording);
    }

    public int framesWritten() {
        return recording.framesWritten();
    }

    /** Appends a frame of the animation's size. */
    public void write(RgbImage frame) throws VideoEncodingException {
        recording.write(frame);
    }

    /** Finishes the file and verifies it holds every frame at the right size. */
    public AnimationInfo finish() throws VideoEncodingException {
        recording.stop();
        AnimationInfo info = AnimationInfo.probe(file, format);
        if (info.width() != width || info.height() != height || info.frames() != recording.framesWritten()) {
            throw new VideoEncodingException(file + " holds " + info.frames() + " frames of " + info.width() + "x"
                    + info.height() + "; expected " + recording.framesWritten() + " of " + width + "x" + height);
        }
        return info;
    }

    /** Releases FFmpeg's resources; an unfinished file is deleted. */
    @Override
    public void close() {
        recording.close();
    }
}
