package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.client.JobRecords;

/** The farm's topics on an embedded broker, with the reads and writes the worker tests need. */
final class FarmTopics {

    private final EmbeddedKafkaBroker broker;

    FarmTopics(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.all()) {
            topics.add(new NewTopic(name, name.equals(Topics.GENERATE) ? 2 : 1, (short) 1));
        }
        broker.createTopics(topics);
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** A valid queued generate request (small, with a seed), as the job API would write it. */
    static GenerateRequest generate(UUID jobId) {
        return GenerateRequest.builder().jobId(jobId).seed(7L).frames(4).build();
    }

    /** A job id whose record the default partitioner puts on {@code partition} of the two-partition generate topic. */
    static UUID jobOnPartition(int partition) {
        while (true) {
            UUID job = UUID.randomUUID();
            byte[] key = job.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key)) % 2
                    == partition) {
                return job;
            }
        }
    }

    void submit(GenerateRequest request) throws Exception {
        send(JobRecords.request(request, "trace-" + request.jobId()));
    }

    /** Writes whatever bytes, as a broken or hostile producer could. */
    void submitRaw(String topic, String key, byte[] value) throws Exception {
        send(new ProducerRecord<>(topic, key, value));
    }

    /** Writes whatever bytes and headers. */
    void submitRaw(String topic, String key, byte[] value, Map<String, String> headers) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, text) -> record.headers().add(name,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        send(record);
    }

    private void send(ProducerRecord<String, byte[]> record) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(EventPublisher.producerProperties(
                broker.bootstrapServers(), "test-submitter", Duration.ofSeconds(10)))) {
            producer.send(record).get();
        }
    }

    /** Every event of the given jobs, in topic order, once {@code count} have arrived (or fails after 30 s). */
    List<JobEvent> events(int count, Predicate<JobEvent> filter) {
        return read(Topics.EVENTS, count, record -> JobCodec.instance().decodeEvent(record.value()), filter);
    }

    /** Every event on the events topic now, up to its current end. */
    List<JobEvent> allEvents() {
        List<JobEvent> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the events topic to its end " + ends);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(r -> found.add(JobCodec.instance().decodeEvent(r.value())));
            }
        }
        return found;
    }

    List<DeadLetter> deadLetters(int count, Predicate<DeadLetter> filter) {
        return read(Topics.DEAD_LETTER, count, record -> JobCodec.instance().decodeDeadLetter(record.value()), filter);
    }

    /** The group's committed offsets of the generate topic, by partition. */
    Map<Integer, Long> committed(String group) throws Exception {
        try (Admin admin = Admin.create(broker.clientConfig())) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }

    /** The sum of the group's committed offsets of the generate topic (the records it finished). */
    long committedTotal(String group) {
        try {
            return committed(group).values().stream().mapToLong(Long::longValue).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to 30 s for the condition, or fails naming what did not happen. */
    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Total records in the generate topic. */
    long generateRecords() throws Exception {
        Map<String, Object> config = consumerConfig();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.GENERATE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private <T> List<T> read(String topic, int count, java.util.function.Function<ConsumerRecord<String, byte[]>, T> decode,
            Predicate<T> filter) {
        List<T> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    T value = decode.apply(record);
                    if (filter.test(value)) {
                        found.add(value);
                    }
                }
            }
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " records on " + topic + ", found " + found.size() + ": " + found);
        }
        return found;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }
}
