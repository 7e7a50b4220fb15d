package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.HeaderNames;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.SchemaVersion;
import org.pv3dfarm.protocol.Topics;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Builds the Kafka records of the protocol — topic, key, headers, body — so that every producer writes them the
 * same way. Keys are the job id as a string (so one job's records share a partition); bodies are
 * {@link JobCodec} JSON.
 */
public final class JobRecords {

    private JobRecords() {
    }

    /** The record for a queued request (its {@code job_id} must be set), on its kind's topic for its priority. */
    public static ProducerRecord<String, byte[]> request(JobRequest queued, String traceId) {
        UUID jobId = queued.jobId();
        if (jobId == null) {
            throw new IllegalArgumentException("a queued request needs a job id");
        }
        Headers headers = common(queued.kind(), queued.tenant(), HeaderNames.REQUEST_TYPE, traceId);
        headers.add(HeaderNames.PRIORITY, utf8(queued.priority().wireName()));
        return new ProducerRecord<>(Topics.jobs(queued.kind(), queued.priority()), null, jobId.toString(),
                JobCodec.instance().encode(queued), headers);
    }

    /** The record for an event on {@link Topics#EVENTS}. */
    public static ProducerRecord<String, byte[]> event(JobEvent event, String traceId) {
        Headers headers = common(event.kind(), event.tenant(), event.type(), traceId);
        return new ProducerRecord<>(Topics.EVENTS, null, event.jobId().toString(),
                JobCodec.instance().encode(event), headers);
    }

    /** The record for a dead letter on {@link Topics#DEAD_LETTER}, keyed like the original record. */
    public static ProducerRecord<String, byte[]> deadLetter(DeadLetter deadLetter) {
        Headers headers = new RecordHeaders();
        headers.add(HeaderNames.SCHEMA_VERSION, utf8(Integer.toString(SchemaVersion.CURRENT)));
        headers.add(HeaderNames.CONTENT_TYPE, utf8(HeaderNames.JSON));
        headers.add(HeaderNames.MESSAGE_TYPE, utf8(HeaderNames.DEAD_LETTER_TYPE));
        copy(deadLetter, HeaderNames.TENANT, headers);
        copy(deadLetter, HeaderNames.TRACE_ID, headers);
        copy(deadLetter, HeaderNames.JOB_KIND, headers);
        return new ProducerRecord<>(Topics.DEAD_LETTER, null, deadLetter.key(),
                JobCodec.instance().encode(deadLetter), headers);
    }

    /** The last value of a header as UTF-8, or {@code null} when absent. */
    public static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Sends and adapts the callback to a future; a synchronous failure of {@code send} fails the future too. */
    public static CompletableFuture<RecordMetadata> send(Producer<String, byte[]> producer,
                                                         ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static Headers common(JobKind kind, String tenant, String messageType, String traceId) {
        Headers headers = new RecordHeaders();
        headers.add(HeaderNames.SCHEMA_VERSION, utf8(Integer.toString(SchemaVersion.CURRENT)));
        headers.add(HeaderNames.CONTENT_TYPE, utf8(HeaderNames.JSON));
        headers.add(HeaderNames.MESSAGE_TYPE, utf8(messageType));
        headers.add(HeaderNames.JOB_KIND, utf8(kind.wireName()));
        if (tenant != null) {
            headers.add(HeaderNames.TENANT, utf8(tenant));
        }
        if (traceId != null) {
            headers.add(HeaderNames.TRACE_ID, utf8(traceId));
        }
        return headers;
    }

    private static void copy(DeadLetter deadLetter, String name, Headers to) {
        String value = deadLetter.headers().get(name);
        if (value != null) {
            to.add(name, utf8(value));
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
