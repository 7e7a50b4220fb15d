package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobCodecException;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * Reads every job event from the beginning of {@link Topics#EVENTS}, all partitions, without a consumer group (so
 * every reader sees everything and commits nothing): the way to rebuild job status, or to wait for a job in a
 * test or a demo. Partitions added later are picked up. Events that cannot be decoded (a newer writer, a
 * corrupt record) are logged, counted and skipped, so one bad record cannot stall status.
 *
 * <p>Like the Kafka consumer it wraps, it is for one thread.
 */
public final class JobEventSubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobEventSubscriber.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

    private final Consumer<String, byte[]> consumer;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Map<TopicPartition, Long> catchUpTargets = new HashMap<>();
    private long lastRefreshNanos;
    private boolean topicChecked;
    private long undecodable;

    /** Wraps a consumer that this subscriber owns (and closes); it must not be subscribed or assigned. */
    public JobEventSubscriber(Consumer<String, byte[]> consumer) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /** A subscriber with its own consumer. */
    public static JobEventSubscriber fromBeginning(String bootstrapServers, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return new JobEventSubscriber(new KafkaConsumer<>(props));
    }

    /**
     * Waits up to {@code timeout} for events and returns them in topic order per partition (so in order per
     * job). Broker trouble is logged and yields an empty list; the next poll tries again.
     */
    public List<JobEvent> poll(Duration timeout) {
        try {
            refreshPartitions(timeout);
            if (assigned.isEmpty()) {
                sleep(timeout);
                return List.of();
            }
            List<JobEvent> events = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
                try {
                    events.add(JobCodec.instance().decodeEvent(record.value()));
                } catch (JobCodecException e) {
                    undecodable++;
                    LOG.warn("skipping undecodable event at {}-{}@{}: {}", record.topic(), record.partition(),
                            record.offset(), e.getMessage());
                }
            }
            return events;
        } catch (WakeupException e) {
            return List.of();
        } catch (KafkaException e) {
            LOG.warn("polling {} failed, will retry: {}", Topics.EVENTS, e.toString());
            return List.of();
        }
    }

    /**
     * Whether every event that existed when the partitions were first seen has been read: after this, status
     * built from the events is as current as the broker was at start. True when the topic does not exist.
     */
    public boolean caughtUp() {
        if (!topicChecked) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> target : catchUpTargets.entrySet()) {
            if (consumer.position(target.getKey(), Duration.ofSeconds(5)) < target.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** How many records could not be decoded and were skipped. */
    public long undecodable() {
        return undecodable;
    }

    private void refreshPartitions(Duration timeout) {
        long now = System.nanoTime();
        if (topicChecked && now - lastRefreshNanos < PARTITION_REFRESH.toNanos()) {
            return;
        }
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.EVENTS, timeout.plusSeconds(5));
        lastRefreshNanos = now;
        topicChecked = true;
        Set<TopicPartition> added = new HashSet<>();
        if (infos != null) {
            for (PartitionInfo info : infos) {
                TopicPartition tp = new TopicPartition(info.topic(), info.partition());
                if (!assigned.contains(tp)) {
                    added.add(tp);
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        assigned.addAll(added);
        consumer.assign(assigned);
        consumer.seekToBeginning(added);
        catchUpTargets.putAll(consumer.endOffsets(added, timeout.plusSeconds(5)));
        LOG.debug("reading {} from the beginning: {} partition(s)", Topics.EVENTS, assigned.size());
    }

    private static void sleep(Duration timeout) {
        try {
            Thread.sleep(Math.min(timeout.toMillis(), 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes a blocked {@link #poll}; the only method safe to call from another thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
