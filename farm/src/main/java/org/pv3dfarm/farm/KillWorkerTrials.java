package org.pv3dfarm.farm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobProgress;
import org.pv3dfarm.protocol.JobStarted;
import org.pv3dfarm.protocol.ModelLimits;
import org.pv3dfarm.protocol.ValidationLimits;
import org.pv3dfarm.protocol.ViewSpec;
import org.pv3dfarm.protocol.client.JobEventSubscriber;
import org.pv3dfarm.protocol.client.JobProducerOptions;
import org.pv3dfarm.protocol.client.KafkaJobProducer;

/**
 * The {@code kill_worker_trials} fault run: queues jobs, then {@code trials} times starts the packaged render worker
 * as its own process, waits until it is inside a job (a {@code progress} event of that process), waits a random
 * moment more and kills it with SIGKILL (no shutdown hook, no commit); finally one worker drains the queue. A
 * consumer of the events topic then counts {@code lost_jobs} (queued jobs without a {@code completed} event) and
 * {@code duplicate_completions} (completed events beyond the first per job).
 *
 * <p>Usage: {@code bench/fault-trials [--trials N] [--jobs N] [--max-kill-delay-ms MS] [--record]}; needs {@code
 * render-worker/target/pv3d-render-worker.jar}.
 */
public final class KillWorkerTrials {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private KillWorkerTrials() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        boolean record = Arrays.asList(args).contains("--record");
        int trials = Integer.parseInt(options.getOrDefault("--trials", "20"));
        int jobs = Integer.parseInt(options.getOrDefault("--jobs", "150"));
        // Up to a few jobs' time: kills land inside a job, between jobs, and after completions not yet committed.
        long maxKillDelayMs = Long.parseLong(options.getOrDefault("--max-kill-delay-ms", "12000"));
        Path jar = Path.of(options.getOrDefault("--worker-jar", "render-worker/target/pv3d-render-worker.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build the worker first (./mvnw -pl render-worker -am package): " + jar);
        }
        Path dataDir = Files.createTempDirectory("pv3d-kill-trials");
        FarmOptions farmOptions = FarmOptions.builder().dataDir(dataDir).apiPort(PortRequest.exactly(0))
                .kafkaPort(PortRequest.exactly(0)).s3Port(PortRequest.exactly(0)).build();
        try (FarmBackends backends = FarmBackends.start(farmOptions)) {
            FarmTopics.ensure(backends.kafkaBootstrapServers(), farmOptions.partitions());
            List<JobEvent> events = new CopyOnWriteArrayList<>();
            AutoCloseable follower = follow(backends.kafkaBootstrapServers(), events);
            Set<UUID> queued = submit(backends.kafkaBootstrapServers(), jobs);
            int killedInsideAJob = 0;
            for (int trial = 1; trial <= trials; trial++) {
                String workerId = "trial-" + trial;
                Process worker = startWorker(jar, backends, dataDir, workerId);
                boolean started = awaitEvent(events, e -> e instanceof JobProgress && workerOf(events, e, workerId),
                        Duration.ofSeconds(90));
                Thread.sleep(ThreadLocalRandom.current().nextLong(50, maxKillDelayMs));
                worker.destroyForcibly(); // SIGKILL: the JVM gets no chance to commit or say goodbye
                worker.waitFor(30, TimeUnit.SECONDS);
                boolean inside = started && isInsideAJob(events, workerId);
                killedInsideAJob += inside ? 1 : 0;
                System.out.printf("trial %d: killed %s (inside a job: %s), %d of %d jobs completed so far%n", trial,
                        workerId, inside, completedJobs(events, queued).size(), jobs);
            }
            int completedBeforeDrain = completedJobs(events, queued).size();
            Process last = startWorker(jar, backends, dataDir, "drain");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (completedJobs(events, queued).size() < jobs && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            Thread.sleep(3_000); // a late duplicate would arrive now
            last.destroy();
            last.waitFor(60, TimeUnit.SECONDS);
            follower.close();

            Map<UUID, Integer> completions = new HashMap<>();
            for (JobEvent event : events) {
                if (event instanceof JobCompleted && queued.contains(event.jobId())) {
                    completions.merge(event.jobId(), 1, Integer::sum);
                }
            }
            int lost = jobs - completions.size();
            int duplicates = completions.values().stream().mapToInt(n -> n - 1).sum();
            Map<String, Long> figures = new TreeMap<>();
            figures.put("kill_worker_trials", (long) trials);
            figures.put("kill_worker_trials_inside_a_job", (long) killedInsideAJob);
            figures.put("lost_jobs", (long) lost);
            figures.put("kill_worker_trials_jobs_completed_before_drain", (long) completedBeforeDrain);
            figures.put("duplicate_completions", (long) duplicates);
            figures.forEach((k, v) -> System.out.printf("%-34s %d%n", k, v));
            if (record) {
                BenchResults.record(figures, "count", "bench/fault-trials --trials " + trials + " --jobs " + jobs + " --record");
            }
            if (lost != 0 || duplicates != 0) {
                System.exit(1);
            }
        }
    }

