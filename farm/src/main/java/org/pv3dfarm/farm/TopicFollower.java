package org.pv3dfarm.farm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one topic from the beginning, every partition, without a consumer group, into a list, on its own thread
 * until closed: what a downstream reader of completions or dead letters sees. It keeps reading across a broker
 * restart (the consumer reconnects); records it cannot decode are counted and skipped.
 */
final class TopicFollower<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final List<T> records = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile long undecodable;

    private TopicFollower(String bootstrapServers, String topic, Function<byte[], T> decoder) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "follower-" + topic), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(() -> follow(decoder), "follower-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts following {@code topic}, which must exist. */
    static <T> TopicFollower<T> start(String bootstrapServers, String topic, Function<byte[], T> decoder) {
        return new TopicFollower<>(bootstrapServers, topic, decoder);
    }

    /** Everything read so far, in the order read. */
    List<T> records() {
        return records;
    }

    long undecodable() {
        return undecodable;
    }

    private void follow(Function<byte[], T> decoder) {
        try {
            while (running.get()) {
                try {
                    for (var record : consumer.poll(Duration.ofMillis(200))) {
                        try {
                            records.add(decoder.apply(record.value()));
                        } catch (RuntimeException e) {
                            undecodable++;
                        }
                    }
                } catch (WakeupException e) {
                    return;
                } catch (KafkaException e) {
                    LOG.warn("following failed for a moment: {}", e.toString());
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
