package org.pv3dfarm.api;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.FarmInfrastructure;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.OutputKeys;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention on the embedded stack with tiny durations: tenant {@code brief} keeps outputs and uploads 1 s and
 * finished jobs 2 s ({@code %test.pv3d.retention.tenants.brief.*}); acme has the defaults (7 d, 30 d).
 */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class RetentionApiTest {

    private static final String BRIEF = "brief-test-key-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RetentionSweeper sweeper;

    private static UUID completedJob(String apiKey, String tenant, MinioClient minio, String bucket)
            throws Exception {
        UUID job = JobsRoundTripTest.submit("{\"kind\":\"generate\",\"frames\":2}", "trace-retention", apiKey);
        String prefix = OutputKeys.prefixFor(tenant, job);
        byte[] bytes = "{}".getBytes();
        for (String key : List.of(prefix + "manifest.json", prefix + "video/view-00.mp4")) {
            minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        }
        TestKafka.publish(new JobCompleted(null, job, JobKind.GENERATE, tenant, Instant.now(), 1, "w",
                new OutputKeys(bucket, prefix + "manifest.json", List.of(prefix + "video/view-00.mp4"), null, null,
                        null), 10L));
        await().atMost(WAIT).untilAsserted(() -> given().header(JobsResource.API_KEY, apiKey).when()
                .get("/v1/jobs/" + job).then().body("status", equalTo("completed")));
        return job;
    }

    private static boolean exists(MinioClient minio, String bucket, String key) {
        try {
            minio.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void outputsExpireThenTheSweepDeletesThemThenTheJobLeavesStatus() throws Exception {
        FarmInfrastructure farm = FarmTestResource.farm();
        try (MinioClient minio = farm.newMinioClient()) {
            UUID brief = completedJob(BRIEF, "brief", minio, farm.bucket());
            UUID acme = completedJob(JobsRoundTripTest.ACME_KEY, "acme", minio, farm.bucket());
            String briefManifest = OutputKeys.prefixFor("brief", brief) + "manifest.json";
            String acmeManifest = OutputKeys.prefixFor("acme", acme) + "manifest.json";

            await().atMost(WAIT).untilAsserted(() -> given().header(JobsResource.API_KEY, BRIEF).when()
                    .get("/v1/jobs/" + brief).then().statusCode(200).body("status", equalTo("completed"))
                    .body("outputs_expired", equalTo(true)).body("outputs", nullValue()));
            given().header(JobsResource.API_KEY, JobsRoundTripTest.ACME_KEY).when().get("/v1/jobs/" + acme).then()
                    .body("outputs_expired", equalTo(false)).body("outputs.manifest.url", notNullValue());

            RetentionSweeper.Sweep sweep = sweeper.sweep(Instant.now().plusSeconds(2));
            assertTrue(sweep.outputsDeleted() >= 2, sweep.toString());
            assertFalse(exists(minio, farm.bucket(), briefManifest));
            assertTrue(exists(minio, farm.bucket(), acmeManifest));

            await().atMost(WAIT).untilAsserted(() -> given().header(JobsResource.API_KEY, BRIEF).when()
                    .get("/v1/jobs/" + brief).then().statusCode(404));
            given().header(JobsResource.API_KEY, BRIEF).queryParam("limit", 500).when().get("/v1/jobs").then()
                    .statusCode(200).body("jobs.job_id", not(hasItem(brief.toString())));
            given().header(JobsResource.API_KEY, JobsRoundTripTest.ACME_KEY).when().get("/v1/jobs/" + acme).then()
                    .statusCode(200);
        }
    }

    @Test
    void uploadsPastTheirRetentionAreDeletedWithTheirRecord() {
        byte[] png = UploadsTest.png(128);
        String id = UploadsApiTest.create(BRIEF, "image/png", png.length).jsonPath().getString("upload.upload_id");
        given().header(JobsResource.API_KEY, BRIEF).contentType("image/png").body(png).when()
                .put("/v1/uploads/" + id).then().statusCode(200).body("state", equalTo("ready"));
        RetentionSweeper.Sweep sweep = sweeper.sweep(Instant.now().plusSeconds(3));
        assertTrue(sweep.uploadsDeleted() >= 2, sweep.toString());
        given().header(JobsResource.API_KEY, BRIEF).when().get("/v1/uploads/" + id).then().statusCode(404);
    }
}
