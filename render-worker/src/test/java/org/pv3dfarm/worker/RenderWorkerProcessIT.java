package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.embedded.EmbeddedObjectStore;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.JobCompleted;

/**
 * The packaged worker as operators run it, {@code java -jar target/pv3d-render-worker.jar}, configured by
 * environment variables: it finds its dependencies and the packaged model, renders a job from the embedded broker
 * into the embedded store, logs quietly, and stops gracefully on SIGTERM.
 */
class RenderWorkerProcessIT {

    @TempDir
    Path workDir;

    @Test
    void theRunnableJarRendersAJobAndStopsGracefullyOnSigterm() throws Exception {
        assertTrue(Files.isRegularFile(WorkerProcess.jar()), "run after `package`: " + WorkerProcess.jar());
        Path log = workDir.resolve("worker.log");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
                EmbeddedObjectStore store = EmbeddedObjectStore.builder().accessKey("proc-test")
                        .secretKey("proc-test-secret").bucket("renders").start()) {
            FarmTopics topics = new FarmTopics(broker);
            Process worker = WorkerProcess.start(WorkerProcess.builder(broker, store, "proc-1", workDir, Map.of()),
                    log);
            try {
                UUID jobId = UUID.randomUUID();
                topics.submit(GenerateRequest.builder().jobId(jobId).seed(5L).frames(2).build());
                JobCompleted completed = (JobCompleted) topics.events(1,
                        e -> e.jobId().equals(jobId) && e instanceof JobCompleted).get(0);
                assertEquals("proc-1", completed.worker());
                assertEquals(store.bucket(), completed.outputs().bucket());
            } finally {
                worker.destroy(); // SIGTERM
                assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker stops within its grace");
            }
            assertEquals(143, worker.exitValue(), "ended by SIGTERM after the shutdown hook ran");
        }
        List<String> lines = Files.readAllLines(log);
        String all = String.join("\n", lines);
        assertTrue(all.contains("on CPU (asked for AUTO)"), "the execution provider is logged once:\n" + all);
        assertTrue(all.contains("stop requested") && all.contains("render worker proc-1 closed"), all);
        List<String> noisy = new ArrayList<>();
        for (String line : lines) {
            if (line.contains(" DEBUG ") || line.contains(" TRACE ") || (line.contains(" INFO ")
                    && !line.contains("o.pv3dfarm.") && !line.contains("org.pv3dfarm."))) {
                noisy.add(line);
            }
        }
        assertEquals(List.of(), noisy, "only the farm's own lines at INFO");
        assertFalse(all.contains("Exception"), all);
    }
}
