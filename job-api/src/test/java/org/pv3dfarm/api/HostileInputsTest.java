package org.pv3dfarm.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.Priority;
import org.pv3dfarm.protocol.Topics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input corpus ({@link HostileInputs}) and header abuse: every input gets a 4xx
 * {@code application/problem+json} answer, never a 5xx, a queued job or a dropped connection. Prints
 * {@code hostile_inputs_tried}.
 */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class HostileInputsTest {

    @Test
    void everyHostileInputIsAClearClientError() {
        int before = queuedJobs();
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (HostileInputs.Input input : HostileInputs.all()) {
            Response single = given().contentType("application/json")
                    .body(input.body().getBytes(StandardCharsets.UTF_8)).when().post("/v1/jobs");
            tried++;
            check("single " + input.what(), single, failures);
        }
        // Header abuse: media types, keys, credentials, request ids.
        List<Response> headers = List.of(
                given().contentType("text/plain").body("{\"kind\":\"generate\"}").when().post("/v1/jobs"),
                given().contentType("application/xml").body("<job/>").when().post("/v1/jobs"),
                given().header("X-Api-Key", "x".repeat(8000)).contentType("application/json")
                        .body("{\"kind\":\"generate\"}").when().post("/v1/jobs"),
                given().header("Authorization", "Bearer " + "y".repeat(8000)).when().get("/v1/jobs"),
                given().header("Authorization", "Bearer acme-test-key-012345678").when().get("/v1/jobs"),
                given().header("X-Api-Key", "acme-test-key-0123456789\u0000").when().get("/v1/jobs"),
                given().header("X-Api-Key", "' OR 1=1 --").when().get("/v1/jobs"),
                given().contentType("application/json").header("X-Request-Id", "../../etc\r\nX-Injected: 1")
                        .body("{\"kind\":\"generate\",\"frames\":-1}").when().post("/v1/jobs"),
                given().when().get("/v1/jobs/..%2F..%2Fetc%2Fpasswd"),
                given().when().get("/v1/jobs/00000000-0000-0000-0000-00000000000g"),
                given().when().post("/v1/jobs/not-a-uuid/cancel"),
                given().queryParam("limit", "-1").when().get("/v1/jobs"),
                given().queryParam("cursor", "../../etc").when().get("/v1/jobs"),
                given().contentType("application/x-ndjson").body("{\"kind\":\"generate\"".getBytes())
                        .when().post("/v1/jobs"));
        for (int i = 0; i < headers.size(); i++) {
            tried++;
            check("header abuse " + i, headers.get(i), failures);
        }
        // Uploads: oversized, non-image and disguised content, wrong types, path-traversal names and ids.
        int uploads = HostileUploads.tryAll(HostileInputsTest::failure, failures);
        tried += uploads;
        System.out.println("hostile_inputs_tried " + tried + " (uploads " + uploads + ")");
        assertEquals(List.of(), failures);
        assertTrue(tried >= 500, "the corpus has " + tried + " inputs");
        assertEquals(before, queuedJobs(), "no hostile input queued a job");
    }

    private static int queuedJobs() {
        return TestKafka.keys(Topics.GENERATE).size()
                + TestKafka.keys(Topics.jobs(JobKind.GENERATE, Priority.HIGH)).size();
    }

    private static void check(String what, Response response, List<String> failures) {
        String failure = failure(response);
        if (failure != null) {
            failures.add(what + " -> " + failure);
        }
    }

    /** Why the answer is not a 4xx problem, or null when it is one. */
    static String failure(Response response) {
        int status = response.statusCode();
        String type = response.contentType();
        if (status < 400 || status >= 500 || type == null || !type.startsWith(Problem.MEDIA_TYPE)) {
            return status + " " + type + " " + response.asString();
        }
        return null;
    }
}
