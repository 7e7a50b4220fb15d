package org.pv3dfarm.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.OutputKeys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A webhook given up after its retries is dead-lettered with the reason, listed for its tenant, and replayable. */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class WebhookDeadLetterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GLOBEX_KEY = "globex-test-key-0123456789";

    @Test
    void aDeliveryGivenUpIsDeadLetteredListedForItsTenantAndReplayed() throws Exception {
        UUID job = JobsRoundTripTest.submit("{\"kind\":\"generate\"}", "trace-dead-hook", JobsRoundTripTest.ACME_KEY);
        FarmTestResource.webhooks().refuse(job);
        String prefix = OutputKeys.prefixFor("acme", job);
        TestKafka.publish(new JobCompleted(null, job, JobKind.GENERATE, "acme", Instant.now(), 1, "w",
                new OutputKeys("outputs", prefix + "manifest.json", List.of(prefix + "video/view-00.mp4"), null,
                        null, null), 5L));

        await().atMost(WAIT).until(() -> deadLettersOf(JobsRoundTripTest.ACME_KEY, job).size() == 1);
        Map<String, Object> entry = deadLettersOf(JobsRoundTripTest.ACME_KEY, job).get(0);
        assertEquals("completed", entry.get("event_type"));
        String reason = (String) entry.get("reason");
        assertTrue(reason.contains("given up after 6 attempts") && reason.contains("HTTP 503"), reason);
        String eventId = (String) entry.get("event_id");
        long refusals = FarmTestResource.webhooks().deliveries().stream()
                .filter(d -> d.eventId().equals(eventId)).count();
        assertEquals(6, refusals, "every attempt reached the endpoint");
        assertTrue(deadLettersOf(GLOBEX_KEY, job).isEmpty(), "another tenant does not see it");
        assertEquals(0, replay(GLOBEX_KEY).getInt("replayed"), "nor replay it");

        FarmTestResource.webhooks().accept(job);
        JsonPath replay = replay(JobsRoundTripTest.ACME_KEY);
        assertTrue(replay.getInt("delivered") >= 1, replay.prettify());
        WebhookReceiver.Delivery last = FarmTestResource.webhooks().deliveries().stream()
                .filter(d -> d.eventId().equals(eventId)).reduce((a, b) -> b).orElseThrow();
        assertEquals(200, last.answered(), "the replay was delivered under the original event id");
        assertTrue(WebhookSignature.verify(FarmTestResource.WEBHOOK_SECRET, last.signature(), last.body()));
        assertTrue(deadLettersOf(JobsRoundTripTest.ACME_KEY, job).isEmpty(), "a delivered replay leaves the list");
    }

    private static List<Map<String, Object>> deadLettersOf(String apiKey, UUID job) {
        List<Map<String, Object>> all = given().header(JobsResource.API_KEY, apiKey).when()
                .get("/v1/webhooks/dead-letters").then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(e -> job.toString().equals(e.get("job_id"))).toList();
    }

    private static JsonPath replay(String apiKey) {
        return given().header(JobsResource.API_KEY, apiKey).when().post("/v1/webhooks/dead-letters/replay").then()
                .statusCode(200).extract().jsonPath();
    }
}
