package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.embedded.EmbeddedObjectStore;
import org.pv3dfarm.embedded.S3Clients;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobFailed;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.ValidationLimits;
import org.pv3dfarm.protocol.ViewSpec;

/**
 * Generate jobs end to end on real parts in this JVM: the embedded KRaft broker, S3Proxy through the MinIO client,
 * the committed tiny model in ONNX Runtime and FFmpeg.
 */
class GenerateOnEmbeddedFarmTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;
    @TempDir
    Path scratch;
    private EmbeddedKafkaBroker broker;
    private EmbeddedObjectStore store;
    private FarmTopics topics;
    private MinioClient s3;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.builder().start();
        topics = new FarmTopics(broker);
        store = EmbeddedObjectStore.builder().accessKey("farm-test").secretKey("farm-test-secret").bucket("renders")
                .start();
        s3 = S3Clients.minio(store.endpoint(), store.accessKey(), store.secretKey());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        s3.close();
        store.close();
        broker.close();
    }

    private WorkerConfig.Builder config(String group) {
        String modelCache = System.getProperty("pv3d.model.cache"); // where the build extracts the packaged model
        return WorkerConfig.builder()
                .modelCache(modelCache == null ? null : Path.of(modelCache))
                .kafkaBootstrapServers(broker.bootstrapServers())
                .s3Endpoint(store.endpoint())
                .s3AccessKey(store.accessKey())
                .s3SecretKey(store.secretKey())
                .s3Bucket(store.bucket())
                .executionProvider(ExecutionProvider.CPU)
                .groupId(group)
                .workerId(group + "-1")
                .workDir(workDir)
                .shutdownGrace(Duration.ofSeconds(5));
    }

    private byte[] get(String key) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(store.bucket()).object(key).build())) {
            return in.readAllBytes();
        }
    }

    private Set<String> list(String prefix) throws Exception {
        Set<String> keys = new TreeSet<>();
        for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket(store.bucket()).prefix(prefix)
                .recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    @Test
    void aRenderWorkerTurnsAGenerateRecordIntoVideosInTheBucketAndACompletedEventWithTheKeys() throws Exception {
        RenderWorker worker = RenderWorker.start(config("farm").build());
        toClose.add(worker);
        assertEquals(ExecutionProvider.CPU, worker.executionProvider());
        UUID jobId = UUID.randomUUID();
        topics.submit(GenerateRequest.builder().jobId(jobId).seed(11L).frames(4)
                .views(ViewSpec.orbit(), ViewSpec.yawSweep()).outputs(new OutputOptions(true, false)).build());

        JobCompleted completed = (JobCompleted) topics.events(1,
                e -> e.jobId().equals(jobId) && e instanceof JobCompleted).get(0);

        OutputKeyLayout layout = OutputKeyLayout.forJob(jobId);
        OutputKeys keys = completed.outputs();
        assertEquals(layout.outputKeys(store.bucket(), 2, 4, true, false, null, null, null, null), keys,
                "the event carries every key");
        assertEquals("farm-1", completed.worker());
        Set<String> stored = list(layout.prefix());
        assertTrue(stored.containsAll(keys.videoKeys()) && stored.contains(keys.manifestKey()), stored.toString());
        assertTrue(stored.contains(keys.latentKey()), "the stored latents: " + stored);
        assertEquals(2 + 2 * 4 + 1 + 1, stored.size(), "two videos, eight PNG frames, latents, the manifest: " + stored);
        for (String videoKey : keys.videoKeys()) {
            Path file = scratch.resolve(videoKey.replace('/', '_'));
            Files.write(file, get(videoKey));
            Mp4Info info = Mp4Info.probe(file);
            assertEquals(Mp4Encoder.H264, info.codec());
            assertEquals(4, info.frames());
            assertEquals(worker.model().config().outputResolution(), info.width());
        }
        JsonNode manifest = JSON.readTree(get(keys.manifestKey()));
        assertEquals(jobId.toString(), manifest.get("job_id").asText());
        assertEquals("farm-1", manifest.get("worker").asText());
        awaitTrue(() -> committed("farm") == 1, "the job's offset is committed after its completed event");
    }

    @Test
    void aRequestWithCodesTheModelCannotTakeIsDeadLetteredAndTheWorkerGoesOn() throws Exception {
        // The loop validates without knowing the model, so only the handler can see that z is 3 values short.
        WorkerOptions options = config("blind").build().workerOptions(ValidationLimits.defaults());
        MinioObjectUploader uploader = MinioObjectUploader.connect(store.endpoint(), store.accessKey(),
                store.secretKey(), store.bucket(), RetryPolicy.none());
        toClose.add(uploader);
        EventPublisher publisher = EventPublisher.connect(broker.bootstrapServers(), "blind-events",
                Duration.ofSeconds(10));
        toClose.add(publisher);
        JobConsumerLoop loop = new JobConsumerLoop(options,
                new GenerateJobHandler(WorkerTestModels.defaultModel(), uploader, workDir, 4), publisher);
        toClose.add(loop);
        UUID invalid = UUID.randomUUID();
        UUID valid = UUID.randomUUID();
        topics.submit(GenerateRequest.builder().jobId(invalid).seed(1L).z(Collections.nCopies(61, 0.1)).frames(2)
                .build());
        topics.submit(GenerateRequest.builder().jobId(valid).seed(2L).frames(2).build());
        loop.start();

        DeadLetter deadLetter = topics.deadLetters(1, d -> invalid.equals(d.jobId())).get(0);
        assertEquals("z: must have z_dim = 64 values for model pv3d-demo, has 61", deadLetter.reason());
        assertEquals(InvalidJobException.class.getName(), deadLetter.exceptionClass());
        JobFailed failed = (JobFailed) topics.events(1, e -> e.jobId().equals(invalid) && e instanceof JobFailed).get(0);
        assertEquals("invalid_request", failed.code());
        assertFalse(failed.retryable());
        assertTrue(list(invalid + "/").isEmpty(), "nothing of the invalid job is in the bucket");

        topics.events(1, e -> e.jobId().equals(valid) && e instanceof JobCompleted);
        assertTrue(list(valid + "/").contains(OutputKeyLayout.forJob(valid).manifest()));
        assertFalse(loop.terminated().isDone(), "the worker goes on");
        awaitTrue(() -> committed("blind") == 2, "both records are committed");
        try (var left = Files.list(workDir)) {
            assertEquals(List.of(), left.toList(), "no temporary files are left");
        }
    }

    private long committed(String group) throws Exception {
        return topics.committed(group).values().stream().mapToLong(Long::longValue).sum();
    }

    private static void awaitTrue(CheckedCondition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    private interface CheckedCondition {
        boolean met() throws Exception;
    }
}
