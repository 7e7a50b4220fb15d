package org.pv3dfarm.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.Topics;

/**
 * The webhook dead-letter store: {@link Topics#WEBHOOK_DEAD_LETTER}, keyed by the event id
 * ({@code topic-partition@offset} of the event, the receivers' {@code X-Pv3d-Event-Id}). A given-up delivery is a
 * {@link DeadLetter} of its event (original bytes and headers, the reason); a replay that is delivered writes a
 * tombstone for the key, one that fails again writes a new dead letter. The open dead letters are the topic's last
 * value per key, so they survive API restarts and are the same on every replica (the topic is compacted).
 */
@ApplicationScoped
public class WebhookDeadLetters {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Producer<String, byte[]> producer;
    private final ApiConfig config;

    @Inject
    public WebhookDeadLetters(Producer<String, byte[]> producer, ApiConfig config) {
        this.producer = producer;
        this.config = config;
    }

    /** The id receivers deduplicate on: the event's place on its topic. */
    static String eventId(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    static String eventId(DeadLetter deadLetter) {
        return eventId(deadLetter.topic(), deadLetter.partition(), deadLetter.offset());
    }

    /** Writes the dead letter of a given-up delivery and waits for the broker's acknowledgement. */
    void record(DeadLetter deadLetter) throws Exception {
        send(new ProducerRecord<>(Topics.WEBHOOK_DEAD_LETTER, eventId(deadLetter),
                JobCodec.instance().encode(deadLetter)));
    }

    /** Marks a dead letter as resolved (its replay was delivered). */
    void resolve(String eventId) throws Exception {
        send(new ProducerRecord<>(Topics.WEBHOOK_DEAD_LETTER, eventId, null));
    }

    private void send(ProducerRecord<String, byte[]> record) throws Exception {
        producer.send(record).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The open dead letters (event id -> dead letter, oldest first), read to the topic's end as of now. */
    Map<String, DeadLetter> open() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.kafka().clientId() + "-webhook-dead-letters-"
                + UUID.randomUUID());
        Map<String, DeadLetter> open = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.WEBHOOK_DEAD_LETTER, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("could not read " + Topics.WEBHOOK_DEAD_LETTER + " in " + TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    open.remove(record.key());
                    if (record.value() != null) {
                        open.put(record.key(), JobCodec.instance().decodeDeadLetter(record.value()));
                    }
                }
            }
        }
        return open;
    }
}
