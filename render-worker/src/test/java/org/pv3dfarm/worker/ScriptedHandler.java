package org.pv3dfarm.worker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pv3dfarm.protocol.OutputKeys;

/**
 * A {@link JobHandler} test double: each job follows a script of steps, one per attempt; once a job's script is
 * used up (or it has none), an attempt succeeds the way a real handler does: it uploads the manifest under the
 * job's keys and returns them.
 */
final class ScriptedHandler implements JobHandler {

    @FunctionalInterface
    interface Step {
        OutputKeys run(JobContext context) throws Exception;
    }

    /** Stands for the worker process dying (an Error ends the loop without a commit). */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash of the worker process");
        }
    }

    private final InMemoryObjectUploader uploader;
    private final Map<UUID, Deque<Step>> scripts = new ConcurrentHashMap<>();
    private final List<JobContext> calls = new CopyOnWriteArrayList<>();

    ScriptedHandler(InMemoryObjectUploader uploader) {
        this.uploader = uploader;
    }

    void script(UUID jobId, Step... steps) {
        scripts.put(jobId, new ArrayDeque<>(List.of(steps)));
    }

    /** The attempts made on this job, in order, by every loop that used this handler. */
    List<JobContext> calls(UUID jobId) {
        return calls.stream().filter(c -> c.jobId().equals(jobId)).toList();
    }

    @Override
    public OutputKeys handle(JobContext context) throws Exception {
        calls.add(context);
        Deque<Step> script = scripts.get(context.jobId());
        Step step = script == null ? null : script.pollFirst();
        return step == null ? succeed(context) : step.run(context);
    }

    OutputKeys succeed(JobContext context) throws UploadException {
        String manifest = "{\"job_id\":\"" + context.jobId() + "\",\"attempt\":" + context.attempt() + "}";
        uploader.upload(context.keys().manifest(), manifest.getBytes(StandardCharsets.UTF_8), "application/json");
        context.progress().report(1, 1);
        return context.keys().outputKeys(uploader.bucket(), 1, false, false);
    }
}
