package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.pv3dfarm.protocol.JobEvent;

import java.util.concurrent.CompletableFuture;

/**
 * Writes job events to the events topic, keyed by job id with the protocol headers. The future completes when
 * the broker acknowledged the event. Implementations are thread-safe.
 */
public interface JobEventPublisher {

    /**
     * @param traceId the job's trace id, or {@code null}
     */
    CompletableFuture<RecordMetadata> publish(JobEvent event, String traceId);
}
