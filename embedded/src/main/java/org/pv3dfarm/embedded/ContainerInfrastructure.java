package org.pv3dfarm.embedded;

import io.minio.MinioClient;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;

/**
 * The farm's infrastructure as Docker containers, through Testcontainers: Apache Kafka (KRaft, the
 * {@code apache/kafka} image) and MinIO. Their data lives and dies with the containers; a data directory in the
 * options is ignored (and logged as such).
 */
public final class ContainerInfrastructure implements FarmInfrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerInfrastructure.class);

    private final KafkaContainer kafka;
    private final MinIOContainer minio;
    private final InfrastructureOptions options;
    private final String selectionReason;

    private ContainerInfrastructure(KafkaContainer kafka, MinIOContainer minio, InfrastructureOptions options,
            String selectionReason) {
        this.kafka = kafka;
        this.minio = minio;
        this.options = options;
        this.selectionReason = selectionReason;
    }

    /** Starts both containers in parallel and creates the bucket. Needs a reachable Docker engine. */
    public static ContainerInfrastructure start(InfrastructureOptions options, String selectionReason) {
        Objects.requireNonNull(options, "options");
        QuietLogs.apply(options.logLevel(), QuietLogs.CONTAINERS);
        options.dataDir().ifPresent(dir ->
                LOG.warn("data directory {} is not used by containers: their data is gone when they stop", dir));
        KafkaContainer kafka = new KafkaContainer(options.kafkaImage())
                .withEnv("KAFKA_NUM_PARTITIONS", String.valueOf(options.defaultPartitions()))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        MinIOContainer minio = new MinIOContainer(options.minioImage())
                .withUserName(options.accessKey())
                .withPassword(options.secretKey());
        try {
            Startables.deepStart(List.of(kafka, minio)).join();
            ContainerInfrastructure infrastructure = new ContainerInfrastructure(kafka, minio, options, selectionReason);
            try (MinioClient client = infrastructure.newMinioClient()) {
                S3Clients.ensureBucket(client, options.bucket());
            }
            LOG.info("Kafka container at {}, MinIO container at {}", kafka.getBootstrapServers(), minio.getS3URL());
            return infrastructure;
        } catch (Exception e) {
            stopQuietly(kafka, minio);
            throw new IllegalStateException("starting the Kafka and MinIO containers failed", e);
        }
    }

    @Override
    public Kind kind() {
        return Kind.CONTAINERS;
    }

    @Override
    public String selectionReason() {
        return selectionReason;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public URI s3Endpoint() {
        return URI.create(minio.getS3URL());
    }

    @Override
    public String accessKey() {
        return options.accessKey();
    }

    @Override
    public String secretKey() {
        return options.secretKey();
    }

    @Override
    public String bucket() {
        return options.bucket();
    }

    @Override
    public void close() {
        stopQuietly(kafka, minio);
    }

    private static void stopQuietly(KafkaContainer kafka, MinIOContainer minio) {
        for (var container : List.of(minio, kafka)) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping container {} failed: {}", container.getDockerImageName(), e.toString());
            }
        }
    }
}
