package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.Objects;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.OutputKeys;

/**
 * Runs generate jobs: {@link LatentSampler} (codes) → {@link CameraPlanner} (cameras and times) → the shared
 * {@link ClipWriter}: {@link FrameRenderer} (the model, batch by batch, planes reused across views) →
 * {@link JobOutputs} (MP4 per view streamed, PNGs and depth when asked for) and {@link ExtraOutputs} (grid video,
 * preview) → {@link MeshOutputs} (meshes at chosen frames, when asked for) → {@code latents.json} → the manifest,
 * last.
 *
 * <p>Failures, as the {@link JobConsumerLoop} treats them: a request this model cannot run (wrong code length,
 * another model's name, a resolution other than the model's, a trajectory the model cannot draw) throws
 * {@link InvalidJobException}: dead-lettered at once with the reason. Object store trouble throws
 * {@link UploadException} and a shutdown between batches {@link JobStoppedException}, both retryable. Anything
 * else (the model or the encoder failing) fails the job for good.
 *
 * <p>Inference and output writing overlap: each rendered batch goes through a {@link PipelinedSink} (bounded, so
 * the renderer waits when the encoder falls behind), and the next batch is rendered meanwhile. Progress
 * ({@code frames done × views} of {@code frames × views}) is reported after every batch. One job at a time per
 * handler (as the loop calls it); the model may be shared.
 */
public final class GenerateJobHandler implements JobHandler {

    /** Rendered batches that may wait for the encoder unless configured. */
    public static final int DEFAULT_PIPELINE_DEPTH = ClipWriter.DEFAULT_PIPELINE_DEPTH;

    private final LatentSampler latents;
    private final CameraPlanner cameras;
    private final ClipWriter writer;

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
        this(new ClipWriter(graphs, density, manifest, executionProvider, uploader, workRoot, batchFrames,
                pipelineDepth));
    }

    /** A handler writing through a shared clip writer. */
    public GenerateJobHandler(ClipWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.latents = new LatentSampler(writer.manifest());
        this.cameras = new CameraPlanner(writer.manifest());
    }

    @Override
    public OutputKeys handle(JobContext context) throws Exception {
        if (!(context.request() instanceof GenerateRequest request)) {
            throw new InvalidJobException("kind", "this handler runs generate jobs, not "
                    + context.request().kind().wireName());
        }
        writer.requireServable(request);
        JobLatents codes = latents.sample(request);
        CameraPlan plan = cameras.plan(request);
        return writer.write(context, ClipWriter.Clip.generated(request, codes, plan));
    }
}
