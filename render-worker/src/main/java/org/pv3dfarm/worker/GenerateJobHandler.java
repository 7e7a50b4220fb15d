package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.pv3dfarm.model.ModelConfig;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.MeshOptions;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.OutputKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs generate jobs: {@link LatentSampler} (codes) → {@link CameraPlanner} (cameras and times) →
 * {@link FrameRenderer} (the model, batch by batch, planes reused across views) → {@link JobOutputs} (MP4 per
 * view streamed, PNGs and depth when asked for) and {@link ExtraOutputs} (grid video, preview) → {@link MeshOutputs}
 * (meshes at chosen frames, when asked for) → the manifest, last.
 *
 * <p>Failures, as the {@link JobConsumerLoop} treats them: a request this model cannot run (wrong code length,
 * another model's name, a resolution other than the model's, a trajectory the model cannot draw) throws
 * {@link InvalidJobException}: dead-lettered at once with the reason. Object store trouble throws
 * {@link UploadException} and a shutdown between batches {@link JobStoppedException}, both retryable. Anything
 * else (the model or the encoder failing) fails the job for good.
 *
 * <p>Inference and output writing overlap: each rendered batch goes through a {@link PipelinedSink} (bounded, so
 * the renderer waits when the encoder falls behind), and the next batch is rendered meanwhile.
 *
 * <p>Each attempt works in its own temporary directory under the work root, deleted when the attempt ends,
 * however it ends. Progress ({@code frames done × views} of {@code frames × views}) is reported after every
 * batch. One job at a time per handler (as the loop calls it); the model may be shared.
 */
