package org.pv3dfarm.farm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobFailed;
import org.pv3dfarm.protocol.client.JobEventSubscriber;

/**
 * Jobs through a running farm, end to end: submitted over HTTP to the job API, through Kafka to the worker, its
 * MP4s to the object store, and done when the {@code completed} event is read back from Kafka.
 */
final class FarmThroughput implements AutoCloseable {

    private final JobApiClient api;
    private final JobEventSubscriber events;

    FarmThroughput(Farm farm) {
        this.api = new JobApiClient(farm.apiUri());
        this.events = JobEventSubscriber.fromBeginning(farm.backends().kafkaBootstrapServers(), "pv3d-benchmark");
    }

    /** The yaw of view {@code i} of {@code views}: frontal for one view, else spread over ±0.4 rad. */
    static double yaw(int i, int views) {
        return Math.PI / 2 + (views == 1 ? 0 : -0.4 + 0.8 * i / (views - 1));
    }

    /** A generate request as a producer would POST it: MP4s only, {@code views} yaw-spread fixed views. */
    /** A generate request for {@code model} (the name in its manifest: the worker may run another than the default). */
    static String request(String model, long seed, int frames, int views) {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < views; i++) {
            double yaw = yaw(i, views);
            v.append(i == 0 ? "" : ",").append("{\"trajectory\":\"fixed\",\"yaw\":").append(yaw)
                    .append(",\"pitch\":").append(Math.PI / 2).append('}');
        }
        return "{\"kind\":\"generate\",\"model\":\"" + model + "\",\"seed\":" + seed + ",\"frames\":" + frames
                + ",\"views\":[" + v
                + "],\"outputs\":{\"png_frames\":false,\"depth\":false}}";
    }

    /**
     * Submits the requests, then waits for all of them to complete; {@code onDone} sees the count completed so far
     * after each completion. Returns the seconds from the first submission to the last completion.
     *
     * @throws IOException when a job fails for good or the timeout passes
     */
    double run(List<String> requests, Duration timeout, IntConsumer onDone) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Set<UUID> waiting = new HashSet<>();
        for (String request : requests) {
            waiting.add(api.submit(request));
        }
        int total = waiting.size();
        long deadline = start + timeout.toNanos();
        while (!waiting.isEmpty()) {
            for (JobEvent event : events.poll(Duration.ofMillis(100))) {
                if (event instanceof JobCompleted && waiting.remove(event.jobId())) {
                    onDone.accept(total - waiting.size());
                } else if (event instanceof JobFailed failed && waiting.contains(event.jobId())
                        && !Boolean.TRUE.equals(failed.retryable())) {
                    throw new IOException("job " + event.jobId() + " failed: " + failed.reason());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(waiting.size() + " of " + total + " jobs still unfinished after " + timeout);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static List<String> requests(String model, int jobs, long firstSeed, int frames, int views) {
        List<String> out = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            out.add(request(model, firstSeed + i, frames, views));
        }
        return out;
    }

    /** This process' resident set size in bytes (Linux), or -1 where /proc is absent. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        events.close();
    }
}
