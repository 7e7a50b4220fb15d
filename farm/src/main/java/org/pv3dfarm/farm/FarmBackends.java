package org.pv3dfarm.farm;

import io.minio.MinioClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.pv3dfarm.embedded.ContainerInfrastructure;
import org.pv3dfarm.embedded.EmbeddedInfrastructure;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.embedded.EmbeddedObjectStore;
import org.pv3dfarm.embedded.FarmInfrastructure;
import org.pv3dfarm.embedded.InfrastructureOptions;
import org.pv3dfarm.embedded.InfrastructureSelector;
import org.pv3dfarm.embedded.S3Clients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster and the object store a farm runs on, and who provides each.
 *
 * <p>Rule: an external part ({@link FarmOptions#externalKafka()}, {@link FarmOptions#externalObjectStore()}) is
 * used as it is (its bucket is created if missing); with one part external, the other is the embedded server
 * (containers come as a pair); with neither external, {@link FarmOptions#infrastructure()} decides through
 * {@link InfrastructureSelector}. Embedded servers keep their data under {@link FarmDataLayout}, so a restarted farm
 * finds its jobs and outputs. {@link #close()} stops only what this instance started.
 */
public final class FarmBackends implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FarmBackends.class);

    private final String kafkaBootstrapServers;
    private final String kafkaProvider;
    private final ObjectStoreEndpoint objectStore;
    private final String objectStoreProvider;
    private final List<AutoCloseable> started;

    private FarmBackends(String kafkaBootstrapServers, String kafkaProvider, ObjectStoreEndpoint objectStore,
            String objectStoreProvider, List<AutoCloseable> started) {
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.kafkaProvider = kafkaProvider;
        this.objectStore = objectStore;
        this.objectStoreProvider = objectStoreProvider;
        this.started = List.copyOf(started);
    }

    /** Starts what is not external, per the rule above; on failure stops what was started and rethrows. */
    public static FarmBackends start(FarmOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.externalKafka().isEmpty() && options.externalObjectStore().isEmpty()) {
            return startInfrastructure(options);
        }
        List<AutoCloseable> started = new ArrayList<>();
        try {
            FarmDataLayout layout = options.layout();
            InfrastructureOptions defaults = InfrastructureOptions.builder().build();
            String bootstrap;
            String kafkaProvider;
            if (options.externalKafka().isPresent()) {
                bootstrap = options.externalKafka().get();
                kafkaProvider = "external (" + FarmEnvironment.KAFKA_BOOTSTRAP_SERVERS + ")";
            } else {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .port(options.kafkaPort().resolve("Kafka port"))
                        .dataDir(layout.kafka())
                        .defaultPartitions(options.partitions())
                        .start();
                started.add(broker);
                bootstrap = broker.bootstrapServers();
                kafkaProvider = "embedded KRaft broker, data in " + layout.kafka();
            }
            ObjectStoreEndpoint store;
            String storeProvider;
            if (options.externalObjectStore().isPresent()) {
                store = options.externalObjectStore().get();
                storeProvider = "external (" + FarmEnvironment.S3_ENDPOINT + ")";
                ensureBucket(store);
            } else {
                EmbeddedObjectStore embedded = EmbeddedObjectStore.builder()
                        .port(options.s3Port().resolve("S3 port"))
                        .dataDir(layout.objects())
                        .accessKey(defaults.accessKey())
                        .secretKey(defaults.secretKey())
                        .bucket(defaults.bucket())
                        .start();
                started.add(embedded);
                store = new ObjectStoreEndpoint(embedded.endpoint(), embedded.accessKey(), embedded.secretKey(),
                        embedded.bucket());
                storeProvider = "embedded S3Proxy, data in " + layout.objects();
            }
            return new FarmBackends(bootstrap, kafkaProvider, store, storeProvider, started);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    private static FarmBackends startInfrastructure(FarmOptions options) {
        InfrastructureSelector.Selection selection = InfrastructureSelector.usingTestcontainers()
                .select(options.infrastructure());
        LOG.info("farm infrastructure: {} ({})", selection.kind().name().toLowerCase(java.util.Locale.ROOT),
                selection.reason());
        InfrastructureOptions.Builder infrastructure = InfrastructureOptions.builder()
                .mode(options.infrastructure())
                .defaultPartitions(options.partitions());
        FarmInfrastructure farm;
        String kafkaProvider;
        String storeProvider;
        if (selection.kind() == FarmInfrastructure.Kind.EMBEDDED) {
            infrastructure.dataDir(options.dataDir())
                    .kafkaPort(options.kafkaPort().resolve("Kafka port"))
                    .s3Port(options.s3Port().resolve("S3 port"));
            farm = EmbeddedInfrastructure.start(infrastructure.build(), selection.reason());
            kafkaProvider = "embedded KRaft broker, data in " + options.layout().kafka();
            storeProvider = "embedded S3Proxy, data in " + options.layout().objects();
        } else {
            // Containers keep their data inside themselves; the data directory still holds logs and demo videos.
            farm = ContainerInfrastructure.start(infrastructure.temporaryData().build(), selection.reason());
            kafkaProvider = "Kafka container (" + selection.reason() + "; data is lost when it stops)";
            storeProvider = "MinIO container (data is lost when it stops)";
        }
        return new FarmBackends(farm.kafkaBootstrapServers(), kafkaProvider,
                new ObjectStoreEndpoint(farm.s3Endpoint(), farm.accessKey(), farm.secretKey(), farm.bucket()),
                storeProvider, List.of(farm));
    }

    private static void ensureBucket(ObjectStoreEndpoint store) {
        try (MinioClient client = S3Clients.minio(store.endpoint(), store.accessKey(), store.secretKey())) {
            if (S3Clients.ensureBucket(client, store.bucket())) {
                LOG.info("created bucket {} on {}", store.bucket(), store.endpoint());
            }
        } catch (Exception e) {
            throw new IllegalStateException("the object store at " + store.endpoint() + " cannot be used (bucket "
                    + store.bucket() + "): " + e.getMessage(), e);
        }
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    /** Who provides Kafka, in words, for the summary. */
    public String kafkaProvider() {
        return kafkaProvider;
    }

    public ObjectStoreEndpoint objectStore() {
        return objectStore;
    }

    /** Who provides the object store, in words, for the summary. */
    public String objectStoreProvider() {
        return objectStoreProvider;
    }

    /** A new client for the object store; the caller closes it (an open one delays JVM exit by 60 s). */
    public MinioClient newMinioClient() {
        return S3Clients.minio(objectStore.endpoint(), objectStore.accessKey(), objectStore.secretKey());
    }

    /** Stops what this instance started, the object store before the broker. Never throws. */
    @Override
    public void close() {
        closeAll(started);
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
    }
}
