package org.pv3dfarm.embedded;

import io.minio.MinioClient;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka cluster and the S3 bucket a farm runs on, whoever provides them: in-process servers
 * ({@link EmbeddedInfrastructure}) or Docker containers ({@link ContainerInfrastructure}).
 *
 * <p>Contract: once an instance is returned, the broker accepts clients at {@link #kafkaBootstrapServers()} and the
 * bucket {@link #bucket()} exists at {@link #s3Endpoint()} for the given keys. {@link #close()} stops what the
 * instance started and never throws.
 */
public interface FarmInfrastructure extends AutoCloseable {

    /** Who provides the servers. */
    enum Kind { EMBEDDED, CONTAINERS }

    Kind kind();

    /** Why this kind was chosen (configuration, or whether Docker answered); for the startup log and reports. */
    String selectionReason();

    String kafkaBootstrapServers();

    /** The S3 endpoint, {@code http://host:port}, without a bucket. */
    URI s3Endpoint();

    String accessKey();

    String secretKey();

    String bucket();

    @Override
    void close();

    /**
     * Chooses the kind as {@link InfrastructureSelector} decides for {@code options.mode()}, starts it and logs the
     * choice with its reason.
     */
    static FarmInfrastructure start(InfrastructureOptions options) {
        return InfrastructureSelector.usingTestcontainers().start(options);
    }

    /** A new MinIO client for this endpoint and keys. The caller closes it (an open one delays JVM exit by 60 s). */
    default MinioClient newMinioClient() {
        return S3Clients.minio(s3Endpoint(), accessKey(), secretKey());
    }

    /** {@code bootstrap.servers} only, in a fresh mutable map. */
    default Map<String, Object> kafkaClientConfig() {
        return new java.util.HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers()));
    }

    /** Creates the topics that are missing (existing ones are left as they are) and waits for the broker. */
    default void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(kafkaClientConfig())) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + entry.getKey() + " failed", e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics not confirmed within " + Duration.ofSeconds(30), e);
        }
    }
}
