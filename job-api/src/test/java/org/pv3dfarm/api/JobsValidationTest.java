package org.pv3dfarm.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a 4xx problem+json that names the field; nothing reaches Kafka. */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class JobsValidationTest {

    private static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/jobs");
    }

    private static void assertProblem(Response response, int status, String type, String field) {
        response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://pv3dfarm.org/problems/" + type))
                .body("status", equalTo(status))
                .body("title", not(equalTo("")))
                .body("detail", not(equalTo("")));
        if (field != null) {
            List<String> fields = response.jsonPath().getList("errors.field");
            assertTrue(fields.contains(field), () -> "expected " + field + " in " + response.asString());
            List<String> messages = response.jsonPath().getList("errors.message");
            assertTrue(messages.stream().noneMatch(String::isBlank), response.asString());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {                                                            | malformed-request |
            not json                                                     | malformed-request |
            []                                                           | malformed-request |
            {}                                                           | malformed-request | kind
            {"kind":"teleport"}                                          | malformed-request | kind
            {"kind":"generate","colour":"red"}                           | malformed-request | colour
            {"kind":"generate","frames":"16"}                            | malformed-request | frames
            {"kind":"generate","frames":16.5}                            | malformed-request | frames
            {"kind":"generate","z":[NaN]}                                | malformed-request | z
            {"kind":"generate","z":[0.1,"x"]}                            | malformed-request | z[1]
            {"kind":"generate","views":[{"trajectory":"spiral"}]}        | malformed-request | views[0].trajectory
            {"kind":"generate","priority":"urgent"}                      | malformed-request | priority
            {"kind":"generate","frames":1,"frames":2}                    | malformed-request |
            {"kind":"generate","frames":-4}                              | invalid-request   | frames
            {"kind":"generate","frames":0}                               | invalid-request   | frames
            {"kind":"generate","frames":100000}                          | invalid-request   | frames
            {"kind":"generate","fps":0}                                  | invalid-request   | fps
            {"kind":"generate","views":[]}                               | invalid-request   | views
            {"kind":"generate","views":[null]}                           | invalid-request   | views[0]
            {"kind":"generate","views":[{"trajectory":"fixed","yaw":1}]} | invalid-request   | views[0].pitch
            {"kind":"generate","views":[{"trajectory":"fixed","yaw":1e400,"pitch":1}]} | invalid-request | views[0].yaw
            {"kind":"generate","z":[0.1,0.2]}                            | invalid-request   | z
            {"kind":"generate","truncation_psi":-1}                      | invalid-request   | truncation_psi
            {"kind":"generate","resolution":512}                         | invalid-request   | resolution
            {"kind":"generate","model":"pv3d-giant"}                     | invalid-request   | model
            {"kind":"generate","job_id":"0b6f2c55-8f7e-4d55-9a55-0e6b7d1c2a10"} | invalid-request | job_id
            {"kind":"generate","tenant":"Not OK"}                        | invalid-request   | tenant
            {"kind":"generate","outputs":{"grid":true}}                  | invalid-request   | outputs.grid
            {"kind":"generate","outputs":{"mesh":{"frames":[16]}}}       | invalid-request   | outputs.mesh.frames[0]
            {"kind":"generate","outputs":{"mesh":{"frames":[0],"resolution":512}}} | invalid-request | outputs.mesh.resolution
            {"kind":"generate","outputs":{"preview_format":"png"}}       | malformed-request | outputs.preview_format
            {"kind":"generate","views":[{"trajectory":"orbit","conditioning":true},{"trajectory":"orbit","conditioning":true}]} | invalid-request | views[1].conditioning
            {"kind":"animate","seed":1}                                   | invalid-request   | input_key
            {"kind":"animate","input_key":"inputs/u/a.png","motions":9}  | invalid-request   | motions
            {"kind":"reconstruct","input_key":"inputs/u/a.mp4","fit_frames":0} | invalid-request | fit_frames
            {"kind":"retarget","input_key":"inputs/u/a.png"}              | invalid-request   | motion_source_job_id
            {"kind":"edit","seeds":[1],"motion_edit":{"toward":[0.5]}}    | invalid-request   | motion_edit.toward
            {"kind":"edit","seeds":[1],"outputs":{"mesh":{"frames":[0],"resolution":300}}} | invalid-request | outputs.mesh.resolution
            """)
    void badRequestsAreProblems(String body, String type, String field) {
        assertProblem(post(body), 400, type, field);
    }

    @Test
    void aSourceJobMustBeACompletedJobOfTheSameTenant() {
        String unknown = java.util.UUID.randomUUID().toString();
        Response none = post("{\"kind\":\"edit\",\"source_job_ids\":[\"" + unknown + "\"]}");
        assertProblem(none, 404, "input-not-found", "source_job_ids[0]");
        none.then().body("errors[0].message", containsString("no job " + unknown + " of this tenant"));

        // no worker runs in these tests: a submitted job stays queued
        String queued = post("{\"kind\":\"generate\",\"seed\":3,\"frames\":1}").then().statusCode(202)
                .extract().path("job_id");
        Response unfinished = post("{\"kind\":\"retarget\",\"source_job_id\":\"" + queued
                + "\",\"z_motion\":" + java.util.Collections.nCopies(64, 0.0) + "}");
        assertProblem(unfinished, 422, "input-not-usable", "source_job_id");
        unfinished.then().body("errors[0].message", containsString("is queued"));

        Response otherTenant = given().contentType(ContentType.JSON).header("X-Api-Key", "acme-test-key-0123456789")
                .body("{\"kind\":\"animate\",\"source_job_id\":\"" + queued + "\",\"seed\":1}")
                .when().post("/v1/jobs");
        assertProblem(otherTenant, 404, "input-not-found", "source_job_id");
        otherTenant.then().body("errors[0].message", containsString("no job " + queued + " of this tenant"));
    }

    @Test
    void everyViolationIsListed() {
        Response response = post("{\"kind\":\"generate\",\"frames\":0,\"fps\":0,\"views\":["
                + "{\"trajectory\":\"fixed\",\"yaw\":9,\"pitch\":9}]}");
        assertProblem(response, 400, "invalid-request", null);
        assertEquals(List.of("frames", "fps", "views[0].yaw", "views[0].pitch"),
                response.jsonPath().getList("errors.field"));
        response.then().body("detail", containsString("(and 3 more)"));
    }

    @Test
    void hugeArraysAreBoundedNotStored() {
        String z = String.join(",", Collections.nCopies(50_000, "0.5"));
        Response response = post("{\"kind\":\"generate\",\"z\":[" + z + "]}");
        assertProblem(response, 400, "invalid-request", "z");
        response.then().body("errors[0].message", containsString("must have 64 values"));
    }

    @Test
    void oversizedBodiesAreProblemsToo() {
        String padding = "x".repeat(1_100_000);
        assertProblem(post("{\"kind\":\"generate\",\"tenant\":\"" + padding + "\"}"), 400, "malformed-request", "");
    }

    @Test
    void bodiesOverTheHttpLimitAreRefused() throws Exception {
        // Over quarkus.http.limits.max-body-size (16M, sized for bulk bodies; single bodies over 1 MB get the
        // codec's 400 above). The declared length is refused before any body is read, so none is sent: writing
        // 17 MB into a connection the server already answered would only fail with a broken pipe.
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 17000000\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
    }

    @Test
    void wrongContentTypeIs415Problem() {
        given().contentType(ContentType.TEXT).body("{\"kind\":\"generate\"}").when().post("/v1/jobs").then()
                .statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("https://pv3dfarm.org/problems/unsupported-media-type"));
    }

    @Test
    void unknownJobIs404Problem() {
        Response response = given().when().get("/v1/jobs/" + UUID.randomUUID());
        assertProblem(response, 404, "job-not-found", null);
    }

    @Test
    void nonUuidJobIdIs400Problem() {
        assertProblem(given().when().get("/v1/jobs/not-a-uuid"), 400, "invalid-job-id", "id");
    }

    @Test
    void unknownRoutesAreProblemsToo() {
        given().when().delete("/v1/jobs/" + UUID.randomUUID()).then().statusCode(405)
                .contentType("application/problem+json").body("status", equalTo(405));
        given().when().get("/v2/nothing").then().statusCode(404)
                .header("Content-Type", startsWith("application/problem+json"));
    }

    @Test
    void problemsCountInMetrics() {
        post("{\"kind\":\"generate\",\"frames\":0}");
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("pv3d_api_requests_rejected_total{problem=\"invalid_request\""));
    }
}
