package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.pv3dfarm.protocol.JobEvent;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@link JobEventPublisher} on a Kafka producer that the caller owns (and closes); configure that producer with
 * {@code acks=all} and idempotence, as {@link JobProducerOptions#toProperties()} does.
 */
public final class KafkaJobEventPublisher implements JobEventPublisher {

    private final Producer<String, byte[]> producer;

    public KafkaJobEventPublisher(Producer<String, byte[]> producer) {
        this.producer = Objects.requireNonNull(producer, "producer");
    }

    @Override
    public CompletableFuture<RecordMetadata> publish(JobEvent event, String traceId) {
        return JobRecords.send(producer, JobRecords.event(event, traceId));
    }
}
