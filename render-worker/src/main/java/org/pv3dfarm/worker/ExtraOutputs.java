package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.PreviewFormat;

/**
 * The optional video outputs of a generate job, streamed batch by batch beside {@link JobOutputs}:
 * <ul>
 *   <li>grid ({@code outputs.grid}): every frame's views tiled by {@link GridLayout} into one more H.264 MP4;</li>
 *   <li>preview ({@code outputs.preview}): the first view's first frame as a PNG thumbnail (full size), and its
 *       first {@value #PREVIEW_MAX_FRAMES} frames as a looping GIF or WebP ({@link AnimationEncoder}), shrunk by
 *       the smallest integer factor that brings the longer side to at most {@value #PREVIEW_MAX_SIDE} px.</li>
 * </ul>
 * {@link #finish()} verifies and uploads the files and returns what was written; call it before the manifest.
 * {@link #close()} releases encoders. One thread at a time.
 */
public final class ExtraOutputs implements AutoCloseable {

    public static final int PREVIEW_MAX_FRAMES = 50;
    public static final int PREVIEW_MAX_SIDE = 256;

    /** The grid video as written. */
    public record Grid(String key, GridLayout layout, Mp4Info video) {
    }

    /** The preview as written. */
    public record Preview(String thumbnailKey, String animationKey, String encoder, AnimationInfo animation) {
    }

    /** What {@link #finish()} wrote; absent parts were not asked for. */
    public record Written(Grid grid, Preview preview) {

        public String gridKey() {
            return grid == null ? null : grid.key();
        }

        public String thumbnailKey() {
            return preview == null ? null : preview.thumbnailKey();
        }

        public String animationKey() {
            return preview == null ? null : preview.animationKey();
        }
    }

    private final OutputKeyLayout keys;
    private final ObjectUploader uploader;
    private final Path workDir;
    private final GridLayout layout;
    private final Mp4Encoder gridEncoder;
    private final PreviewFormat previewFormat;
    private final int previewFactor;
    private AnimationEncoder animation;
    private String thumbnailKey;
    private boolean finished;
    private long encodeNanos;
    private long uploadNanos;

    private ExtraOutputs(OutputKeyLayout keys, ObjectUploader uploader, Path workDir, GridLayout layout,
            Mp4Encoder gridEncoder, PreviewFormat previewFormat, int previewFactor) {
        this.keys = keys;
        this.uploader = uploader;
        this.workDir = workDir;
        this.layout = layout;
        this.gridEncoder = gridEncoder;
        this.previewFormat = previewFormat;
        this.previewFactor = previewFactor;
    }

    /** Opens what {@code options} ask for; {@code format} is each view's video format. */
    public static ExtraOutputs open(OutputKeyLayout keys, ObjectUploader uploader, Path workDir, VideoFormat format,
            int views, OutputOptions options) throws VideoEncodingException {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(uploader, "uploader");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(options, "options");
        GridLayout layout = null;
        Mp4Encoder grid = null;
        if (options.grid()) {
            layout = GridLayout.of(views, format.width(), format.height());
            grid = Mp4Encoder.open(workDir.resolve("grid.mp4"),
                    VideoFormat.of(layout.width(), layout.height(), format.fps()));
        }
        int factor = (Math.max(format.width(), format.height()) + PREVIEW_MAX_SIDE - 1) / PREVIEW_MAX_SIDE;
        ExtraOutputs outputs = new ExtraOutputs(keys, uploader, workDir, layout, grid,
                options.preview() ? options.previewFormat() : null, Math.max(1, factor));
        if (options.preview()) {
            try {
                outputs.animation = AnimationEncoder.open(outputs.animationFile(), options.previewFormat(),
                        format.width() / outputs.previewFactor, format.height() / outputs.previewFactor,
                        format.fps());
            } catch (VideoEncodingException | RuntimeException e) {
                outputs.close();
                throw e;
            }
        }
        return outputs;
    }

    /** Whether anything was asked for. */
    public boolean isEmpty() {
        return gridEncoder == null && previewFormat == null;
    }

    /** Adds a batch (in frame order, as {@link JobOutputs#write} takes them). */
    public void write(RenderedBatch batch) throws VideoEncodingException, UploadException {
        Objects.requireNonNull(batch, "batch");
        if (finished) {
            throw new IllegalStateException("the extra outputs of job " + keys.jobId() + " are already finished");
        }
        for (int frame = batch.firstFrame(); frame < batch.endFrame(); frame++) {
            long start = System.nanoTime();
            if (gridEncoder != null) {
                List<RgbImage> tiles = new ArrayList<>(batch.views());
                for (int view = 0; view < batch.views(); view++) {
                    tiles.add(batch.image(view, frame).image());
                }
                gridEncoder.write(layout.tile(tiles));
            }
            if (previewFormat != null) {
                RgbImage first = batch.image(0, frame).image();
                if (frame == 0) {
                    byte[] png = new PngWriter().rgb(first);
                    encodeNanos += System.nanoTime() - start;
                    start = System.nanoTime();
                    thumbnailKey = keys.thumbnail();
                    uploader.upload(thumbnailKey, png, PngWriter.CONTENT_TYPE);
                    uploadNanos += System.nanoTime() - start;
                    start = System.nanoTime();
                }
                if (frame < PREVIEW_MAX_FRAMES) {
                    animation.write(GridLayout.shrink(first, previewFactor));
                }
            }
            encodeNanos += System.nanoTime() - start;
        }
    }

    /** Finishes, verifies and uploads the grid video and the animation. */
    public Written finish() throws VideoEncodingException, UploadException {
        if (finished) {
            throw new IllegalStateException("finish() was already called for job " + keys.jobId());
        }
        finished = true;
        Grid grid = null;
        if (gridEncoder != null) {
            long start = System.nanoTime();
            Mp4Info info = gridEncoder.finish();
            encodeNanos += System.nanoTime() - start;
            grid = new Grid(upload(keys.gridVideo(), workDir.resolve("grid.mp4"), JobOutputs.MP4_CONTENT_TYPE), layout,
                    info);
        }
        Preview preview = null;
        if (previewFormat != null) {
            long start = System.nanoTime();
            AnimationInfo info = animation.finish();
            encodeNanos += System.nanoTime() - start;
            String key = upload(keys.animation(previewFormat), animationFile(), previewFormat.contentType());
            preview = new Preview(thumbnailKey, key, AnimationEncoder.encoderName(previewFormat), info);
        }
        return new Written(grid, preview);
    }

    public Duration encodeTime() {
        return Duration.ofNanos(encodeNanos);
    }

    public Duration uploadTime() {
        return Duration.ofNanos(uploadNanos);
    }

    @Override
    public void close() {
        if (gridEncoder != null) {
            gridEncoder.close();
        }
        if (animation != null) {
            animation.close();
        }
    }

    private Path animationFile() {
        return workDir.resolve("preview." + previewFormat.extension());
    }

    private String upload(String key, Path file, String contentType) throws UploadException {
        long start = System.nanoTime();
        uploader.upload(key, file, contentType);
        uploadNanos += System.nanoTime() - start;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the work directory goes with the attempt anyway
        }
        return key;
    }
}
