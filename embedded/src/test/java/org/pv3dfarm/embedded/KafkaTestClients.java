package org.pv3dfarm.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the round-trip tests: a producer that waits for every ack, a consumer that reads N. */
final class KafkaTestClients {

    private KafkaTestClients() {
    }

    /** Sends key=value pairs in order and waits for each acknowledgement (acks=all). */
    static void produce(String bootstrapServers, String topic, Map<String, String> keyValues) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (var entry : keyValues.entrySet()) {
                producer.send(new ProducerRecord<>(topic, entry.getKey(), entry.getValue())).get();
            }
        }
    }

    /**
     * Reads {@code count} records as member of {@code group}, starting where the group left off (or at the
     * earliest offset), commits what it read, and returns them. Fails if they do not arrive within 30 s.
     */
    static List<ConsumerRecord<String, String>> consume(String bootstrapServers, String topic, String group,
            int count) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, count);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.commitSync();
        }
        if (records.size() < count) {
            throw new AssertionError("expected " + count + " records on " + topic + ", got " + records.size());
        }
        return records;
    }
}
