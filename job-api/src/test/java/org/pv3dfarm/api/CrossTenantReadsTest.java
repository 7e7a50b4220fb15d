package org.pv3dfarm.api;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.FarmInfrastructure;
import org.pv3dfarm.protocol.InputMedia;
import org.pv3dfarm.protocol.InputRef;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobProgress;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.ProgressUnit;
import org.pv3dfarm.protocol.SourceJobRef;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code cross_tenant_reads}: as other tenants (globex, and the anonymous default tenant), try every endpoint and
 * every kind of presigned URL against tenant acme's jobs, outputs and uploads, and count the attempts that got
 * anything of acme's (or changed it). Must be 0. Prints the figures and writes them to
 * {@code target/cross-tenant-reads.json} for {@code bench/cross-tenant-reads --record}.
 */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class CrossTenantReadsTest {

    private static final String ACME = JobsRoundTripTest.ACME_KEY;
    private static final String GLOBEX = "globex-test-key-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    InputChecker inputChecker;

    @Inject
    Tenants tenants;

    private final List<String> leaks = new ArrayList<>();
    private int attempts;

    /** One attempt: {@code leaked} says whether the attacker got or changed something of acme's. */
    private void attempt(String what, BooleanSupplier leaked) {
        attempts++;
        if (leaked.getAsBoolean()) {
            leaks.add(what);
        }
    }

    private static RequestSpecification as(String apiKey) {
        return apiKey == null ? given() : given().header(JobsResource.API_KEY, apiKey);
    }

    private static int http(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String base() {
        return "http://localhost:" + io.restassured.RestAssured.port;
    }

    @Test
    void noTenantReadsListsCancelsOrWritesAnothersJobsObjectsOrUploads() throws Exception {
        FarmInfrastructure farm = FarmTestResource.farm();
        String bucket = farm.bucket();
        String idemKey = "xt-" + UUID.randomUUID();
        String idemBody = "{\"kind\":\"generate\",\"frames\":2,\"idempotency_key\":\"" + idemKey + "\"}";
        UUID done = JobsRoundTripTest.submit("{\"kind\":\"generate\",\"frames\":2}", "xt", ACME);
        UUID queued = JobsRoundTripTest.submit("{\"kind\":\"generate\",\"frames\":3}", "xt", ACME);
        UUID keyed = JobsRoundTripTest.submit(idemBody, "xt", ACME);
        UUID globexDone = JobsRoundTripTest.submit("{\"kind\":\"generate\",\"frames\":2}", "xt", GLOBEX);
        String manifest = complete(farm, "acme", done);
        String globexManifest = complete(farm, "globex", globexDone);

        byte[] png = UploadsTest.png(256);
        Response ready = UploadsApiTest.create(ACME, "image/png", png.length);
        String readyId = ready.jsonPath().getString("upload.upload_id");
        String readyKey = ready.jsonPath().getString("upload.key");
        as(ACME).contentType("image/png").body(png).when().put("/v1/uploads/" + readyId).then().statusCode(200);
        Response pending = UploadsApiTest.create(ACME, "image/png", png.length);
        String pendingId = pending.jsonPath().getString("upload.upload_id");
        String pendingKey = pending.jsonPath().getString("upload.key");
        String acmeOutputUrl = as(ACME).when().get("/v1/jobs/" + done).jsonPath().getString("outputs.manifest.url");
        String acmeCursor = as(ACME).queryParam("limit", 1).when().get("/v1/jobs").jsonPath()
                .getString("next_cursor");
        List<String> acmeIds = Stream.of(done, queued, keyed).map(UUID::toString).toList();

        for (String attacker : new String[] {GLOBEX, null}) {
            String who = attacker == null ? "anonymous" : "globex";
            for (UUID job : List.of(done, queued, keyed)) {
                attempt(who + " GET job", () -> as(attacker).when().get("/v1/jobs/" + job).statusCode() != 404);
                attempt(who + " SSE job", () -> http(sse("/v1/jobs/" + job + "/events", attacker)) != 404);
            }
            attempt(who + " cancel", () -> as(attacker).when().post("/v1/jobs/" + queued + "/cancel")
                    .statusCode() != 404);
            for (String filter : new String[] {"", "completed", "queued"}) {
                RequestSpecification list = as(attacker).queryParam("limit", 500);
                if (!filter.isEmpty()) {
                    list = list.queryParam("status", filter);
                }
                List<String> seen = list.when().get("/v1/jobs").jsonPath().getList("jobs.job_id");
                attempt(who + " list " + filter, () -> seen.stream().anyMatch(acmeIds::contains));
            }
            attempt(who + " list with acme's cursor", () -> {
                Response page = as(attacker).queryParam("cursor", acmeCursor).when().get("/v1/jobs");
                return page.statusCode() == 200 && page.jsonPath().getList("jobs.job_id").stream()
                        .anyMatch(acmeIds::contains);
            });
            attempt(who + " idempotency key of acme", () -> {
                Response again = as(attacker).contentType(ContentType.JSON).body(idemBody).when().post("/v1/jobs");
                return keyed.toString().equals(again.jsonPath().getString("job_id"));
            });
            attempt(who + " bulk with acme's idempotency key", () -> {
                Response bulk = as(attacker).contentType(ContentType.JSON).body("[" + idemBody + "]").when()
                        .post("/v1/jobs/bulk");
                return keyed.toString().equals(bulk.jsonPath().getString("results[0].job_id"));
            });
            attempt(who + " body naming tenant acme", () -> as(attacker).contentType(ContentType.JSON)
                    .body("{\"kind\":\"generate\",\"tenant\":\"acme\"}").when().post("/v1/jobs").statusCode() < 400);
            attempt(who + " bulk naming tenant acme", () -> as(attacker).contentType(ContentType.JSON)
                    .body("[{\"kind\":\"generate\",\"tenant\":\"acme\"}]").when().post("/v1/jobs/bulk").jsonPath()
                    .getInt("results[0].status") < 400);
            for (String upload : List.of(readyId, pendingId)) {
                attempt(who + " GET upload", () -> as(attacker).when().get("/v1/uploads/" + upload)
                        .statusCode() != 404);
            }
            attempt(who + " streaming PUT into acme's upload", () -> as(attacker).contentType("image/png").body(png)
                    .when().put("/v1/uploads/" + pendingId).statusCode() != 404);
            Caller caller = tenants.resolve(attacker, null);
            for (String key : List.of(readyKey, "../" + readyKey, readyKey.replace("tenants/acme/",
                    attacker == null ? "" : "tenants/globex/../acme/"))) {
                attempt(who + " job input_key " + key, () -> accepted(() -> inputChecker.check(caller,
                        List.of(new InputRef("input_key", key, InputMedia.IMAGE)), List.of())));
            }
            attempt(who + " job source_job_id", () -> accepted(() -> inputChecker.check(caller, List.of(),
                    List.of(new SourceJobRef("source_job_id", done)))));

            // Presigned URLs: the attacker's own URLs pointed at acme's objects, and acme's without a signature.
            Response own = UploadsApiTest.create(attacker, "image/png", png.length);
            String ownPut = own.jsonPath().getString("upload_url");
            String ownKey = own.jsonPath().getString("upload.key");
            attempt(who + " own PUT URL onto acme's pending upload", () -> http(put(swap(ownPut, ownKey,
                    pendingKey), png)) / 100 == 2);
            attempt(who + " own PUT URL onto acme's ready upload", () -> http(put(swap(ownPut, ownKey, readyKey),
                    png)) / 100 == 2);
            attempt(who + " own PUT URL onto acme's outputs", () -> http(put(swap(ownPut, ownKey, manifest),
                    png)) / 100 == 2);
            if (attacker != null) {
                String ownGet = as(attacker).when().get("/v1/jobs/" + globexDone).jsonPath()
                        .getString("outputs.manifest.url");
                attempt(who + " own GET URL onto acme's output", () -> http(get(swap(ownGet, globexManifest,
                        manifest))) == 200);
                attempt(who + " own GET URL onto acme's upload", () -> http(get(swap(ownGet, globexManifest,
                        readyKey))) == 200);
            }
        }
        String unsigned = acmeOutputUrl.substring(0, acmeOutputUrl.indexOf('?'));
        attempt("unsigned GET of acme's output", () -> http(get(unsigned)) == 200);
        attempt("unsigned GET of acme's upload", () -> http(get(unsigned.replace(manifest, readyKey))) == 200);
        attempt("unsigned LIST of acme's prefix", () -> http(get(unsigned.substring(0, unsigned.indexOf(manifest))
                + "?list-type=2&prefix=tenants/acme/")) == 200);
        attempt("unsigned PUT into acme's pending upload", () -> http(put(unsigned.replace(manifest, pendingKey),
                png)) / 100 == 2);
        boolean streamLeak = tenantStreamLeaks();
        attempt("tenant SSE stream carries acme's events", () -> streamLeak);

        // Nothing of acme's changed.
        as(ACME).when().get("/v1/jobs/" + queued).then().body("status", equalTo("queued"));
        as(ACME).when().get("/v1/uploads/" + pendingId).then().body("state", equalTo("pending"));
        as(ACME).when().get("/v1/uploads/" + readyId).then().body("state", equalTo("ready"));

        System.out.println("cross_tenant_reads " + leaks.size() + " of cross_tenant_attempts " + attempts);
        Files.writeString(Path.of("target", "cross-tenant-reads.json"), "{\"cross_tenant_reads\":" + leaks.size()
                + ",\"cross_tenant_attempts\":" + attempts + "}\n");
        assertEquals(List.of(), leaks);
    }

    /** Uploads outputs for a job of {@code tenant} and publishes its completion; the manifest key. */
    private static String complete(FarmInfrastructure farm, String tenant, UUID job) throws Exception {
        String prefix = OutputKeys.prefixFor(tenant, job);
        byte[] bytes = ("{\"job\":\"" + job + "\"}").getBytes(StandardCharsets.UTF_8);
        try (MinioClient minio = farm.newMinioClient()) {
            minio.putObject(PutObjectArgs.builder().bucket(farm.bucket()).object(prefix + "manifest.json")
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        }
        TestKafka.publish(new JobCompleted(null, job, JobKind.GENERATE, tenant, Instant.now(), 1, "w",
                new OutputKeys(farm.bucket(), prefix + "manifest.json", List.of(), null, null, null), 5L));
        await().atMost(WAIT).untilAsserted(() -> as(tenant.equals("acme") ? ACME : GLOBEX).when()
                .get("/v1/jobs/" + job).then().body("status", equalTo("completed")));
        return prefix + "manifest.json";
    }

    /**
     * Whether the globex tenant stream shows a new acme job; acme's own stream, opened alongside, must show it (so
     * the attempt could have seen a leak).
     */
    private static boolean tenantStreamLeaks() throws Exception {
        HttpResponse<Stream<String>> globex = HTTP.send(sse("/v1/jobs/events", GLOBEX),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> acme = HTTP.send(sse("/v1/jobs/events", ACME),
                HttpResponse.BodyHandlers.ofLines());
        try {
            UUID job = JobsRoundTripTest.submit("{\"kind\":\"generate\",\"frames\":4}", "xt-stream", ACME);
            TestKafka.publish(new JobProgress(null, job, JobKind.GENERATE, "acme", Instant.now(), 1, 1, 4,
                    ProgressUnit.FRAMES));
            assertEquals(true, seen(acme, job), "acme's own stream shows its job");
            return seen(globex, job);
        } finally {
            globex.body().close();
            acme.body().close();
        }
    }

    /** Whether a line naming {@code job} arrives on the stream within 3 s. */
    private static boolean seen(HttpResponse<Stream<String>> stream, UUID job) throws Exception {
        CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> stream.body()
                .anyMatch(line -> line.contains(job.toString())));
        try {
            return seen.get(3, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static boolean accepted(Runnable check) {
        try {
            check.run();
            return true;
        } catch (ProblemException e) {
            return false;
        }
    }

    private static HttpRequest sse(String path, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5))
                .header("Accept", "text/event-stream");
        return (apiKey == null ? request : request.header(JobsResource.API_KEY, apiKey)).GET().build();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
    }

    private static HttpRequest put(String url, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).header("Content-Type",
                "image/png").PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** The URL with its object key replaced (the signature stays the one made for {@code from}). */
    private static String swap(String url, String from, String to) {
        return url.replace("/" + from + "?", "/" + to + "?");
    }
}
