package org.pv3dfarm.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.ModelConfig;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.ModelLimits;
import org.pv3dfarm.protocol.ValidationLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running render worker: the model opened once, the object store uploader, the event publisher and the
 * {@link JobConsumerLoop} running {@link GenerateJobHandler}, wired from a {@link WorkerConfig}. The process
 * ({@link RenderWorkerMain}) and the embedded farm start it the same way:
 *
 * <pre>{@code
 * try (RenderWorker worker = RenderWorker.start(WorkerConfig.fromSystem())) {
 *     worker.terminated().join();
 * }
 * }</pre>
 *
 * <p>Requests are validated against the loaded model's limits (its name, code lengths and resolution), so a
 * request for another model or with codes of the wrong length is dead-lettered before it reaches the model.
 * {@link #close()} stops gracefully (see {@link JobConsumerLoop#close()}), then releases everything; idempotent.
 */
public final class RenderWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RenderWorker.class);

    private final WorkerConfig config;
    private final Pv3dModel model;
    private final JobConsumerLoop loop;
    private final Deque<AutoCloseable> resources;
    private boolean closed;

    private RenderWorker(WorkerConfig config, Pv3dModel model, JobConsumerLoop loop, Deque<AutoCloseable> resources) {
        this.config = config;
        this.model = model;
        this.loop = loop;
        this.resources = resources;
    }

    /**
     * Opens the model, connects to the object store and the broker, and starts consuming. Throws (having released
     * whatever it had opened) when the model cannot be loaded or the configuration cannot work.
     */
    public static RenderWorker start(WorkerConfig config) {
        Objects.requireNonNull(config, "config");
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            Path modelDir = config.resolveModelDirectory();
            ModelManifest manifest = ModelManifest.load(modelDir);
            Pv3dModel model = Pv3dModel.open(manifest, config.modelOptions());
            opened.push(model);
            Files.createDirectories(config.workDir());
            MinioObjectUploader uploader = MinioObjectUploader.connect(config.s3Endpoint(), config.s3AccessKey(),
                    config.s3SecretKey(), config.s3Bucket(), RetryPolicy.defaults());
            opened.push(uploader);
            WorkerOptions options = config.workerOptions(limitsOf(manifest));
            EventPublisher publisher = EventPublisher.connect(config.kafkaBootstrapServers(),
                    config.workerId() + "-events", options.ackTimeout());
            opened.push(publisher);
            GenerateJobHandler handler = new GenerateJobHandler(model, uploader, config.workDir(),
                    config.batchFrames());
            FinishedJobsWatcher finishedJobs = FinishedJobsWatcher.start(config.kafkaBootstrapServers(),
                    config.workerId() + "-finished-jobs");
            opened.push(finishedJobs);
            JobConsumerLoop loop = new JobConsumerLoop(options, handler, publisher, finishedJobs);
            opened.push(loop);
            LOG.info("render worker {} runs model {} {} ({}) on {} (asked for {}); jobs from {} in group {}, "
                            + "outputs to {} bucket {}", config.workerId(), manifest.name(), manifest.version(),
                    modelDir, model.executionProvider(), config.executionProvider(), config.kafkaBootstrapServers(),
                    config.groupId(), config.s3Endpoint(), config.s3Bucket());
            loop.start();
            return new RenderWorker(config, model, loop, opened);
        } catch (IOException e) {
            closeAll(opened);
            throw new UncheckedIOException("cannot create the work directory " + config.workDir(), e);
        } catch (RuntimeException | Error e) {
            closeAll(opened);
            throw e;
        }
    }

    /** The limits requests are validated against: the defaults, knowing only this worker's model. */
    static ValidationLimits limitsOf(ModelManifest manifest) {
        ModelConfig c = manifest.config();
        return ValidationLimits.builder()
                .model(new ModelLimits(manifest.name(), c.zDim(), c.motionDim(), c.outputResolution()))
                .build();
    }

    public String workerId() {
        return config.workerId();
    }

    /** The model this worker runs. */
    public ModelManifest model() {
        return model.manifest();
    }

    /** Where the model runs: CUDA when it attached, else CPU. */
    public ExecutionProvider executionProvider() {
        return model.executionProvider();
    }

    /** Completes when the consumer loop has ended; exceptionally if an Error ended it. */
    public CompletableFuture<Void> terminated() {
        return loop.terminated();
    }

    /** Stops consuming (a running job gets the shutdown grace), then closes the publisher, uploader and model. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(resources);
        LOG.info("render worker {} closed", config.workerId());
    }

    /** Closes in reverse order of opening; one failure does not keep the rest open. */
    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resource, e.toString());
            }
        }
    }
}