    private static Set<UUID> submit(String bootstrap, int jobs) {
        Set<UUID> ids = ConcurrentHashMap.newKeySet();
        ValidationLimits limits = ValidationLimits.builder().model(new ModelLimits("pv3d-tiny", 64, 64, 128)).build();
        try (KafkaJobProducer producer = new KafkaJobProducer(JobProducerOptions.builder().bootstrapServers(bootstrap)
                .clientId("kill-trials").limits(limits).build())) {
            for (int i = 0; i < jobs; i++) {
                // Several batches of 4 frames over two views: kills land inside jobs, between them, and in the
                // moment between a completed event and its commit.
                ids.add(producer.submit(GenerateRequest.builder().seed((long) i).frames(12)
                        .views(List.of(ViewSpec.orbit(), ViewSpec.fixed(1.4, 1.57))).build()).jobId());
            }
        }
        return ids;
    }

    private static Process startWorker(Path jar, FarmBackends backends, Path dataDir, String workerId)
            throws java.io.IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString());
        Map<String, String> env = builder.environment();
        env.put("PV3D_KAFKA_BOOTSTRAP_SERVERS", backends.kafkaBootstrapServers());
        env.put("PV3D_S3_ENDPOINT", backends.objectStore().endpoint().toString());
        env.put("PV3D_S3_ACCESS_KEY", backends.objectStore().accessKey());
        env.put("PV3D_S3_SECRET_KEY", backends.objectStore().secretKey());
        env.put("PV3D_S3_BUCKET", backends.objectStore().bucket());
        env.put("PV3D_WORKER_ID", workerId);
        env.put("PV3D_WORKER_WORK_DIR", dataDir.resolve("work").toString());
        env.put("PV3D_MODEL_CACHE", dataDir.resolve("models").toString());
        env.remove("PV3D_MODEL_DIR");
        return builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("workers.log").toFile())).start();
    }

    /** Collects every event into {@code events} until closed. */
    private static AutoCloseable follow(String bootstrap, List<JobEvent> events) {
        JobEventSubscriber subscriber = JobEventSubscriber.fromBeginning(bootstrap, "kill-trials-events");
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread thread = new Thread(() -> {
            while (running.get()) {
                events.addAll(subscriber.poll(Duration.ofMillis(200)));
            }
            subscriber.close();
        }, "kill-trials-events");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            running.set(false);
            subscriber.wakeup();
            thread.join(10_000);
        };
    }

    /** Whether the worker's latest started job has no completed event (read a moment after the kill). */
    private static boolean isInsideAJob(List<JobEvent> events, String workerId) throws InterruptedException {
        Thread.sleep(500); // events the worker wrote just before dying
        UUID last = null;
        for (JobEvent event : events) {
            if (event instanceof JobStarted started && started.worker().equals(workerId)) {
                last = started.jobId();
            }
        }
        UUID job = last;
        return job != null && events.stream().noneMatch(e -> e instanceof JobCompleted completed
                && completed.jobId().equals(job) && completed.worker().equals(workerId));
    }

    /** Whether the event was written by {@code workerId}'s attempt (progress events name no worker). */
    private static boolean workerOf(List<JobEvent> events, JobEvent event, String workerId) {
        return events.stream().anyMatch(e -> e instanceof JobStarted started && started.worker().equals(workerId)
                && started.jobId().equals(event.jobId()));
    }

    private static boolean awaitEvent(List<JobEvent> events, java.util.function.Predicate<JobEvent> match,
                                      Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (events.stream().anyMatch(match)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static Set<UUID> completedJobs(List<JobEvent> events, Set<UUID> queued) {
        Set<UUID> done = ConcurrentHashMap.newKeySet();
        for (JobEvent event : events) {
            if (event instanceof JobCompleted && queued.contains(event.jobId())) {
                done.add(event.jobId());
            }
        }
        return done;
    }
}
