package org.pv3dfarm.worker;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.ValidationLimits;
import org.pv3dfarm.worker.media.MediaLimits;

/**
 * Everything a render worker process is configured with. Immutable; {@link #builder()} validates each value and
 * names what it rejects. {@link #fromSystem()} reads the process' system properties and environment (a system
 * property wins over its environment variable, as in the job API's configuration):
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>environment variable</th><th>system property</th><th>default</th></tr>
 *   <tr><td>PV3D_KAFKA_BOOTSTRAP_SERVERS</td><td>pv3d.kafka.bootstrap-servers</td><td>localhost:9092</td></tr>
 *   <tr><td>PV3D_S3_ENDPOINT</td><td>pv3d.s3.endpoint</td><td>http://localhost:9000</td></tr>
 *   <tr><td>PV3D_S3_ACCESS_KEY</td><td>pv3d.s3.access-key</td><td>pv3d</td></tr>
 *   <tr><td>PV3D_S3_SECRET_KEY</td><td>pv3d.s3.secret-key</td><td>pv3d-secret</td></tr>
 *   <tr><td>PV3D_S3_BUCKET</td><td>pv3d.s3.bucket</td><td>pv3d</td></tr>
 *   <tr><td>PV3D_MODEL_DIR</td><td>pv3d.model.dir</td><td>the committed demo model (from the classpath)</td></tr>
 *   <tr><td>PV3D_MODEL_CACHE</td><td>pv3d.model.cache</td><td>java.io.tmpdir/pv3d-models (where a packaged
 *       model is extracted)</td></tr>
 *   <tr><td>PV3D_EXECUTION_PROVIDER</td><td>pv3d.execution-provider</td><td>auto (auto, cpu or cuda)</td></tr>
 *   <tr><td>PV3D_CUDA_DEVICE</td><td>pv3d.cuda-device</td><td>0</td></tr>
 *   <tr><td>PV3D_INTRA_OP_THREADS</td><td>pv3d.intra-op-threads</td><td>0 (unset: cores ÷ inference lanes, so 1
 *       when neither is set; see {@link InferenceLayout})</td></tr>
 *   <tr><td>PV3D_WORKER_INFERENCE_LANES</td><td>pv3d.worker.inference-lanes</td><td>0 (unset: cores ÷ intra-op
 *       threads, so one per core when neither is set): graph runs that may execute at once</td></tr>
 *   <tr><td>PV3D_INTER_OP_THREADS</td><td>pv3d.inter-op-threads</td><td>0</td></tr>
 *   <tr><td>PV3D_WORKER_ID</td><td>pv3d.worker.id</td><td>worker-HOSTNAME, else worker-PID</td></tr>
 *   <tr><td>PV3D_WORKER_GROUP_ID</td><td>pv3d.worker.group-id</td><td>pv3d-render-worker</td></tr>
 *   <tr><td>PV3D_WORKER_BATCH_FRAMES</td><td>pv3d.worker.batch-frames</td><td>4</td></tr>
 *   <tr><td>PV3D_WORKER_CONCURRENT_JOBS</td><td>pv3d.worker.concurrent-jobs</td><td>inference lanes + 1 (jobs in
 *       flight, whose graph calls the dynamic batcher combines; one more than the lanes, so a lane has a job's
 *       batch to run while another job starts or finishes)</td></tr>
 *   <tr><td>PV3D_WORKER_BATCH_MAX_FRAMES</td><td>pv3d.worker.batch-max-frames</td><td>synthesis items per run:
 *       8 with one inference lane; with several, PV3D_WORKER_BATCH_FRAMES (a job's batch runs in a lane of its own
 *       instead of two jobs' batches in one lane)</td></tr>
 *   <tr><td>PV3D_WORKER_BATCH_MAX_VIEWS</td><td>pv3d.worker.batch-max-views</td><td>render and super-resolution
 *       items per run: 16 with one inference lane; with several, PV3D_WORKER_BATCH_FRAMES</td></tr>
 *   <tr><td>PV3D_WORKER_BATCH_QUEUE_DELAY</td><td>pv3d.worker.batch-queue-delay</td><td>5ms</td></tr>
 *   <tr><td>PV3D_WORKER_PIPELINE_DEPTH</td><td>pv3d.worker.pipeline-depth</td><td>2 (rendered batches waiting
 *       for the encoder before inference waits)</td></tr>
 *   <tr><td>PV3D_MEMORY_ARENA</td><td>pv3d.memory-arena</td><td>true</td></tr>
 *   <tr><td>PV3D_WORKER_WORK_DIR</td><td>pv3d.worker.work-dir</td><td>java.io.tmpdir</td></tr>
 *   <tr><td>PV3D_WORKER_KINDS</td><td>pv3d.worker.kinds</td><td>every kind (comma-separated: generate, animate,
 *       reconstruct, retarget, edit; the worker consumes their normal, high-priority and retry topics)</td></tr>
 *   <tr><td>PV3D_WORKER_SHUTDOWN_GRACE</td><td>pv3d.worker.shutdown-grace</td><td>30s</td></tr>
 *   <tr><td>PV3D_WORKER_RETRY_MAX_ATTEMPTS</td><td>pv3d.worker.retry.max-attempts</td><td>3 (attempts of a job
 *       that fails with a retryable error, 1..100; then the dead-letter topic)</td></tr>
 *   <tr><td>PV3D_WORKER_RETRY_INITIAL_BACKOFF</td><td>pv3d.worker.retry.initial-backoff</td><td>1s (the pause before
 *       the first retry; it doubles per retry, with jitter, see {@link RetryPolicy})</td></tr>
 *   <tr><td>PV3D_WORKER_RETRY_MAX_BACKOFF</td><td>pv3d.worker.retry.max-backoff</td><td>30s (the longest pause,
 *       at least the initial one, at most 1h)</td></tr>
 *   <tr><td>PV3D_WORKER_INPUT_MAX_BYTES</td><td>pv3d.worker.input.max-bytes</td><td>67108864 (64 MiB; an
 *       uploaded image or video read by an inversion job, see {@link MediaLimits})</td></tr>
 *   <tr><td>PV3D_WORKER_INPUT_MAX_PIXELS</td><td>pv3d.worker.input.max-pixels</td><td>16777216 (4096 × 4096)</td></tr>
 *   <tr><td>PV3D_WORKER_INPUT_MAX_DURATION</td><td>pv3d.worker.input.max-duration</td><td>60s (of a video)</td></tr>
 *   <tr><td>PV3D_WORKER_INPUT_DECODE_TIMEOUT</td><td>pv3d.worker.input.decode-timeout</td><td>60s (reading and
 *       decoding one input)</td></tr>
 *   <tr><td>PV3D_WORKER_HEALTH_PORT</td><td>pv3d.worker.health-port</td><td>none (no health endpoint; 0: any free
 *       port), see {@link WorkerHealthServer}</td></tr>
 * </table>
 * A setting's environment variable is its property in upper case with {@code .} and {@code -} as {@code _}.
 * Durations are {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}).
 */
