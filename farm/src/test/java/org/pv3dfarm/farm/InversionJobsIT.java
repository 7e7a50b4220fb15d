package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.embedded.InfrastructureMode;

/**
 * Issue 6's job kinds end to end through the API on the embedded farm (in-process KRaft broker and S3Proxy, the
 * job API as a child process, the worker with the default demo model): a generate job renders a head; its first
 * frame, uploaded under the input prefix, is animated (inverted, two motions); its video is reconstructed; the
 * reconstruction's motion is retargeted onto the generated identity; and one motion is rendered over three
 * appearances (two stored, one seeded). Bad inputs fail the job with the reason, the worker keeps going. Kept cheap:
 * few steps, 4-frame clips, one view.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InversionJobsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final String FRONTAL = "{\"trajectory\":\"fixed\",\"yaw\":1.5708,\"pitch\":1.5708}";

    private final HttpClient http = HttpClient.newHttpClient();
    private Farm farm;
    private String bucket;
    private String generated;
    private String animated;
    private String reconstructed;

    @BeforeAll
    void startFarm(@TempDir Path dir) {
        farm = Farm.start(FarmOptions.builder().dataDir(dir).infrastructure(InfrastructureMode.EMBEDDED)
                .apiPort(PortRequest.exactly(0)).kafkaPort(PortRequest.exactly(0)).s3Port(PortRequest.exactly(0))
                .apiJar(Path.of(System.getProperty(JobApiJar.PROPERTY, JobApiJar.RELATIVE_PATH))).build());
        bucket = farm.backends().objectStore().bucket();
    }

    @AfterAll
    void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    @Order(1)
    void aGenerateJobStoresItsLatents() throws Exception {
        JsonNode status = run("{\"kind\":\"generate\",\"seed\":11,\"frames\":8,\"views\":[" + FRONTAL
                + "],\"outputs\":{\"png_frames\":true}}");
        generated = status.path("job_id").asText();
        assertEquals(generated + "/latents.json", status.at("/outputs/latent/key").asText(), "the status links it");
        JsonNode latents = object(generated + "/latents.json");
        assertEquals("pv3d-latents/1", latents.path("format").asText());
        assertEquals("generate", latents.at("/source/kind").asText());
        assertEquals(64, latents.path("w").size());
        assertEquals(64, latents.path("z_motion").size());
        assertEquals(25, latents.path("camera").size());
    }

    @Test
    @Order(2)
    void animateInvertsAnUploadedPortraitAndRendersTwoMotions() throws Exception {
        String portrait = upload(read(generated + "/frames/view-00/frame-0000.png"), "image/png");
        JsonNode status = run("{\"kind\":\"animate\",\"input_key\":\"" + portrait + "\",\"seed\":3,"
                + "\"motions\":2,\"frames\":4,\"inversion\":{\"steps\":25,\"learning_rate\":0.05}}");
        animated = status.path("job_id").asText();
        assertEquals(2, status.at("/outputs/videos").size(), "one video per motion and view");
        JsonNode manifest = object(animated + "/manifest.json");
        JsonNode inversion = manifest.path("inversion");
        assertTrue(inversion.path("loss").asDouble() < inversion.path("initial_loss").asDouble(),
                "the fit lowers the loss: " + inversion);
        assertTrue(inversion.path("psnr_db").asDouble() > 12, "inversion PSNR " + inversion);
        assertEquals(2, manifest.path("tracks").size());
        assertEquals("inversion", manifest.at("/tracks/0/identity").asText());
        assertTrue(read(inversion.path("render_key").asText()).length > 100, "the inversion render is stored");
        JsonNode latents = object(animated + "/latents.json");
        assertEquals("animate", latents.at("/source/kind").asText());
        assertEquals(2, latents.path("tracks").size());
    }

    @Test
    @Order(3)
    void reconstructFitsAVideoAndReRendersItWithAScaledMotion() throws Exception {
        String clip = upload(read(generated + "/video/view-00.mp4"), "video/mp4");
        JsonNode status = run("{\"kind\":\"reconstruct\",\"input_key\":\"" + clip + "\",\"fit_frames\":4,"
                + "\"frames\":6,\"inversion\":{\"steps\":8},\"motion_edit\":{\"scale\":1.5},"
                + "\"views\":[{\"trajectory\":\"yaw_sweep\"},{\"trajectory\":\"source\"}],"
                + "\"outputs\":{\"mesh\":{\"frames\":[1],\"resolution\":24}}}");
        reconstructed = status.path("job_id").asText();
        JsonNode manifest = object(reconstructed + "/manifest.json");
        assertEquals(4, manifest.at("/inversion/frames").asInt(), manifest.path("inversion").toString());
        JsonNode inversion = manifest.path("inversion");
        assertTrue(inversion.path("steps").asInt() > 0 && inversion.path("steps").asInt() <= 8, inversion.toString());
        assertTrue(inversion.path("loss").asDouble() < inversion.path("initial_loss").asDouble(),
                "the fit lowers the loss: " + inversion);
        JsonNode latents = object(reconstructed + "/latents.json");
        assertEquals(4, latents.path("t").size(), "one fitted t per fitted frame");
        assertEquals(6, manifest.at("/video/frames").asInt(), "the output replays the fitted times");
        assertEquals("source", manifest.at("/views/1/camera/trajectory").asText(), manifest.path("views").toString());
        assertEquals(4, manifest.at("/views/1/camera/explicit_cameras").asInt(),
                "the source view cycles through the fitted frames' cameras");
        assertTrue(read(reconstructed + "/video/view-01.mp4").length > 0, "the source view has its video");
        JsonNode mesh = manifest.at("/meshes/frames/0");
        assertEquals(1, mesh.path("frame").asInt(), manifest.path("meshes").toString());
        assertEquals(latents.at("/t/1").asDouble(), mesh.path("t").asDouble(), 1e-6, "the mesh is at the fitted t");
        assertTrue(mesh.path("triangles").asInt() > 0, mesh.toString());
        assertEquals("reconstruct", latents.at("/source/kind").asText());
    }

    @Test
    @Order(4)
    void retargetPutsTheReconstructedMotionOnTheGeneratedIdentity() throws Exception {
        JsonNode status = run("{\"kind\":\"retarget\",\"source_job_id\":\"" + generated
                + "\",\"motion_source_job_id\":\"" + reconstructed + "\",\"frames\":4}");
        JsonNode manifest = object(status.path("job_id").asText() + "/manifest.json");
        assertEquals("job:" + generated, manifest.at("/tracks/0/identity").asText());
        assertEquals("job:" + reconstructed, manifest.at("/tracks/0/motion").asText());
        JsonNode source = object(generated + "/latents.json");
        JsonNode latents = object(status.path("job_id").asText() + "/latents.json");
        assertEquals(source.path("w"), latents.path("w"), "the identity is the stored w, not re-inverted");
    }

    @Test
    @Order(5)
    void editRendersOneMotionOverStoredAndSeededAppearances() throws Exception {
        JsonNode status = run("{\"kind\":\"edit\",\"source_job_ids\":[\"" + generated + "\",\"" + animated
                + "\"],\"seeds\":[5],\"motion_edit\":{\"scale\":0.5},\"frames\":3}");
        assertEquals(3, status.at("/outputs/videos").size(), "one video per appearance");
        JsonNode manifest = object(status.path("job_id").asText() + "/manifest.json");
        List<String> identities = new ArrayList<>();
        manifest.path("tracks").forEach(t -> identities.add(t.path("identity").asText()));
        assertEquals(List.of("job:" + generated, "job:" + animated, "seed:5"), identities);
        JsonNode motion = object(generated + "/latents.json").path("z_motion");
        for (JsonNode track : manifest.path("tracks")) {
            assertEquals(motion.get(0).floatValue() * 0.5f, track.path("z_motion").get(0).floatValue(), 1e-5,
                    "the first appearance's motion, halved, for every appearance");
        }
    }

    @Test
    @Order(6)
    void badInputsFailTheJobWithTheReasonAndTheWorkerGoesOn() throws Exception {
        // A text file posing as a picture is rejected by the upload's content check: the job is refused up front.
        String fakeKey = upload("this is not a picture".getBytes(StandardCharsets.UTF_8), "image/png");
        HttpResponse<String> fake = post("{\"kind\":\"animate\",\"input_key\":\"" + fakeKey + "\",\"seed\":1}");
        assertEquals(422, fake.statusCode(), fake.body());
        assertTrue(fake.body().contains("input_key") && fake.body().contains("rejected"), fake.body());

        // A truncated MP4 starts like an MP4, so it is accepted; the worker's decoder fails the job with the reason.
        byte[] video = read(generated + "/video/view-00.mp4");
        String cut = upload(java.util.Arrays.copyOf(video, video.length / 2), "video/mp4");
        JsonNode truncated = submitAndAwait("{\"kind\":\"reconstruct\",\"input_key\":\"" + cut + "\"}");
        assertEquals("failed", truncated.path("status").asText(), truncated.toString());
        assertTrue(truncated.toString().contains("input_key"), "a truncated MP4 names the field: " + truncated);

        HttpResponse<String> missing = post("{\"kind\":\"reconstruct\",\"input_key\":\"inputs/"
                + java.util.UUID.randomUUID() + "/x.mp4\"}");
        assertEquals(404, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("input_key"), missing.body());

        HttpResponse<String> fromFailed = post("{\"kind\":\"edit\",\"source_job_ids\":[\""
                + truncated.path("job_id").asText() + "\"]}");
        assertEquals(422, fromFailed.statusCode(), fromFailed.body());
        assertTrue(fromFailed.body().contains("source_job_ids[0]"), fromFailed.body());

        // the worker is still there
        run("{\"kind\":\"edit\",\"seeds\":[8],\"frames\":1}");
    }

    /** Submits, waits, and requires completion. */
    private JsonNode run(String body) throws Exception {
        JsonNode status = submitAndAwait(body);
        assertEquals("completed", status.path("status").asText(), status.toString());
        return status;
    }

    private JsonNode submitAndAwait(String body) throws Exception {
        HttpResponse<String> submitted = post(body);
        assertEquals(202, submitted.statusCode(), submitted.body());
        String jobId = JSON.readTree(submitted.body()).path("job_id").asText();
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(farm.apiUri().resolve("/v1/jobs/"
                    + jobId)).GET().build(), HttpResponse.BodyHandlers.ofString());
            status = JSON.readTree(response.body());
            if (List.of("completed", "failed", "cancelled").contains(status.path("status").asText())) {
                return status;
            }
            Thread.sleep(200);
        }
        return fail("job " + jobId + " did not finish within " + JOB_TIMEOUT + "; last status " + status);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(farm.apiUri().resolve("/v1/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private byte[] read(String key) throws Exception {
        try (MinioClient s3 = farm.backends().newMinioClient();
                InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    private JsonNode object(String key) throws Exception {
        JsonNode node = JSON.readTree(read(key));
        assertNotNull(node, key);
        return node;
    }

    /**
     * Uploads {@code bytes} as a client does: {@code POST /v1/uploads}, then a PUT to the presigned URL it returns;
     * the upload's object key.
     */
    private String upload(byte[] bytes, String contentType) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(farm.apiUri().resolve("/v1/uploads"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"content_type\":\"" + contentType + "\",\"size\":" + bytes.length + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode body = JSON.readTree(created.body());
        HttpResponse<Void> put = http.send(HttpRequest.newBuilder(java.net.URI.create(body.path("upload_url")
                .asText())).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, put.statusCode(), "presigned PUT");
        return body.at("/upload/key").asText();
    }
}
