package org.pv3dfarm.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A single-node Kafka cluster in this JVM: one KRaft server that is both broker and controller, started from the
 * Kafka distribution's own classes ({@link KafkaRaftServer}, the server behind {@code kafka-server-start.sh}).
 *
 * <p>Storage is formatted on first start, as {@code kafka-storage.sh format} does; a data directory that already
 * holds {@code meta.properties} is reused as it is, so topics, records and committed offsets survive a restart.
 * Without a data directory the broker uses a temporary one that {@link #close()} deletes.
 *
 * <p>The quorum is static ({@code controller.quorum.voters}), which keeps the controller's address out of the
 * metadata log: a restart may use other ports than the previous run.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).start()) {
 *     broker.createTopics(List.of(new NewTopic("jobs", 3, (short) 1)));
 *     producerProps.put("bootstrap.servers", broker.bootstrapServers());
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The node id of the only node; it is written into meta.properties, so it never changes. */
    static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String META_PROPERTIES = "meta.properties";

    private final Builder options;
    private final int port;
    private final Path dataDir;
    private final boolean temporaryDataDir;
    private final KafkaRaftServer server;
    private final Admin admin;
    private final String clusterId;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder options, int port, Path dataDir, boolean temporaryDataDir,
            KafkaRaftServer server, Admin admin, String clusterId) {
        this.options = options;
        this.port = port;
        this.dataDir = dataDir;
        this.temporaryDataDir = temporaryDataDir;
        this.server = server;
        this.admin = admin;
        this.clusterId = clusterId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return LocalPorts.LOOPBACK + ":" + port;
    }

    /** The port of the client listener (the one that {@link Builder#port(int) port(0)} chose). */
    public int port() {
        return port;
    }

    /** Where the logs and the metadata log live. */
    public Path dataDir() {
        return dataDir;
    }

    /** True when the data directory is kept after {@link #close()}. */
    public boolean persistent() {
        return !temporaryDataDir;
    }

    /** The cluster id written at format time; the same across restarts on one data directory. */
    public String clusterId() {
        return clusterId;
    }

    /** Partitions of a topic created without an explicit count (broker's {@code num.partitions}). */
    public int defaultPartitions() {
        return options.defaultPartitions;
    }

    /** The minimal client configuration: only {@code bootstrap.servers}. A fresh mutable map on each call. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /**
     * Creates the topics that do not exist yet and waits until the broker confirms them. A topic that already
     * exists is left as it is (whatever its partition count), so this is safe to call on every start.
     */
    public void createTopics(Collection<NewTopic> topics) {
        Objects.requireNonNull(topics, "topics");
        var result = admin.createTopics(topics);
        List<String> failures = new ArrayList<>();
        result.values().forEach((name, future) -> {
            try {
                future.get(options.startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    failures.add(name + ": " + e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(name + ": interrupted");
            } catch (TimeoutException e) {
                failures.add(name + ": not confirmed within " + options.startupTimeout);
            }
        });
        if (!failures.isEmpty()) {
            throw new IllegalStateException("creating topics failed: " + failures);
        }
    }

    /** Creates topics with {@link #defaultPartitions()} partitions and replication factor 1 (see above). */
    public void createTopics(String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, options.defaultPartitions, (short) 1));
        }
        createTopics(topics);
    }

    /** Shuts the server down, waits for it, and deletes the data directory if it was temporary. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        if (temporaryDataDir) {
            try {
                DataDirectories.deleteRecursively(dataDir);
            } catch (IOException e) {
                LOG.warn("could not delete the temporary Kafka data directory {}: {}", dataDir, e.toString());
            }
        }
        LOG.info("embedded Kafka broker on {} stopped", bootstrapServers());
    }

    private static EmbeddedKafkaBroker start(Builder options) {
        QuietLogs.apply(options.logLevel, QuietLogs.KAFKA);
        long started = System.nanoTime();
        int[] free = LocalPorts.freePorts(2); // distinct, in case both are picked
        int port = options.port == 0 ? free[0] : options.port;
        int controllerPort = options.controllerPort == 0 ? free[1] : options.controllerPort;
        if (port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
        }
        boolean temporary = options.dataDir == null;
        Path dataDir = temporary
                ? DataDirectories.createTemporary("pv3d-kafka-")
                : DataDirectories.createDirectories(options.dataDir);
        KafkaRaftServer server = null;
        Admin admin = null;
        try {
            KafkaConfig config = KafkaConfig.fromProps(serverProperties(options, port, controllerPort, dataDir), false);
            if (!Files.exists(dataDir.resolve(META_PROPERTIES))) {
                format(dataDir);
            }
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = LocalPorts.LOOPBACK + ":" + port;
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
            String clusterId = awaitReady(admin, options.startupTimeout);
            LOG.info("embedded Kafka broker ready on {} in {} ms (data: {}{})", bootstrap,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dataDir,
                    temporary ? ", temporary" : "");
            return new EmbeddedKafkaBroker(options, port, dataDir, temporary, server, admin, clusterId);
        } catch (RuntimeException | Error e) {
            stopQuietly(server, admin);
            deleteIfTemporary(temporary, dataDir);
            throw e;
        } catch (Exception e) {
            stopQuietly(server, admin);
            deleteIfTemporary(temporary, dataDir);
            throw new IllegalStateException("embedded Kafka broker failed to start on port " + port, e);
        }
    }

    /**
     * The configuration of a combined broker+controller with replication factor 1 everywhere (Kafka's defaults of
     * 3 for internal topics would never be satisfied by one node), sized for a small machine.
     */
    private static Properties serverProperties(Builder options, int port, int controllerPort, Path dataDir) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + LocalPorts.LOOPBACK + ":" + controllerPort);
        props.put("listeners", BROKER_LISTENER + "://" + LocalPorts.LOOPBACK + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + LocalPorts.LOOPBACK + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + LocalPorts.LOOPBACK + ":" + port);
        props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("log.dirs", dataDir.toString());
        props.put("metadata.log.dir", dataDir.toString());
        props.put("num.partitions", String.valueOf(options.defaultPartitions));
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("auto.create.topics.enable", String.valueOf(options.autoCreateTopics));
        // A consumer group of one member need not wait 3 s for others before its first assignment.
        props.put("group.initial.rebalance.delay.ms", "0");
        // The log cleaner (compacted status topics) would otherwise reserve 128 MiB of heap up front.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16L * 1024 * 1024));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.putAll(options.brokerProperties);
        return props;
    }

    /** The equivalent of {@code kafka-storage.sh format -t <random id> -c server.properties} for one directory. */
    private static void format(Path dataDir) throws Exception {
        String clusterId = Uuid.randomUuid().toString();
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setDirectories(List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        LOG.info("formatted Kafka storage in {} (cluster id {})", dataDir, clusterId);
    }

    /** Ready means the broker answers clients and is registered, unfenced, in its own metadata. */
    private static String awaitReady(Admin admin, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                var cluster = admin.describeCluster();
                if (!cluster.nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                    return cluster.clusterId().get(2, TimeUnit.SECONDS);
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("broker not ready within " + timeout + (last == null ? "" : ": " + last));
    }

    private static void stopQuietly(KafkaRaftServer server, Admin admin) {
        try {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
        } catch (RuntimeException e) {
            LOG.warn("error while stopping a broker that failed to start: {}", e.toString());
        }
    }

    private static void deleteIfTemporary(boolean temporary, Path dataDir) {
        if (temporary) {
            try {
                DataDirectories.deleteRecursively(dataDir);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", dataDir, e.toString());
            }
        }
    }

    /**
     * Options of an embedded broker. Each setter validates its argument at once and names the field it rejects.
     * Defaults: any free port, a temporary data directory, 3 partitions, no topic auto-creation, WARN logs.
     */
    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path dataDir;
        private int defaultPartitions = 3;
        private boolean autoCreateTopics;
        private Level logLevel = Level.WARN;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** The client listener's port; 0 picks a free one. */
        public Builder port(int port) {
            this.port = LocalPorts.requireValidPort("port", port);
            return this;
        }

        /** The controller listener's port; 0 picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = LocalPorts.requireValidPort("controllerPort", controllerPort);
            return this;
        }

        /** A persistent data directory (created if missing, formatted if empty); must not be a regular file. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = DataDirectories.requireUsableDirectory("dataDir", dataDir);
            return this;
        }

        /** Use a temporary data directory, deleted on close (the default). */
        public Builder temporaryDataDir() {
            this.dataDir = null;
            return this;
        }

        /** Partitions of topics created without a count; 1..10000. */
        public Builder defaultPartitions(int defaultPartitions) {
            if (defaultPartitions < 1 || defaultPartitions > 10_000) {
                throw new IllegalArgumentException("defaultPartitions must be 1..10000, was " + defaultPartitions);
            }
            this.defaultPartitions = defaultPartitions;
            return this;
        }

        /** Whether producing to or subscribing to an unknown topic creates it (off: topics are explicit). */
        public Builder autoCreateTopics(boolean autoCreateTopics) {
            this.autoCreateTopics = autoCreateTopics;
            return this;
        }

        /** Level of the broker's own loggers ({@link QuietLogs#KAFKA}); WARN by default. */
        public Builder logLevel(Level logLevel) {
            this.logLevel = Objects.requireNonNull(logLevel, "logLevel");
            return this;
        }

        /** How long {@link #start()} waits for the broker to be ready; 1 s..10 min. */
        public Builder startupTimeout(Duration startupTimeout) {
            Objects.requireNonNull(startupTimeout, "startupTimeout");
            if (startupTimeout.compareTo(Duration.ofSeconds(1)) < 0 || startupTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("startupTimeout must be 1 s..10 min, was " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * Any other broker setting (e.g. {@code log.retention.hours}); it overrides the embedded defaults. The
         * node's identity and listeners cannot be changed here.
         */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (List.of("node.id", "process.roles", "listeners", "advertised.listeners", "controller.quorum.voters",
                    "log.dirs", "metadata.log.dir", "controller.listener.names").contains(key)) {
                throw new IllegalArgumentException("brokerProperty " + key + " is managed by the builder");
            }
            brokerProperties.put(key, value);
            return this;
        }

        /** Formats storage if needed, starts the server and waits until it accepts clients. */
        public EmbeddedKafkaBroker start() {
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
            }
            Builder frozen = copy();
            return EmbeddedKafkaBroker.start(frozen);
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.port = port;
            copy.controllerPort = controllerPort;
            copy.dataDir = dataDir;
            copy.defaultPartitions = defaultPartitions;
            copy.autoCreateTopics = autoCreateTopics;
            copy.logLevel = logLevel;
            copy.startupTimeout = startupTimeout;
            copy.brokerProperties.putAll(brokerProperties);
            return copy;
        }
    }
}
