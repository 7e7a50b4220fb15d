package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.embedded.EmbeddedObjectStore;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobStarted;

/**
 * A scale-down as Kubernetes does it, on the embedded stack: a worker process is stopped in the middle of a job
 * (by its preStop drain, or by SIGTERM), another worker of the group takes over, and every job of the queue
 * completes exactly once: none lost, none completed twice.
 */
class WorkerDrainIT {

    private static final String GROUP = "drain-pool";
    /** Long enough that the stop surely lands while the job runs (a few seconds on the committed models). */
    private static final int LONG_JOB_FRAMES = 120;

    @TempDir
    Path workDir;
    private EmbeddedKafkaBroker broker;
    private EmbeddedObjectStore store;
    private FarmTopics topics;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.builder().start();
        topics = new FarmTopics(broker);
        store = EmbeddedObjectStore.builder().accessKey("drain-test").secretKey("drain-test-secret").bucket("renders")
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        store.close();
        broker.close();
    }

    @Test
    void aPreStopDrainFinishesTheRunningJobAndCommitsItSoTheNextWorkerDoesNotRunItAgain() throws Exception {
        int port = freePort();
        Process first = startProcess("first", Map.of("PV3D_WORKER_HEALTH_PORT", String.valueOf(port),
                "PV3D_WORKER_SHUTDOWN_GRACE", "60s"));
        List<UUID> jobs = new ArrayList<>();
        UUID running = submitLongJobAndAwaitItsStart(jobs);
        submitShortJobs(jobs);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> drained = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + WorkerHealthServer.DRAIN)).timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, drained.statusCode(), drained.body());
        first.destroy(); // the SIGTERM that follows preStop finds a drained worker
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "a drained worker ends at once");

        Map<UUID, List<JobCompleted>> completed = runRestOnSecondWorker(jobs);
        assertEquals("first", completed.get(running).get(0).worker(),
                "the job running at the drain was finished and committed by the drained worker");
    }

    @Test
    void sigtermLetsTheRunningJobFinishWithinTheGraceAndCommitsIt() throws Exception {
        List<UUID> jobs = new ArrayList<>();
        // SIGTERM alone, as `docker compose stop` or a pod deletion without preStop sends it
        UUID running = sigtermDuringALongJob("60s", jobs, "completed");

        Map<UUID, List<JobCompleted>> completed = runRestOnSecondWorker(jobs);
        assertEquals("first", completed.get(running).get(0).worker(), "finished and committed before the stop");
    }

    @Test
    void sigtermWithNoGraceReleasesTheRunningJobUncommittedAndTheNextWorkerRunsIt() throws Exception {
        List<UUID> jobs = new ArrayList<>();
        UUID running = sigtermDuringALongJob("0s", jobs, "released unfinished at shutdown");

        Map<UUID, List<JobCompleted>> completed = runRestOnSecondWorker(jobs);
        assertEquals("second", completed.get(running).get(0).worker(), "the released job ran again elsewhere");
    }

    /**
     * Starts the first worker with this grace, queues a long job and short ones behind it, sends SIGTERM while the
     * long job runs, and checks the exit and that the log says "job ID {@code outcome}"; returns the long job.
     */
    private UUID sigtermDuringALongJob(String grace, List<UUID> jobs, String outcome) throws Exception {
        Process first = startProcess("first", Map.of("PV3D_WORKER_SHUTDOWN_GRACE", grace));
        UUID running = submitLongJobAndAwaitItsStart(jobs);
        submitShortJobs(jobs);

        first.destroy(); // SIGTERM
        assertTrue(first.waitFor(90, TimeUnit.SECONDS), "the worker stops within its grace");
        String log = Files.readString(workDir.resolve("first.log"));
        assertEquals(143, first.exitValue(), log);
        assertTrue(log.contains("job " + running + " " + outcome), log);
        return running;
    }

    private Process startProcess(String id, Map<String, String> env) throws Exception {
        Map<String, String> settings = new HashMap<>(env);
        settings.put("PV3D_WORKER_GROUP_ID", GROUP);
        Process process = WorkerProcess.start(WorkerProcess.builder(broker, store, id, workDir, settings),
                workDir.resolve(id + ".log"));
        toClose.add(() -> {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        });
        return process;
    }

    /** Queues a long job and returns its id once the first worker has started it. */
    private UUID submitLongJobAndAwaitItsStart(List<UUID> jobs) throws Exception {
        UUID jobId = UUID.randomUUID();
        jobs.add(jobId);
        topics.submit(GenerateRequest.builder().jobId(jobId).seed(1L).frames(LONG_JOB_FRAMES).build());
        topics.events(1, e -> e instanceof JobStarted s && s.jobId().equals(jobId) && s.worker().equals("first"));
        return jobId;
    }

    /** Short jobs queued behind the running one: the stopping worker must leave them to the next. */
    private void submitShortJobs(List<UUID> jobs) throws Exception {
        for (int i = 0; i < 5; i++) {
            UUID jobId = UUID.randomUUID();
            jobs.add(jobId);
            topics.submit(GenerateRequest.builder().jobId(jobId).seed(10L + i).frames(4).build());
        }
    }

    /**
     * Starts a second worker in this JVM, waits until it has emptied the queue, and checks that every job
     * completed exactly once and every offset is committed; returns the completions by job.
     */
    private Map<UUID, List<JobCompleted>> runRestOnSecondWorker(List<UUID> jobs) throws Exception {
        String modelCache = System.getProperty("pv3d.model.cache");
        RenderWorker second = RenderWorker.start(WorkerConfig.builder()
                .modelCache(modelCache == null ? null : Path.of(modelCache))
                .kafkaBootstrapServers(broker.bootstrapServers()).s3Endpoint(store.endpoint())
                .s3AccessKey(store.accessKey()).s3SecretKey(store.secretKey()).s3Bucket(store.bucket())
                .executionProvider(ExecutionProvider.CPU).groupId(GROUP).workerId("second")
                .workDir(workDir.resolve("second")).build());
        toClose.add(second);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (committed() < jobs.size()) {
            assertTrue(System.nanoTime() < deadline, "the queue is emptied; committed " + topics.committed(GROUP));
            Thread.sleep(100);
        }
        second.close();
        assertEquals(jobs.size(), topics.generateRecords());

        Map<UUID, List<JobCompleted>> completed = new TreeMap<>();
        for (JobEvent event : topics.allEvents()) {
            if (event instanceof JobCompleted c) {
                completed.computeIfAbsent(c.jobId(), k -> new ArrayList<>()).add(c);
            }
        }
        assertEquals(Set.copyOf(jobs), completed.keySet(), "no job is lost");
        Map<UUID, Integer> counts = completed.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
        assertEquals(jobs.stream().collect(Collectors.toMap(j -> j, j -> 1)), counts, "no job completes twice");
        return completed;
    }

    private long committed() throws Exception {
        return topics.committed(GROUP).values().stream().mapToLong(Long::longValue).sum();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
