package org.pv3dfarm.api;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.FarmInfrastructure;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.HeaderNames;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobFailed;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobRequests;
import org.pv3dfarm.protocol.JobProgress;
import org.pv3dfarm.protocol.JobStarted;
import org.pv3dfarm.protocol.JobState;
import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.Priority;
import org.pv3dfarm.protocol.ProgressUnit;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.ViewSpec;
import org.pv3dfarm.protocol.client.JobEventSubscriber;
import org.pv3dfarm.protocol.client.JobRecords;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP in, Kafka out, Kafka in, HTTP out: the API against a real broker and a real object store. */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class JobsRoundTripTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    JobStatusStore store;

    static final String ACME_KEY = "acme-test-key-0123456789";

    private static UUID submit(String body, String requestId) {
        return submit(body, requestId, null);
    }

    /** Submits as the tenant of {@code apiKey} (anonymous, the default tenant, when null); expects 202. */
    static UUID submit(String body, String requestId, String apiKey) {
        var request = given().contentType(ContentType.JSON).header("X-Request-Id", requestId).body(body);
        if (apiKey != null) {
            request = request.header(JobsResource.API_KEY, apiKey);
        }
        Response response = request.when().post("/v1/jobs");
        response.then().statusCode(202)
                .body("kind", equalTo("generate"))
                .body("status", equalTo("queued"))
                .body("replayed", equalTo(false));
        UUID jobId = UUID.fromString(response.jsonPath().getString("job_id"));
        assertEquals("/v1/jobs/" + jobId, response.jsonPath().getString("status_url"));
        assertTrue(response.header("Location").endsWith("/v1/jobs/" + jobId), response.header("Location"));
        return jobId;
    }

    @Test
    void submittedJobLandsOnTheGenerateTopicKeyedByJobIdWithHeaders() {
        String body = "{\"kind\":\"generate\",\"tenant\":\"acme\",\"priority\":\"high\",\"frames\":8,"
                + "\"views\":[{\"trajectory\":\"orbit\"},{\"trajectory\":\"fixed\",\"yaw\":1.2,\"pitch\":1.5}],"
                + "\"outputs\":{\"png_frames\":true}}";
        UUID jobId = submit(body, "trace-roundtrip-1", ACME_KEY);

        // High priority: the kind's high-priority topic, so that workers can take it before a backlog.
        ConsumerRecord<String, byte[]> record = TestKafka.awaitRecord(Topics.jobs(JobKind.GENERATE, Priority.HIGH),
                r -> jobId.toString().equals(r.key()), WAIT);
        assertEquals("1", JobRecords.header(record.headers(), HeaderNames.SCHEMA_VERSION));
        assertEquals("acme", JobRecords.header(record.headers(), HeaderNames.TENANT));
        assertEquals("application/json", JobRecords.header(record.headers(), HeaderNames.CONTENT_TYPE));
        assertEquals("trace-roundtrip-1", JobRecords.header(record.headers(), HeaderNames.TRACE_ID));
        assertEquals("generate", JobRecords.header(record.headers(), HeaderNames.JOB_KIND));
        assertEquals("high", JobRecords.header(record.headers(), HeaderNames.PRIORITY));

        GenerateRequest queued = (GenerateRequest) JobCodec.instance().decodeRequest(record.value());
        assertEquals(jobId, queued.jobId());
        assertNotNull(queued.seed(), "the farm fixes a seed so that a redelivery renders the same clip");
        assertEquals(8, queued.frames());
        assertEquals(Priority.HIGH, queued.priority());
        assertEquals(List.of(ViewSpec.orbit(), ViewSpec.fixed(1.2, 1.5)), queued.views());
        assertTrue(queued.outputs().pngFrames());

        ConsumerRecord<String, byte[]> accepted = TestKafka.awaitRecord(Topics.EVENTS,
                r -> jobId.toString().equals(r.key()), WAIT);
        assertEquals("accepted", JobRecords.header(accepted.headers(), HeaderNames.MESSAGE_TYPE));

        given().header(JobsResource.API_KEY, ACME_KEY).when().get("/v1/jobs/" + jobId).then().statusCode(200)
                .body("job_id", equalTo(jobId.toString()))
                .body("status", equalTo("queued"))
                .body("tenant", equalTo("acme"))
                .body("priority", equalTo("high"));
    }

    @Test
    void workerEventsDriveStatusToCompletedWithWorkingPresignedUrls() throws Exception {
        UUID jobId = submit("{\"kind\":\"generate\",\"seed\":7,\"frames\":4}", "trace-roundtrip-2");
        FarmInfrastructure farm = FarmTestResource.farm();
        Map<String, byte[]> objects = Map.of(
                jobId + "/view-00.mp4", "not really an mp4".getBytes(StandardCharsets.UTF_8),
                jobId + "/manifest.json", "{\"frames\":4}".getBytes(StandardCharsets.UTF_8),
                jobId + "/frames/view-00/frame-0001.png", "second frame".getBytes(StandardCharsets.UTF_8),
                jobId + "/mesh/frame-0002.glb", "a mesh".getBytes(StandardCharsets.UTF_8),
                jobId + "/preview/preview.gif", "a gif".getBytes(StandardCharsets.UTF_8));
        try (MinioClient minio = farm.newMinioClient()) {
            for (Map.Entry<String, byte[]> object : objects.entrySet()) {
                minio.putObject(PutObjectArgs.builder().bucket(farm.bucket()).object(object.getKey())
                        .stream(new ByteArrayInputStream(object.getValue()), object.getValue().length, -1)
                        .contentType("application/octet-stream").build());
            }
        }
        Instant now = Instant.now();
        TestKafka.publish(
                new JobStarted(null, jobId, JobKind.GENERATE, null, now, "test-worker", 1),
                new JobProgress(null, jobId, JobKind.GENERATE, null, now, 1, 2, 4, ProgressUnit.FRAMES));
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/v1/jobs/" + jobId).then().statusCode(200)
                .body("status", equalTo("running"))
                .body("progress.done", equalTo(2))
                .body("progress.total", equalTo(4)));

        OutputKeys keys = new OutputKeys(farm.bucket(), jobId + "/manifest.json", List.of(jobId + "/view-00.mp4"),
                jobId + "/frames/", null, null, 2, null, jobId + "/preview/thumbnail.png",
                jobId + "/preview/preview.gif", List.of(jobId + "/mesh/frame-0002.glb"));
        TestKafka.publish(new JobCompleted(null, jobId, JobKind.GENERATE, null, Instant.now(), 1, "test-worker",
                keys, 1500L));
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/v1/jobs/" + jobId).then().statusCode(200)
                .body("status", equalTo("completed")));

        Response status = given().when().get("/v1/jobs/" + jobId);
        status.then()
                .body("progress.done", equalTo(4))
                .body("outputs.bucket", equalTo(farm.bucket()))
                .body("outputs.videos[0].view", equalTo(0))
                .body("outputs.videos[0].key", equalTo(jobId + "/view-00.mp4"))
                .body("outputs.manifest.key", equalTo(jobId + "/manifest.json"))
                .body("outputs.videos[0].url", startsWith(farm.s3Endpoint().toString()))
                .body("outputs.frames[0].frames.size()", equalTo(2))
                .body("outputs.frames[0].frames[1].key", equalTo(jobId + "/frames/view-00/frame-0001.png"))
                .body("outputs.thumbnail.key", equalTo(jobId + "/preview/thumbnail.png"))
                .body("outputs.grid", equalTo(null))
                .body("outputs.depth", equalTo(null));
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("outputs.videos[0]", "outputs.manifest", "outputs.frames[0].frames[1]",
                "outputs.meshes[0]", "outputs.animation")) {
            String key = status.jsonPath().getString(path + ".key");
            String url = status.jsonPath().getString(path + ".url");
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, download.statusCode(), () -> url + " -> " + new String(download.body()));
            assertArrayEquals(objects.get(key), download.body(), key);
            HttpResponse<byte[]> unsigned = http.send(HttpRequest.newBuilder(
                    URI.create(url.substring(0, url.indexOf('?')))).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertTrue(unsigned.statusCode() >= 400, "the bucket itself must not be public");
        }
    }

    @Test
    void failuresAreReported() throws Exception {
        UUID jobId = submit("{\"kind\":\"generate\",\"seed\":8}", "trace-roundtrip-3");
        TestKafka.publish(new JobFailed(null, jobId, JobKind.GENERATE, null, Instant.now(), 1, "model_error",
                "the model produced NaN", false));
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/v1/jobs/" + jobId).then().statusCode(200)
                .body("status", equalTo("failed"))
                .body("error.code", equalTo("model_error"))
                .body("error.retryable", equalTo(false)));
    }

    @Test
    void idempotencyKeyReturnsTheSameJobOrConflicts() {
        String key = "order-" + UUID.randomUUID();
        String body = "{\"kind\":\"generate\",\"idempotency_key\":\"" + key + "\",\"frames\":3}";
        UUID first = submit(body, "trace-idem");
        // Field order and defaults do not matter: the same request is the same request.
        given().contentType(ContentType.JSON)
                .body("{\"frames\":3,\"fps\":25,\"kind\":\"generate\",\"idempotency_key\":\"" + key + "\"}")
                .when().post("/v1/jobs").then().statusCode(200)
                .body("job_id", equalTo(first.toString()))
                .body("replayed", equalTo(true));
        Response conflict = given().contentType(ContentType.JSON)
                .body("{\"kind\":\"generate\",\"idempotency_key\":\"" + key + "\",\"frames\":4}")
                .when().post("/v1/jobs");
        conflict.then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://pv3dfarm.org/problems/idempotency-conflict"))
                .body("errors[0].field", equalTo("idempotency_key"));
    }

    @Test
    void idempotencySurvivesARestartBecauseKafkaHoldsTheKeyAndTheDigest() throws Exception {
        String key = "restart-" + UUID.randomUUID();
        String body = "{\"kind\":\"generate\",\"idempotency_key\":\"" + key + "\",\"frames\":5}";
        UUID first = submit(body, "trace-idem-restart", ACME_KEY);

        // What a restarted API (or another replica) knows: only what it folds from the events topic.
        JobStatusStore rebuilt = new JobStatusStore();
        JobStatusFollower follower = new JobStatusFollower(rebuilt, () -> JobEventSubscriber.fromBeginning(
                FarmTestResource.farm().kafkaBootstrapServers(), "test-idem-restart"));
        follower.start();
        try {
            await().atMost(WAIT).until(() -> rebuilt.caughtUp() && rebuilt.get(first).isPresent());
            IdempotencyGuard guard = new IdempotencyGuard(rebuilt);
            JobRequest same = JobCodec.instance().decodeRequest(("{\"kind\":\"generate\",\"tenant\":\"acme\","
                    + "\"frames\":5,\"idempotency_key\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8));
            IdempotencyGuard.Decision decision = guard.decide(same);
            assertEquals(new IdempotencyGuard.Replay(first, JobState.QUEUED), decision);
            JobRequest other = JobRequests.withTenant(JobCodec.instance().decodeRequest(
                    body.replace("\"frames\":5", "\"frames\":6").getBytes(StandardCharsets.UTF_8)), "acme");
            ProblemException conflict = assertThrows(ProblemException.class, () -> guard.decide(other));
            assertEquals(ProblemType.IDEMPOTENCY_CONFLICT, conflict.type());
            JobRequest otherTenant = JobCodec.instance().decodeRequest(body.getBytes(StandardCharsets.UTF_8));
            assertInstanceOf(IdempotencyGuard.Fresh.class, guard.decide(otherTenant),
                    "the same key of another tenant is another job");
        } finally {
            follower.stop();
        }
    }

    @Test
    void statusRebuiltFromTheTopicAgreesWithTheLiveStore() throws Exception {
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(submit("{\"kind\":\"generate\",\"seed\":" + i + "}", "trace-rebuild-" + i));
        }
        TestKafka.publish(new JobStarted(null, jobs.get(0), JobKind.GENERATE, null, Instant.now(), "w", 1),
                new JobFailed(null, jobs.get(1), JobKind.GENERATE, null, Instant.now(), 1, "storage_error",
                        "S3 away", true));
        await().atMost(WAIT).until(() -> store.get(jobs.get(0)).map(s -> s.state() == JobState.RUNNING)
                .orElse(false) && store.get(jobs.get(1)).map(s -> s.failureCode() != null).orElse(false));

        // A fresh API replica (or this one after a restart) starts from nothing and reads the topic.
        JobStatusStore rebuilt = new JobStatusStore();
        JobStatusFollower follower = new JobStatusFollower(rebuilt, () -> JobEventSubscriber.fromBeginning(
                FarmTestResource.farm().kafkaBootstrapServers(), "test-rebuild"));
        follower.start();
        try {
            await().atMost(WAIT).until(rebuilt::caughtUp);
            for (UUID job : jobs) {
                JobStatus live = store.get(job).orElseThrow();
                JobStatus fresh = rebuilt.get(job).orElseThrow(() -> new AssertionError("rebuild lost " + job));
                assertEquals(live, fresh, "status of " + job);
            }
            assertEquals(JobState.RUNNING, rebuilt.get(jobs.get(0)).orElseThrow().state());
            assertEquals(JobState.QUEUED, rebuilt.get(jobs.get(2)).orElseThrow().state());
            assertTrue(rebuilt.size() >= jobs.size());
        } finally {
            follower.stop();
        }
    }
}
