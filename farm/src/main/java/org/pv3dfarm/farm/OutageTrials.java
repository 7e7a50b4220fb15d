package org.pv3dfarm.farm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;

/**
 * The outage fault runs of issue 7 on the embedded stack ({@link FaultRig}): jobs are queued, and once the first of
 * them has completed (so the outage lands mid-run, with jobs running and queued) the object store is stopped for
 * a while and started again on the same port and directory; then the same with a broker restart on the same port
 * and log directory. Each phase waits until every queued job has a {@code completed} event, and counts, as a
 * reader of the events topic sees them: jobs lost (no {@code completed} within the timeout), duplicate
 * completions (a second {@code completed} for a job), dead letters, and jobs that needed a retry.
 *
 * <p>Usage: {@code bench/fault-trials outages [--jobs 20] [--outage-s 30] [--record]}.
 */
public final class OutageTrials {

    /** What one phase saw. */
    record Phase(String name, int jobs, Duration outage, int lost, int duplicates, int deadLettered, int retried) {

        Map<String, Long> figures() {
            Map<String, Long> figures = new LinkedHashMap<>();
            figures.put(name + "_s", outage.toSeconds());
            figures.put(name + "_jobs", (long) jobs);
            figures.put(name + "_jobs_lost", (long) lost);
            figures.put(name + "_duplicate_completions", (long) duplicates);
            figures.put(name + "_dead_letters", (long) deadLettered);
            figures.put(name + "_jobs_retried", (long) retried);
            return figures;
        }
    }

    private OutageTrials() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int jobs = Integer.parseInt(options.getOrDefault("--jobs", "20"));
        Duration outage = Duration.ofSeconds(Long.parseLong(options.getOrDefault("--outage-s", "30")));
        Path dir = Files.createTempDirectory("pv3d-outages");
        Map<String, Long> figures = new LinkedHashMap<>();
        try (FaultRig rig = FaultRig.start(dir, 2, config -> { })) {
            figures.putAll(objectStoreOutage(rig, jobs, outage, Duration.ofMinutes(10)).figures());
            figures.putAll(brokerRestart(rig, jobs, outage, Duration.ofMinutes(10)).figures());
        } finally {
            FaultRig.deleteTree(dir);
        }
        figures.forEach((k, v) -> System.out.printf("%-44s %d%n", k, v));
        if (Arrays.asList(args).contains("--record")) {
            String command = "bench/fault-trials outages --jobs " + jobs + " --outage-s " + outage.toSeconds()
                    + " --record";
            Map<String, Long> counts = new LinkedHashMap<>();
            Map<String, Long> seconds = new LinkedHashMap<>();
            figures.forEach((key, value) -> (key.endsWith("_s") ? seconds : counts).put(key, value));
            BenchResults.record(counts, "count", command);
            BenchResults.record(seconds, "s", command);
        }
        boolean clean = figures.entrySet().stream().filter(e -> e.getKey().endsWith("_lost")
                || e.getKey().endsWith("_duplicate_completions")).allMatch(e -> e.getValue() == 0);
        if (!clean) {
            System.exit(1);
        }
    }

    /** Queues {@code jobs} jobs, stops the object store for {@code outage} once one has completed, then waits. */
    static Phase objectStoreOutage(FaultRig rig, int jobs, Duration outage, Duration timeout) throws Exception {
        return phase(rig, "object_store_outage", jobs, outage, timeout, () -> rig.restartObjectStore(outage));
    }

    /** Queues {@code jobs} jobs, restarts the broker (down for {@code outage}) once one has completed, then waits. */
    static Phase brokerRestart(FaultRig rig, int jobs, Duration outage, Duration timeout) throws Exception {
        return phase(rig, "broker_restart", jobs, outage, timeout, () -> rig.restartBroker(outage));
    }

    private interface Fault {
        void inject() throws Exception;
    }

    private static Phase phase(FaultRig rig, String name, int jobs, Duration outage, Duration timeout, Fault fault)
            throws Exception {
        Set<UUID> queued = submit(rig, jobs);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completions(rig.events(), queued).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        fault.inject();
        while (completions(rig.events(), queued).size() < jobs && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(3_000); // a late duplicate or redelivery would show by now
        Map<UUID, List<JobCompleted>> completed = completions(rig.events(), queued);
        int duplicates = completed.values().stream().mapToInt(c -> c.size() - 1).sum();
        int retried = (int) completed.values().stream().filter(c -> c.get(0).attempt() > 1).count();
        int deadLettered = (int) rig.deadLetters().stream().map(DeadLetter::jobId).filter(queued::contains).count();
        return new Phase(name, jobs, outage, jobs - completed.size(), duplicates, deadLettered, retried);
    }

    private static Map<UUID, List<JobCompleted>> completions(List<JobEvent> events, Set<UUID> jobs) {
        Map<UUID, List<JobCompleted>> completed = new HashMap<>();
        for (JobEvent event : events) {
            if (event instanceof JobCompleted done && jobs.contains(done.jobId())) {
                completed.computeIfAbsent(done.jobId(), id -> new ArrayList<>()).add(done);
            }
        }
        return completed;
    }

    private static Set<UUID> submit(FaultRig rig, int jobs) throws Exception {
        List<GenerateRequest> requests = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            requests.add(GenerateRequest.builder().jobId(UUID.randomUUID()).seed((long) i).frames(8).build());
        }
        rig.submit(requests);
        Set<UUID> ids = new LinkedHashSet<>();
        requests.forEach(r -> ids.add(r.jobId()));
        return ids;
    }
}
