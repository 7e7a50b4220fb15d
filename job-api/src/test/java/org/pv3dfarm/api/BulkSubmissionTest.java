package org.pv3dfarm.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.Topics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /v1/jobs/bulk} against the real broker: a result per item, the good items on Kafka. */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class BulkSubmissionTest {

    private static final String ACME = JobsRoundTripTest.ACME_KEY;
    private static final String TINY = "tiny-test-key-0123456789";

    private static Response bulk(String contentType, String body, String apiKey) {
        var request = given().contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8));
        if (apiKey != null) {
            request = request.header(JobsResource.API_KEY, apiKey);
        }
        return request.when().post("/v1/jobs/bulk");
    }

    @Test
    void aJsonArrayGetsOneResultPerItemAndTheGoodOnesAreOnKafka() {
        String key = "bulk-" + UUID.randomUUID();
        String key2 = "bulk2-" + UUID.randomUUID();
        String body = "[" + String.join(",",
                "{\"kind\":\"generate\",\"frames\":2}",
                "{\"kind\":\"generate\",\"frames\":\"2\"}",
                "{\"kind\":\"generate\",\"frames\":0}",
                "42",
                "{\"kind\":\"generate\",\"idempotency_key\":\"" + key + "\",\"frames\":3}",
                "{\"frames\":3,\"idempotency_key\":\"" + key + "\",\"kind\":\"generate\"}",
                "{\"kind\":\"generate\",\"idempotency_key\":\"" + key2 + "\",\"frames\":3}",
                "{\"kind\":\"generate\",\"idempotency_key\":\"" + key2 + "\",\"frames\":4}",
                "{\"kind\":\"generate\",\"tenant\":\"globex\"}") + "]";
        Response response = bulk("application/json", body, ACME);
        response.then().statusCode(200)
                .body("accepted", equalTo(3))
                .body("replayed", equalTo(1))
                .body("rejected", equalTo(5));
        JsonPath json = response.jsonPath();
        List<Integer> statuses = json.getList("results.status");
        assertEquals(List.of(202, 400, 400, 400, 202, 200, 202, 409, 403), statuses);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), json.getList("results.index"));
        assertEquals("https://pv3dfarm.org/problems/malformed-request", json.getString("results[1].problem.type"));
        assertEquals("frames", json.getString("results[1].problem.errors[0].field"));
        assertEquals("https://pv3dfarm.org/problems/invalid-request", json.getString("results[2].problem.type"));
        assertEquals("https://pv3dfarm.org/problems/idempotency-conflict",
                json.getString("results[7].problem.type"));
        assertEquals("https://pv3dfarm.org/problems/tenant-mismatch", json.getString("results[8].problem.type"));
        assertEquals(json.getString("results[4].job_id"), json.getString("results[5].job_id"),
                "the same key and body in one bulk name one job");
        assertNull(json.get("results[1].job_id"));

        Set<String> onKafka = TestKafka.keys(Topics.GENERATE);
        for (int accepted : new int[] {0, 4, 6}) {
            String jobId = json.getString("results[" + accepted + "].job_id");
            assertTrue(onKafka.contains(jobId), "item " + accepted + " is on Kafka");
            given().header(JobsResource.API_KEY, ACME).when().get(json.getString("results[" + accepted
                    + "].status_url")).then().statusCode(200).body("tenant", equalTo("acme"));
        }
    }

    @Test
    void ndjsonLinesAreItemsAndBlankLinesAreIgnored() {
        StringBuilder body = new StringBuilder();
        int count = 300;
        for (int i = 0; i < count; i++) {
            body.append("{\"kind\":\"generate\",\"seed\":").append(i).append(",\"frames\":2}")
                    .append(i % 2 == 0 ? "\r\n" : "\n");
            if (i % 50 == 0) {
                body.append("\n   \n");
            }
        }
        Response response = bulk(BulkJobsResource.NDJSON, body.toString(), null);
        response.then().statusCode(200).body("accepted", equalTo(count)).body("rejected", equalTo(0));
        List<String> ids = response.jsonPath().getList("results.job_id");
        Set<String> distinct = new HashSet<>(ids);
        assertEquals(count, distinct.size());
        assertTrue(TestKafka.keys(Topics.GENERATE).containsAll(distinct), "every job is on Kafka");
    }

    @Test
    void aBodyThatCannotBeSplitOrIsTooLargeIsRefusedAsAWhole() {
        bulk("application/json", "[{\"kind\":\"generate\"},", null).then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://pv3dfarm.org/problems/malformed-bulk"));
        bulk("application/json", "{\"kind\":\"generate\"}", null).then().statusCode(400)
                .body("type", equalTo("https://pv3dfarm.org/problems/malformed-bulk"));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            items.add("{\"kind\":\"generate\"}");
        }
        bulk("application/json", "[" + String.join(",", items) + "]", null).then().statusCode(413)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://pv3dfarm.org/problems/bulk-too-large"));
        bulk("application/json", "[]", null).then().statusCode(200).body("accepted", equalTo(0));
    }

    @Test
    void quotasApplyPerItemAndACancelledJobFreesItsPlace() {
        String five = "[" + String.join(",", java.util.Collections.nCopies(5, "{\"kind\":\"generate\"}")) + "]";
        Response response = bulk("application/json", five, TINY);
        response.then().statusCode(200).body("accepted", equalTo(3)).body("rejected", equalTo(2));
        assertEquals(List.of(202, 202, 202, 429, 429), response.jsonPath().getList("results.status"));
        assertEquals("https://pv3dfarm.org/problems/quota-exceeded",
                response.jsonPath().getString("results[3].problem.type"));

        given().contentType(ContentType.JSON).header(JobsResource.API_KEY, TINY).body("{\"kind\":\"generate\"}")
                .when().post("/v1/jobs").then().statusCode(429).contentType(Problem.MEDIA_TYPE);
        String first = response.jsonPath().getString("results[0].job_id");
        given().header(JobsResource.API_KEY, TINY).when().post("/v1/jobs/" + first + "/cancel").then()
                .statusCode(202).body("status", equalTo("cancelled"));
        String next = given().contentType(ContentType.JSON).header(JobsResource.API_KEY, TINY)
                .body("{\"kind\":\"generate\"}").when().post("/v1/jobs").then().statusCode(202)
                .extract().path("job_id");
        assertNotEquals(first, next);

        // Frames per job: 33 frames x 2 views = 66 > tiny's 64.
        given().contentType(ContentType.JSON).header(JobsResource.API_KEY, TINY)
                .body("{\"kind\":\"generate\",\"frames\":33,\"views\":[{\"trajectory\":\"orbit\"},"
                        + "{\"trajectory\":\"orbit\"}]}")
                .when().post("/v1/jobs").then().statusCode(429)
                .body("type", equalTo("https://pv3dfarm.org/problems/quota-exceeded"))
                .body("errors[0].field", equalTo("frames"));
    }
}