public final class GenerateJobHandler implements JobHandler {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateJobHandler.class);
    /** Rendered batches that may wait for the encoder unless configured. */
    public static final int DEFAULT_PIPELINE_DEPTH = 2;

    private final ModelManifest manifest;
    private final String executionProvider;
    private final ObjectUploader uploader;
    private final Path workRoot;
    private final LatentSampler latents;
    private final CameraPlanner cameras;
    private final FrameRenderer renderer;
    /** Null when the graphs have no density graph: mesh requests are then invalid jobs. */
    private final MeshOutputs meshes;
    private final int pipelineDepth;

    /**
     * @param model       the opened model; stays the caller's to close
     * @param uploader    where outputs go; stays the caller's to close
     * @param workRoot    where each attempt makes its temporary directory (must exist)
     * @param batchFrames frames per batch (see {@link FrameRenderer})
     */
    public GenerateJobHandler(Pv3dModel model, ObjectUploader uploader, Path workRoot, int batchFrames) {
        this(GeneratorGraphs.of(model), DensityGraph.of(model), model.manifest(), model.executionProvider().name(),
                uploader, workRoot, batchFrames, DEFAULT_PIPELINE_DEPTH);
    }

    /** A handler on given graphs (tests count the calls through them), without meshes. */
    GenerateJobHandler(GeneratorGraphs graphs, ModelManifest manifest, String executionProvider,
            ObjectUploader uploader, Path workRoot, int batchFrames) {
        this(graphs, null, manifest, executionProvider, uploader, workRoot, batchFrames, DEFAULT_PIPELINE_DEPTH);
    }

    /**
     * A handler on given graphs: the model's, batched across the jobs of several handlers
     * ({@link BatchingGeneratorGraphs}), or counted by a test.
     *
     * @param density       the model's density graph for meshes; null makes mesh requests invalid jobs
     * @param pipelineDepth rendered batches that may wait for the encoder (see {@link PipelinedSink})
     */
    public GenerateJobHandler(GeneratorGraphs graphs, DensityGraph density, ModelManifest manifest,
            String executionProvider, ObjectUploader uploader, Path workRoot, int batchFrames, int pipelineDepth) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.executionProvider = Objects.requireNonNull(executionProvider, "executionProvider");
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
        if (!Files.isDirectory(workRoot)) {
            throw new IllegalArgumentException("workRoot " + workRoot + " is not a directory");
        }
        this.latents = new LatentSampler(manifest);
        this.cameras = new CameraPlanner(manifest);
        this.renderer = new FrameRenderer(graphs, batchFrames);
        this.meshes = density == null ? null : new MeshOutputs(graphs, density, manifest.config().boxWarp());
        if (pipelineDepth < 1) {
            throw new IllegalArgumentException("pipelineDepth must be at least 1, was " + pipelineDepth);
        }
        this.pipelineDepth = pipelineDepth;
    }

    @Override
    public OutputKeys handle(JobContext context) throws Exception {
        long started = System.nanoTime();
        GenerateRequest request = generateRequest(context);
        JobLatents codes = latents.sample(request);
        CameraPlan plan = cameras.plan(request);
        ModelConfig config = manifest.config();
        VideoFormat format = VideoFormat.of(config.outputResolution(), config.outputResolution(), request.fps());
        boolean pngFrames = request.outputs().pngFrames();
        boolean depth = request.outputs().depth();
        // Every depth the model returns lies in [ray_start, ray_end]: one scale for the whole job.
        DepthScale depthScale = depth ? new DepthScale(config.rayStart(), config.rayEnd()) : null;
        int views = plan.views().size();
        int total = plan.frames() * views;

        OutputOptions options = request.outputs();
        requireMeshable(options.mesh(), plan.frames());

        Path workDir = createWorkDir(context);
        try (JobOutputs outputs = JobOutputs.open(context.keys(), uploader, workDir, format, views, pngFrames,
                depthScale);
                ExtraOutputs extra = ExtraOutputs.open(context.keys(), uploader, workDir, format, views, options)) {
            // Encoding and uploads run on the pipeline's writer while the renderer infers the next batch.
            RenderStats stats;
            try (PipelinedSink pipeline = new PipelinedSink(batch -> {
                outputs.write(batch);
                extra.write(batch);
                context.progress().report(batch.endFrame() * views, total);
            }, pipelineDepth, context.jobId().toString())) {
                stats = renderer.render(codes, plan, depth, batch -> {
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
                    : meshes.write(options.mesh(), codes, plan, context.keys(), uploader);
            OutputKeys keys = context.keys().outputKeys(uploader.bucket(), views, plan.frames(), pngFrames, depth,
                    extraWritten.gridKey(), extraWritten.thumbnailKey(), extraWritten.animationKey(),
                    meshWritten == null ? null : meshWritten.keys());
            long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            JobManifest jobManifest = new JobManifest(JobManifest.FORMAT, context.jobId(), request.kind().wireName(),
                    context.workerId(), context.attempt(), Instant.now().toString(),
                    new JobManifest.Model(manifest.name(), manifest.version(), executionProvider),
                    JobManifest.echo(request), JobManifest.Latents.of(codes), JobManifest.Video.of(format, plan.frames()),
                    new JobManifest.Time(plan.clipFrames(), plan.times()), plan.conditioning(),
                    written.stream().map(v -> JobManifest.View.of(plan.views().get(v.view()), v)).toList(),
                    depth ? depthSection(depthScale) : null, keys,
                    new JobManifest.Timings(ms(stats.mapping()), ms(stats.synthesis()), ms(stats.render()),
                            ms(stats.superResolution()), ms(outputs.encodeTime().plus(extra.encodeTime())),
                            ms(outputs.pngTime()), ms(outputs.uploadTime().plus(extra.uploadTime())), totalMs))
                    .withExtras(plan.conditioningView(), extra.isEmpty() ? null : extraWritten, meshWritten);
            outputs.uploadManifest(jobManifest.toJson());
            LOG.info("job {}: {} frames x {} views at {}x{} in {} ms (inference {} ms, encoding {} ms, uploads {} ms)",
                    context.jobId(), plan.frames(), views, format.width(), format.height(), totalMs,
                    ms(stats.total()), ms(outputs.encodeTime()), ms(outputs.uploadTime()));
            return keys;
        } finally {
            WorkDirectories.deleteRecursively(workDir);
        }
    }

    /** Fails the job as invalid when it asks for meshes this handler cannot make. */
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

    /** The request, if this model can run it at all. */
    private GenerateRequest generateRequest(JobContext context) throws InvalidJobException {
        if (!(context.request() instanceof GenerateRequest request)) {
            throw new InvalidJobException("kind", "this handler runs generate jobs, not "
                    + context.request().kind().wireName());
        }
        if (!manifest.name().equals(request.model())) {
            throw new InvalidJobException("model", "this worker serves model " + manifest.name() + ", not "
                    + request.model());
        }
        int nativeResolution = manifest.config().outputResolution();
        if (request.resolution() != null && request.resolution() != nativeResolution) {
            throw new InvalidJobException("resolution", "only the model's native resolution " + nativeResolution
                    + " is supported (or leave it out), was " + request.resolution());
        }
        return request;
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
