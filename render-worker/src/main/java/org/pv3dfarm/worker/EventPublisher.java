package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.client.JobProducerOptions;
import org.pv3dfarm.protocol.client.JobRecords;

/**
 * The worker's way to the events and dead-letter topics: protocol records ({@link JobRecords}) written with
 * {@code acks=all} and an idempotent producer, so an acknowledged event is on every in-sync replica and a retried
 * send is never written twice.
 *
 * <p>{@link #publish} and {@link #publishDeadLetter} return only once the broker acknowledged the record: the
 * consumer loop commits a request's offset after that and never before. {@link #publishAsync} is for events
 * nothing waits on (started, progress). Thread-safe.
 */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final Duration ackTimeout;

    /** Publishes through a producer this publisher owns from now on (it is closed by {@link #close()}). */
    public EventPublisher(Producer<String, byte[]> producer, Duration ackTimeout) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (ackTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ackTimeout must be at least 1 s, was " + ackTimeout);
        }
    }

    /** A publisher with its own Kafka producer. */
    public static EventPublisher connect(String bootstrapServers, String clientId, Duration ackTimeout) {
        return new EventPublisher(new KafkaProducer<>(producerProperties(bootstrapServers, clientId, ackTimeout)),
                ackTimeout);
    }

    /**
     * The producer settings: the protocol's durable producer ({@code acks=all}, idempotence, String keys, byte
     * bodies) with the delivery and blocking time both bounded by {@code ackTimeout}.
     */
    public static Properties producerProperties(String bootstrapServers, String clientId, Duration ackTimeout) {
        return JobProducerOptions.builder()
                .bootstrapServers(bootstrapServers)
                .clientId(clientId)
                .deliveryTimeout(ackTimeout)
                .maxBlock(ackTimeout)
                .build()
                .toProperties();
    }

    /** Writes the event to the events topic and waits for the broker's acknowledgement. */
    public RecordMetadata publish(JobEvent event, String traceId) throws EventPublishException {
        Objects.requireNonNull(event, "event");
        return await(JobRecords.send(producer, JobRecords.event(event, traceId)),
                event.type() + " event of job " + event.jobId());
    }

    /** Writes the event without waiting; a failure is reported by the future only. */
    public CompletableFuture<RecordMetadata> publishAsync(JobEvent event, String traceId) {
        Objects.requireNonNull(event, "event");
        return JobRecords.send(producer, JobRecords.event(event, traceId));
    }

    /** Writes the dead letter to the dead-letter topic and waits for the broker's acknowledgement. */
    public RecordMetadata publishDeadLetter(DeadLetter deadLetter) throws EventPublishException {
        Objects.requireNonNull(deadLetter, "deadLetter");
        ProducerRecord<String, byte[]> record = JobRecords.deadLetter(deadLetter);
        return await(JobRecords.send(producer, record),
                "dead letter of " + deadLetter.topic() + "-" + deadLetter.partition() + "@" + deadLetter.offset());
    }

    /** Writes a job request record (to a retry or request topic) and waits for the broker's acknowledgement. */
    public RecordMetadata forward(ProducerRecord<String, byte[]> record) throws EventPublishException {
        Objects.requireNonNull(record, "record");
        return await(JobRecords.send(producer, record), "record for " + record.topic() + " (key " + record.key()
                + ")");
    }

    @Override
    public void close() {
        producer.close(ackTimeout);
    }

    private RecordMetadata await(CompletableFuture<RecordMetadata> ack, String what) throws EventPublishException {
        try {
            // The producer gives up after ackTimeout (delivery.timeout.ms); the extra second lets it say why.
            return ack.get(ackTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EventPublishException("the broker did not acknowledge the " + what + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new EventPublishException("no acknowledgement of the " + what + " within " + ackTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventPublishException("interrupted while waiting for the acknowledgement of the " + what, e);
        }
    }
}
