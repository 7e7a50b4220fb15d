package org.pv3dfarm.farm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The {@code --demo}: what a new user would do by hand. Submits a generation job over HTTP, follows it, and
 * downloads its MP4 through the presigned URL the API returns, into {@code DATA/demo/JOB_ID/view-N.mp4}.
 */
public final class DemoJob {

    /**
     * A finished demo.
     *
     * @param videos       the downloaded MP4s, one per view
     * @param videoUrls    their presigned URLs (valid for the API's presign expiry)
     */
    public record Result(UUID jobId, List<Path> videos, List<String> videoUrls, Duration elapsed) {
        public Result {
            videos = List.copyOf(videos);
            videoUrls = List.copyOf(videoUrls);
        }
    }

    private DemoJob() {
    }

    /** The request: one orbiting view of a random identity (the farm draws the seed). */
    static String request(int frames) {
        return "{\"kind\":\"generate\",\"frames\":" + frames + ",\"views\":[{\"trajectory\":\"orbit\"}]}";
    }

    /** Runs the demo, printing progress to {@code out}; fails with the job's error if it does not complete. */
    public static Result run(JobApiClient api, int frames, Path demoDir, Duration timeout, PrintStream out)
            throws IOException, InterruptedException {
        Objects.requireNonNull(api, "api");
        long started = System.nanoTime();
        UUID jobId = api.submit(request(frames));
        out.println("demo: submitted generation job " + jobId + " (" + frames + " frames, orbit)");
        JsonNode status = api.awaitTerminal(jobId, timeout, s -> out.println("demo: " + s.path("status").asText()
                + progress(s.path("progress"))));
        if (!status.path("status").asText().equals("completed")) {
            throw new IOException("demo job " + jobId + " ended " + status.path("status").asText() + ": "
                    + status.path("error"));
        }
        List<Path> videos = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (JsonNode video : status.path("outputs").path("videos")) {
            String url = video.path("url").asText();
            Path target = demoDir.resolve(jobId.toString()).resolve("view-" + video.path("view").asInt() + ".mp4");
            api.download(URI.create(url), target);
            videos.add(target);
            urls.add(url);
        }
        if (videos.isEmpty()) {
            throw new IOException("demo job " + jobId + " completed without videos: " + status);
        }
        return new Result(jobId, videos, urls, Duration.ofNanos(System.nanoTime() - started));
    }

    private static String progress(JsonNode progress) {
        int total = progress.path("total").asInt();
        return total == 0 ? "" : " (" + progress.path("done").asInt() + "/" + total + " "
                + progress.path("unit").asText("units") + ")";
    }
}
