package org.pv3dfarm.api;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.FarmInfrastructure;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.OutputKeys;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys map to tenants, and no endpoint lets one tenant see or touch another's jobs or objects. */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class TenantIsolationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACME = JobsRoundTripTest.ACME_KEY;
    private static final String GLOBEX = "globex-test-key-0123456789";

    private static UUID submitAs(String apiKey, String body) {
        return JobsRoundTripTest.submit(body, "trace-tenants", apiKey);
    }

    @Test
    void anotherTenantsJobIsInvisibleToEveryEndpoint() {
        UUID job = submitAs(ACME, "{\"kind\":\"generate\",\"frames\":2}");
        given().header(JobsResource.API_KEY, ACME).when().get("/v1/jobs/" + job).then().statusCode(200)
                .body("tenant", equalTo("acme"));

        for (var other : List.of(given().header(JobsResource.API_KEY, GLOBEX), given())) {
            other.when().get("/v1/jobs/" + job).then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo("https://pv3dfarm.org/problems/job-not-found"));
        }
        given().header(JobsResource.API_KEY, GLOBEX).when().post("/v1/jobs/" + job + "/cancel").then()
                .statusCode(404);
        given().header(JobsResource.API_KEY, GLOBEX).queryParam("limit", 500).when().get("/v1/jobs").then()
                .statusCode(200).body("jobs.job_id", not(hasItem(job.toString())));
        given().queryParam("limit", 500).when().get("/v1/jobs").then()
                .statusCode(200).body("jobs.job_id", not(hasItem(job.toString())));
        given().header(JobsResource.API_KEY, ACME).when().get("/v1/jobs/" + job).then().statusCode(200)
                .body("status", equalTo("queued"));
        given().header("Authorization", "Bearer " + ACME).queryParam("limit", 500).when().get("/v1/jobs").then()
                .statusCode(200).body("jobs.job_id", hasItem(job.toString()));
    }

    @Test
    void keysAreCheckedAndABodyCannotClaimAnotherTenant() {
        given().header(JobsResource.API_KEY, "no-such-key-0123456789").when().get("/v1/jobs").then()
                .statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://pv3dfarm.org/problems/unauthorized"));
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON)
                .body("{\"kind\":\"generate\"}").when().post("/v1/jobs").then().statusCode(401);
        given().header(JobsResource.API_KEY, GLOBEX).contentType(ContentType.JSON)
                .body("{\"kind\":\"generate\",\"tenant\":\"acme\"}").when().post("/v1/jobs").then()
                .statusCode(403).body("errors[0].field", equalTo("tenant"));
        given().contentType(ContentType.JSON).body("{\"kind\":\"generate\",\"tenant\":\"acme\"}")
                .when().post("/v1/jobs").then().statusCode(403);
        // The same idempotency key of two tenants names two jobs.
        String body = "{\"kind\":\"generate\",\"idempotency_key\":\"shared-" + UUID.randomUUID() + "\"}";
        assertNotEquals(submitAs(ACME, body), submitAs(GLOBEX, body));
    }

    @Test
    void outputsAreUnderTheTenantsPrefixAndOnlyThoseAreSigned() throws Exception {
        UUID job = submitAs(ACME, "{\"kind\":\"generate\",\"seed\":3,\"frames\":2}");
        UUID forged = submitAs(ACME, "{\"kind\":\"generate\",\"seed\":4,\"frames\":2}");
        String prefix = OutputKeys.prefixFor("acme", job);
        assertEquals("tenants/acme/" + job + "/", prefix);
        FarmInfrastructure farm = FarmTestResource.farm();
        byte[] manifest = "{\"frames\":2}".getBytes(StandardCharsets.UTF_8);
        try (MinioClient minio = farm.newMinioClient()) {
            for (String key : List.of(prefix + "manifest.json", prefix + "video/view-00.mp4")) {
                minio.putObject(PutObjectArgs.builder().bucket(farm.bucket()).object(key)
                        .stream(new ByteArrayInputStream(manifest), manifest.length, -1).build());
            }
        }
        TestKafka.publish(
                new JobCompleted(null, job, JobKind.GENERATE, "acme", Instant.now(), 1, "w", new OutputKeys(
                        farm.bucket(), prefix + "manifest.json", List.of(prefix + "video/view-00.mp4"), null, null,
                        null), 10L),
                // A completed event pointing into another tenant's objects (a bug or a forgery).
                new JobCompleted(null, forged, JobKind.GENERATE, "acme", Instant.now(), 1, "w", new OutputKeys(
                        farm.bucket(), "tenants/globex/x/manifest.json", List.of("tenants/globex/x/v.mp4"), null,
                        null, null), 10L));
        await().atMost(WAIT).untilAsserted(() -> given().header(JobsResource.API_KEY, ACME).when()
                .get("/v1/jobs/" + forged).then().body("status", equalTo("completed")));

        Response status = given().header(JobsResource.API_KEY, ACME).when().get("/v1/jobs/" + job);
        status.then().statusCode(200).body("status", equalTo("completed"));
        String url = status.jsonPath().getString("outputs.manifest.url");
        assertTrue(url.contains("/tenants/acme/" + job + "/manifest.json"), url);
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        given().header(JobsResource.API_KEY, ACME).when().get("/v1/jobs/" + forged).then().statusCode(200)
                .body("outputs", nullValue());
        given().header(JobsResource.API_KEY, GLOBEX).when().get("/v1/jobs/" + job).then().statusCode(404);
    }
}
