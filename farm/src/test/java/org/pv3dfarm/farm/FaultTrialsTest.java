package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pv3dfarm.protocol.DeadLetter;

/**
 * The fault runs of {@code bench/fault-trials} at CI size, on one embedded stack: hostile records straight to the
 * request topics, a 5 s object-store outage and a broker restart mid-run. The behaviour asserted is the bench's:
 * every record accounted for, no worker loop ended, no job lost, no duplicate completion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultTrialsTest {

    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private Path dir;
    private FaultRig rig;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("pv3d-fault-trials-test");
        rig = FaultRig.start(dir, 2, config -> config.retryInitialBackoff(Duration.ofMillis(200))
                .retryMaxBackoff(Duration.ofSeconds(2)).concurrentJobs(2));
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
        FaultRig.deleteTree(dir);
    }

    @Test
    void everyHostileRecordIsDeadLetteredWithItsReasonOrRunAndTheWorkerStaysUp() throws Exception {
        List<HostileRecords.Hostile> corpus = HostileRecords.corpus(11, 60); // the bench tries ~300 truncations
        Map<String, Long> figures = HostileRecordTrials.run(rig, corpus, TIMEOUT);

        assertEquals(corpus.size(), figures.get("hostile_records_tried"));
        assertEquals(0, figures.get("hostile_records_unaccounted"), figures.toString());
        assertEquals(0, figures.get("worker_crashes"), figures.toString());
        assertTrue(figures.get("hostile_records_dead_lettered") > corpus.size() * 8 / 10, figures.toString());
        // Valid requests under hostile headers run (their headers cannot make them invalid).
        assertTrue(figures.get("hostile_records_run") >= 15, figures.toString());
        List<DeadLetter> letters = rig.deadLetters();
        assertTrue(letters.stream().allMatch(d -> !d.reason().isBlank()), "every dead letter has a reason");
        assertTrue(letters.stream().anyMatch(d -> d.reason().contains("value cut to its first")),
                "a record near the size limit is dead-lettered with its value cut");
    }

    @Test
    void anObjectStoreOutageMidRunLosesNoJobAndCompletesNoneTwice() throws Exception {
        OutageTrials.Phase phase = OutageTrials.objectStoreOutage(rig, 4, OUTAGE, TIMEOUT);

        assertEquals(0, phase.lost(), phase.toString());
        assertEquals(0, phase.duplicates(), phase.toString());
        assertEquals(0, phase.deadLettered(), phase.toString());
    }

    @Test
    void aBrokerRestartMidRunLosesNoJobAndCompletesNoneTwice() throws Exception {
        OutageTrials.Phase phase = OutageTrials.brokerRestart(rig, 4, OUTAGE, TIMEOUT);

        assertEquals(0, phase.lost(), phase.toString());
        assertEquals(0, phase.duplicates(), phase.toString());
        assertEquals(0, phase.deadLettered(), phase.toString());
        assertEquals(0, rig.worker().endedLoops(), "the worker's loops outlive the broker's restart");
    }
}
