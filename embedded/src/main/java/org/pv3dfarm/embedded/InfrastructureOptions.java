package org.pv3dfarm.embedded;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * What a farm needs from its infrastructure, whichever kind provides it. Immutable; built with {@link #builder()},
 * whose setters reject bad values at once, naming the field.
 *
 * <p>Layout of a data directory (embedded kind only; containers keep their data inside the containers):
 * {@code kafka/} holds the broker's logs and metadata, {@code objects/} the buckets.
 */
public final class InfrastructureOptions {

    /** The Kafka image of the container kind: the same Kafka version as the embedded broker. */
    public static final String DEFAULT_KAFKA_IMAGE = "apache/kafka:4.1.2";
    public static final String DEFAULT_MINIO_IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";

    private final InfrastructureMode mode;
    private final Path dataDir;
    private final int kafkaPort;
    private final int s3Port;
    private final String accessKey;
    private final String secretKey;
    private final String bucket;
    private final int defaultPartitions;
    private final String kafkaImage;
    private final String minioImage;
    private final Level logLevel;

    private InfrastructureOptions(Builder b) {
        this.mode = b.mode;
        this.dataDir = b.dataDir;
        this.kafkaPort = b.kafkaPort;
        this.s3Port = b.s3Port;
        this.accessKey = b.accessKey;
        this.secretKey = b.secretKey;
        this.bucket = b.bucket;
        this.defaultPartitions = b.defaultPartitions;
        this.kafkaImage = b.kafkaImage;
        this.minioImage = b.minioImage;
        this.logLevel = b.logLevel;
    }

    public static Builder builder() {
        return new Builder();
    }

    public InfrastructureMode mode() {
        return mode;
    }

    /** Persistent data directory; empty means temporary (deleted on close) Kafka data and an in-memory store. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** Kafka client port of the embedded broker; 0 = any free port. */
    public int kafkaPort() {
        return kafkaPort;
    }

    /** S3 port of the embedded store; 0 = any free port. */
    public int s3Port() {
        return s3Port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public String bucket() {
        return bucket;
    }

    public int defaultPartitions() {
        return defaultPartitions;
    }

    public String kafkaImage() {
        return kafkaImage;
    }

    public String minioImage() {
        return minioImage;
    }

    /** Level of the infrastructure's own loggers (broker, S3Proxy, Jetty, jclouds, Testcontainers). */
    public Level logLevel() {
        return logLevel;
    }

    /** The embedded broker these options describe (not started). */
    EmbeddedKafkaBroker.Builder kafkaBroker() {
        EmbeddedKafkaBroker.Builder broker = EmbeddedKafkaBroker.builder()
                .port(kafkaPort)
                .defaultPartitions(defaultPartitions)
                .logLevel(logLevel);
        dataDir().ifPresent(dir -> broker.dataDir(dir.resolve("kafka")));
        return broker;
    }

    /** The embedded object store these options describe (not started). */
    EmbeddedObjectStore.Builder objectStore() {
        EmbeddedObjectStore.Builder store = EmbeddedObjectStore.builder()
                .port(s3Port)
                .accessKey(accessKey)
                .secretKey(secretKey)
                .bucket(bucket)
                .logLevel(logLevel);
        dataDir().ifPresent(dir -> store.dataDir(dir.resolve("objects")));
        return store;
    }

    @Override
    public String toString() {
        return "InfrastructureOptions{mode=" + mode + ", dataDir=" + dataDir + ", kafkaPort=" + kafkaPort
                + ", s3Port=" + s3Port + ", accessKey=" + accessKey + ", bucket=" + bucket
                + ", defaultPartitions=" + defaultPartitions + ", kafkaImage=" + kafkaImage
                + ", minioImage=" + minioImage + ", logLevel=" + logLevel + "}";
    }

    /**
     * Defaults: {@link InfrastructureMode#AUTO}, temporary data, any free ports, keys {@code pv3d} /
     * {@code pv3d-secret-key} (the embedded store listens on loopback only), bucket {@code pv3d}, 3 partitions,
     * WARN logs.
     */
    public static final class Builder {
        private InfrastructureMode mode = InfrastructureMode.AUTO;
        private Path dataDir;
        private int kafkaPort;
        private int s3Port;
        private String accessKey = "pv3d";
        private String secretKey = "pv3d-secret-key";
        private String bucket = "pv3d";
        private int defaultPartitions = 3;
        private String kafkaImage = DEFAULT_KAFKA_IMAGE;
        private String minioImage = DEFAULT_MINIO_IMAGE;
        private Level logLevel = Level.WARN;

        private Builder() {
        }

        public Builder mode(InfrastructureMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** A persistent data directory; jobs and outputs survive a restart of the farm. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = DataDirectories.requireUsableDirectory("dataDir", dataDir);
            return this;
        }

        public Builder temporaryData() {
            this.dataDir = null;
            return this;
        }

        public Builder kafkaPort(int kafkaPort) {
            this.kafkaPort = LocalPorts.requireValidPort("kafkaPort", kafkaPort);
            return this;
        }

        public Builder s3Port(int s3Port) {
            this.s3Port = LocalPorts.requireValidPort("s3Port", s3Port);
            return this;
        }

        /** Validated as {@link EmbeddedObjectStore.Builder#accessKey(String)} does. */
        public Builder accessKey(String accessKey) {
            EmbeddedObjectStore.builder().accessKey(accessKey);
            this.accessKey = accessKey;
            return this;
        }

        /** Validated as {@link EmbeddedObjectStore.Builder#secretKey(String)} does (MinIO also needs 8+). */
        public Builder secretKey(String secretKey) {
            EmbeddedObjectStore.builder().secretKey(secretKey);
            this.secretKey = secretKey;
            return this;
        }

        /** Validated with S3's bucket naming rules. */
        public Builder bucket(String bucket) {
            EmbeddedObjectStore.builder().bucket(bucket);
            this.bucket = bucket;
            return this;
        }

        public Builder defaultPartitions(int defaultPartitions) {
            EmbeddedKafkaBroker.builder().defaultPartitions(defaultPartitions);
            this.defaultPartitions = defaultPartitions;
            return this;
        }

        public Builder kafkaImage(String kafkaImage) {
            this.kafkaImage = requireImage("kafkaImage", kafkaImage);
            return this;
        }

        public Builder minioImage(String minioImage) {
            this.minioImage = requireImage("minioImage", minioImage);
            return this;
        }

        public Builder logLevel(Level logLevel) {
            this.logLevel = Objects.requireNonNull(logLevel, "logLevel");
            return this;
        }

        public InfrastructureOptions build() {
            return new InfrastructureOptions(this);
        }

        private static String requireImage(String field, String image) {
            if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(field + " must be a Docker image name, was '" + image + "'");
            }
            return image;
        }
    }
}
