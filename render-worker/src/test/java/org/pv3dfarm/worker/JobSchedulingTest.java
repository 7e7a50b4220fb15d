package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.protocol.JobCancelled;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.Priority;

/** Priorities and cancellation in the consumer loop, on a real broker. */
class JobSchedulingTest {

    private static final String GROUP = "scheduling";

    private EmbeddedKafkaBroker broker;
    private FarmTopics topics;
    private EventPublisher publisher;
    private ScriptedHandler handler;
    private FinishedJobsWatcher finishedJobs;
    private JobConsumerLoop loop;

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.builder().start();
        topics = new FarmTopics(broker);
        publisher = EventPublisher.connect(broker.bootstrapServers(), "test-events", Duration.ofSeconds(10));
        handler = new ScriptedHandler(new InMemoryObjectUploader("outputs"));
        finishedJobs = FinishedJobsWatcher.start(broker.bootstrapServers(), "test-finishedJobs");
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
        finishedJobs.close();
        publisher.close();
        broker.close();
    }

    private void startLoop() {
        WorkerOptions options = WorkerOptions.builder()
                .bootstrapServers(broker.bootstrapServers())
                .groupId(GROUP)
                .workerId("w1")
                .pollTimeout(Duration.ofMillis(50))
                .shutdownGrace(Duration.ofSeconds(5))
                .ackTimeout(Duration.ofSeconds(5))
                .build();
        loop = new JobConsumerLoop(options, handler, publisher, finishedJobs).start();
    }

    @Test
    void highPriorityJobsOvertakeABacklogOfNormalOnes() throws Exception {
        List<UUID> backlog = new ArrayList<>();
        CountDownLatch firstRunning = new CountDownLatch(1);
        for (int i = 0; i < 15; i++) {
            UUID job = UUID.randomUUID();
            backlog.add(job);
            handler.script(job, context -> {
                firstRunning.countDown();
                Thread.sleep(300);
                return handler.succeed(context);
            });
            topics.submit(FarmTopics.generate(job));
        }
        startLoop();
        assertTrue(firstRunning.await(30, TimeUnit.SECONDS));
        List<UUID> urgent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID job = UUID.randomUUID();
            urgent.add(job);
            topics.submit(FarmTopics.generate(job).toBuilder().priority(Priority.HIGH).build());
        }

        List<UUID> completed = topics.events(18, e -> e instanceof JobCompleted).stream()
                .map(JobEvent::jobId).toList();
        int lastUrgent = urgent.stream().mapToInt(completed::indexOf).max().orElseThrow();
        // Submitted while the backlog's first job ran (each normal job takes 300 ms, each submission well under
        // that), so every urgent job runs within the next few jobs, far ahead of the backlog's tail.
        assertTrue(lastUrgent < 8, "urgent jobs completed at positions "
                + urgent.stream().map(completed::indexOf).toList() + " of " + completed.size());
        assertTrue(completed.containsAll(backlog), "the backlog still runs");
    }

    @Test
    void aCancelledQueuedJobIsSkippedAndARunningOneStopsAtItsNextBatch() throws Exception {
        UUID running = UUID.randomUUID();
        UUID queued = UUID.randomUUID();
        UUID after = UUID.randomUUID();
        CountDownLatch started = new CountDownLatch(1);
        List<Boolean> sawStop = new ArrayList<>();
        handler.script(running, context -> {
            started.countDown();
            BooleanSupplier stop = context.stopRequested();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!stop.getAsBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(10); // one "batch"
            }
            sawStop.add(stop.getAsBoolean());
            throw new JobStoppedException("stopped at a batch boundary");
        });
        topics.submit(FarmTopics.generate(running));
        startLoop();
        assertTrue(started.await(30, TimeUnit.SECONDS));
        // Queued behind the running job (the topic has two partitions, so only this fixes the order).
        topics.submit(FarmTopics.generate(queued));
        topics.submit(FarmTopics.generate(after));

        cancel(queued);
        awaitTrue(() -> finishedJobs.isCancelled(queued), "the watcher sees the first cancellation");
        cancel(running);

        // One events partition: everything about the cancelled jobs comes before the next job's completion.
        List<JobEvent> events = topics.events(4, e -> e.jobId().equals(running) || e.jobId().equals(queued)
                || (e.jobId().equals(after) && e instanceof JobCompleted));
        assertEquals(List.of("started", "cancelled", "cancelled", "completed"),
                events.stream().map(JobEvent::type).toList(),
                "no failed (so no dead letter), progress or completed event for the cancelled jobs");
        assertEquals(List.of(true), sawStop, "the running job was asked to stop");
        assertTrue(handler.calls(queued).isEmpty(), "the cancelled queued job never ran");
        assertEquals(1, handler.calls(running).size(), "the stopped job is not retried");
        awaitTrue(() -> committed() == 3, "all three offsets are committed");
    }

    @Test
    void aRedeliveredJobThatAlreadyCompletedIsNotRunAgain() throws Exception {
        UUID done = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        // A worker completed `done` and died before committing its offset: the completed event is on the topic
        // and the request is still uncommitted, so the next worker gets it again.
        OutputKeyLayout keys = OutputKeyLayout.forJob(done);
        publisher.publish(new JobCompleted(null, done, JobKind.GENERATE, null, Instant.now(), 1, "w0",
                keys.outputKeys("outputs", 1, false, false), 10L), null);
        topics.submit(FarmTopics.generate(done));
        topics.submit(FarmTopics.generate(fresh));
        startLoop();

        topics.events(1, e -> e.jobId().equals(fresh) && e instanceof JobCompleted);
        awaitTrue(() -> committed() == 2, "both offsets are committed");
        assertTrue(handler.calls(done).isEmpty(), "the completed job did not run again");
        List<JobEvent> events = topics.events(2, e -> e.jobId().equals(done)
                || (e.jobId().equals(fresh) && e instanceof JobCompleted));
        assertEquals(List.of("completed", "completed"), events.stream().map(JobEvent::type).toList());
        assertEquals(done, events.get(0).jobId(), "one completion of the redelivered job, no second one");
    }

    private void cancel(UUID job) throws Exception {
        publisher.publish(new JobCancelled(null, job, JobKind.GENERATE, null, Instant.now(), "test"), null);
    }

    private long committed() {
        return topics.committedTotal(GROUP);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        FarmTopics.awaitTrue(condition, what);
    }
}