public final class WorkerConfig {

    /** One setting: its system property, from which its environment variable follows. */
    public enum Setting {
        KAFKA_BOOTSTRAP_SERVERS("pv3d.kafka.bootstrap-servers"),
        S3_ENDPOINT("pv3d.s3.endpoint"),
        S3_ACCESS_KEY("pv3d.s3.access-key"),
        S3_SECRET_KEY("pv3d.s3.secret-key"),
        S3_BUCKET("pv3d.s3.bucket"),
        MODEL_DIR(ModelLocator.MODEL_DIR_PROPERTY),
        MODEL_CACHE(ModelLocator.CACHE_DIR_PROPERTY),
        EXECUTION_PROVIDER("pv3d.execution-provider"),
        CUDA_DEVICE("pv3d.cuda-device"),
        INTRA_OP_THREADS("pv3d.intra-op-threads"),
        INFERENCE_LANES("pv3d.worker.inference-lanes"),
        INTER_OP_THREADS("pv3d.inter-op-threads"),
        WORKER_ID("pv3d.worker.id"),
        GROUP_ID("pv3d.worker.group-id"),
        BATCH_FRAMES("pv3d.worker.batch-frames"),
        CONCURRENT_JOBS("pv3d.worker.concurrent-jobs"),
        BATCH_MAX_FRAMES("pv3d.worker.batch-max-frames"),
        BATCH_MAX_VIEWS("pv3d.worker.batch-max-views"),
        BATCH_QUEUE_DELAY("pv3d.worker.batch-queue-delay"),
        PIPELINE_DEPTH("pv3d.worker.pipeline-depth"),
        MEMORY_ARENA("pv3d.memory-arena"),
        WORK_DIR("pv3d.worker.work-dir"),
        KINDS("pv3d.worker.kinds"),
        SHUTDOWN_GRACE("pv3d.worker.shutdown-grace"),
        RETRY_MAX_ATTEMPTS("pv3d.worker.retry.max-attempts"),
        RETRY_INITIAL_BACKOFF("pv3d.worker.retry.initial-backoff"),
        RETRY_MAX_BACKOFF("pv3d.worker.retry.max-backoff"),
        INPUT_MAX_BYTES("pv3d.worker.input.max-bytes"),
        INPUT_MAX_PIXELS("pv3d.worker.input.max-pixels"),
        INPUT_MAX_DURATION("pv3d.worker.input.max-duration"),
        INPUT_DECODE_TIMEOUT("pv3d.worker.input.decode-timeout"),
        HEALTH_PORT("pv3d.worker.health-port");

