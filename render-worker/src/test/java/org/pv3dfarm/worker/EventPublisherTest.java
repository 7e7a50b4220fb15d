package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.SchemaVersion;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.client.DeadLetters;

class EventPublisherTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void anAcknowledgedEventIsOnTheEventsTopicKeyedByJobId() throws Exception {
        UUID jobId = UUID.randomUUID();
        var layout = OutputKeyLayout.forJob(jobId);
        JobCompleted completed = new JobCompleted(SchemaVersion.CURRENT, jobId, JobKind.GENERATE, null, NOW, 1,
                "worker-1", layout.outputKeys("outputs", 1, false, false), 1234L);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
                EventPublisher publisher = EventPublisher.connect(broker.bootstrapServers(), "publisher-test",
                        Duration.ofSeconds(10))) {
            FarmTopics topics = new FarmTopics(broker);
            var ack = publisher.publish(completed, "trace-1");
            assertEquals(Topics.EVENTS, ack.topic());
            assertEquals(List.of(completed), topics.events(1, e -> e.jobId().equals(jobId)));

            ConsumerRecord<String, byte[]> original = new ConsumerRecord<>(Topics.GENERATE, 1, 42L, 0L,
                    TimestampType.CREATE_TIME, 0, 0, jobId.toString(), "{oops".getBytes(StandardCharsets.UTF_8),
                    new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
            DeadLetter deadLetter = DeadLetters.of(original, "malformed JSON", null, "test", NOW);
            publisher.publishDeadLetter(deadLetter);
            DeadLetter read = topics.deadLetters(1, d -> jobId.equals(d.jobId())).get(0);
            assertEquals(42L, read.offset());
            assertArrayEquals("{oops".getBytes(StandardCharsets.UTF_8), read.payload());
        }
    }

    @Test
    void withoutABrokerThePublisherFailsWithinItsAckTimeoutInsteadOfHanging() {
        int port;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
            port = broker.port();
        }
        try (EventPublisher publisher = EventPublisher.connect("127.0.0.1:" + port, "publisher-test",
                Duration.ofSeconds(1))) {
            long started = System.nanoTime();
            var event = new JobCompleted(SchemaVersion.CURRENT, UUID.randomUUID(), JobKind.GENERATE, null, NOW, 1,
                    "w", OutputKeyLayout.forJob(UUID.randomUUID()).outputKeys("b", 1, false, false), null);
            assertThrows(EventPublishException.class, () -> publisher.publish(event, null));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
        }
    }

    @Test
    void theProducerIsDurable() {
        var props = EventPublisher.producerProperties("127.0.0.1:9092", "w", Duration.ofSeconds(30));
        assertEquals(Map.of("acks", "all", "idempotence", "true"), Map.of(
                "acks", props.get(ProducerConfig.ACKS_CONFIG), "idempotence", props.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)));
    }
}
