package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pv3dfarm.protocol.ValidationLimits;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * How a {@link KafkaJobProducer} connects. Immutable; build with {@link #builder()}, whose {@code build()} rejects
 * bad values. Durability settings are fixed, not options: {@code acks=all} and idempotence on, so an acknowledged
 * job is on every in-sync replica and a retried send is never written twice.
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param clientId         Kafka client id, shown in broker logs and metrics
 * @param limits           validation bounds for submitted requests
 * @param deliveryTimeout  how long a send may take, retries included, before it fails
 * @param maxBlock         how long {@code send} may block for metadata or buffer space (broker unreachable)
 * @param extraProperties  further producer settings (e.g. security); may not override the fixed ones
 */
public record JobProducerOptions(String bootstrapServers, String clientId, ValidationLimits limits,
                                 Duration deliveryTimeout, Duration maxBlock, Map<String, String> extraProperties) {

    /** Settings the options own; {@code extraProperties} may not set them. */
    public static final Set<String> FIXED = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.CLIENT_ID_CONFIG, ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ProducerConfig.MAX_BLOCK_MS_CONFIG,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);

    public JobProducerOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank() || !bootstrapServers.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
            throw new IllegalArgumentException("bootstrapServers must be host:port[,host:port...], was '"
                    + bootstrapServers + "'");
        }
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(limits, "limits");
        positive(deliveryTimeout, "deliveryTimeout");
        positive(maxBlock, "maxBlock");
        if (deliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("deliveryTimeout must be at least 1 s, was " + deliveryTimeout);
        }
        extraProperties = Map.copyOf(Objects.requireNonNull(extraProperties, "extraProperties"));
        for (String key : extraProperties.keySet()) {
            if (FIXED.contains(key)) {
                throw new IllegalArgumentException("extra property '" + key + "' is fixed by the job producer");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The Kafka producer configuration. */
    public Properties toProperties() {
        Properties props = new Properties();
        props.putAll(extraProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long delivery = deliveryTimeout.toMillis();
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(500, delivery / 2)));
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
        return props;
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Builder with defaults: client id {@code pv3d-job-producer}, default limits, 30 s delivery, 10 s block. */
    public static final class Builder {
        private String bootstrapServers;
        private String clientId = "pv3d-job-producer";
        private ValidationLimits limits = ValidationLimits.defaults();
        private Duration deliveryTimeout = Duration.ofSeconds(30);
        private Duration maxBlock = Duration.ofSeconds(10);
        private final Map<String, String> extraProperties = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder bootstrapServers(String value) {
            bootstrapServers = value;
            return this;
        }

        public Builder clientId(String value) {
            clientId = value;
            return this;
        }

        public Builder limits(ValidationLimits value) {
            limits = value;
            return this;
        }

        public Builder deliveryTimeout(Duration value) {
            deliveryTimeout = value;
            return this;
        }

        public Builder maxBlock(Duration value) {
            maxBlock = value;
            return this;
        }

        public Builder property(String key, String value) {
            extraProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public JobProducerOptions build() {
            return new JobProducerOptions(bootstrapServers, clientId, limits, deliveryTimeout, maxBlock,
                    extraProperties);
        }
    }
}