        private final String property;

        Setting(String property) {
            this.property = property;
        }

        public String property() {
            return property;
        }

        public String environmentVariable() {
            return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final URI DEFAULT_S3_ENDPOINT = URI.create("http://localhost:9000");
    public static final String DEFAULT_ACCESS_KEY = "pv3d";
    public static final String DEFAULT_SECRET_KEY = "pv3d-secret";
    public static final String DEFAULT_BUCKET = "pv3d";
    public static final String DEFAULT_GROUP_ID = "pv3d-render-worker";
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /** {@link #healthPort()} when no health endpoint is wanted. */
    public static final int NO_HEALTH_PORT = -1;

    private static final Pattern BOOTSTRAP = Pattern.compile("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
    private static final int MAX_THREADS = 1024;

    private final String kafkaBootstrapServers;
    private final URI s3Endpoint;
    private final String s3AccessKey;
    private final String s3SecretKey;
    private final String s3Bucket;
    private final Path modelDir;
    private final Path modelCache;
    private final ExecutionProvider executionProvider;
    private final int cudaDevice;
    private final int intraOpThreads;
    private final int inferenceLanes;
    private final int interOpThreads;
    private final String workerId;
    private final String groupId;
    private final int batchFrames;
    private final int concurrentJobs;
    private final int batchMaxFrames;
    private final int batchMaxViews;
    private final Duration batchQueueDelay;
    private final int pipelineDepth;
    private final boolean memoryArena;
    private final Path workDir;
    private final Set<JobKind> kinds;
    private final Duration shutdownGrace;
    private final RetryPolicy jobRetry;
    private final MediaLimits inputLimits;
    private final int healthPort;

    private WorkerConfig(Builder b) {
        this.kafkaBootstrapServers = b.kafkaBootstrapServers;
        this.s3Endpoint = b.s3Endpoint;
        this.s3AccessKey = b.s3AccessKey;
        this.s3SecretKey = b.s3SecretKey;
        this.s3Bucket = b.s3Bucket;
        this.modelDir = b.modelDir;
        this.modelCache = b.modelCache;
        this.executionProvider = b.executionProvider;
        this.cudaDevice = b.cudaDevice;
        this.intraOpThreads = b.intraOpThreads;
        this.inferenceLanes = b.inferenceLanes;
        this.interOpThreads = b.interOpThreads;
        this.workerId = b.workerId;
        this.groupId = b.groupId;
        this.batchFrames = b.batchFrames;
        this.concurrentJobs = b.concurrentJobs;
        this.batchMaxFrames = b.batchMaxFrames;
        this.batchMaxViews = b.batchMaxViews;
        this.batchQueueDelay = b.batchQueueDelay;
        this.pipelineDepth = b.pipelineDepth;
        this.memoryArena = b.memoryArena;
        this.workDir = b.workDir;
        this.kinds = Set.copyOf(b.kinds);
        this.shutdownGrace = b.shutdownGrace;
        this.jobRetry = b.jobRetry();
        this.inputLimits = b.inputLimits.build();
        this.healthPort = b.healthPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configuration of this process: its system properties over its environment over the defaults. */
    public static WorkerConfig fromSystem() {
        Properties properties = System.getProperties();
        Map<String, String> props = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            props.put(name, properties.getProperty(name));
        }
        return from(System.getenv(), props);
    }

    /** The configuration from environment variables alone (see the class comment for names and defaults). */
    public static WorkerConfig fromEnvironment(Map<String, String> environment) {
        return from(environment, Map.of());
    }

    /**
     * The configuration from environment variables and system properties; a property wins over its variable.
     * Blank values count as unset.
     *
     * @throws IllegalArgumentException naming the variable or property whose value is invalid
     */
    public static WorkerConfig from(Map<String, String> environment, Map<String, String> systemProperties) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(systemProperties, "systemProperties");
        Source source = new Source(environment, systemProperties);
        Builder b = builder();
        source.apply(Setting.KAFKA_BOOTSTRAP_SERVERS, b::kafkaBootstrapServers);
        source.apply(Setting.S3_ENDPOINT, value -> b.s3Endpoint(uri(value)));
        source.apply(Setting.S3_ACCESS_KEY, b::s3AccessKey);
        source.apply(Setting.S3_SECRET_KEY, b::s3SecretKey);
        source.apply(Setting.S3_BUCKET, b::s3Bucket);
        source.apply(Setting.MODEL_DIR, value -> b.modelDir(path(value)));
        source.apply(Setting.MODEL_CACHE, value -> b.modelCache(path(value)));
        source.apply(Setting.EXECUTION_PROVIDER, value -> b.executionProvider(provider(value)));
        source.apply(Setting.CUDA_DEVICE, value -> b.cudaDevice(integer(value)));
        source.apply(Setting.INTRA_OP_THREADS, value -> b.intraOpThreads(integer(value)));
        source.apply(Setting.INFERENCE_LANES, value -> b.inferenceLanes(integer(value)));
        source.apply(Setting.INTER_OP_THREADS, value -> b.interOpThreads(integer(value)));
        source.apply(Setting.GROUP_ID, b::groupId);
        source.apply(Setting.BATCH_FRAMES, value -> b.batchFrames(integer(value)));
        source.apply(Setting.CONCURRENT_JOBS, value -> b.concurrentJobs(integer(value)));
        source.apply(Setting.BATCH_MAX_FRAMES, value -> b.batchMaxFrames(integer(value)));
        source.apply(Setting.BATCH_MAX_VIEWS, value -> b.batchMaxViews(integer(value)));
        source.apply(Setting.BATCH_QUEUE_DELAY, value -> b.batchQueueDelay(duration(value)));
        source.apply(Setting.PIPELINE_DEPTH, value -> b.pipelineDepth(integer(value)));
        source.apply(Setting.MEMORY_ARENA, value -> b.memoryArena(bool(value)));
        source.apply(Setting.WORK_DIR, value -> b.workDir(path(value)));
        source.apply(Setting.KINDS, value -> b.kinds(kinds(value)));
        source.apply(Setting.SHUTDOWN_GRACE, value -> b.shutdownGrace(duration(value)));
        source.apply(Setting.RETRY_MAX_ATTEMPTS, value -> b.retryMaxAttempts(integer(value)));
        source.apply(Setting.RETRY_INITIAL_BACKOFF, value -> b.retryInitialBackoff(duration(value)));
        source.apply(Setting.RETRY_MAX_BACKOFF, value -> b.retryMaxBackoff(duration(value)));
        // Each input limit is checked as it is set (MediaLimits validates on build), so the error names its setting.
        source.apply(Setting.INPUT_MAX_BYTES, value -> b.inputLimits.maxBytes(longInteger(value)).build());
        source.apply(Setting.INPUT_MAX_PIXELS, value -> b.inputLimits.maxPixels(longInteger(value)).build());
        source.apply(Setting.INPUT_MAX_DURATION, value -> b.inputLimits.maxDuration(duration(value)).build());
        source.apply(Setting.INPUT_DECODE_TIMEOUT, value -> b.inputLimits.timeout(duration(value)).build());
        source.apply(Setting.HEALTH_PORT, value -> b.healthPort(integer(value)));
        if (!source.apply(Setting.WORKER_ID, b::workerId)) {
            b.workerId(defaultWorkerId(environment.get("HOSTNAME")));
        }
        return b.build();
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public String s3AccessKey() {
        return s3AccessKey;
    }

    public String s3SecretKey() {
        return s3SecretKey;
    }

    public String s3Bucket() {
        return s3Bucket;
    }

    /** The model directory, or empty for the committed demo model packaged on the classpath. */
    public Optional<Path> modelDir() {
        return Optional.ofNullable(modelDir);
    }

    /** Where a model packaged in a jar is extracted, or empty for {@code java.io.tmpdir/pv3d-models}. */
    public Optional<Path> modelCache() {
        return Optional.ofNullable(modelCache);
    }

    public ExecutionProvider executionProvider() {
        return executionProvider;
    }

    public int cudaDevice() {
        return cudaDevice;
    }

    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** Configured inference lanes; 0 when unset (see {@link #inferenceLayout()}). */
    public int inferenceLanes() {
        return inferenceLanes;
    }

    /** Intra-op threads and inference lanes for this machine's cores, from the two settings. */
    public InferenceLayout inferenceLayout() {
        return InferenceLayout.of(Runtime.getRuntime().availableProcessors(), intraOpThreads, inferenceLanes);
    }

    public int interOpThreads() {
        return interOpThreads;
    }

    public String workerId() {
        return workerId;
    }

    public String groupId() {
        return groupId;
    }

    public int batchFrames() {
        return batchFrames;
    }

    /** Configured jobs in flight; 0 when unset (see {@link #concurrentJobs(int)}). */
    public int concurrentJobs() {
        return concurrentJobs;
    }

    /**
     * Jobs in flight at once (one consumer each) beside {@code lanes} inference lanes: the configured number, else
     * {@code lanes + 1}. A job spends part of its life outside inference (polling, its plan, the last batch's
     * encoding and upload, the manifest and events), so with one job per lane a lane idles then; measured on 2 cores
     * (docs/benchmarks.md): 2 lanes with 3 jobs 32–38 frames/s, with 2 jobs 26–31, at the same CPU per frame.
     */
    public int concurrentJobs(int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, was " + lanes);
        }
        return concurrentJobs > 0 ? concurrentJobs : lanes + 1;
    }

    /** Rendered batches a job may have waiting for its encoder before its inference waits (backpressure). */
    public int pipelineDepth() {
        return pipelineDepth;
    }

    /** The job kinds this worker runs (and whose topics it consumes). */
    public Set<JobKind> kinds() {
        return kinds;
    }

    /** Synthesis batching over (job, frame) items, with this configuration's lanes. */
    public BatchingPolicy synthesisBatching() {
        return synthesisBatching(inferenceLayout().lanes());
    }

    /** Render and super-resolution batching over (job, frame, view) items, with this configuration's lanes. */
    public BatchingPolicy viewBatching() {
        return viewBatching(inferenceLayout().lanes());
    }

    /**
     * Synthesis batching for a worker with {@code lanes} inference lanes. Unless set, the most items a run takes
     * are 8 with one lane; with several, a job's batch ({@link #batchFrames()}): on a CPU a bigger batch costs as
     * much per item or more (docs/benchmarks.md, issue 5), so two jobs' batches run side by side in two lanes
     * rather than one after the other in one run, and a job's batch (a preferred size) never waits for company.
     */
    public BatchingPolicy synthesisBatching(int lanes) {
        int max = batchMaxFrames != 0 ? batchMaxFrames : lanes > 1 ? batchFrames : 8;
        return BatchingPolicy.builder().maxBatchSize(max).maxQueueDelay(batchQueueDelay).build();
    }

    /** Render and super-resolution batching for {@code lanes} lanes: unless set, 16 items, or with several lanes a job's batch. */
    public BatchingPolicy viewBatching(int lanes) {
        int max = batchMaxViews != 0 ? batchMaxViews : lanes > 1 ? batchFrames : 16;
        return BatchingPolicy.builder().maxBatchSize(max).maxQueueDelay(batchQueueDelay).build();
    }

    /**
     * The inference lanes of a worker whose model runs on {@code provider}: the layout's, except that a CUDA
     * worker keeps one lane unless {@code PV3D_WORKER_INFERENCE_LANES} is set (a GPU runs one graph at a time well).
     */
    public int inferenceLanes(ExecutionProvider provider) {
        return provider == ExecutionProvider.CUDA && inferenceLanes == 0 ? 1 : inferenceLayout().lanes();
    }

    /** Where each job's temporary directory is made. */
    public Path workDir() {
        return workDir;
    }

    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** Attempts and pauses of jobs that fail with a retryable error (then the dead-letter topic). */
    public RetryPolicy jobRetry() {
        return jobRetry;
    }

    /** What an inversion job's uploaded image or video may be (size, pixels, duration, decode time). */
    public MediaLimits inputLimits() {
        return inputLimits;
    }

    /** The port of the process' health and metrics endpoint, or {@link #NO_HEALTH_PORT}; 0: any free port. */
    public int healthPort() {
        return healthPort;
    }

    /**
     * The directory of the model to run: {@link #modelDir()}, or else the demo model packaged on the classpath
     * (extracted into {@link #modelCache()} when it sits inside a jar).
     *
     * @throws IllegalArgumentException when the configured model directory is not a directory
     */
    public Path resolveModelDirectory() {
        if (modelDir != null) {
            if (!Files.isDirectory(modelDir)) {
                throw new IllegalArgumentException("the model directory " + modelDir + " (" + Setting.MODEL_DIR
                        .environmentVariable() + " / " + Setting.MODEL_DIR.property() + ") is not a directory");
            }
            return modelDir;
        }
        // Only this configuration counts: the locator must not read the process environment behind its back.
        Function<String, String> properties = name -> name.equals(ModelLocator.CACHE_DIR_PROPERTY) && modelCache != null
                ? modelCache.toString() : null;
        return new ModelLocator(properties, name -> null, WorkerConfig.class.getClassLoader())
                .classpathModel(ModelLocator.DEFAULT_MODEL);
    }

    /**
     * ONNX Runtime session settings from this configuration. Sessions are created when the model opens, so a
     * worker with a broken model fails at start, not on its first job.
     */
    public ModelOptions modelOptions() {
        return ModelOptions.builder()
                .executionProvider(executionProvider)
                .cudaDeviceId(cudaDevice)
                .intraOpThreads(inferenceLayout().intraOpThreads())
                .interOpThreads(interOpThreads)
                .memoryArena(memoryArena)
                .eagerSessions(true)
                .build();
    }

    /** The consumer loop's options: this worker's id, group, broker and shutdown grace, with these limits. */
    public WorkerOptions workerOptions(ValidationLimits limits) {
        return workerOptions(limits, workerId);
    }

    /**
     * The options of one of this worker's consumer loops (one per job in flight): the worker's id in events, the
     * consumer's own client id.
     */
    public WorkerOptions workerOptions(ValidationLimits limits, String clientId) {
        return WorkerOptions.builder()
                .bootstrapServers(kafkaBootstrapServers)
                .groupId(groupId)
                .workerId(workerId)
                .clientId(clientId)
                .shutdownGrace(shutdownGrace)
                .kinds(kinds)
                .jobRetry(jobRetry)
                .limits(limits)
                .build();
    }

    /** Every setting but the secret key, which is never printed. */
    @Override
    public String toString() {
        return "WorkerConfig[kafka=" + kafkaBootstrapServers + ", s3=" + s3Endpoint + ", bucket=" + s3Bucket
                + ", accessKey=" + s3AccessKey + ", secretKey=***, model=" + (modelDir == null ? "(demo, packaged)"
                : modelDir) + ", executionProvider=" + executionProvider + ", cudaDevice=" + cudaDevice
                + ", intraOpThreads=" + intraOpThreads + ", inferenceLanes=" + inferenceLanes + ", interOpThreads=" + interOpThreads + ", workerId="
                + workerId + ", groupId=" + groupId + ", batchFrames=" + batchFrames + ", concurrentJobs="
                + concurrentJobs + ", batchMaxFrames=" + batchMaxFrames + ", batchMaxViews=" + batchMaxViews
                + ", batchQueueDelay=" + batchQueueDelay
                + ", pipelineDepth=" + pipelineDepth + ", kinds=" + kinds + ", memoryArena=" + memoryArena
                + ", workDir=" + workDir + ", shutdownGrace=" + shutdownGrace + ", jobRetry=" + jobRetry
                + ", inputLimits=" + inputLimits
                + ", healthPort=" + healthPort + "]";
    }

    /** {@code worker-HOST} from a host name (letters, digits, {@code . _ -} kept), or {@code worker-PID}. */
    static String defaultWorkerId(String hostName) {
        String host = hostName == null ? "" : hostName.replaceAll("[^A-Za-z0-9._-]", "");
        String id = "worker-" + (host.isEmpty() ? String.valueOf(ManagementFactory.getRuntimeMXBean().getPid()) : host);
        return id.length() > 128 ? id.substring(0, 128) : id;
    }

    private static URI uri(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be a URL like http://host:9000, was '" + value + "'", e);
        }
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("must be a path, was '" + value + "': " + e.getMessage(), e);
        }
    }

    private static long longInteger(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer, was '" + value + "'", e);
        }
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer, was '" + value + "'", e);
        }
    }

