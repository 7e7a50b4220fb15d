package org.pv3dfarm.farm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.embedded.EmbeddedObjectStore;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.client.JobRecords;
import org.pv3dfarm.worker.EventPublisher;
import org.pv3dfarm.worker.RenderWorker;
import org.pv3dfarm.worker.WorkerConfig;

/**
 * The embedded stack for fault runs, in this JVM: a KRaft broker and S3Proxy, each on a data directory and a port
 * that survive {@link #restartBroker}/{@link #restartObjectStore} (stop, stay down, start again on the same port
 * and directory, as an operator's restart would), a {@link RenderWorker} on them, and followers of the events and
 * dead-letter topics (what a downstream consumer sees). {@link #close()} stops all of it; no thread outlives it.
 */
final class FaultRig implements AutoCloseable {

    private static final String ACCESS_KEY = "fault-rig";
    private static final String SECRET_KEY = "fault-rig-secret";
    private static final String BUCKET = "pv3d";

    private final Path dir;
    private final Consumer<WorkerConfig.Builder> workerSettings;
    private EmbeddedKafkaBroker broker;
    private EmbeddedObjectStore store;
    private RenderWorker worker;
    private TopicFollower<JobEvent> events;
    private TopicFollower<DeadLetter> deadLetters;

    private FaultRig(Path dir, Consumer<WorkerConfig.Builder> workerSettings) {
        this.dir = dir;
        this.workerSettings = workerSettings;
    }

    /**
     * Starts the broker, the store, the topics ({@code partitions} each), the followers and a worker configured by
     * {@code workerSettings} on top of the rig's endpoints.
     */
    static FaultRig start(Path dir, int partitions, Consumer<WorkerConfig.Builder> workerSettings) {
        FaultRig rig = new FaultRig(Objects.requireNonNull(dir, "dir"), workerSettings);
        try {
            rig.broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).start();
            rig.store = rig.objectStore(0);
            FarmTopics.ensure(rig.bootstrapServers(), partitions);
            rig.events = TopicFollower.start(rig.bootstrapServers(), Topics.EVENTS, JobCodec.instance()::decodeEvent);
            rig.deadLetters = TopicFollower.start(rig.bootstrapServers(), Topics.DEAD_LETTER,
                    JobCodec.instance()::decodeDeadLetter);
            rig.worker = RenderWorker.start(rig.workerConfig());
            return rig;
        } catch (RuntimeException | Error e) {
            rig.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    RenderWorker worker() {
        return worker;
    }

    /** Every event on {@link Topics#EVENTS} so far. */
    List<JobEvent> events() {
        return events.records();
    }

    /** Every dead letter so far. */
    List<DeadLetter> deadLetters() {
        return deadLetters.records();
    }

    /**
     * Queues requests as the job API would (request records with acknowledged writes), without the API's checks:
     * the worker validates what it reads.
     */
    void submit(List<? extends JobRequest> requests) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(EventPublisher.producerProperties(bootstrapServers(),
                "fault-rig-submitter", Duration.ofSeconds(30)))) {
            for (JobRequest request : requests) {
                producer.send(JobRecords.request(request, "fault-" + request.jobId())).get();
            }
        }
    }

    /** Stops S3Proxy, keeps it down for {@code outage}, starts it again on the same port and directory. */
    void restartObjectStore(Duration outage) throws InterruptedException {
        int port = store.port();
        store.close();
        Thread.sleep(outage.toMillis());
        store = objectStore(port);
    }

    /** Stops the broker, keeps it down for {@code outage}, starts it again on the same port and log directory. */
    void restartBroker(Duration outage) throws InterruptedException {
        int port = broker.port();
        broker.close();
        Thread.sleep(outage.toMillis());
        broker = EmbeddedKafkaBroker.builder().port(port).dataDir(dir.resolve("kafka")).start();
    }

    private EmbeddedObjectStore objectStore(int port) {
        return EmbeddedObjectStore.builder().port(port).dataDir(dir.resolve("objects")).accessKey(ACCESS_KEY)
                .secretKey(SECRET_KEY).bucket(BUCKET).start();
    }

    private WorkerConfig workerConfig() {
        WorkerConfig.Builder config = WorkerConfig.builder()
                .kafkaBootstrapServers(bootstrapServers())
                .s3Endpoint(store.endpoint())
                .s3AccessKey(ACCESS_KEY)
                .s3SecretKey(SECRET_KEY)
                .s3Bucket(BUCKET)
                .executionProvider(ExecutionProvider.CPU)
                .workerId("fault-rig")
                .workDir(dir.resolve("work"))
                .modelCache(dir.resolve("models"))
                .shutdownGrace(Duration.ofSeconds(5));
        workerSettings.accept(config);
        return config.build();
    }

    /** Deletes a run's directory (best effort: a leftover temporary file is no reason to fail a run). */
    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    @Override
    public void close() {
        for (AutoCloseable part : new AutoCloseable[] {worker, events, deadLetters, store, broker}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    // closing the rest matters more
                }
            }
        }
    }
}
