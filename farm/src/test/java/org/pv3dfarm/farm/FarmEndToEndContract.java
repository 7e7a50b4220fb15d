package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.client.JobEventSubscriber;

/**
 * The farm end to end, as a user meets it: the launcher's {@link Farm} on some infrastructure, the job API as a
 * real child process, the real worker with the committed tiny model, and only HTTP, Kafka and S3 from outside.
 * Subclasses choose the infrastructure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FarmEndToEndContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAMES = 8;
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    /**
     * Mean absolute difference (0..255 per sample) above which two frames count as different (frames 1 and 8 of the
     * tiny model's orbit differ by about 9).
     */
    private static final double DIFFERENT = 2.0;

    private final HttpClient http = HttpClient.newHttpClient();
    private FarmOptions options;
    private Farm farm;
    private Path dataDir;
    /** The job rendered by the first test, read again after restarts. */
    private UUID renderedJob;
    private JsonNode renderedOutputs;

    /** The infrastructure under test. */
    abstract FarmOptions.Builder infrastructure(FarmOptions.Builder options);

    @BeforeAll
    void startFarm(@TempDir Path dir) {
        dataDir = dir;
        options = infrastructure(FarmOptions.builder()
                .dataDir(dir)
                .apiPort(PortRequest.exactly(0))
                .kafkaPort(PortRequest.exactly(0))
                .s3Port(PortRequest.exactly(0))
                .apiJar(Path.of(System.getProperty(JobApiJar.PROPERTY, JobApiJar.RELATIVE_PATH))))
                .build();
        farm = Farm.start(options);
    }

    /** Stops the whole farm and starts it again on the same data directory (new ports). */
    void restartFarm() {
        farm.close();
        farm = Farm.start(options);
    }

    @AfterAll
    void stopFarm() {
        if (farm != null) {
            farm.close();
            assertFalse(farm.jobApi().isAlive(), "closing the farm stops the API process");
        }
    }

    @Test
    @Order(1)
    void aGenerateJobSubmittedOverHttpEndsAsH264VideosInTheBucket() throws Exception {
        String request = """
                {"kind": "generate", "seed": 7, "frames": %d,
                 "views": [{"trajectory": "orbit"}, {"trajectory": "fixed", "yaw": 2.2, "pitch": 1.5708}]}
                """.formatted(FRAMES);
        HttpResponse<String> submitted = post(request);
        assertEquals(202, submitted.statusCode(), submitted.body());
        JsonNode accepted = JSON.readTree(submitted.body());
        UUID jobId = UUID.fromString(accepted.path("job_id").asText());
        assertEquals("queued", accepted.path("status").asText());
        assertEquals("/v1/jobs/" + jobId, submitted.headers().firstValue("Location").map(l -> URI.create(l)
                .getPath()).orElseThrow());

        JsonNode status = awaitTerminal(jobId);
        assertEquals("completed", status.path("status").asText(), status.toString());
        assertEquals(FRAMES * 2, status.path("progress").path("done").asInt(), status.toString());
        JsonNode outputs = status.path("outputs");
        String bucket = outputs.path("bucket").asText();
        assertEquals(farm.backends().objectStore().bucket(), bucket);
        assertEquals(2, outputs.path("videos").size(), outputs.toString());

        int resolution = ModelLocator.loadDefault().config().outputResolution();
        List<DecodedMp4> views = new ArrayList<>();
        try (MinioClient s3 = farm.backends().newMinioClient()) {
            for (JsonNode video : outputs.path("videos")) {
                String key = video.path("key").asText();
                assertTrue(key.startsWith(jobId + "/") && key.endsWith(".mp4"), key);
                byte[] stored = read(s3, bucket, key);
                HttpResponse<byte[]> presigned = get(video.path("url").asText());
                assertEquals(200, presigned.statusCode(), "presigned URL of " + key);
                assertArrayEquals(stored, presigned.body(), "the presigned URL serves the stored object");

                Path file = Files.write(dataDir.resolve(jobId + "-" + video.path("view").asInt() + ".mp4"), stored);
                DecodedMp4 decoded = DecodedMp4.decode(file);
                assertEquals(avcodec.AV_CODEC_ID_H264, decoded.codecId(), "codec " + decoded.codecName());
                assertEquals(FRAMES, decoded.frames().size(), "frames of " + key);
                assertEquals(resolution, decoded.width());
                assertEquals(resolution, decoded.height());
                views.add(decoded);
            }
            HttpResponse<byte[]> manifest = get(outputs.path("manifest").path("url").asText());
            assertEquals(200, manifest.statusCode());
            assertEquals(JSON.readTree(read(s3, bucket, outputs.path("manifest").path("key").asText())),
                    JSON.readTree(manifest.body()));
        }

        for (DecodedMp4 view : views) {
            List<byte[]> frames = view.frames();
            double overTime = DecodedMp4.difference(frames.get(0), frames.get(FRAMES - 1));
            assertTrue(overTime > DIFFERENT, "frames change over time: first vs last differ by " + overTime);
        }
        double acrossViews = 0;
        for (int i = 0; i < FRAMES; i++) {
            acrossViews += DecodedMp4.difference(views.get(0).frames().get(i), views.get(1).frames().get(i)) / FRAMES;
        }
        assertTrue(acrossViews > DIFFERENT, "the two views differ, by " + acrossViews + " on average");

        JobCompleted completed = completionEvent(jobId);
        OutputKeys keys = completed.outputs();
        assertEquals(bucket, keys.bucket());
        assertEquals(outputs.path("manifest").path("key").asText(), keys.manifestKey());
        List<String> statusKeys = new ArrayList<>();
        outputs.path("videos").forEach(v -> statusKeys.add(v.path("key").asText()));
        assertEquals(statusKeys, keys.videoKeys());

        renderedJob = jobId;
        renderedOutputs = outputs;
    }

    @Test
    @Order(2)
    void anInvalidRequestIsAProblemThatNamesTheField() throws Exception {
        assertProblemNaming(post("{\"kind\": \"generate\", \"frames\": 0}"), "frames");
        assertProblemNaming(post("{\"kind\": \"generate\", \"views\": [{\"trajectory\": \"fixed\", \"yaw\": 1}]}"),
                "views[0].pitch");
        assertProblemNaming(post("{\"kind\": \"generate\", \"frames\": \"many\"}"), "frames");
    }

    @Test
    @Order(3)
    void statusSurvivesARestartOfTheApiProcess() throws Exception {
        assertNotNull(renderedJob, "needs the job rendered by the first test");
        JobApiProcess before = farm.jobApi();
        before.kill();
        assertFalse(before.isAlive());
        JobApiProcess after = farm.restartJobApi();
        assertNotEquals(before.pid(), after.pid());
        assertRenderedJobStillCompleted();
    }

    @Test
    @Order(4)
    void everyOutputOfAJobIsPresignedInItsStatus() throws Exception {
        String request = """
                {"kind": "generate", "seed": 9, "frames": 3,
                 "views": [{"trajectory": "yaw_sweep", "conditioning": true}, {"trajectory": "fixed", "yaw": 1.2,
                            "pitch": 1.5708}],
                 "outputs": {"png_frames": true, "depth": true, "grid": true, "preview": true,
                             "preview_format": "webp", "mesh": {"frames": [2], "resolution": 16, "threshold": 0}}}
                """;
        HttpResponse<String> submitted = post(request);
        assertEquals(202, submitted.statusCode(), submitted.body());
        UUID jobId = UUID.fromString(JSON.readTree(submitted.body()).path("job_id").asText());
        JsonNode status = awaitTerminal(jobId);
        assertEquals("completed", status.path("status").asText(), status.toString());
        JsonNode outputs = status.path("outputs");

        List<JsonNode> links = new ArrayList<>();
        outputs.path("videos").forEach(links::add);
        for (String list : List.of("frames", "depth")) {
            assertEquals(2, outputs.path(list).size(), list);
            outputs.path(list).forEach(view -> {
                assertEquals(3, view.path("frames").size(), list);
                view.path("frames").forEach(links::add);
            });
        }
        for (String single : List.of("manifest", "grid", "thumbnail", "animation")) {
            assertTrue(outputs.path(single).has("url"), single + " in " + outputs);
            links.add(outputs.path(single));
        }
        assertEquals(2, outputs.path("meshes").size(), "PLY and GLB of frame 2");
        outputs.path("meshes").forEach(links::add);
        try (MinioClient s3 = farm.backends().newMinioClient()) {
            for (JsonNode link : links) {
                String key = link.path("key").asText();
                assertTrue(key.startsWith(jobId + "/"), key);
                HttpResponse<byte[]> download = get(link.path("url").asText());
                assertEquals(200, download.statusCode(), "presigned URL of " + key);
                assertArrayEquals(read(s3, outputs.path("bucket").asText(), key), download.body(), key);
            }
        }
        assertTrue(outputs.path("animation").path("key").asText().endsWith(".webp"));
        JsonNode manifest = JSON.readTree(get(outputs.path("manifest").path("url").asText()).body());
        assertEquals(0, manifest.path("conditioning_view").asInt());
        assertEquals(2, manifest.at("/grid/columns").asInt());
        assertEquals(3, manifest.at("/preview/frames").asInt());
        assertTrue(manifest.at("/meshes/frames/0/watertight").asBoolean(), manifest.path("meshes").toString());
    }

    /** The first test's job, as the API reports it now: completed, same outputs, presigned URLs that work. */
    void assertRenderedJobStillCompleted() throws Exception {
        assertNotNull(renderedJob, "needs the job rendered by the first test");
        HttpResponse<String> response = get(jobUrl(renderedJob), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode status = JSON.readTree(response.body());
        assertEquals("completed", status.path("status").asText(), response.body());
        assertEquals(renderedOutputs.path("manifest").path("key"), status.path("outputs").path("manifest").path("key"));
        assertEquals(renderedOutputs.path("videos").size(), status.path("outputs").path("videos").size());
        for (JsonNode video : status.path("outputs").path("videos")) {
            HttpResponse<byte[]> download = get(video.path("url").asText());
            assertEquals(200, download.statusCode(), "presigned URL after the restart");
            assertTrue(download.body().length > 0);
        }
    }

    private void assertProblemNaming(HttpResponse<String> response, String field) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse("")
                .split(";")[0].trim(), response.headers().toString());
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(400, problem.path("status").asInt());
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertTrue(fields.contains(field), "expected " + field + " in " + response.body());
    }

    private JsonNode awaitTerminal(UUID jobId) throws Exception {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(jobUrl(jobId), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            status = JSON.readTree(response.body());
            String state = status.path("status").asText();
            if (state.equals("completed") || state.equals("failed") || state.equals("cancelled")) {
                return status;
            }
            Thread.sleep(200);
        }
        return fail("job " + jobId + " did not finish within " + JOB_TIMEOUT + "; last status " + status);
    }

    /** The job's completion event, read from the events topic as any downstream consumer would. */
    private JobCompleted completionEvent(UUID jobId) {
        try (JobEventSubscriber events = JobEventSubscriber.fromBeginning(farm.backends().kafkaBootstrapServers(),
                "farm-e2e-test")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (JobEvent event : events.poll(Duration.ofMillis(200))) {
                    if (event instanceof JobCompleted completed && completed.jobId().equals(jobId)) {
                        return completed;
                    }
                }
            }
        }
        return fail("no completed event for " + jobId + " on the events topic");
    }

    private URI jobUrl(UUID jobId) {
        return farm.apiUri().resolve("/v1/jobs/" + jobId);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(farm.apiUri().resolve("/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return get(URI.create(url), HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> get(URI url, HttpResponse.BodyHandler<T> body) throws Exception {
        return http.send(HttpRequest.newBuilder(url).GET().build(), body);
    }

    private static byte[] read(MinioClient s3, String bucket, String key) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }
}
