package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.HeaderNames;
import org.pv3dfarm.protocol.JobAccepted;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobIds;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobValidationException;
import org.pv3dfarm.protocol.ModelLimits;
import org.pv3dfarm.protocol.Priority;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.ValidationLimits;
import org.pv3dfarm.protocol.ViewSpec;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer client against Kafka's own test double; broker round trips live in the embedded module. */
class KafkaJobProducerTest {

    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    private static final ValidationLimits LIMITS = ValidationLimits.builder()
            .model(new ModelLimits(JobRequest.DEFAULT_MODEL, 64, 64, 128)).build();

    private MockProducer<String, byte[]> mock;
    private KafkaJobProducer producer;

    private void start(boolean autoComplete) {
        mock = new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
        producer = new KafkaJobProducer(mock, LIMITS, Clock.fixed(NOW, ZoneOffset.UTC), () -> 1234L);
    }

    @AfterEach
    void close() {
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void sendsTheQueuedRequestThenTheAcceptedEvent() throws Exception {
        start(true);
        GenerateRequest request = GenerateRequest.builder().tenant("acme").priority(Priority.HIGH)
                .idempotencyKey("order-1").frames(8).views(ViewSpec.orbit(), ViewSpec.yawSweep()).build();
        SubmittedJob job = producer.submitAsync(request, "trace-9").get(5, TimeUnit.SECONDS);

        assertEquals(JobIds.forIdempotencyKey("acme", "order-1"), job.jobId());
        // A high-priority request goes to its kind's high-priority topic.
        assertEquals(Topics.jobs(JobKind.GENERATE, Priority.HIGH), job.topic());
        List<ProducerRecord<String, byte[]>> sent = mock.history();
        assertEquals(2, sent.size());

        ProducerRecord<String, byte[]> record = sent.get(0);
        assertEquals("pv3d.jobs.generate.high", record.topic());
        assertEquals(job.jobId().toString(), record.key());
        assertEquals("1", JobRecords.header(record.headers(), HeaderNames.SCHEMA_VERSION));
        assertEquals("application/json", JobRecords.header(record.headers(), HeaderNames.CONTENT_TYPE));
        assertEquals("acme", JobRecords.header(record.headers(), HeaderNames.TENANT));
        assertEquals("generate", JobRecords.header(record.headers(), HeaderNames.JOB_KIND));
        assertEquals("request", JobRecords.header(record.headers(), HeaderNames.MESSAGE_TYPE));
        assertEquals("high", JobRecords.header(record.headers(), HeaderNames.PRIORITY));
        assertEquals("trace-9", JobRecords.header(record.headers(), HeaderNames.TRACE_ID));
        GenerateRequest queued = (GenerateRequest) JobCodec.instance().decodeRequest(record.value());
        assertEquals(job.jobId(), queued.jobId());
        assertEquals(1234L, queued.seed(), "the farm fixes the seed so that a redelivery renders the same clip");
        assertEquals(request.withJobId(job.jobId()).withSeed(1234L), queued);
        assertEquals(queued, job.request());

        ProducerRecord<String, byte[]> event = sent.get(1);
        assertEquals(Topics.EVENTS, event.topic());
        assertEquals(job.jobId().toString(), event.key());
        assertEquals("accepted", JobRecords.header(event.headers(), HeaderNames.MESSAGE_TYPE));
        JobAccepted accepted = assertInstanceOf(JobAccepted.class,
                JobCodec.instance().decodeEvent(event.value()));
        assertEquals(job.accepted(), accepted);
        assertEquals(NOW, accepted.time());
        assertEquals(JobKind.GENERATE, accepted.kind());
        assertEquals("order-1", accepted.idempotencyKey());
        assertEquals(JobCodec.instance().requestSha256(request), accepted.requestSha256());
    }

    @Test
    void withoutAKeyEveryJobGetsAFreshId() {
        start(true);
        SubmittedJob a = producer.submit(GenerateRequest.builder().seed(1L).build());
        SubmittedJob b = producer.submit(GenerateRequest.builder().seed(1L).build());
        assertTrue(!a.jobId().equals(b.jobId()));
        assertNull(JobRecords.header(mock.history().get(0).headers(), HeaderNames.TENANT));
        assertNull(JobRecords.header(mock.history().get(0).headers(), HeaderNames.TRACE_ID));
    }

    @Test
    void invalidRequestsSendNothing() {
        start(true);
        JobValidationException e = assertThrows(JobValidationException.class,
                () -> producer.submit(GenerateRequest.builder().frames(0).z(List.of(1.0)).build()));
        assertEquals(List.of("z", "frames"), e.violations().stream().map(v -> v.field()).toList());
        assertThrows(JobValidationException.class,
                () -> producer.submit(GenerateRequest.builder().jobId(java.util.UUID.randomUUID()).build()));
        assertTrue(mock.history().isEmpty());
    }

    @Test
    void aRefusedRequestFailsTheSubmissionAndWritesNoAcceptedEvent() {
        start(false);
        CompletableFuture<SubmittedJob> future = producer.submitAsync(GenerateRequest.builder().build(), null);
        mock.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker away"));
        Exception e = assertThrows(Exception.class, () -> future.get(5, TimeUnit.SECONDS));
        assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause());
        assertEquals(1, mock.history().size());
    }

    @Test
    void submitWrapsBrokerFailures() {
        start(false);
        Thread failer = new Thread(() -> {
            while (!mock.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker away"))) {
                Thread.onSpinWait();
            }
        });
        failer.start();
        JobSubmissionException e = assertThrows(JobSubmissionException.class,
                () -> producer.submit(GenerateRequest.builder().build()));
        assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause());
    }

    @Test
    void aLostAcceptedEventDoesNotFailAQueuedJob() throws Exception {
        start(false);
        CompletableFuture<SubmittedJob> future = producer.submitAsync(GenerateRequest.builder().build(), null);
        assertTrue(mock.completeNext());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (mock.history().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(mock.errorNext(new RuntimeException("events topic away")));
        SubmittedJob job = future.get(5, TimeUnit.SECONDS);
        assertEquals(Topics.GENERATE, job.topic());
    }
}
