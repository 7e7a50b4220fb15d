package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobFailed;
import org.pv3dfarm.protocol.JobStarted;
import org.pv3dfarm.protocol.JobState;
import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.client.DeadLetterReplay;

/** Retries through the retry topic (not blocking other jobs), and replaying a dead letter, on a real broker. */
class RetryAndReplayTest {

    private EmbeddedKafkaBroker broker;
    private FarmTopics topics;
    private EventPublisher publisher;
    private ScriptedHandler handler;
    private JobConsumerLoop loop;

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.builder().start();
        topics = new FarmTopics(broker);
        publisher = EventPublisher.connect(broker.bootstrapServers(), "test-events", Duration.ofSeconds(10));
        handler = new ScriptedHandler(new InMemoryObjectUploader("outputs"));
        WorkerOptions options = WorkerOptions.builder()
                .bootstrapServers(broker.bootstrapServers())
                .groupId("retries")
                .workerId("w1")
                .pollTimeout(Duration.ofMillis(50))
                .shutdownGrace(Duration.ofSeconds(5))
                .ackTimeout(Duration.ofSeconds(5))
                .jobRetry(new RetryPolicy(3, Duration.ofMillis(1500), Duration.ofMillis(1500)))
                .build();
        loop = new JobConsumerLoop(options, handler, publisher);
    }

    @AfterEach
    void stop() {
        loop.close();
        publisher.close();
        broker.close();
    }

    @Test
    void aWaitingRetryDoesNotHoldUpTheJobsBehindIt() throws Exception {
        UUID flaky = UUID.randomUUID();
        handler.script(flaky, context -> {
            throw new UploadException("store down", null, true, 5);
        });
        topics.submit(FarmTopics.generate(flaky));
        List<UUID> behind = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (UUID job : behind) {
            topics.submit(FarmTopics.generate(job));
        }
        loop.start();

        List<JobEvent> events = topics.events(behind.size() + 1, e -> e instanceof JobCompleted);
        assertEquals(flaky, events.get(events.size() - 1).jobId(), "the retried job completes last");
        JobCompleted retried = (JobCompleted) events.get(events.size() - 1);
        assertEquals(2, retried.attempt(), "the retry record carries the attempt number");
        List<JobEvent> started = topics.events(2, e -> e.jobId().equals(flaky) && e instanceof JobStarted);
        long waited = Duration.between(started.get(0).time(), started.get(1).time()).toMillis();
        // The backoff is jittered within [0.5, 1) of the configured 1500 ms.
        assertTrue(waited >= 750, "the retry waited for its backoff (" + waited + " ms)");
        for (UUID job : behind) {
            JobEvent done = topics.events(1, e -> e.jobId().equals(job) && e instanceof JobCompleted).get(0);
            assertTrue(done.time().isBefore(started.get(1).time()), "job " + job
                    + " behind the failed one ran while the retry waited");
        }
        JobFailed announced = (JobFailed) topics.events(1, e -> e.jobId().equals(flaky) && e instanceof JobFailed)
                .get(0);
        assertTrue(announced.retryable());
    }

    @Test
    void aReplayedDeadLetterRunsAgainAndItsStatusEndsCompleted() throws Exception {
        UUID job = UUID.randomUUID();
        handler.script(job, context -> {
            throw new IllegalStateException("model file missing");
        });
        topics.submit(FarmTopics.generate(job));
        loop.start();
        DeadLetter deadLetter = topics.deadLetters(1, d -> job.equals(d.jobId())).get(0);
        assertTrue(deadLetter.reason().contains("model file missing"), deadLetter.reason());
        assertEquals(JobState.FAILED, fold(job, 2).state());

        int replayed;
        Map<String, Object> config = broker.clientConfig();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<String, byte[]>(EventPublisher.producerProperties(
                     broker.bootstrapServers(), "test-replay", Duration.ofSeconds(10)))) {
            replayed = DeadLetterReplay.replay(consumer, producer, d -> job.equals(d.jobId()),
                    Duration.ofSeconds(30));
        }
        assertEquals(1, replayed);

        JobCompleted completed = (JobCompleted) topics.events(1,
                e -> e.jobId().equals(job) && e instanceof JobCompleted).get(0);
        assertEquals(2, completed.attempt(), "the replay is the attempt after the failed one");
        assertEquals(2, handler.calls(job).size());
        // started, failed, started (replay), progress, completed
        assertEquals(JobState.COMPLETED, fold(job, 5).state());
    }

    private JobStatus fold(UUID job, int events) {
        List<JobEvent> all = topics.events(events, e -> e.jobId().equals(job));
        JobStatus status = JobStatus.of(all.get(0));
        for (JobEvent event : all.subList(1, all.size())) {
            status = status.apply(event);
        }
        return status;
    }
}
