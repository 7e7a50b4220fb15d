package org.pv3dfarm.farm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.pv3dfarm.embedded.InfrastructureMode;

/**
 * How to run a farm on one machine. Immutable; {@link #builder()} validates each value when it is set and names the
 * field it rejects, and {@link Builder#build()} checks the combinations.
 *
 * <p>Kafka and the object store are external when configured ({@link Builder#externalKafka},
 * {@link Builder#externalObjectStore}; the launcher reads them from the standard environment variables, see
 * {@link FarmEnvironment}), and otherwise provided by {@link #infrastructure()}: in-process servers with their data
 * under {@link #dataDir()} (the default), or Kafka and MinIO containers.
 */
public final class FarmOptions {

    public static final int DEFAULT_API_PORT = 8080;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_S3_PORT = 9000;
    public static final int DEFAULT_DEMO_FRAMES = 16;
    /** The job API's own bound on frames per job ({@code pv3d.limits.max-frames}). */
    public static final int MAX_DEMO_FRAMES = 1024;

    private final Path dataDir;
    private final InfrastructureMode infrastructure;
    private final PortRequest apiPort;
    private final PortRequest kafkaPort;
    private final PortRequest s3Port;
    private final String externalKafka;
    private final ObjectStoreEndpoint externalObjectStore;
    private final int partitions;
    private final Path apiJar;
    private final Duration apiStartTimeout;
    private final boolean demo;
    private final int demoFrames;
    private final boolean exitAfterDemo;
    private final Duration demoTimeout;

