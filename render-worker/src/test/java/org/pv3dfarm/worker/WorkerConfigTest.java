package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.protocol.ValidationLimits;

class WorkerConfigTest {

    @Test
    void everySettingIsReadFromItsEnvironmentVariable() {
        Map<String, String> env = Map.ofEntries(
                Map.entry("PV3D_KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092"),
                Map.entry("PV3D_S3_ENDPOINT", "https://minio.internal:9443"),
                Map.entry("PV3D_S3_ACCESS_KEY", "farm"),
                Map.entry("PV3D_S3_SECRET_KEY", "s3cr3t"),
                Map.entry("PV3D_S3_BUCKET", "renders"),
                Map.entry("PV3D_MODEL_DIR", "/models/pv3d-ffhq"),
                Map.entry("PV3D_MODEL_CACHE", "/var/cache/pv3d"),
                Map.entry("PV3D_EXECUTION_PROVIDER", "cuda"),
                Map.entry("PV3D_CUDA_DEVICE", "1"),
                Map.entry("PV3D_INTRA_OP_THREADS", "6"),
                Map.entry("PV3D_INTER_OP_THREADS", "2"),
                Map.entry("PV3D_WORKER_ID", "gpu-worker-7"),
                Map.entry("PV3D_WORKER_GROUP_ID", "generate-pool"),
                Map.entry("PV3D_WORKER_BATCH_FRAMES", "8"),
                Map.entry("PV3D_WORKER_WORK_DIR", "/scratch"),
                Map.entry("PV3D_WORKER_SHUTDOWN_GRACE", "2m"),
                Map.entry("PV3D_WORKER_RETRY_MAX_ATTEMPTS", "5"),
                Map.entry("PV3D_WORKER_RETRY_INITIAL_BACKOFF", "250ms"),
                Map.entry("PV3D_WORKER_RETRY_MAX_BACKOFF", "1m"),
                Map.entry("PV3D_WORKER_INPUT_MAX_BYTES", "1048576"),
                Map.entry("PV3D_WORKER_INPUT_MAX_PIXELS", "1000000"),
                Map.entry("PV3D_WORKER_INPUT_MAX_DURATION", "10s"),
                Map.entry("PV3D_WORKER_INPUT_DECODE_TIMEOUT", "5s"));

        WorkerConfig config = WorkerConfig.fromEnvironment(env);

        assertEquals("kafka-0:9092,kafka-1:9092", config.kafkaBootstrapServers());
        assertEquals(URI.create("https://minio.internal:9443"), config.s3Endpoint());
        assertEquals("farm", config.s3AccessKey());
        assertEquals("s3cr3t", config.s3SecretKey());
        assertEquals("renders", config.s3Bucket());
        assertEquals(Path.of("/models/pv3d-ffhq"), config.modelDir().orElseThrow());
        assertEquals(Path.of("/var/cache/pv3d"), config.modelCache().orElseThrow());
        assertEquals(ExecutionProvider.CUDA, config.executionProvider());
        assertEquals("gpu-worker-7", config.workerId());
        assertEquals("generate-pool", config.groupId());
        assertEquals(8, config.batchFrames());
        assertEquals(Path.of("/scratch"), config.workDir());
        assertEquals(Duration.ofMinutes(2), config.shutdownGrace());

        ModelOptions model = config.modelOptions();
        assertEquals(ExecutionProvider.CUDA, model.executionProvider());
        assertEquals(1, model.cudaDeviceId());
        assertEquals(6, model.intraOpThreads());
        assertEquals(2, model.interOpThreads());
        assertTrue(model.eagerSessions(), "a broken model fails the worker at start");
        WorkerOptions loop = config.workerOptions(ValidationLimits.defaults());
        assertEquals("kafka-0:9092,kafka-1:9092", loop.bootstrapServers());
        assertEquals("generate-pool", loop.groupId());
        assertEquals("gpu-worker-7", loop.workerId());
        assertEquals(Duration.ofMinutes(2), loop.shutdownGrace());
        assertEquals(new RetryPolicy(5, Duration.ofMillis(250), Duration.ofMinutes(1)), loop.jobRetry());
        assertEquals(1L << 20, config.inputLimits().maxBytes());
        assertEquals(1_000_000L, config.inputLimits().maxPixels());
        assertEquals(Duration.ofSeconds(10), config.inputLimits().maxDuration());
        assertEquals(Duration.ofSeconds(5), config.inputLimits().timeout());
        assertFalse(config.toString().contains("s3cr3t"), "the secret is never printed: " + config);
    }

