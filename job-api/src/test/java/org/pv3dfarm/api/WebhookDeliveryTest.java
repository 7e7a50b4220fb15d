package org.pv3dfarm.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobFailed;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobProgress;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.ProgressUnit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signed completion webhooks, retried after a failed delivery, only for the tenant's final events. */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void finalEventsArePostedSignedAndRetried() throws Exception {
        UUID done = JobsRoundTripTest.submit("{\"kind\":\"generate\"}", "trace-hook", JobsRoundTripTest.ACME_KEY);
        UUID broken = JobsRoundTripTest.submit("{\"kind\":\"generate\"}", "trace-hook-2", JobsRoundTripTest.ACME_KEY);
        UUID other = JobsRoundTripTest.submit("{\"kind\":\"generate\"}", "trace-hook-3", "globex-test-key-0123456789");
        Instant now = Instant.now();
        String prefix = OutputKeys.prefixFor("acme", done);
        TestKafka.publish(
                new JobProgress(null, done, JobKind.GENERATE, "acme", now, 1, 1, 2, ProgressUnit.FRAMES),
                new JobFailed(null, broken, JobKind.GENERATE, "acme", now, 1, "transient_error", "S3 away", true),
                new JobCompleted(null, other, JobKind.GENERATE, "globex", now, 1, "w", new OutputKeys("outputs",
                        OutputKeys.prefixFor("globex", other) + "manifest.json", List.of(), null, null, null), 1L),
                new JobCompleted(null, done, JobKind.GENERATE, "acme", now, 1, "w", new OutputKeys("outputs",
                        prefix + "manifest.json", List.of(prefix + "video/view-00.mp4"), null, null, null), 5L),
                new JobFailed(null, broken, JobKind.GENERATE, "acme", now, 2, "job_error", "NaN", false));

        await().atMost(WAIT).until(() -> delivered(done) && delivered(broken));
        List<WebhookReceiver.Delivery> forDone = deliveriesOf(done);
        assertEquals(List.of(500, 200), forDone.stream().map(WebhookReceiver.Delivery::answered).toList(),
                "the first answer was 500, so the delivery was retried");
        assertEquals(List.of(1, 2), forDone.stream().map(WebhookReceiver.Delivery::attempt).toList());
        assertEquals(forDone.get(0).eventId(), forDone.get(1).eventId(), "a retry keeps the event id");
        for (WebhookReceiver.Delivery delivery : FarmTestResource.webhooks().deliveries()) {
            assertTrue(WebhookSignature.verify(FarmTestResource.WEBHOOK_SECRET, delivery.signature(),
                    delivery.body()), "signed: " + delivery.signature());
            JobEvent event = JobCodec.instance().decodeEvent(delivery.body());
            assertEquals("acme", event.tenant(), "only the configured tenant's events");
            assertTrue(event instanceof JobCompleted || (event instanceof JobFailed f && !f.retryable()),
                    "only final events: " + event);
        }
        assertEquals("failed", deliveriesOf(broken).get(0).type());
        assertTrue(deliveriesOf(other).isEmpty(), "globex has no webhook");
    }

    private static boolean delivered(UUID job) {
        return deliveriesOf(job).stream().anyMatch(d -> d.answered() == 200);
    }

    private static List<WebhookReceiver.Delivery> deliveriesOf(UUID job) {
        return FarmTestResource.webhooks().deliveries().stream()
                .filter(d -> JobCodec.instance().decodeEvent(d.body()).jobId().equals(job)).toList();
    }
}
