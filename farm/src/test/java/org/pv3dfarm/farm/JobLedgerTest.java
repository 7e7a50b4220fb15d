package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobLedgerTest {

    @Test
    void aSecondRunOfAJobIsADuplicateAndAJobThatNeverRanIsLost() throws InterruptedException {
        JobLedger ledger = new JobLedger(3);
        ledger.done("a", 10);
        ledger.done("b", 20);
        ledger.done("a", 30);
        assertFalse(ledger.awaitAll(Duration.ofMillis(1)));
        JobLedger.Summary summary = ledger.summary();
        assertEquals(1, summary.duplicates());
        assertEquals(1, summary.lost());
        assertEquals(20, summary.waitP50Ms());
        assertEquals(30, summary.waitP95Ms());
        ledger.done("c", 5);
        assertTrue(ledger.awaitAll(Duration.ofMillis(1)));
        assertEquals(0, ledger.summary().lost());
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> waits = List.of(5L, 1L, 4L, 2L, 3L, 6L, 7L, 8L, 9L, 10L);
        assertEquals(5, JobLedger.percentile(waits, 0.50));
        assertEquals(10, JobLedger.percentile(waits, 0.95));
        assertEquals(1, JobLedger.percentile(waits, 0.01));
        assertTrue(Double.isNaN(JobLedger.percentile(List.of(), 0.95)));
    }
}
