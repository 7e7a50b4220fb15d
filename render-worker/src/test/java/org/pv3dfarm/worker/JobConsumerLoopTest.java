package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobFailed;
import org.pv3dfarm.protocol.JobProgress;
import org.pv3dfarm.protocol.JobStarted;
import org.pv3dfarm.protocol.Topics;

class JobConsumerLoopTest {

    private static final String GROUP = "workers";

    private EmbeddedKafkaBroker broker;
    private FarmTopics topics;
    private EventPublisher publisher;
    private InMemoryObjectUploader uploader;
    private ScriptedHandler handler;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.builder().start();
        topics = new FarmTopics(broker);
        publisher = EventPublisher.connect(broker.bootstrapServers(), "test-worker-events", Duration.ofSeconds(10));
        uploader = new InMemoryObjectUploader("outputs");
        handler = new ScriptedHandler(uploader);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        publisher.close();
        broker.close();
    }

    private WorkerOptions.Builder options(String workerId) {
        return WorkerOptions.builder()
                .bootstrapServers(broker.bootstrapServers())
                .groupId(GROUP)
                .workerId(workerId)
                .pollTimeout(Duration.ofMillis(50))
                .shutdownGrace(Duration.ofSeconds(10))
                .ackTimeout(Duration.ofSeconds(5))
                .jobRetry(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50)));
    }

    private JobConsumerLoop start(WorkerOptions options, JobHandler jobHandler, EventPublisher events) {
        JobConsumerLoop loop = new JobConsumerLoop(options, jobHandler, events);
        toClose.add(loop);
        return loop.start();
    }

    private JobConsumerLoop start(String workerId) {
        return start(options(workerId).build(), handler, publisher);
    }

    @Test
    void aJobIsCommittedAfterItsOutputsAndItsCompletedEvent() throws Exception {
        List<UUID> jobs = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (UUID job : jobs) {
            topics.submit(FarmTopics.generate(job));
        }
        start("w1");

        List<JobEvent> events = topics.events(9, e -> jobs.contains(e.jobId()));
        for (UUID job : jobs) {
            List<String> types = events.stream().filter(e -> e.jobId().equals(job)).map(JobEvent::type).toList();
            assertEquals(List.of("started", "progress", "completed"), types, "events of " + job);
            JobCompleted completed = (JobCompleted) events.stream()
                    .filter(e -> e.jobId().equals(job) && e instanceof JobCompleted).findFirst().orElseThrow();
            assertEquals(OutputKeyLayout.forJob(job).manifest(), completed.outputs().manifestKey());
            assertEquals("w1", completed.worker());
            assertTrue(uploader.get(completed.outputs().manifestKey()).isPresent(), "uploaded before completion");
        }
        awaitTrue(() -> committedTotal() == 3, "offsets of all three jobs committed");
    }

    @Test
    void withoutAnAcknowledgedCompletedEventNothingIsCommitted() throws Exception {
        UUID job = UUID.randomUUID();
        topics.submit(FarmTopics.generate(job));
        int deadPort;
        try (EmbeddedKafkaBroker gone = EmbeddedKafkaBroker.builder().start()) {
            deadPort = gone.port();
        }
        EventPublisher unreachable = EventPublisher.connect("127.0.0.1:" + deadPort, "lost-events", Duration.ofSeconds(1));
        toClose.add(unreachable);
        start(options("w1").jobRetry(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(20))).build(),
                handler, unreachable);

        awaitTrue(() -> handler.calls(job).size() >= 2, "the job runs again after its event was not acknowledged");
        assertEquals(Map.of(), topics.committed(GROUP), "nothing is committed");
    }

    @Test
    void unreadableAndInvalidRequestsAreDeadLetteredWithTheReasonAndTheLoopGoesOn() throws Exception {
        UUID garbled = UUID.randomUUID();
        UUID invalid = UUID.randomUUID();
        UUID valid = UUID.randomUUID();
        byte[] garbledBytes = "{\"kind\":\"generate\",".getBytes(StandardCharsets.UTF_8);
        topics.submitRaw(Topics.GENERATE, garbled.toString(), garbledBytes);
        byte[] invalidBytes = JobCodec.instance().encode(FarmTopics.generate(invalid).toBuilder().frames(-3).build());
        topics.submitRaw(Topics.GENERATE, invalid.toString(), invalidBytes);
        topics.submitRaw(Topics.GENERATE, "not-the-job-id", JobCodec.instance().encode(FarmTopics.generate(UUID.randomUUID())));
        topics.submit(FarmTopics.generate(valid));
        start("w1");

        topics.events(1, e -> e.jobId().equals(valid) && e instanceof JobCompleted);
        Map<String, DeadLetter> deadLetters = topics.deadLetters(3, d -> true).stream()
                .collect(Collectors.toMap(DeadLetter::key, d -> d));
        DeadLetter unreadable = deadLetters.get(garbled.toString());
        assertTrue(unreadable.reason().startsWith("unreadable request: malformed JSON"), unreadable.reason());
        assertArrayEquals(garbledBytes, unreadable.payload(), "the original bytes are kept");
        assertEquals(Topics.GENERATE, unreadable.topic());
        DeadLetter outOfBounds = deadLetters.get(invalid.toString());
        assertTrue(outOfBounds.reason().contains("frames"), outOfBounds.reason());
        assertArrayEquals(invalidBytes, outOfBounds.payload());
        assertTrue(deadLetters.get("not-the-job-id").reason().contains("is not the job id"));

        List<JobEvent> failures = topics.events(2, e -> e instanceof JobFailed && Set.of(garbled, invalid).contains(e.jobId()));
        for (JobEvent event : failures) {
            JobFailed failed = (JobFailed) event;
            assertEquals("invalid_request", failed.code());
            assertFalse(failed.retryable());
        }
        assertEquals(1, handler.calls(valid).size());
        assertTrue(handler.calls(invalid).isEmpty(), "an invalid job never reaches the handler");
        awaitTrue(() -> committedTotal() == 4, "dead-lettered records are committed too");
    }

    @Test
    void aRecordNearTheSizeLimitIsDeadLetteredWithItsValueCutAndTheLoopGoesOn() throws Exception {
        UUID huge = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        // Base64 in the dead letter would make 1.2 MB of this 0.9 MB record: more than the broker takes.
        String valid = new String(JobCodec.instance().encode(FarmTopics.generate(huge)), StandardCharsets.UTF_8);
        String body = "{\"idempotency_key\":\"" + "k".repeat(900_000) + "\"," + valid.substring(1);
        topics.submitRaw(Topics.GENERATE, huge.toString(), body.getBytes(StandardCharsets.UTF_8));
        topics.submit(FarmTopics.generate(next));
        start("w1");

        DeadLetter deadLetter = topics.deadLetters(1, d -> huge.equals(d.jobId())).get(0);
        assertTrue(deadLetter.reason().contains("value cut to its first 262144 of"), deadLetter.reason());
        assertEquals(DeadLetterBounds.MAX_VALUE_BYTES, deadLetter.payload().length);
        topics.events(1, e -> e.jobId().equals(next) && e instanceof JobCompleted);
    }

    @Test
    void aRetryDueFarInTheFutureWaitsNoLongerThanTheLongestBackoff() throws Exception {
        UUID job = UUID.randomUUID();
        var record = org.pv3dfarm.protocol.client.JobRecords.request(FarmTopics.generate(job), "far-future");
        topics.submitRaw(Topics.retry(org.pv3dfarm.protocol.JobKind.GENERATE), job.toString(), record.value(),
                Map.of(org.pv3dfarm.protocol.HeaderNames.NOT_BEFORE, Long.toString(Long.MAX_VALUE),
                        org.pv3dfarm.protocol.HeaderNames.ATTEMPT, "2"));
        start("w1"); // the longest backoff is 50 ms

        JobCompleted completed = (JobCompleted) topics.events(1,
                e -> e.jobId().equals(job) && e instanceof JobCompleted).get(0);
        assertEquals(2, completed.attempt());
    }

    @Test
    void aHandlerExceptionFailsOnlyThatJob() throws Exception {
        UUID broken = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        handler.script(broken, context -> {
            throw new IllegalStateException("the renderer blew up");
        });
        topics.submit(FarmTopics.generate(broken));
        topics.submit(FarmTopics.generate(next));
        JobConsumerLoop loop = start("w1");

        DeadLetter deadLetter = topics.deadLetters(1, d -> broken.equals(d.jobId())).get(0);
        assertTrue(deadLetter.reason().contains("the renderer blew up"), deadLetter.reason());
        assertEquals(IllegalStateException.class.getName(), deadLetter.exceptionClass());
        JobFailed failed = (JobFailed) topics.events(1, e -> e.jobId().equals(broken) && e instanceof JobFailed).get(0);
        assertEquals("job_error", failed.code());
        topics.events(1, e -> e.jobId().equals(next) && e instanceof JobCompleted);
        assertFalse(loop.terminated().isDone(), "the loop is still running");
    }

    @Test
    void retryableFailuresAreRetriedThenSucceedOrAreDeadLetteredAtTheLimit() throws Exception {
        UUID flaky = UUID.randomUUID();
        UUID hopeless = UUID.randomUUID();
        ScriptedHandler.Step outage = context -> {
            throw new UploadException("store down", null, true, 5);
        };
        handler.script(flaky, outage, outage);
        handler.script(hopeless, outage, outage, outage);
        topics.submit(FarmTopics.generate(flaky));
        topics.submit(FarmTopics.generate(hopeless));
        start("w1");

        JobCompleted completed = (JobCompleted) topics.events(1,
                e -> e.jobId().equals(flaky) && e instanceof JobCompleted).get(0);
        assertEquals(3, completed.attempt());
        List<JobEvent> retries = topics.events(2, e -> e.jobId().equals(flaky) && e instanceof JobFailed);
        assertTrue(retries.stream().allMatch(e -> ((JobFailed) e).retryable()), "a retry is announced as retryable");

        DeadLetter deadLetter = topics.deadLetters(1, d -> hopeless.equals(d.jobId())).get(0);
        assertTrue(deadLetter.reason().startsWith("gave up after 3 attempts"), deadLetter.reason());
        JobFailed last = (JobFailed) topics.events(3, e -> e.jobId().equals(hopeless) && e instanceof JobFailed).get(2);
        assertEquals("retries_exhausted", last.code());
        assertFalse(last.retryable());
        assertEquals(List.of(1, 2, 3), handler.calls(hopeless).stream().map(JobContext::attempt).toList());
    }

    @Test
    void aCrashBeforeTheCommitRedeliversTheJobAndItsOutputsAreOverwritten() throws Exception {
        UUID job = UUID.randomUUID();
        handler.script(job, context -> {
            handler.succeed(context); // the outputs are uploaded...
            throw new ScriptedHandler.SimulatedCrash(); // ...and the process dies before the completed event
        });
        topics.submit(FarmTopics.generate(job));
        JobConsumerLoop crashed = start("w1");
        ExecutionException death = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> crashed.terminated().get(30, TimeUnit.SECONDS));
        assertInstanceOf(ScriptedHandler.SimulatedCrash.class, death.getCause());
        assertEquals(Map.of(), topics.committed(GROUP), "the crashed worker committed nothing");

        start("w2");
        JobCompleted completed = (JobCompleted) topics.events(1, e -> e.jobId().equals(job) && e instanceof JobCompleted).get(0);
        assertEquals("w2", completed.worker());
        assertEquals(2, handler.calls(job).size());
        assertEquals(Set.of(OutputKeyLayout.forJob(job).manifest()), uploader.keys(), "one object, written twice");
        assertEquals(2, uploader.uploadCount());
        awaitTrue(() -> committedTotal() == 1, "committed after the redelivered run");
    }

    @Test
    void aJobLongerThanTheMaxPollIntervalKeepsItsPartitionAndRunsOnce() throws Exception {
        UUID job = UUID.randomUUID();
        handler.script(job, context -> {
            Thread.sleep(2_500);
            return handler.succeed(context);
        });
        topics.submit(FarmTopics.generate(job));
        start(options("w1").consumerProperty("max.poll.interval.ms", "1000").build(), handler, publisher);

        topics.events(1, e -> e.jobId().equals(job) && e instanceof JobCompleted);
        awaitTrue(() -> committedTotal() == 1, "the long job's offset is committed");
        assertEquals(1, handler.calls(job).size(), "no rebalance took the job away and gave it back");
        List<JobEvent> started = topics.events(1, e -> e.jobId().equals(job) && e instanceof JobStarted);
        assertEquals(1, started.size());
    }

    /**
     * Two workers in a stable group; the one that gets the job runs it several times longer than
     * max.poll.interval.ms. Had it left the group, the other would take the partition and run the job again.
     * 2 s is also the classic protocol's rebalance timeout; the members hear of a rebalance within it because
     * {@link GroupHeartbeat} shortens their heartbeat to 500 ms (with Kafka's 3 s the group never settled).
     */
    @Test
    void aLongJobKeepsItsWorkerInTheGroupAndIsNotRunAgainByAnother() throws Exception {
        UUID job = UUID.randomUUID();
        handler.script(job, context -> {
            Thread.sleep(6_000);
            return handler.succeed(context);
        });
        start(options("w1").consumerProperty("max.poll.interval.ms", "2000").build(), handler, publisher);
        start(options("w2").consumerProperty("max.poll.interval.ms", "2000").build(), handler, publisher);
        awaitTrue(() -> stableMembers() == 2, "both workers are in the group before the job arrives");
        Set<String> members = memberIds();
        topics.submit(FarmTopics.generate(job));

        topics.events(1, e -> e.jobId().equals(job) && e instanceof JobCompleted);
        awaitTrue(() -> committedTotal() == 1, "the long job's offset is committed");
        Thread.sleep(1_500); // a redelivery to the other worker would have started by now
        assertEquals(1, handler.calls(job).size(), "no second processing");
        assertEquals(2, stableMembers(), "nobody was dropped from the group");
        assertEquals(members, memberIds(), "the same two members: none was evicted and re-joined");
    }

    /**
     * A worker joins while a job runs: the eager rebalance revokes every partition and gives the job's partition
     * back to the same worker, whose position is then the committed offset before the job. The loop must not fetch
     * the finished job again after committing it.
     */
    @Test
    void aRebalanceInTheMiddleOfAJobDoesNotRunItAgain() throws Exception {
        UUID job = jobRunningWhileASecondWorkerJoins(0);

        topics.events(1, e -> e.jobId().equals(job) && e instanceof JobCompleted);
        awaitTrue(() -> committedTotal() == 1, "the job's offset is committed");
        Thread.sleep(1_500); // a second fetch of the finished job would have started it by now
        assertEquals(1, handler.calls(job).size(), "the job ran once");
        assertEquals("w1", ((JobCompleted) topics.events(1,
                e -> e.jobId().equals(job) && e instanceof JobCompleted).get(0)).worker());
    }

    /**
     * A worker joins while a job runs and the range assignment moves the job's partition (the second of two) to it:
     * the new owner reads from the last commit and runs the job again, so the worker that lost the partition must
     * not announce the job as well. One completed event, the new owner's.
     */
    @Test
    void aJobWhosePartitionMovesWhileItRunsCompletesOnceOnItsNewOwner() throws Exception {
        UUID job = jobRunningWhileASecondWorkerJoins(1);

        awaitTrue(() -> handler.calls(job).size() == 2, "the new owner runs the job again");
        awaitTrue(() -> committedTotal() == 1, "the job's offset is committed");
        Thread.sleep(6_000); // the first worker's run has ended by now, and would have announced the job
        List<String> completedBy = topics.allEvents().stream()
                .filter(e -> e.jobId().equals(job) && e instanceof JobCompleted)
                .map(e -> ((JobCompleted) e).worker()).toList();
        assertEquals(List.of("w2"), completedBy);
    }

    /**
     * Starts worker w1, queues a 5-second job on {@code partition} of the generate topic, and lets worker w2 join the
     * group while the job runs (the eager rebalance revokes every partition); returns the job.
     */
    private UUID jobRunningWhileASecondWorkerJoins(int partition) throws Exception {
        UUID job = FarmTopics.jobOnPartition(partition);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finishing = new CountDownLatch(1);
        handler.script(job, context -> {
            running.countDown();
            Thread.sleep(5_000);
            finishing.countDown();
            return handler.succeed(context);
        });
        start(options("w1").consumerProperty("max.poll.interval.ms", "3000").build(), handler, publisher);
        awaitTrue(() -> stableMembers() == 1, "the first worker is in the group");
        topics.submit(FarmTopics.generate(job));
        assertTrue(running.await(30, TimeUnit.SECONDS));
        start(options("w2").consumerProperty("max.poll.interval.ms", "3000").build(), handler, publisher);
        awaitTrue(() -> stableMembers() == 2, "the second worker joined");
        assertEquals(1, finishing.getCount(), "the group rebalanced while the job ran");
        return job;
    }

    /**
     * A worker's two loops start 1.5 s apart with a job queued on the partition the second one will own (range
     * assignment, client ids in order). Without the start barrier the first loop takes the job at once, the
     * second's join moves its partition, and the job runs twice.
     */
    @Test
    void aWorkersLoopsTakeNoJobBeforeAllOfThemJoined() throws Exception {
        UUID job = FarmTopics.jobOnPartition(1);
        handler.script(job, context -> {
            Thread.sleep(3_000);
            return handler.succeed(context);
        });
        topics.submit(FarmTopics.generate(job));
        StartBarrier barrier = StartBarrier.of(2, Duration.ofSeconds(60));
        startLoopOf(barrier, "w-0");
        awaitTrue(() -> stableMembers() == 1, "the first loop joined");
        Thread.sleep(1_500); // without the barrier the first loop would have started the job by now
        assertEquals(0, handler.calls(job).size(), "no job before the worker's second loop joined");

        startLoopOf(barrier, "w-1");

        JobCompleted completed = (JobCompleted) topics.events(1,
                e -> e.jobId().equals(job) && e instanceof JobCompleted).get(0);
        assertEquals("w-1", completed.worker());
        awaitTrue(() -> committedTotal() == 1, "the job's offset is committed");
        Thread.sleep(1_500); // a second run would have started by now
        assertEquals(1, handler.calls(job).size(), "the job ran once");
    }

    /** A sibling loop that never joins holds the worker back only for the barrier's bound. */
    @Test
    void aLoopWhoseSiblingNeverJoinsTakesJobsAfterTheBarriersBound() throws Exception {
        UUID job = UUID.randomUUID();
        topics.submit(FarmTopics.generate(job));
        startLoopOf(StartBarrier.of(2, Duration.ofSeconds(2)), "w-0");

        JobCompleted completed = (JobCompleted) topics.events(1,
                e -> e.jobId().equals(job) && e instanceof JobCompleted).get(0);
        assertEquals("w-0", completed.worker());
    }

    private void startLoopOf(StartBarrier barrier, String workerId) {
        JobConsumerLoop loop = new JobConsumerLoop(options(workerId).build(), handler, publisher, FinishedJobs.none(),
                barrier);
        toClose.add(loop);
        loop.start();
    }

    @Test
    void closeLetsARunningJobFinishAndCommitsIt() throws Exception {
        UUID job = UUID.randomUUID();
        CountDownLatch running = new CountDownLatch(1);
        handler.script(job, context -> {
            running.countDown();
            Thread.sleep(1_000);
            return handler.succeed(context);
        });
        topics.submit(FarmTopics.generate(job));
        JobConsumerLoop loop = start("w1");
        assertTrue(running.await(30, TimeUnit.SECONDS));

        loop.close();

        assertTrue(loop.terminated().isDone());
        topics.events(1, e -> e.jobId().equals(job) && e instanceof JobCompleted);
        assertEquals(1, committedTotal());
    }

    @Test
    void closeReleasesAJobThatOutlastsTheGraceForTheNextWorker() throws Exception {
        UUID job = UUID.randomUUID();
        CountDownLatch running = new CountDownLatch(1);
        List<Boolean> sawStop = new ArrayList<>();
        handler.script(job, context -> {
            running.countDown();
            BooleanSupplier stop = context.stopRequested();
            while (!stop.getAsBoolean()) {
                Thread.onSpinWait();
            }
            sawStop.add(true);
            throw new InterruptedException("stopped by the worker");
        });
        topics.submit(FarmTopics.generate(job));
        JobConsumerLoop first = start(options("w1").shutdownGrace(Duration.ofMillis(200)).build(), handler, publisher);
        assertTrue(running.await(30, TimeUnit.SECONDS));

        first.close();

        assertEquals(List.of(true), sawStop, "the handler was asked to stop");
        assertEquals(Map.of(), topics.committed(GROUP), "a released job is not committed");
        start("w2");
        JobCompleted completed = (JobCompleted) topics.events(1, e -> e.jobId().equals(job) && e instanceof JobCompleted).get(0);
        assertEquals("w2", completed.worker());
        assertTrue(topics.events(1, e -> e.jobId().equals(job) && e instanceof JobProgress).size() == 1);
    }

    private long committedTotal() {
        return topics.committedTotal(GROUP);
    }

    /** The member ids of the workers' group: a member evicted by a rebalance re-joins under a new id. */
    private Set<String> memberIds() throws Exception {
        try (Admin admin = Admin.create(broker.clientConfig())) {
            return admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP).members().stream()
                    .map(m -> m.consumerId()).collect(Collectors.toSet());
        }
    }

    /** Members of the workers' group when it is stable, else 0 (also while the broker cannot say). */
    private int stableMembers() {
        try (Admin admin = Admin.create(broker.clientConfig())) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
            return group.groupState() == GroupState.STABLE ? group.members().size() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        FarmTopics.awaitTrue(condition, what);
    }
}
