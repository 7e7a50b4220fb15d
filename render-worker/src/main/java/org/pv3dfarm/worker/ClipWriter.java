package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.pv3dfarm.model.ModelConfig;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.MeshOptions;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.VideoOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every job kind shares: render a clip's tracks ({@link ClipTrack}: a w or a mapped z, a motion, times)
 * along the views ({@link FrameRenderer}), stream the outputs ({@link JobOutputs} MP4 per output view, PNGs and
 * depth; {@link ExtraOutputs} grid and preview) through a {@link PipelinedSink}, write meshes when a job
 * asks for them ({@link MeshOutputs}), the kind's own artifacts (e.g. the inversion render), {@code latents.json}
 * ({@link StoredLatents}) and the manifest, last.
 *
 * <p>Output views: track k's view v is output view {@code k·V + v} (V the request's views), so one track keeps
 * the generate layout. Progress counts frames over every output view. Each call works in its own temporary
 * directory under the work root, deleted however it ends. One job at a time per writer; the graphs may be shared.
 */
public final class ClipWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ClipWriter.class);
    /** Rendered batches that may wait for the encoder unless configured. */
    public static final int DEFAULT_PIPELINE_DEPTH = 2;

    /** A file a job kind adds to its outputs (under the job's prefix), uploaded before the manifest. */
    public record Artifact(String name, byte[] bytes, String contentType) {

        public Artifact {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    /**
     * What to render and what the job adds.
     *
     * @param request       the queued request (echoed in the manifest; its frames, fps, views and outputs apply)
     * @param tracks        the identity/motion pairs, at least one
     * @param plan          cameras and times
     * @param latents       a generate job's sampled codes (manifest latents section and meshes), else null
     * @param trackInfo     one manifest entry per track when there are several or their source matters, or null
     * @param inversion     how the codes were fitted, or null
     * @param artifacts     further files
     * @param fittedTimes   reconstruct's per-source-frame t for latents.json, else null
     * @param latentsCamera the camera the codes belong to (the face camera), or null for the conditioning camera
     */
    public record Clip(JobRequest request, List<ClipTrack> tracks, CameraPlan plan, JobLatents latents,
            List<JobManifest.Track> trackInfo, JobManifest.Inversion inversion, List<Artifact> artifacts,
            float[] fittedTimes, float[] latentsCamera) {

        public Clip {
            Objects.requireNonNull(request, "request");
            if (!(request instanceof VideoOutput)) {
                throw new IllegalArgumentException("a " + request.kind().wireName() + " request renders no video");
            }
            tracks = List.copyOf(tracks);
            Objects.requireNonNull(plan, "plan");
            artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        }

        /** A generate job's clip. */
        public static Clip generated(JobRequest request, JobLatents latents, CameraPlan plan) {
            return new Clip(request, List.of(ClipTrack.of(latents)), plan, latents, null, null, null, null, null);
        }

        VideoOutput video() {
            return (VideoOutput) request;
        }
    }

    private final ModelManifest manifest;
    private final String executionProvider;
    private final ObjectUploader uploader;
    private final Path workRoot;
    private final FrameRenderer renderer;
    /** Null when the graphs have no density graph: mesh requests are then invalid jobs. */
    private final MeshOutputs meshes;
    private final int pipelineDepth;

    /**
     * @param density       the model's density graph for meshes; null makes mesh requests invalid jobs
     * @param workRoot      where each job makes its temporary directory (must exist)
     * @param pipelineDepth rendered batches that may wait for the encoder (see {@link PipelinedSink})
     */
    public ClipWriter(GeneratorGraphs graphs, DensityGraph density, ModelManifest manifest, String executionProvider,
            ObjectUploader uploader, Path workRoot, int batchFrames, int pipelineDepth) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.executionProvider = Objects.requireNonNull(executionProvider, "executionProvider");
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
        if (!Files.isDirectory(workRoot)) {
            throw new IllegalArgumentException("workRoot " + workRoot + " is not a directory");
        }
        this.renderer = new FrameRenderer(graphs, batchFrames, manifest.config().numWs());
        this.meshes = density == null ? null : new MeshOutputs(graphs, density, manifest.config().boxWarp(),
                manifest.config().numWs());
        if (pipelineDepth < 1) {
            throw new IllegalArgumentException("pipelineDepth must be at least 1, was " + pipelineDepth);
        }
        this.pipelineDepth = pipelineDepth;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public ObjectUploader uploader() {
        return uploader;
    }

    /** Fails the job as invalid unless this worker's model can run it (its name, the native resolution). */
    public void requireServable(JobRequest request) throws InvalidJobException {
        if (!manifest.name().equals(request.model())) {
            throw new InvalidJobException("model", "this worker serves model " + manifest.name() + ", not "
                    + request.model());
        }
        int nativeResolution = manifest.config().outputResolution();
        if (request instanceof VideoOutput video && video.resolution() != null
                && video.resolution() != nativeResolution) {
            throw new InvalidJobException("resolution", "only the model's native resolution " + nativeResolution
                    + " is supported (or leave it out), was " + video.resolution());
        }
    }

    /** Renders and writes the clip; returns where every output is, once the manifest is stored. */
    public OutputKeys write(JobContext context, Clip clip) throws Exception {
        long started = System.nanoTime();
        VideoOutput request = clip.video();
        CameraPlan plan = clip.plan();
        ModelConfig config = manifest.config();
        VideoFormat format = VideoFormat.of(config.outputResolution(), config.outputResolution(), request.fps());
        OutputOptions options = request.outputs();
        boolean pngFrames = options.pngFrames();
        boolean depth = options.depth();
        // Every depth the model returns lies in [ray_start, ray_end]: one scale for the whole job.
        DepthScale depthScale = depth ? new DepthScale(config.rayStart(), config.rayEnd()) : null;
        int planViews = plan.views().size();
        int views = planViews * clip.tracks().size();
        int total = plan.frames() * views;
        requireMeshable(options.mesh(), plan.frames());

        OutputKeyLayout layout = context.keys();
        Path workDir = createWorkDir(context);
        try (JobOutputs outputs = JobOutputs.open(layout, uploader, workDir, format, views, pngFrames, depthScale);
                ExtraOutputs extra = ExtraOutputs.open(layout, uploader, workDir, format, views, options)) {
            // Encoding and uploads run on the pipeline's writer while the renderer infers the next batch.
            RenderStats stats;
            try (PipelinedSink pipeline = new PipelinedSink(batch -> {
                outputs.write(batch);
                extra.write(batch);
                context.progress().report(batch.endFrame() * views, total);
            }, pipelineDepth, context.jobId().toString())) {
                stats = renderer.render(clip.tracks(), plan, depth, batch -> {
                    pipeline.accept(batch);
                    if (batch.endFrame() < plan.frames() && context.stopRequested().getAsBoolean()) {
                        throw new JobStoppedException("job " + context.jobId() + " stopped after "
                                + batch.endFrame() + " of " + plan.frames() + " frames: the worker is shutting down");
                    }
                });
                pipeline.finish();
            }
            List<ViewOutputs> written = outputs.finish();
            ExtraOutputs.Written extraWritten = extra.finish();
            MeshOutputs.Written meshWritten = options.mesh() == null ? null
                    : meshes.write(options.mesh(), clip.tracks().get(0), plan, layout, uploader);
            for (Artifact artifact : clip.artifacts()) {
                uploader.upload(layout.key(artifact.name()), artifact.bytes(), artifact.contentType());
            }
            uploader.upload(layout.latents(), storedLatents(context, clip, stats).toJson(), JobOutputs.JSON_CONTENT_TYPE);

            OutputKeys keys = layout.outputKeys(uploader.bucket(), views, plan.frames(), pngFrames, depth,
                    extraWritten.gridKey(), extraWritten.thumbnailKey(), extraWritten.animationKey(),
                    meshWritten == null ? null : meshWritten.keys());
            long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            List<JobManifest.View> viewEntries = new ArrayList<>(written.size());
            for (ViewOutputs v : written) {
                ViewPlan source = plan.views().get(v.view() % planViews);
                viewEntries.add(JobManifest.View.of(source, v).atIndex(v.view()));
            }
            JobManifest jobManifest = new JobManifest(JobManifest.FORMAT, context.jobId(),
                    clip.request().kind().wireName(), context.workerId(), context.attempt(), Instant.now().toString(),
                    new JobManifest.Model(manifest.name(), manifest.version(), executionProvider),
                    JobManifest.echo(clip.request()), clip.latents() == null ? null : JobManifest.Latents.of(clip.latents()),
                    JobManifest.Video.of(format, plan.frames()), new JobManifest.Time(plan.clipFrames(), plan.times()),
                    plan.conditioning(), viewEntries, depth ? depthSection(depthScale) : null, keys,
                    new JobManifest.Timings(ms(stats.mapping()), ms(stats.synthesis()), ms(stats.render()),
                            ms(stats.superResolution()), ms(outputs.encodeTime().plus(extra.encodeTime())),
                            ms(outputs.pngTime()), ms(outputs.uploadTime().plus(extra.uploadTime())), totalMs))
                    .withExtras(plan.conditioningView(), extra.isEmpty() ? null : extraWritten, meshWritten)
                    .withTracks(clip.trackInfo(), clip.inversion());
            outputs.uploadManifest(jobManifest.toJson());
            LOG.info("job {} ({}): {} frames x {} views at {}x{} in {} ms (inference {} ms, encoding {} ms, "
                            + "uploads {} ms)", context.jobId(), clip.request().kind().wireName(), plan.frames(), views,
                    format.width(), format.height(), totalMs, ms(stats.total()), ms(outputs.encodeTime()),
                    ms(outputs.uploadTime()));
            return keys;
        } finally {
            WorkDirectories.deleteRecursively(workDir);
        }
    }

    private StoredLatents storedLatents(JobContext context, Clip clip, RenderStats stats) {
        List<StoredLatents.Track> tracks = new ArrayList<>();
        for (int k = 0; k < clip.tracks().size(); k++) {
            tracks.add(new StoredLatents.Track(stats.trackW().get(k), clip.tracks().get(k).zMotion()));
        }
        float[] camera = clip.latentsCamera() != null ? clip.latentsCamera() : clip.plan().conditioning();
        return StoredLatents.of(manifest.name(), manifest.version(), tracks.get(0).w(), tracks.get(0).zMotion(),
                clip.fittedTimes(), camera, clip.request().kind().wireName(), context.jobId(), tracks);
    }

    /** Fails the job as invalid when it asks for meshes this writer cannot make. */
    private void requireMeshable(MeshOptions mesh, int frames) throws InvalidJobException {
        if (mesh == null) {
            return;
        }
        if (meshes == null) {
            throw new InvalidJobException("outputs.mesh", "this worker has no density graph for model "
                    + manifest.name());
        }
        for (int i = 0; i < mesh.frames().size(); i++) {
            Integer frame = mesh.frames().get(i);
            if (frame == null || frame < 0 || frame >= frames) {
                throw new InvalidJobException("outputs.mesh.frames[" + i + "]", "must be a frame of the job, 0 to "
                        + (frames - 1) + ", was " + frame);
            }
        }
    }

    private Path createWorkDir(JobContext context) throws RetryableJobException {
        try {
            return Files.createTempDirectory(workRoot, "job-" + context.jobId() + "-");
        } catch (IOException e) {
            throw new RetryableJobException("cannot create a work directory under " + workRoot + ": " + e, e);
        }
    }

    private JobManifest.Depth depthSection(DepthScale scale) {
        int side = manifest.config().neuralResolution();
        return new JobManifest.Depth(side, side, scale.near(), scale.far(), PngWriter.ENCODING,
                manifest.conventions().depth());
    }

    private static long ms(Duration duration) {
        return duration.toMillis();
    }
}
