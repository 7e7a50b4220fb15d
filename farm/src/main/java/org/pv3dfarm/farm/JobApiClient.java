package org.pv3dfarm.farm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A small client of the job API's HTTP interface ({@code POST /v1/jobs}, {@code GET /v1/jobs/{id}}), for the demo.
 * Answers are JSON trees: the launcher only reads a few fields and must not depend on the API's classes.
 */
public final class JobApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUri;
    private final HttpClient http;

    public JobApiClient(URI baseUri) {
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Submits a job request (JSON); returns the job id. Anything but 202/200 fails with the API's problem. */
    public UUID submit(String requestJson) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(baseUri.resolve("/v1/jobs"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestJson)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202 && response.statusCode() != 200) {
            throw new IOException("POST /v1/jobs answered " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(JSON.readTree(response.body()).path("job_id").asText());
    }

    /** The job's status document ({@code status}, {@code progress}, {@code outputs}...). */
    public JsonNode status(UUID jobId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(baseUri.resolve("/v1/jobs/" + jobId))
                .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /v1/jobs/" + jobId + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Polls the job's status until it is terminal (completed, failed, cancelled) and returns that status.
     * {@code onChange} sees each status whose state or progress differs from the previous one.
     *
     * @throws IOException when the timeout passes first
     */
    public JsonNode awaitTerminal(UUID jobId, Duration timeout, Consumer<JsonNode> onChange)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "";
        while (true) {
            JsonNode status = status(jobId);
            String state = status.path("status").asText();
            String fingerprint = state + "/" + status.path("progress").path("done").asInt();
            if (!fingerprint.equals(seen)) {
                seen = fingerprint;
                onChange.accept(status);
            }
            if (state.equals("completed") || state.equals("failed") || state.equals("cancelled")) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("job " + jobId + " is still " + state + " after " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /** Downloads a URL (a presigned output URL) to a file, replacing it; fails unless the answer is 200. */
    public void download(URI url, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        HttpResponse<Path> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).GET()
                .build(), HttpResponse.BodyHandlers.ofFile(partial));
        if (response.statusCode() != 200) {
            String body = Files.readString(partial);
            Files.deleteIfExists(partial);
            throw new IOException("GET " + url + " answered " + response.statusCode() + ": " + body);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
