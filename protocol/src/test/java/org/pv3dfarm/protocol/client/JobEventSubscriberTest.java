package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobStarted;
import org.pv3dfarm.protocol.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobEventSubscriberTest {

    private static final TopicPartition P0 = new TopicPartition(Topics.EVENTS, 0);
    private static final TopicPartition P1 = new TopicPartition(Topics.EVENTS, 1);

    private static PartitionInfo info(int partition) {
        Node node = new Node(0, "localhost", 9092);
        return new PartitionInfo(Topics.EVENTS, partition, node, new Node[]{node}, new Node[]{node});
    }

    private static JobStarted started(UUID job) {
        return new JobStarted(null, job, JobKind.GENERATE, null, Instant.parse("2026-01-01T00:00:00Z"), "w", 1);
    }

    @Test
    void readsEveryPartitionFromTheBeginningSkipsGarbageAndKnowsWhenCaughtUp() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updatePartitions(Topics.EVENTS, List.of(info(0), info(1)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 2L, P1, 1L));
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        consumer.schedulePollTask(() -> {
            consumer.addRecord(new ConsumerRecord<>(Topics.EVENTS, 0, 0, a.toString(),
                    JobCodec.instance().encode(started(a))));
            consumer.addRecord(new ConsumerRecord<>(Topics.EVENTS, 0, 1, a.toString(),
                    "{not json".getBytes(StandardCharsets.UTF_8)));
            consumer.addRecord(new ConsumerRecord<>(Topics.EVENTS, 1, 0, b.toString(),
                    JobCodec.instance().encode(started(b))));
        });
        try (JobEventSubscriber subscriber = new JobEventSubscriber(consumer)) {
            assertFalse(subscriber.caughtUp());
            List<JobEvent> events = subscriber.poll(Duration.ofMillis(100));
            // Order holds per partition (per job), not across partitions.
            assertEquals(java.util.Set.of(a, b), java.util.Set.copyOf(events.stream().map(JobEvent::jobId).toList()));
            assertEquals(2, events.size());
            assertEquals(1, subscriber.undecodable());
            assertTrue(subscriber.caughtUp());
            assertEquals(2, consumer.assignment().size());
        }
    }

    @Test
    void aMissingTopicMeansNothingToCatchUpOn() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        try (JobEventSubscriber subscriber = new JobEventSubscriber(consumer)) {
            assertTrue(subscriber.poll(Duration.ofMillis(10)).isEmpty());
            assertTrue(subscriber.caughtUp());
        }
    }

    @Test
    void brokerTroubleYieldsNothingAndDoesNotThrow() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updatePartitions(Topics.EVENTS, List.of(info(0)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 0L));
        consumer.setPollException(new org.apache.kafka.common.KafkaException("broker away"));
        try (JobEventSubscriber subscriber = new JobEventSubscriber(consumer)) {
            assertTrue(subscriber.poll(Duration.ofMillis(10)).isEmpty());
        }
    }
}
