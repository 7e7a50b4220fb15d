package org.pv3dfarm.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobProgress;
import org.pv3dfarm.protocol.JobStarted;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.ProgressUnit;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-sent events per job and per tenant, driven by real events on the broker. */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class JobEventStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACME = JobsRoundTripTest.ACME_KEY;
    private static final String GLOBEX = "globex-test-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1/jobs")
    URL jobs;

    @Test
    void aJobsStreamShowsProgressAndEndsWhenTheJobDoes() throws Exception {
        UUID job = JobsRoundTripTest.submit("{\"kind\":\"generate\",\"frames\":4}", "trace-sse", ACME);
        Queue<JsonNode> seen = new ConcurrentLinkedQueue<>();
        CompletableFuture<HttpResponse<Stream<String>>> stream = open(jobs + "/" + job + "/events", ACME, seen);
        await().atMost(WAIT).until(() -> !seen.isEmpty());
        Instant now = Instant.now();
        TestKafka.publish(new JobStarted(null, job, JobKind.GENERATE, "acme", now, "w", 1),
                new JobProgress(null, job, JobKind.GENERATE, "acme", now, 1, 2, 4, ProgressUnit.FRAMES),
                new JobCompleted(null, job, JobKind.GENERATE, "acme", now, 1, "w", new OutputKeys(
                        FarmTestResource.farm().bucket(), OutputKeys.prefixFor("acme", job) + "manifest.json",
                        List.of(OutputKeys.prefixFor("acme", job) + "video/view-00.mp4"), null, null, null), 9L));

        HttpResponse<Stream<String>> response = stream.get(30, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        List<String> states = seen.stream().map(n -> n.path("status").asText()).toList();
        assertEquals("queued", states.get(0));
        assertEquals("completed", states.get(states.size() - 1), "the stream ends with the final status");
        assertTrue(seen.stream().anyMatch(n -> n.path("status").asText().equals("running")
                && n.path("progress").path("done").asInt() == 2 && n.path("progress").path("total").asInt() == 4),
                "progress is streamed: " + seen);
        assertTrue(seen.stream().reduce((a, b) -> b).orElseThrow().path("outputs").path("manifest").has("url"));

        given().header(JobsResource.API_KEY, GLOBEX).when().get("/v1/jobs/" + job + "/events").then()
                .statusCode(404);
    }

    @Test
    void aTenantsStreamCarriesOnlyItsOwnJobs() throws Exception {
        Queue<JsonNode> acmeSeen = new ConcurrentLinkedQueue<>();
        Queue<JsonNode> globexSeen = new ConcurrentLinkedQueue<>();
        CompletableFuture<?> acme = open(jobs + "/events", ACME, acmeSeen);
        CompletableFuture<?> globex = open(jobs + "/events", GLOBEX, globexSeen);
        try {
            // Submit until both streams are surely subscribed (the first submissions may come before that).
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                JobsRoundTripTest.submit("{\"kind\":\"generate\"}", "trace-sse-acme", ACME);
                JobsRoundTripTest.submit("{\"kind\":\"generate\"}", "trace-sse-globex", GLOBEX);
                return !acmeSeen.isEmpty() && !globexSeen.isEmpty();
            });
            assertTrue(acmeSeen.stream().allMatch(n -> n.path("tenant").asText().equals("acme")), acmeSeen.toString());
            assertTrue(globexSeen.stream().allMatch(n -> n.path("tenant").asText().equals("globex")),
                    globexSeen.toString());
        } finally {
            acme.cancel(true);
            globex.cancel(true);
        }
    }

    /** Opens an SSE stream; every {@code data:} line is parsed into {@code seen} as it arrives. */
    private static CompletableFuture<HttpResponse<Stream<String>>> open(String url, String apiKey,
                                                                       Queue<JsonNode> seen) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header(JobsResource.API_KEY, apiKey).GET().build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenApply(response -> {
                    response.body().filter(line -> line.startsWith("data:")).forEach(line -> {
                        try {
                            seen.add(JSON.readTree(line.substring(5).trim()));
                        } catch (Exception e) {
                            throw new IllegalStateException(line, e);
                        }
                    });
                    return response;
                });
    }
}
