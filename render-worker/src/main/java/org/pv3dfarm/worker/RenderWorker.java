package org.pv3dfarm.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.ModelConfig;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.ModelLimits;
import org.pv3dfarm.protocol.ValidationLimits;
import org.pv3dfarm.worker.face.BlazeFaceDetector;
import org.pv3dfarm.worker.face.FaceDetector;
import org.pv3dfarm.worker.face.FaceDetectorOptions;
import org.pv3dfarm.worker.face.PortraitPreparer;
import org.pv3dfarm.worker.media.MediaLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running render worker: the model opened once, the object store uploader, the event publisher, and
 * {@link WorkerConfig#concurrentJobs(int)} {@link JobConsumerLoop}s (one consumer of the group each, client ids
 * {@code workerId-0, -1, …} when more than one; events name the worker) running, per job kind it serves
 * ({@link WorkerConfig#kinds()}), the kind's handler behind a {@link KindDispatchingHandler}; the graph calls of
 * all of them meet in one {@link BatchingGeneratorGraphs}, so that jobs in flight share batched runs; the loops take
 * their first jobs once all of them joined the group ({@link StartBarrier}). Wired
 * from a {@link WorkerConfig}. The process ({@link RenderWorkerMain}) and the embedded farm start it the same way:
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
 * As a {@link WorkerProbe} it reports to the process' health endpoint; {@link #drain()} is {@link #close()}.
 */
public final class RenderWorker implements AutoCloseable, WorkerProbe {

    private static final Logger LOG = LoggerFactory.getLogger(RenderWorker.class);
    /**
     * How long the first loop to join waits for its siblings before it takes jobs anyway: a classic group's join
     * completes once every member polls again, which the loops do every poll timeout, so seconds are the norm.
     */
    static final Duration START_BARRIER_BOUND = Duration.ofSeconds(30);

    private final WorkerConfig config;
    private final Pv3dModel model;
    private final BatchingGeneratorGraphs graphs;
    private final List<JobConsumerLoop> loops;
    private final Deque<AutoCloseable> resources;
    private boolean closed;
    /** Set as a stop begins (before the synchronized close), so readiness turns off at once. */
    private volatile boolean stopping;

    private RenderWorker(WorkerConfig config, Pv3dModel model, BatchingGeneratorGraphs graphs,
            List<JobConsumerLoop> loops, Deque<AutoCloseable> resources) {
        this.config = config;
        this.model = model;
        this.graphs = graphs;
        this.loops = List.copyOf(loops);
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
            int lanes = config.inferenceLanes(model.executionProvider());
            BatchingGeneratorGraphs graphs = new BatchingGeneratorGraphs(GeneratorGraphs.of(model),
                    config.synthesisBatching(lanes), config.viewBatching(lanes), new InferenceLanes(lanes));
            opened.push(graphs);
            // One watcher of the events topic serves every loop: cancellations and completed jobs.
            FinishedJobsWatcher finishedJobs = FinishedJobsWatcher.start(config.kafkaBootstrapServers(),
                    config.workerId() + "-finished-jobs");
            opened.push(finishedJobs);
            FaceDetector faces = null;
            if (!config.kinds().equals(EnumSet.of(JobKind.GENERATE))) {
                // the inversion kinds detect faces; one detector (an ORT session) serves every loop
                faces = BlazeFaceDetector.open(FaceDetectorOptions.defaults());
                opened.push(faces);
            }
            List<JobConsumerLoop> loops = new ArrayList<>();
            int jobsInFlight = config.concurrentJobs(lanes);
            StartBarrier startBarrier = StartBarrier.of(jobsInFlight, START_BARRIER_BOUND);
            for (int slot = 0; slot < jobsInFlight; slot++) {
                // One consumer per job in flight; their graph calls meet in the shared batcher.
                WorkerOptions slotOptions = jobsInFlight == 1 ? options
                        : config.workerOptions(limitsOf(manifest), config.workerId() + "-" + slot);
                ClipWriter writer = new ClipWriter(graphs, DensityGraph.of(model), manifest,
                        model.executionProvider().name(), uploader, config.workDir(), config.batchFrames(),
                        config.pipelineDepth());
                JobHandler handler = handler(config.kinds(), writer, model, graphs, uploader, faces, config.workDir(),
                        config.inputLimits());
                JobConsumerLoop loop = new JobConsumerLoop(slotOptions, handler, publisher, finishedJobs, startBarrier);
                opened.push(loop);
                loops.add(loop);
            }
            LOG.info("render worker {} runs model {} {} ({}) on {} (asked for {}); jobs from {} in group {}, "
                            + "outputs to {} bucket {}", config.workerId(), manifest.name(), manifest.version(),
                    modelDir, model.executionProvider(), config.executionProvider(), config.kafkaBootstrapServers(),
                    config.groupId(), config.s3Endpoint(), config.s3Bucket());
            LOG.info("render worker {}: {} jobs in flight, {} inference lanes, synthesis batching {}, view batching {}",
                    config.workerId(), jobsInFlight, graphs.lanes().count(),
                    config.synthesisBatching(lanes), config.viewBatching(lanes));
            loops.forEach(JobConsumerLoop::start);
            return new RenderWorker(config, model, graphs, loops, opened);
        } catch (IOException e) {
            closeAll(opened);
            throw new UncheckedIOException("cannot create the work directory " + config.workDir(), e);
        } catch (RuntimeException | Error e) {
            closeAll(opened);
            throw e;
        }
    }

    /** One handler per kind served, behind a dispatcher; faces is null when only generate jobs are served. */
    static JobHandler handler(Set<JobKind> kinds, ClipWriter writer, Pv3dModel model, GeneratorGraphs graphs,
            ObjectReader reader, FaceDetector faces, Path workDir, MediaLimits inputLimits) {
        Map<JobKind, JobHandler> handlers = new EnumMap<>(JobKind.class);
        if (kinds.contains(JobKind.GENERATE)) {
            handlers.put(JobKind.GENERATE, new GenerateJobHandler(writer));
        }
        if (faces != null) {
            FaceInputs inputs = new MediaFaceInputs(inputLimits, new PortraitPreparer(faces,
                    model.manifest().config().outputResolution()));
            InversionJobs jobs = new InversionJobs(writer, new JobInputs(reader, model.manifest(),
                    inputLimits.maxBytes()), inputs, model, workDir);
            putIf(handlers, kinds, JobKind.ANIMATE, new AnimateJobHandler(jobs));
            putIf(handlers, kinds, JobKind.RECONSTRUCT, new ReconstructJobHandler(jobs));
            putIf(handlers, kinds, JobKind.RETARGET, new RetargetJobHandler(jobs));
            putIf(handlers, kinds, JobKind.EDIT, new EditJobHandler(jobs));
        }
        return new KindDispatchingHandler(handlers);
    }

    private static void putIf(Map<JobKind, JobHandler> handlers, Set<JobKind> kinds, JobKind kind,
            JobHandler handler) {
        if (kinds.contains(kind)) {
            handlers.put(kind, handler);
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

    /** Completes when every consumer loop has ended; exceptionally as soon as an Error ended one. */
    public CompletableFuture<Void> terminated() {
        return CompletableFuture.allOf(loops.stream().map(JobConsumerLoop::terminated)
                .toArray(CompletableFuture[]::new));
    }

    /** The dynamic batcher's figures so far: runs and items of synthesis, render and super-resolution. */
    public BatchingGeneratorGraphs graphs() {
        return graphs;
    }

    /** How many of the consumer loops have ended (0 while the worker runs: a loop ends only at close or on an Error). */
    public long endedLoops() {
        return loops.stream().filter(l -> l.terminated().isDone()).count();
    }

    /** Live while no consumer loop has died of an error. */
    @Override
    public boolean live() {
        return loops.stream().noneMatch(l -> l.terminated().isCompletedExceptionally());
    }

    /** Ready while not stopping and every consumer loop runs. */
    @Override
    public boolean ready() {
        return !stopping && loops.stream().noneMatch(l -> l.terminated().isDone());
    }

    /** {@link #close()}: the running job finishes within the grace and is committed, or is released. */
    @Override
    public void drain() {
        close();
    }

    @Override
    public Map<String, String> info() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("worker", config.workerId());
        info.put("group", config.groupId());
        info.put("model", model.manifest().name());
        info.put("model_version", model.manifest().version());
        info.put("execution_provider", model.executionProvider().name());
        info.put("concurrent_jobs", Integer.toString(loops.size()));
        info.put("kinds", String.join(",", config.kinds().stream().sorted().map(JobKind::wireName).toList()));
        return info;
    }

    /** Stops consuming (a running job gets the shutdown grace), then closes the publisher, uploader and model. */
    @Override
    public void close() {
        stopping = true;
        closeOnce();
    }

    private synchronized void closeOnce() {
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
