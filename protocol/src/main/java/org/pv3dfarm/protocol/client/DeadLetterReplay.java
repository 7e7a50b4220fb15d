package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.HeaderNames;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobCodecException;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.Priority;
import org.pv3dfarm.protocol.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Puts dead-lettered job requests back on their request topic, after the cause (a bug, a missing model, an
 * outage longer than the retries) is fixed. The original key and bytes are sent unchanged, so the job keeps its id
 * and renders the same output; the record gets {@link HeaderNames#ATTEMPT} one past the attempt that failed (which
 * lets the job's status leave {@code failed}, see {@code JobStatus}) and {@link HeaderNames#REPLAYED_FROM}.
 */
public final class DeadLetterReplay {

    private DeadLetterReplay() {
    }

    /**
     * The record that re-queues a dead letter, or empty when it did not come from a request or retry topic (or had
     * no key): those are not job requests and need a person, not a replay.
     */
    public static Optional<ProducerRecord<String, byte[]>> recordFor(DeadLetter deadLetter, String dlqPosition) {
        JobKind kind = Topics.kindOf(deadLetter.topic());
        if (kind == null || deadLetter.key() == null) {
            return Optional.empty();
        }
        Map<String, String> original = deadLetter.headers();
        Priority priority = Priority.HIGH.wireName().equals(original.get(HeaderNames.PRIORITY)) ? Priority.HIGH
                : Priority.NORMAL;
        Headers headers = new RecordHeaders();
        original.forEach((name, value) -> {
            if (!name.equals(HeaderNames.ATTEMPT) && !name.equals(HeaderNames.NOT_BEFORE)
                    && !name.equals(HeaderNames.REPLAYED_FROM)) {
                headers.add(name, utf8(value));
            }
        });
        headers.add(HeaderNames.ATTEMPT, utf8(Integer.toString(failedAttempt(original) + 1)));
        headers.add(HeaderNames.REPLAYED_FROM, utf8(dlqPosition));
        return Optional.of(new ProducerRecord<>(Topics.jobs(kind, priority), null, deadLetter.key(),
                deadLetter.payload(), headers));
    }

    /**
     * Reads {@link Topics#DEAD_LETTER} from the beginning to its end as of now (the consumer is assigned every
     * partition; it needs no group) and replays the dead letters that {@code which} accepts; returns how many were
     * replayed once the broker acknowledged all of them.
     */
    public static int replay(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
                             Predicate<DeadLetter> which, Duration timeout) throws Exception {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER, timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        List<CompletableFuture<?>> sent = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("could not read " + Topics.DEAD_LETTER + " to its end in " + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                    continue; // dead-lettered after the replay started
                }
                DeadLetter deadLetter;
                try {
                    deadLetter = JobCodec.instance().decodeDeadLetter(record.value());
                } catch (JobCodecException e) {
                    continue; // not a dead letter of ours
                }
                if (which.test(deadLetter)) {
                    String position = record.topic() + "-" + record.partition() + "@" + record.offset();
                    recordFor(deadLetter, position).ifPresent(r -> sent.add(JobRecords.send(producer, r)));
                }
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        return sent.size();
    }

    private static int failedAttempt(Map<String, String> headers) {
        try {
            return Math.max(1, Integer.parseInt(headers.getOrDefault(HeaderNames.ATTEMPT, "1")));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
