package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Encodes frames into an H.264 MP4 (yuv420p, OpenH264 from FFmpeg's LGPL build) through JavaCV.
 *
 * <p>Why the checks: FFmpeg's recorder silently falls back to the container's default codec (MPEG-4 Part 2 for
 * MP4) when the named encoder is missing. So {@link #open} refuses to start unless {@value #ENCODER} exists and
 * encodes H.264, and {@link #finish} reads the file back and fails unless it holds an {@code h264} stream with
 * every frame written. The MP4 is written with {@code movflags=+faststart} (index first) so a player can start
 * on a presigned URL before the download ends.
 *
 * <p>Not thread-safe: one encoder per video, used by one thread.
 */
public final class Mp4Encoder implements AutoCloseable {

    /** The H.264 encoder in the LGPL FFmpeg build of {@code org.bytedeco:ffmpeg} (linux-x86_64). */
    public static final String ENCODER = "libopenh264";
    /** The codec name FFmpeg reports for an H.264 stream. */
    public static final String H264 = "h264";

    private static volatile boolean ffmpegLogsQuiet;

    private final Path file;
    private final VideoFormat format;
    private final RgbRecording recording;

    private Mp4Encoder(Path file, VideoFormat format, RgbRecording recording) {
        this.file = file;
        this.format = format;
        this.recording = recording;
    }

    /** Creates (or overwrites) {@code file} and starts an H.264 stream in it. */
    public static Mp4Encoder open(Path file, VideoFormat format) throws VideoEncodingException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        quietFfmpegLogs();
        requireH264Encoder(ENCODER);
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), format.width(), format.height(), 0);
        recorder.setFormat("mp4");
        recorder.setVideoCodecName(ENCODER);
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(format.fps());
        recorder.setVideoBitrate(format.bitrate());
        recorder.setGopSize(Math.max(1, format.fps() * 2));
        recorder.setOption("movflags", "+faststart");
        RgbRecording recording = RgbRecording.start(file, recorder, format.width(), format.height(), "an H.264 MP4");
        if (recorder.getVideoCodec() != avcodec.AV_CODEC_ID_H264) {
            recording.close();
            throw new VideoEncodingException("FFmpeg opened codec id " + recorder.getVideoCodec()
                    + " instead of H.264 (" + avcodec.AV_CODEC_ID_H264 + ")");
        }
        return new Mp4Encoder(file, format, recording);
    }

    /** Fails unless FFmpeg has an encoder of this name that produces H.264. */
    static void requireH264Encoder(String name) throws VideoEncodingException {
        AVCodec codec = avcodec.avcodec_find_encoder_by_name(name);
        if (codec == null || codec.isNull()) {
            throw new VideoEncodingException("FFmpeg has no encoder named '" + name + "'; the recorder would fall back "
                    + "to MPEG-4 Part 2. Use org.bytedeco:ffmpeg with the linux-x86_64 classifier (libopenh264).");
        }
        if (codec.id() != avcodec.AV_CODEC_ID_H264) {
            throw new VideoEncodingException("FFmpeg encoder '" + name + "' produces codec id " + codec.id()
                    + ", not H.264");
        }
    }

    /** FFmpeg logs to stderr at INFO by default; only its errors are worth a line in a farm's output. */
    static void quietFfmpegLogs() {
        if (!ffmpegLogsQuiet) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            ffmpegLogsQuiet = true;
        }
    }

    public VideoFormat format() {
        return format;
    }

    public int framesWritten() {
        return recording.framesWritten();
    }

    /** Appends one frame; it must have the format's size. */
    public void write(RgbImage frame) throws VideoEncodingException {
        recording.write(frame);
    }

    /**
     * Flushes the encoder, writes the MP4 index, and verifies the file: an {@code h264} stream of the format's
     * size holding exactly {@link #framesWritten()} frames. Returns what was verified.
     */
    public Mp4Info finish() throws VideoEncodingException {
        recording.stop();
        int framesWritten = recording.framesWritten();
        Mp4Info info = Mp4Info.probe(file);
        if (!H264.equals(info.codec())) {
            throw new VideoEncodingException(file + " holds codec '" + info.codec() + "', not H.264");
        }
        if (info.width() != format.width() || info.height() != format.height() || info.frames() != framesWritten) {
            throw new VideoEncodingException(file + " holds " + info.frames() + " frames of " + info.width() + "x"
                    + info.height() + "; expected " + framesWritten + " of " + format.width() + "x" + format.height());
        }
        return info;
    }

    /** Releases FFmpeg's resources; an unfinished file is deleted, since it has no index and cannot be played. */
    @Override
    public void close() {
        recording.close();
    }
}
