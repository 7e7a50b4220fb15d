package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 4 of a generate job: turns rendered batches into the job's objects, as they come.
 *
 * <ul>
 *   <li>one H.264 MP4 per view, streamed: each frame goes into that view's {@link Mp4Encoder} (a file in the
 *       job's work directory) as soon as it is rendered, so the clip is never held in memory;</li>
 *   <li>PNG frames and 16-bit depth PNGs, when asked for, encoded and uploaded as each batch arrives; every depth
 *       map of the job uses one {@link DepthScale}, so codes compare across frames and views;</li>
 *   <li>{@link #finish()}: closes and verifies every MP4 (H.264, every frame) and uploads it;</li>
 *   <li>{@link #uploadManifest(byte[])}: the job's manifest, only after {@link #finish()}: a reader who finds the
 *       manifest finds every other output.</li>
 * </ul>
 * Keys come from {@link OutputKeyLayout}, so a rerun overwrites. {@link #close()} releases the encoders and
 * deletes unfinished videos. One thread at a time.
 */
public final class JobOutputs implements AutoCloseable {

    public static final String MP4_CONTENT_TYPE = "video/mp4";
    public static final String JSON_CONTENT_TYPE = "application/json";

    private static final Logger LOG = LoggerFactory.getLogger(JobOutputs.class);

    private final OutputKeyLayout keys;
    private final ObjectUploader uploader;
    private final VideoFormat format;
    private final boolean pngFrames;
    private final DepthScale depthScale;
    private final PngWriter png = new PngWriter();
    private final List<Path> videoFiles = new ArrayList<>();
    private final List<Mp4Encoder> encoders = new ArrayList<>();
    private final List<List<String>> frameKeys = new ArrayList<>();
    private final List<List<String>> depthKeys = new ArrayList<>();
    private int framesWritten;
    private boolean finished;
    private long encodeNanos;
    private long pngNanos;
    private long uploadNanos;

    private JobOutputs(OutputKeyLayout keys, ObjectUploader uploader, VideoFormat format, boolean pngFrames,
            DepthScale depthScale) {
        this.keys = keys;
        this.uploader = uploader;
        this.format = format;
        this.pngFrames = pngFrames;
        this.depthScale = depthScale;
    }

    /**
     * Starts one MP4 per view in {@code workDir}.
     *
     * @param depthScale the scale of every depth PNG, or {@code null} when depth maps are not wanted
     */
    public static JobOutputs open(OutputKeyLayout keys, ObjectUploader uploader, Path workDir, VideoFormat format,
            int views, boolean pngFrames, DepthScale depthScale) throws VideoEncodingException {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(uploader, "uploader");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(format, "format");
        if (views < 1) {
            throw new IllegalArgumentException("views must be at least 1, was " + views);
        }
        JobOutputs outputs = new JobOutputs(keys, uploader, format, pngFrames, depthScale);
        try {
            for (int view = 0; view < views; view++) {
                Path file = workDir.resolve(String.format(Locale.ROOT, "view-%02d.mp4", view));
                outputs.videoFiles.add(file);
                outputs.encoders.add(Mp4Encoder.open(file, format));
                outputs.frameKeys.add(new ArrayList<>());
                outputs.depthKeys.add(new ArrayList<>());
            }
        } catch (VideoEncodingException | RuntimeException e) {
            outputs.close();
            throw e;
        }
        return outputs;
    }

    /** Frames written to every view so far. */
    public int framesWritten() {
        return framesWritten;
    }

    /** Encodes the batch into the views' videos and uploads its PNGs; batches must come in frame order. */
    public void write(RenderedBatch batch) throws VideoEncodingException, UploadException {
        Objects.requireNonNull(batch, "batch");
        if (finished) {
            throw new IllegalStateException("the outputs of job " + keys.jobId() + " are already finished");
        }
        if (batch.firstFrame() != framesWritten || batch.views() != encoders.size()) {
            throw new IllegalStateException("expected frames from " + framesWritten + " for " + encoders.size()
                    + " views, got frames from " + batch.firstFrame() + " for " + batch.views());
        }
        for (RenderedFrame frame : batch.images()) {
            long start = System.nanoTime();
            encoders.get(frame.view()).write(frame.image());
            encodeNanos += System.nanoTime() - start;
            if (pngFrames) {
                start = System.nanoTime();
                byte[] bytes = png.rgb(frame.image());
                pngNanos += System.nanoTime() - start;
                frameKeys.get(frame.view()).add(upload(keys.frame(frame.view(), frame.frame()), bytes,
                        PngWriter.CONTENT_TYPE));
            }
            if (depthScale != null) {
                DepthMap depth = Objects.requireNonNull(frame.depth(), "depth was asked for but not rendered");
                start = System.nanoTime();
                DepthPng encoded = png.depth(depth.values(), 0, depth.width(), depth.height(), depthScale);
                pngNanos += System.nanoTime() - start;
                depthKeys.get(frame.view()).add(upload(keys.depth(frame.view(), frame.frame()), encoded.png(),
                        PngWriter.CONTENT_TYPE));
            }
        }
        framesWritten = batch.endFrame();
    }

    /**
     * Finishes and verifies every view's MP4, uploads it and deletes the local file. Returns each view's keys.
     */
    public List<ViewOutputs> finish() throws VideoEncodingException, UploadException {
        if (finished) {
            throw new IllegalStateException("finish() was already called for job " + keys.jobId());
        }
        finished = true;
        List<ViewOutputs> views = new ArrayList<>(encoders.size());
        for (int view = 0; view < encoders.size(); view++) {
            long start = System.nanoTime();
            Mp4Info info = encoders.get(view).finish();
            encodeNanos += System.nanoTime() - start;
            String key = keys.video(view);
            start = System.nanoTime();
            uploader.upload(key, videoFiles.get(view), MP4_CONTENT_TYPE);
            uploadNanos += System.nanoTime() - start;
            deleteQuietly(videoFiles.get(view));
            views.add(new ViewOutputs(view, key, info, frameKeys.get(view), depthKeys.get(view)));
        }
        return views;
    }

    /** Uploads the job's manifest; only after {@link #finish()}, so it is always the last object written. */
    public StoredObject uploadManifest(byte[] json) throws UploadException {
        Objects.requireNonNull(json, "json");
        if (!finished) {
            throw new IllegalStateException("the manifest goes last: finish() the videos of job " + keys.jobId()
                    + " first");
        }
        long start = System.nanoTime();
        StoredObject stored = uploader.upload(keys.manifest(), json, JSON_CONTENT_TYPE);
        uploadNanos += System.nanoTime() - start;
        return stored;
    }

    /** Time spent in the H.264 encoder, including the final verification of each file. */
    public Duration encodeTime() {
        return Duration.ofNanos(encodeNanos);
    }

    /** Time spent encoding PNGs. */
    public Duration pngTime() {
        return Duration.ofNanos(pngNanos);
    }

    /** Time spent waiting for the store. */
    public Duration uploadTime() {
        return Duration.ofNanos(uploadNanos);
    }

    /** Releases every encoder; a video not finished is deleted. */
    @Override
    public void close() {
        for (Mp4Encoder encoder : encoders) {
            encoder.close();
        }
    }

    private String upload(String key, byte[] bytes, String contentType) throws UploadException {
        long start = System.nanoTime();
        uploader.upload(key, bytes, contentType);
        uploadNanos += System.nanoTime() - start;
        return key;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", file, e.toString());
        }
    }
}
