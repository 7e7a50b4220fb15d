package org.pv3dfarm.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.HeaderNames;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.client.JobRecords;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code GET /v1/jobs} (filters, pagination) and {@code POST /v1/jobs/{id}/cancel} on the real broker. */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class JobListingAndCancelTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LISTER = "lister-test-key-0123456789";

    @Test
    void pagesCoverEveryJobOnceNewestFirstAndFiltersApply() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String priority = i % 2 == 0 ? "normal" : "high";
            submitted.add(JobsRoundTripTest.submit("{\"kind\":\"generate\",\"priority\":\"" + priority + "\"}",
                    "trace-list-" + i, LISTER).toString());
        }
        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().header(JobsResource.API_KEY, LISTER).queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/v1/jobs");
            page.then().statusCode(200);
            listed.addAll(page.jsonPath().getList("jobs.job_id"));
            cursor = page.jsonPath().getString("next_cursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(5, listed.size());
        assertEquals(new java.util.HashSet<>(submitted), new java.util.HashSet<>(listed), "each job exactly once");
        List<String> newestFirst = new ArrayList<>(submitted);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, listed, "newest first (the jobs were submitted one after another)");

        given().header(JobsResource.API_KEY, LISTER).queryParam("priority", "high").when().get("/v1/jobs").then()
                .statusCode(200).body("jobs.size()", equalTo(2)).body("jobs[0].priority", equalTo("high"));
        given().header(JobsResource.API_KEY, LISTER).when().post("/v1/jobs/" + submitted.get(0) + "/cancel")
                .then().statusCode(202);
        given().header(JobsResource.API_KEY, LISTER).queryParam("status", "cancelled").when().get("/v1/jobs")
                .then().statusCode(200).body("jobs.size()", equalTo(1))
                .body("jobs[0].job_id", equalTo(submitted.get(0)));
        given().header(JobsResource.API_KEY, LISTER).queryParam("status", "queued").queryParam("kind", "generate")
                .when().get("/v1/jobs").then().statusCode(200).body("jobs.size()", equalTo(4));

        for (String[] bad : new String[][] {{"status", "sleeping"}, {"limit", "0"}, {"limit", "x"},
                {"cursor", "bm9wZQ"}, {"kind", "paint"}}) {
            given().header(JobsResource.API_KEY, LISTER).queryParam(bad[0], bad[1]).when().get("/v1/jobs").then()
                    .statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo("https://pv3dfarm.org/problems/invalid-query"))
                    .body("errors[0].field", equalTo(bad[0]));
        }
    }

    @Test
    void cancelWritesACancelledEventAndIsFinal() throws Exception {
        UUID job = JobsRoundTripTest.submit("{\"kind\":\"generate\",\"frames\":2}", "trace-cancel", null);
        given().when().post("/v1/jobs/" + job + "/cancel").then().statusCode(202)
                .body("status", equalTo("cancelled"));
        ConsumerRecord<String, byte[]> event = TestKafka.awaitRecord(Topics.EVENTS, r -> job.toString().equals(r.key())
                && "cancelled".equals(JobRecords.header(r.headers(), HeaderNames.MESSAGE_TYPE)), WAIT);
        assertNull(JobRecords.header(event.headers(), HeaderNames.TENANT), "the default tenant has no header");
        given().when().post("/v1/jobs/" + job + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        given().when().get("/v1/jobs/" + job).then().statusCode(200).body("status", equalTo("cancelled"));

        UUID done = JobsRoundTripTest.submit("{\"kind\":\"generate\",\"frames\":2}", "trace-cancel-done", null);
        TestKafka.publish(new JobCompleted(null, done, JobKind.GENERATE, null, Instant.now(), 1, "w",
                new OutputKeys(FarmTestResource.farm().bucket(), done + "/manifest.json", List.of(done + "/video/view-00.mp4"), null, null, null),
                5L));
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/v1/jobs/" + done).then()
                .body("status", equalTo("completed")));
        given().when().post("/v1/jobs/" + done + "/cancel").then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://pv3dfarm.org/problems/job-finished"));
        given().when().post("/v1/jobs/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    }
}
