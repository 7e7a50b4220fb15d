package org.pv3dfarm.worker;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.Priority;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.ValidationLimits;

/**
 * How a {@link JobConsumerLoop} consumes. Immutable; {@link #builder()} validates each value and names the field
 * it rejects. The consumer settings that make the loop's guarantees hold are fixed, not options:
 * {@code enable.auto.commit=false} (offsets are committed by the loop after each job) and
 * {@code auto.offset.reset=earliest} (a new group starts at the oldest queued job, none is skipped). A shorter
 * {@code max.poll.interval.ms} (the classic protocol's rebalance timeout) shortens the heartbeat to fit it
 * ({@link GroupHeartbeat}).
 */
public final class WorkerOptions {

    /** Consumer settings owned by the loop; {@link Builder#consumerProperty} may not set them. */
    public static final Set<String> FIXED = Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.CLIENT_ID_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** Retries of jobs that fail with a {@link RetryableJobException}: 3 attempts, pauses from 1 s up to 30 s. */
    public static final RetryPolicy DEFAULT_JOB_RETRY = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final String bootstrapServers;
    private final String groupId;
    private final String workerId;
    private final String clientId;
    private final Set<JobKind> kinds;
    private final ValidationLimits limits;
    private final Duration pollTimeout;
    private final Duration shutdownGrace;
    private final Duration ackTimeout;
    private final RetryPolicy jobRetry;
    private final Map<String, String> consumerProperties;

    private WorkerOptions(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.groupId = b.groupId;
        this.workerId = b.workerId;
        this.clientId = b.clientId != null ? b.clientId : b.workerId;
        this.kinds = Set.copyOf(b.kinds);
        this.limits = b.limits;
        this.pollTimeout = b.pollTimeout;
        this.shutdownGrace = b.shutdownGrace;
        this.ackTimeout = b.ackTimeout;
        this.jobRetry = b.jobRetry;
        this.consumerProperties = GroupHeartbeat.fitted(Map.copyOf(b.consumerProperties));
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The consumer group: workers of one group share the jobs, each job goes to one of them. */
    public String groupId() {
        return groupId;
    }

    /** This worker's name in events, dead letters and the Kafka client id. */
    public String workerId() {
        return workerId;
    }

    /** The Kafka client id of this loop's consumer: the worker id unless one worker runs several loops. */
    public String clientId() {
        return clientId;
    }

    /** The job kinds this worker runs; it consumes their request topics. */
    public Set<JobKind> kinds() {
        return kinds;
    }

    /** The topics consumed: per kind, the normal, high-priority and retry topics ({@link Topics}). */
    public List<String> topics() {
        return kinds.stream().sorted()
                .flatMap(kind -> Stream.of(Topics.jobs(kind, Priority.NORMAL), Topics.jobs(kind, Priority.HIGH),
                        Topics.retry(kind)))
                .toList();
    }

    /** Bounds every request is validated against before it runs. */
    public ValidationLimits limits() {
        return limits;
    }

    /** How long one poll waits; also how often a running job's loop checks for shutdown. */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    /** How long {@link JobConsumerLoop#close()} lets a running job finish before releasing it. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** How long to wait for the broker to acknowledge an event or dead letter. */
    public Duration ackTimeout() {
        return ackTimeout;
    }

    /** Attempts and pauses for jobs that fail with a {@link RetryableJobException}. */
    public RetryPolicy jobRetry() {
        return jobRetry;
    }

    /** The Kafka consumer configuration. */
    public Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(consumerProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /**
     * Defaults: group {@code pv3d-render-worker}, worker id {@code worker-PID}, generate jobs, default limits,
     * 200 ms polls, 30 s shutdown grace, 30 s acknowledgements, 3 attempts for retryable failures (pauses 1..30 s).
     */
    public static final class Builder {
        private String bootstrapServers;
        private String groupId = "pv3d-render-worker";
        private String workerId = "worker-" + ManagementFactory.getRuntimeMXBean().getPid();
        private String clientId;
        private Set<JobKind> kinds = EnumSet.of(JobKind.GENERATE);
        private ValidationLimits limits = ValidationLimits.defaults();
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private Duration ackTimeout = Duration.ofSeconds(30);
        private RetryPolicy jobRetry = DEFAULT_JOB_RETRY;
        private final Map<String, String> consumerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** {@code host:port[,host:port...]}. */
        public Builder bootstrapServers(String value) {
            Objects.requireNonNull(value, "bootstrapServers");
            if (!value.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
                throw new IllegalArgumentException("bootstrapServers must be host:port[,host:port...], was '" + value + "'");
            }
            bootstrapServers = value;
            return this;
        }

        public Builder groupId(String value) {
            groupId = name("groupId", value);
            return this;
        }

        /**
         * The consumer's client id when it differs from the worker id (one per loop of a worker); 1..128 characters
         * of A-Z a-z 0-9 . _ -.
         */
        public Builder clientId(String value) {
            clientId = name("clientId", value);
            return this;
        }

        public Builder workerId(String value) {
            workerId = name("workerId", value);
            return this;
        }

        public Builder kinds(Set<JobKind> value) {
            Objects.requireNonNull(value, "kinds");
            if (value.isEmpty()) {
                throw new IllegalArgumentException("kinds must name at least one job kind");
            }
            kinds = EnumSet.copyOf(value);
            return this;
        }

        public Builder limits(ValidationLimits value) {
            limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** 10 ms..5 s. */
        public Builder pollTimeout(Duration value) {
            pollTimeout = within("pollTimeout", value, Duration.ofMillis(10), Duration.ofSeconds(5));
            return this;
        }

        /** 0..1 h; 0 releases a running job at once. */
        public Builder shutdownGrace(Duration value) {
            shutdownGrace = within("shutdownGrace", value, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        /** 1 s..10 min. */
        public Builder ackTimeout(Duration value) {
            ackTimeout = within("ackTimeout", value, Duration.ofSeconds(1), Duration.ofMinutes(10));
            return this;
        }

        public Builder jobRetry(RetryPolicy value) {
            jobRetry = Objects.requireNonNull(value, "jobRetry");
            return this;
        }

        /** A further Kafka consumer setting (e.g. {@code group.protocol}, security); not one of {@link #FIXED}. */
        public Builder consumerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (FIXED.contains(key)) {
                throw new IllegalArgumentException("consumer property '" + key + "' is fixed by the worker");
            }
            consumerProperties.put(key, value);
            return this;
        }

        /** Also rejects a heartbeat interval that does not fit the rebalance timeout ({@link GroupHeartbeat}). */
        public WorkerOptions build() {
            if (bootstrapServers == null) {
                throw new IllegalArgumentException("bootstrapServers must be set");
            }
            return new WorkerOptions(this);
        }

        private static String name(String field, String value) {
            Objects.requireNonNull(value, field);
            if (!NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(field + " must be 1..128 characters of A-Z a-z 0-9 . _ -, was '"
                        + value + "'");
            }
            return value;
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