    @Test
    void batchingPipelineAndArenaSettingsAreReadAndValidated() {
        WorkerConfig config = WorkerConfig.fromEnvironment(Map.of(
                "PV3D_WORKER_CONCURRENT_JOBS", "3",
                "PV3D_WORKER_BATCH_MAX_FRAMES", "12",
                "PV3D_WORKER_BATCH_MAX_VIEWS", "24",
                "PV3D_WORKER_BATCH_QUEUE_DELAY", "20ms",
                "PV3D_WORKER_PIPELINE_DEPTH", "4",
                "PV3D_WORKER_INFERENCE_LANES", "3",
                "PV3D_MEMORY_ARENA", "off"));

        assertEquals(3, config.concurrentJobs());
        assertEquals(4, config.pipelineDepth());
        assertEquals(12, config.synthesisBatching().maxBatchSize());
        assertEquals(Duration.ofMillis(20), config.synthesisBatching().maxQueueDelay());
        assertEquals(24, config.viewBatching().maxBatchSize());
        assertFalse(config.modelOptions().memoryArena());
        assertEquals(3, config.inferenceLanes());
        assertEquals(3, config.inferenceLayout().lanes());
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(1, cores / 3), config.modelOptions().intraOpThreads(), "the lanes share the cores");
        WorkerOptions loop = config.workerOptions(ValidationLimits.defaults(), "w-2");
        assertEquals("w-2", loop.clientId(), "each loop has its own consumer client id");
        assertEquals(config.workerId(), loop.workerId(), "events still name the worker");
        assertEquals("w-2", loop.consumerProperties().get("client.id"));