    private FarmOptions(Builder b) {
        this.dataDir = b.dataDir;
        this.infrastructure = b.infrastructure;
        this.apiPort = b.apiPort;
        this.kafkaPort = b.kafkaPort;
        this.s3Port = b.s3Port;
        this.externalKafka = b.externalKafka;
        this.externalObjectStore = b.externalObjectStore;
        this.partitions = b.partitions;
        this.apiJar = b.apiJar;
        this.apiStartTimeout = b.apiStartTimeout;
        this.demo = b.demo;
        this.demoFrames = b.demoFrames;
        this.exitAfterDemo = b.exitAfterDemo;
        this.demoTimeout = b.demoTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Absolute; holds the embedded servers' data, the job API's log and the demo's videos. */
    public Path dataDir() {
        return dataDir;
    }

    public FarmDataLayout layout() {
        return new FarmDataLayout(dataDir);
    }

    /** Who provides Kafka and the object store when neither is external. */
    public InfrastructureMode infrastructure() {
        return infrastructure;
    }

    public PortRequest apiPort() {
        return apiPort;
    }

    /** The embedded broker's client port (ignored for external Kafka and containers). */
    public PortRequest kafkaPort() {
        return kafkaPort;
    }

    /** The embedded object store's port (ignored for an external store and containers). */
    public PortRequest s3Port() {
        return s3Port;
    }

    /** {@code bootstrap.servers} of an external Kafka cluster; empty = the farm provides Kafka. */
    public Optional<String> externalKafka() {
        return Optional.ofNullable(externalKafka);
    }

    /** An external S3 store (MinIO...); empty = the farm provides the object store. */
    public Optional<ObjectStoreEndpoint> externalObjectStore() {
        return Optional.ofNullable(externalObjectStore);
    }

    /** Partitions of the topics the farm creates (existing topics are left alone). */
    public int partitions() {
        return partitions;
    }

    /** The job API's {@code quarkus-run.jar}; empty = found by {@link JobApiJar#locate()}. */
    public Optional<Path> apiJar() {
        return Optional.ofNullable(apiJar);
    }

    /** How long the job API may take to report ready. */
    public Duration apiStartTimeout() {
        return apiStartTimeout;
    }

    /** Whether to render a demo clip once the farm runs. */
    public boolean demo() {
        return demo;
    }

    public int demoFrames() {
        return demoFrames;
    }

    /** Whether to stop the farm after the demo instead of running on. */
    public boolean exitAfterDemo() {
        return exitAfterDemo;
    }

    /** How long the demo waits for its job. */
    public Duration demoTimeout() {
        return demoTimeout;
    }

    @Override
    public String toString() {
        return "FarmOptions{dataDir=" + dataDir + ", infrastructure=" + infrastructure + ", apiPort=" + apiPort
                + ", kafkaPort=" + kafkaPort + ", s3Port=" + s3Port + ", externalKafka=" + externalKafka
                + ", externalObjectStore=" + externalObjectStore + ", partitions=" + partitions + ", apiJar=" + apiJar
                + ", demo=" + demo + ", demoFrames=" + demoFrames + ", exitAfterDemo=" + exitAfterDemo + "}";
    }

    /**
     * Defaults: data in {@code ./data}, embedded infrastructure, ports 8080 (API), 9092 (Kafka), 9000 (S3) each
     * replaced by a free port when taken, 3 partitions, the job API located by {@link JobApiJar}, 3 min for the
     * API to start, no demo (16 frames, 15 min when asked for).
     */
    public static final class Builder {
        private Path dataDir = Path.of("data").toAbsolutePath().normalize();
        private InfrastructureMode infrastructure = InfrastructureMode.EMBEDDED;
        private PortRequest apiPort = PortRequest.preferred(DEFAULT_API_PORT);
        private PortRequest kafkaPort = PortRequest.preferred(DEFAULT_KAFKA_PORT);
        private PortRequest s3Port = PortRequest.preferred(DEFAULT_S3_PORT);
        private String externalKafka;
        private ObjectStoreEndpoint externalObjectStore;
        private int partitions = 3;
        private Path apiJar;
        private Duration apiStartTimeout = Duration.ofMinutes(3);
        private boolean demo;
        private int demoFrames = DEFAULT_DEMO_FRAMES;
        private boolean exitAfterDemo;
        private Duration demoTimeout = Duration.ofMinutes(15);

        private Builder() {
        }

        /** Created if missing; must not be a regular file. */
        public Builder dataDir(Path value) {
            Objects.requireNonNull(value, "dataDir");
            Path absolute = value.toAbsolutePath().normalize();
            if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
                throw new IllegalArgumentException("dataDir exists and is not a directory: " + absolute);
            }
            dataDir = absolute;
            return this;
        }

        public Builder infrastructure(InfrastructureMode value) {
            infrastructure = Objects.requireNonNull(value, "infrastructure");
            return this;
        }

        public Builder apiPort(PortRequest value) {
            apiPort = Objects.requireNonNull(value, "apiPort");
            return this;
        }

        public Builder kafkaPort(PortRequest value) {
            kafkaPort = Objects.requireNonNull(value, "kafkaPort");
            return this;
        }

        public Builder s3Port(PortRequest value) {
            s3Port = Objects.requireNonNull(value, "s3Port");
            return this;
        }

        /** {@code host:port[,host:port...]} of a running Kafka cluster; null = the farm provides Kafka. */
        public Builder externalKafka(String bootstrapServers) {
            if (bootstrapServers != null && !bootstrapServers.matches("[^,\\s]+:\\d{1,5}(,[^,\\s]+:\\d{1,5})*")) {
                throw new IllegalArgumentException("externalKafka must be host:port[,host:port...], was '"
                        + bootstrapServers + "'");
            }
            externalKafka = bootstrapServers;
            return this;
        }

        /** A running S3 store; null = the farm provides the object store. */
        public Builder externalObjectStore(ObjectStoreEndpoint value) {
            externalObjectStore = value;
            return this;
        }

        /** 1..1000. */
        public Builder partitions(int value) {
            if (value < 1 || value > 1000) {
                throw new IllegalArgumentException("partitions must be 1..1000, was " + value);
            }
            partitions = value;
            return this;
        }

        /** The job API's {@code quarkus-run.jar}; it must exist. Null = located by {@link JobApiJar}. */
        public Builder apiJar(Path value) {
            if (value != null && !Files.isRegularFile(value)) {
                throw new IllegalArgumentException("apiJar must be an existing file, was " + value);
            }
            apiJar = value == null ? null : value.toAbsolutePath().normalize();
            return this;
        }

        /** 5 s..30 min. */
        public Builder apiStartTimeout(Duration value) {
            apiStartTimeout = within("apiStartTimeout", value, Duration.ofSeconds(5), Duration.ofMinutes(30));
            return this;
        }

        public Builder demo(boolean value) {
            demo = value;
            return this;
        }

        /** 1..{@value #MAX_DEMO_FRAMES}. */
        public Builder demoFrames(int value) {
            if (value < 1 || value > MAX_DEMO_FRAMES) {
                throw new IllegalArgumentException("demoFrames must be 1.." + MAX_DEMO_FRAMES + ", was " + value);
            }
            demoFrames = value;
            return this;
        }

        /** Only together with {@link #demo(boolean) demo(true)}. */
        public Builder exitAfterDemo(boolean value) {
            exitAfterDemo = value;
            return this;
        }

        /** 10 s..24 h. */
        public Builder demoTimeout(Duration value) {
            demoTimeout = within("demoTimeout", value, Duration.ofSeconds(10), Duration.ofHours(24));
            return this;
        }

        /** Checks the combinations: exit only after a demo; containers provide both parts or neither. */
        public FarmOptions build() {
            if (exitAfterDemo && !demo) {
                throw new IllegalArgumentException("exitAfterDemo needs demo: there is nothing to wait for");
            }
            if (infrastructure == InfrastructureMode.CONTAINERS
                    && (externalKafka != null || externalObjectStore != null)) {
                throw new IllegalArgumentException("infrastructure containers starts both Kafka and MinIO, but "
                        + (externalKafka != null ? "Kafka" : "the object store") + " is external; use embedded "
                        + "or auto for the other part, or unset the external one");
            }
            return new FarmOptions(this);
        }

        private static Duration within(String field, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, field);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(field + " must be " + min + ".." + max + ", was " + value);
            }
            return value;
        }
    }
}