    private static Set<JobKind> kinds(String value) {
        Set<JobKind> kinds = EnumSet.noneOf(JobKind.class);
        for (String name : value.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            JobKind kind = JobKind.fromWireName(name.trim().toLowerCase(Locale.ROOT));
            if (kind == null) {
                throw new IllegalArgumentException("unknown job kind '" + name.trim() + "'; known: "
                        + Arrays.stream(JobKind.values()).map(JobKind::wireName).toList());
            }
            kinds.add(kind);
        }
        return kinds;
    }

    private static boolean bool(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("must be true or false, was '" + value + "'");
        };
    }

    private static ExecutionProvider provider(String value) {
        try {
            return ExecutionProvider.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be auto, cpu or cuda, was '" + value + "'", e);
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601. */
    static Duration duration(String value) {
        String text = value.trim();
        Matcher short_ = SHORT_DURATION.matcher(text);
        if (short_.matches()) {
            long amount = Long.parseLong(short_.group(1));
            String unit = short_.group(2) == null ? "s" : short_.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be a duration like 30s, 500ms, 2m or PT30S, was '" + value + "'",
                    e);
        }
    }

    /** Where each setting's value comes from, and the name to blame when it is wrong. */
    private record Source(Map<String, String> environment, Map<String, String> properties) {

        /** Passes the setting's value, if set, to the setter; true if it was set. */
        boolean apply(Setting setting, Consumer<String> setter) {
            String value = properties.get(setting.property());
            String origin = "system property " + setting.property();
            if (value == null || value.isBlank()) {
                value = environment.get(setting.environmentVariable());
                origin = "environment variable " + setting.environmentVariable();
            }
            if (value == null || value.isBlank()) {
                return false;
            }
            try {
                setter.accept(value.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
            }
            return true;
        }
    }

    /**
     * Builds a {@link WorkerConfig}; each setter throws {@link IllegalArgumentException} naming the field and the
     * rule it breaks. Defaults as in the class comment.
     */
    public static final class Builder {
        private String kafkaBootstrapServers = DEFAULT_BOOTSTRAP_SERVERS;
        private URI s3Endpoint = DEFAULT_S3_ENDPOINT;
        private String s3AccessKey = DEFAULT_ACCESS_KEY;
        private String s3SecretKey = DEFAULT_SECRET_KEY;
        private String s3Bucket = DEFAULT_BUCKET;
        private Path modelDir;
        private Path modelCache;
        private ExecutionProvider executionProvider = ExecutionProvider.AUTO;
        private int cudaDevice;
        private int intraOpThreads;
        private int inferenceLanes;
        private int interOpThreads;
        private String workerId = defaultWorkerId(null);
        private String groupId = DEFAULT_GROUP_ID;
        private int batchFrames = FrameRenderer.DEFAULT_BATCH_FRAMES;
        private int concurrentJobs;
        private int batchMaxFrames;
        private int batchMaxViews;
        private Duration batchQueueDelay = Duration.ofMillis(5);
        private int pipelineDepth = 2;
        private boolean memoryArena = true;
        private Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
        private Set<JobKind> kinds = EnumSet.allOf(JobKind.class);
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private int retryMaxAttempts = WorkerOptions.DEFAULT_JOB_RETRY.maxAttempts();
        private Duration retryInitialBackoff = WorkerOptions.DEFAULT_JOB_RETRY.initialBackoff();
        private Duration retryMaxBackoff = WorkerOptions.DEFAULT_JOB_RETRY.maxBackoff();
        private int healthPort = NO_HEALTH_PORT;
        // Validated by MediaLimits' own builder, setting by setting.
        private final MediaLimits.Builder inputLimits = MediaLimits.defaults().toBuilder();

        private Builder() {
        }

        /** {@code host:port[,host:port...]}. */
        public Builder kafkaBootstrapServers(String value) {
            Objects.requireNonNull(value, "kafkaBootstrapServers");
            if (!BOOTSTRAP.matcher(value).matches()) {
                throw new IllegalArgumentException("kafkaBootstrapServers must be host:port[,host:port...], was '"
                        + value + "'");
            }
            kafkaBootstrapServers = value;
            return this;
        }

        /** {@code http(s)://host[:port]}, without a path (the bucket is separate). */
        public Builder s3Endpoint(URI value) {
            Objects.requireNonNull(value, "s3Endpoint");
            String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
            boolean pathless = value.getRawPath() == null || value.getRawPath().isEmpty() || value.getRawPath().equals("/");
            if (!(scheme.equals("http") || scheme.equals("https")) || value.getHost() == null || !pathless
                    || value.getRawQuery() != null || value.getRawUserInfo() != null) {
                throw new IllegalArgumentException("s3Endpoint must be http(s)://host[:port] without path, query or "
                        + "credentials, was '" + value + "'");
            }
            s3Endpoint = value;
            return this;
        }

        public Builder s3AccessKey(String value) {
            s3AccessKey = text("s3AccessKey", value);
            return this;
        }

        public Builder s3SecretKey(String value) {
            s3SecretKey = text("s3SecretKey", value);
            return this;
        }

        /** An S3 bucket name: 3..63 characters of a-z 0-9 . -, a letter or digit at both ends. */
        public Builder s3Bucket(String value) {
            Objects.requireNonNull(value, "s3Bucket");
            if (!BUCKET.matcher(value).matches()) {
                throw new IllegalArgumentException("s3Bucket must be 3..63 characters of a-z 0-9 . - with a letter or "
                        + "digit at both ends, was '" + value + "'");
            }
            s3Bucket = value;
            return this;
        }

        /** A model directory (with model.json); {@code null} for the packaged demo model. */
        public Builder modelDir(Path value) {
            modelDir = value;
            return this;
        }

        /** Where a packaged model is extracted; {@code null} for the default. */
        public Builder modelCache(Path value) {
            modelCache = value;
            return this;
        }

        public Builder executionProvider(ExecutionProvider value) {
            executionProvider = Objects.requireNonNull(value, "executionProvider");
            return this;
        }

        /** 0 or more. */
        public Builder cudaDevice(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("cudaDevice must be >= 0, was " + value);
            }
            cudaDevice = value;
            return this;
        }

        /** 0 (unset: see {@link InferenceLayout}) .. 1024. */
        public Builder intraOpThreads(int value) {
            intraOpThreads = threads("intraOpThreads", value);
            return this;
        }

        /** 0 (unset: see {@link InferenceLayout}) .. 64. */
        public Builder inferenceLanes(int value) {
            inferenceLanes = within("inferenceLanes", value, 0, 64);
            return this;
        }

        /** 0 (ONNX Runtime's default) .. 1024. */
        public Builder interOpThreads(int value) {
            interOpThreads = threads("interOpThreads", value);
            return this;
        }

        /** 1..128 characters of A-Z a-z 0-9 . _ -. */
        public Builder workerId(String value) {
            workerId = name("workerId", value);
            return this;
        }

        /** 1..128 characters of A-Z a-z 0-9 . _ -. */
        public Builder groupId(String value) {
            groupId = name("groupId", value);
            return this;
        }

        /** 1..{@value FrameRenderer#MAX_BATCH_FRAMES}. */
        public Builder batchFrames(int value) {
            if (value < 1 || value > FrameRenderer.MAX_BATCH_FRAMES) {
                throw new IllegalArgumentException("batchFrames must be 1.." + FrameRenderer.MAX_BATCH_FRAMES
                        + ", was " + value);
            }
            batchFrames = value;
            return this;
        }

        /** 1..64 (unset: inference lanes + 1). */
        public Builder concurrentJobs(int value) {
            concurrentJobs = within("concurrentJobs", value, 1, 64);
            return this;
        }

        /** 1..{@value BatchingPolicy#MAX_BATCH_SIZE}. */
        public Builder batchMaxFrames(int value) {
            batchMaxFrames = within("batchMaxFrames", value, 1, BatchingPolicy.MAX_BATCH_SIZE);
            return this;
        }

        /** 1..{@value BatchingPolicy#MAX_BATCH_SIZE}. */
        public Builder batchMaxViews(int value) {
            batchMaxViews = within("batchMaxViews", value, 1, BatchingPolicy.MAX_BATCH_SIZE);
            return this;
        }

        /** 0..10 s. */
        public Builder batchQueueDelay(Duration value) {
            Objects.requireNonNull(value, "batchQueueDelay");
            if (value.isNegative() || value.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("batchQueueDelay must be 0..10s, was " + value);
            }
            batchQueueDelay = value;
            return this;
        }

        /** At least one kind. */
        public Builder kinds(Set<JobKind> value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("kinds must name at least one job kind");
            }
            kinds = EnumSet.copyOf(value);
            return this;
        }

        /** 1..64. */
        public Builder pipelineDepth(int value) {
            pipelineDepth = within("pipelineDepth", value, 1, 64);
            return this;
        }

        public Builder memoryArena(boolean value) {
            memoryArena = value;
            return this;
        }

        /** Created at start when missing. */
        public Builder workDir(Path value) {
            workDir = Objects.requireNonNull(value, "workDir");
            return this;
        }

        /** 0..1 h: how long a running job may finish after a stop is asked for. */
        public Builder shutdownGrace(Duration value) {
            Objects.requireNonNull(value, "shutdownGrace");
            if (value.isNegative() || value.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("shutdownGrace must be 0..1h, was " + value);
            }
            shutdownGrace = value;
            return this;
        }

        /** 1..100 attempts in all for a job that fails with a retryable error; 1 means no retry. */
        public Builder retryMaxAttempts(int value) {
            retryMaxAttempts = within("retryMaxAttempts", value, 1, 100);
            return this;
        }

        /** 1 ms..1 h: the pause before the first retry (before jitter). */
        public Builder retryInitialBackoff(Duration value) {
            retryInitialBackoff = backoff("retryInitialBackoff", value);
            return this;
        }

        /** 1 ms..1 h, at least {@link #retryInitialBackoff} (checked by {@link #build()}): the longest pause. */
        public Builder retryMaxBackoff(Duration value) {
            retryMaxBackoff = backoff("retryMaxBackoff", value);
            return this;
        }

        /** {@link #NO_HEALTH_PORT}, or 0 (any free port) .. 65535. */
        public Builder healthPort(int value) {
            if (value < NO_HEALTH_PORT || value > 65535) {
                throw new IllegalArgumentException("healthPort must be 0..65535 (or " + NO_HEALTH_PORT
                        + " for none), was " + value);
            }
            healthPort = value;
            return this;
        }

        /** @throws IllegalArgumentException also when the longest retry pause is shorter than the first */
        public WorkerConfig build() {
            if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
                throw new IllegalArgumentException("retryMaxBackoff (" + Setting.RETRY_MAX_BACKOFF.environmentVariable()
                        + ") must be at least retryInitialBackoff (" + Setting.RETRY_INITIAL_BACKOFF
                        .environmentVariable() + "), was " + retryMaxBackoff + " < " + retryInitialBackoff);
            }
            return new WorkerConfig(this);
        }

        private RetryPolicy jobRetry() {
            return new RetryPolicy(retryMaxAttempts, retryInitialBackoff, retryMaxBackoff);
        }

        private static Duration backoff(String field, Duration value) {
            Objects.requireNonNull(value, field);
            if (value.toMillis() < 1 || value.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(field + " must be 1ms..1h, was " + value);
            }
            return value;
        }

        private static String text(String field, String value) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }

        private static String name(String field, String value) {
            Objects.requireNonNull(value, field);
            if (!NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(field + " must be 1..128 characters of A-Z a-z 0-9 . _ -, was '"
                        + value + "'");
            }
            return value;
        }

        private static int within(String field, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(field + " must be " + min + ".." + max + ", was " + value);
            }
            return value;
        }

        private static int threads(String field, int value) {
            if (value < 0 || value > MAX_THREADS) {
                throw new IllegalArgumentException(field + " must be 0.." + MAX_THREADS + ", was " + value);
            }
            return value;
        }
    }
}