        WorkerConfig defaults = WorkerConfig.fromEnvironment(Map.of());
        assertEquals(0, defaults.concurrentJobs(), "unset");
        assertEquals(3, defaults.concurrentJobs(2), "one job more than the inference lanes");
        assertEquals(2, defaults.concurrentJobs(1));
        assertTrue(defaults.modelOptions().memoryArena());
        assertEquals(new InferenceLayout(1, cores), defaults.inferenceLayout(), "one single-threaded lane per core");
        assertEquals(1, defaults.modelOptions().intraOpThreads());
        assertEquals(8, defaults.synthesisBatching(1).maxBatchSize(), "one lane: jobs' batches combine");
        assertEquals(16, defaults.viewBatching(1).maxBatchSize());
        assertEquals(defaults.batchFrames(), defaults.synthesisBatching(2).maxBatchSize(),
                "several lanes: a job's batch is a run of its own, in a lane of its own");
        assertEquals(defaults.batchFrames(), defaults.viewBatching(2).maxBatchSize());
        assertEquals(12, config.synthesisBatching(2).maxBatchSize(), "a maximum that is set holds");
        assertEquals(24, config.viewBatching(2).maxBatchSize());
        assertEquals(1, defaults.inferenceLanes(ExecutionProvider.CUDA), "a GPU keeps one lane unless set");
        assertEquals(cores, defaults.inferenceLanes(ExecutionProvider.CPU));
        assertEquals(3, config.inferenceLanes(ExecutionProvider.CUDA));
        for (Map.Entry<String, String> bad : Map.of("PV3D_WORKER_CONCURRENT_JOBS", "0",
                "PV3D_WORKER_BATCH_MAX_FRAMES", "257", "PV3D_WORKER_BATCH_QUEUE_DELAY", "11s",
                "PV3D_WORKER_PIPELINE_DEPTH", "0", "PV3D_MEMORY_ARENA", "maybe",
                "PV3D_WORKER_INFERENCE_LANES", "65").entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WorkerConfig.fromEnvironment(Map.of(bad.getKey(), bad.getValue())), bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()), "names the variable: " + e.getMessage());
        }
    }

    @Test
    void theKindsSettingPicksTheTopicsTheLoopsConsume() {
        WorkerConfig all = WorkerConfig.fromEnvironment(Map.of());
        assertEquals(java.util.EnumSet.allOf(org.pv3dfarm.protocol.JobKind.class), all.kinds());
        assertEquals(15, all.workerOptions(ValidationLimits.defaults()).topics().size(), "5 kinds x normal, high, retry");

        WorkerConfig two = WorkerConfig.fromEnvironment(Map.of("PV3D_WORKER_KINDS", " animate, Edit ,"));
        assertEquals(java.util.List.of("pv3d.jobs.animate", "pv3d.jobs.animate.high", "pv3d.jobs.animate.retry",
                "pv3d.jobs.edit", "pv3d.jobs.edit.high", "pv3d.jobs.edit.retry"),
                two.workerOptions(ValidationLimits.defaults()).topics());
        for (String bad : new String[] {"teleport", ","}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WorkerConfig.fromEnvironment(Map.of("PV3D_WORKER_KINDS", bad)), bad);
            assertTrue(e.getMessage().contains("PV3D_WORKER_KINDS"), e.getMessage());
        }
    }

    @Test
    void unsetValuesTakeTheDefaultsTheJobApiUses() {
        WorkerConfig config = WorkerConfig.fromEnvironment(Map.of("HOSTNAME", "render-7f9c", "PV3D_S3_BUCKET", " "));

        assertEquals("localhost:9092", config.kafkaBootstrapServers());
        assertEquals(URI.create("http://localhost:9000"), config.s3Endpoint());
        assertEquals("pv3d", config.s3AccessKey());
        assertEquals("pv3d-secret", config.s3SecretKey());
        assertEquals("pv3d", config.s3Bucket(), "blank counts as unset");
        assertTrue(config.modelDir().isEmpty());
        assertEquals(ExecutionProvider.AUTO, config.executionProvider());
        assertEquals("worker-render-7f9c", config.workerId(), "named after the host (the pod) by default");
        assertEquals("pv3d-render-worker", config.groupId());
        assertEquals(FrameRenderer.DEFAULT_BATCH_FRAMES, config.batchFrames());
        assertEquals(Duration.ofSeconds(30), config.shutdownGrace());
        assertEquals(WorkerOptions.DEFAULT_JOB_RETRY, config.jobRetry());
        assertTrue(WorkerConfig.fromEnvironment(Map.of()).workerId().matches("worker-\\d+"), "else by process id");
    }

    @Test
    void aSystemPropertyWinsOverItsEnvironmentVariable() {
        WorkerConfig config = WorkerConfig.from(Map.of("PV3D_S3_BUCKET", "from-env", "PV3D_WORKER_ID", "env-worker"),
                Map.of("pv3d.s3.bucket", "from-property"));

        assertEquals("from-property", config.s3Bucket());
        assertEquals("env-worker", config.workerId());
        for (WorkerConfig.Setting setting : WorkerConfig.Setting.values()) {
            assertTrue(setting.environmentVariable().matches("PV3D_[A-Z0-9_]+"), setting.environmentVariable());
        }
        assertEquals("PV3D_KAFKA_BOOTSTRAP_SERVERS", WorkerConfig.Setting.KAFKA_BOOTSTRAP_SERVERS.environmentVariable());
        assertEquals("PV3D_MODEL_DIR", WorkerConfig.Setting.MODEL_DIR.environmentVariable(),
                "the same variable the model locator reads");
    }

    @Test
    void invalidValuesAreRejectedNamingTheVariable() {
        assertRejected(Map.of("PV3D_WORKER_BATCH_FRAMES", "lots"), "PV3D_WORKER_BATCH_FRAMES", "integer");
        assertRejected(Map.of("PV3D_WORKER_BATCH_FRAMES", "0"), "PV3D_WORKER_BATCH_FRAMES", "1..64");
        assertRejected(Map.of("PV3D_EXECUTION_PROVIDER", "tpu"), "PV3D_EXECUTION_PROVIDER", "auto, cpu or cuda");
        assertRejected(Map.of("PV3D_KAFKA_BOOTSTRAP_SERVERS", "kafka"), "PV3D_KAFKA_BOOTSTRAP_SERVERS", "host:port");
        assertRejected(Map.of("PV3D_S3_ENDPOINT", "minio:9000"), "PV3D_S3_ENDPOINT", "http(s)://host");
        assertRejected(Map.of("PV3D_S3_ENDPOINT", "http://minio:9000/bucket"), "PV3D_S3_ENDPOINT", "without path");
        assertRejected(Map.of("PV3D_S3_BUCKET", "My_Bucket"), "PV3D_S3_BUCKET", "a-z 0-9");
        assertRejected(Map.of("PV3D_WORKER_ID", "worker 1"), "PV3D_WORKER_ID", "A-Z a-z 0-9");
        assertRejected(Map.of("PV3D_INTRA_OP_THREADS", "-1"), "PV3D_INTRA_OP_THREADS", "0..1024");
        assertRejected(Map.of("PV3D_WORKER_SHUTDOWN_GRACE", "soon"), "PV3D_WORKER_SHUTDOWN_GRACE", "duration");
        assertRejected(Map.of("PV3D_WORKER_SHUTDOWN_GRACE", "2h"), "PV3D_WORKER_SHUTDOWN_GRACE", "0..1h");
        assertRejected(Map.of("PV3D_WORKER_RETRY_MAX_ATTEMPTS", "0"), "PV3D_WORKER_RETRY_MAX_ATTEMPTS", "1..100");
        assertRejected(Map.of("PV3D_WORKER_INPUT_MAX_BYTES", "lots"), "PV3D_WORKER_INPUT_MAX_BYTES", "integer");
        assertRejected(Map.of("PV3D_WORKER_INPUT_MAX_BYTES", "0"), "PV3D_WORKER_INPUT_MAX_BYTES", "maxBytes");
        assertRejected(Map.of("PV3D_WORKER_INPUT_DECODE_TIMEOUT", "soon"), "PV3D_WORKER_INPUT_DECODE_TIMEOUT",
                "duration");
        assertRejected(Map.of("PV3D_WORKER_RETRY_INITIAL_BACKOFF", "2h"), "PV3D_WORKER_RETRY_INITIAL_BACKOFF", "1ms..1h");
        IllegalArgumentException inverted = assertThrows(IllegalArgumentException.class, () -> WorkerConfig
                .fromEnvironment(Map.of("PV3D_WORKER_RETRY_INITIAL_BACKOFF", "1m", "PV3D_WORKER_RETRY_MAX_BACKOFF", "10s")));
        assertTrue(inverted.getMessage().contains("PV3D_WORKER_RETRY_MAX_BACKOFF")
                && inverted.getMessage().contains("PV3D_WORKER_RETRY_INITIAL_BACKOFF"), inverted.getMessage());
        IllegalArgumentException property = assertThrows(IllegalArgumentException.class,
                () -> WorkerConfig.from(Map.of(), Map.of("pv3d.cuda-device", "-2")));
        assertTrue(property.getMessage().startsWith("system property pv3d.cuda-device: "), property.getMessage());
    }

    private static void assertRejected(Map<String, String> env, String variable, String rule) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerConfig.fromEnvironment(env), variable);
        assertTrue(e.getMessage().startsWith("environment variable " + variable + ": ") && e.getMessage().contains(rule),
                e.getMessage());
    }

    @Test
    void durationsTakeShortFormsAndIso() {
        assertEquals(Duration.ofMillis(500), WorkerConfig.duration("500ms"));
        assertEquals(Duration.ofSeconds(45), WorkerConfig.duration("45"));
        assertEquals(Duration.ofHours(1), WorkerConfig.duration("1h"));
        assertEquals(Duration.ofSeconds(90), WorkerConfig.duration("PT1M30S"));
    }

    @Test
    void theModelIsTheConfiguredDirectoryOrElseThePackagedDemoModel(@TempDir Path cache) throws Exception {
        Path packaged = WorkerConfig.builder().modelCache(cache).build().resolveModelDirectory();
        assertEquals("pv3d-demo", ModelManifest.load(packaged).name());

        Path configured = WorkerConfig.builder().modelDir(packaged).build().resolveModelDirectory();
        assertEquals(packaged, configured);
        Path missing = cache.resolve("no-such-model");
        WorkerConfig wrong = WorkerConfig.builder().modelDir(missing).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, wrong::resolveModelDirectory);
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("PV3D_MODEL_DIR"),
                e.getMessage());
        assertFalse(Files.exists(missing));
    }
}
