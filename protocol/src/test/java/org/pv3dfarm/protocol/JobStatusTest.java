package org.pv3dfarm.protocol;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobStatusTest {

    private static final UUID JOB = Samples.JOB;
    private static final JobKind KIND = JobKind.GENERATE;

    private static Instant t(int s) {
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(s);
    }

    private static JobAccepted accepted(int s) {
        return new JobAccepted(null, JOB, KIND, "acme", t(s), Priority.HIGH, "key-1", "ab".repeat(32));
    }

    private static JobStarted started(int attempt, int s) {
        return new JobStarted(null, JOB, KIND, "acme", t(s), "w1", attempt);
    }

    private static JobProgress progress(int attempt, int done, int s) {
        return new JobProgress(null, JOB, KIND, "acme", t(s), attempt, done, 32, ProgressUnit.FRAMES);
    }

    private static JobCompleted completed(int attempt, int s) {
        return new JobCompleted(null, JOB, KIND, "acme", t(s), attempt, "w1", Samples.outputKeys(), 10L);
    }

    private static JobFailed failed(int attempt, boolean retryable, int s) {
        return new JobFailed(null, JOB, KIND, "acme", t(s), attempt, "model_error", "boom", retryable);
    }

    private static JobStatus fold(JobEvent... events) {
        JobStatus status = JobStatus.of(events[0]);
        for (int i = 1; i < events.length; i++) {
            status = status.apply(events[i]);
        }
        return status;
    }

    @Test
    void happyPath() {
        JobStatus queued = fold(accepted(0));
        assertEquals(JobState.QUEUED, queued.state());
        assertEquals(Priority.HIGH, queued.priority());
        assertEquals("key-1", queued.idempotencyKey());
        assertEquals(t(0), queued.acceptedAt());

        JobStatus running = fold(accepted(0), started(1, 1), progress(1, 8, 2));
        assertEquals(JobState.RUNNING, running.state());
        assertEquals(8, running.progressDone());
        assertEquals(32, running.progressTotal());

        JobStatus done = fold(accepted(0), started(1, 1), progress(1, 8, 2), completed(1, 3));
        assertEquals(JobState.COMPLETED, done.state());
        assertEquals(32, done.progressDone());
        assertEquals(Samples.outputKeys(), done.outputs());
        assertEquals(t(3), done.updatedAt());
        assertTrue(done.state().isTerminal());
    }

    @Test
    void lateAcceptedFillsDetailsWithoutGoingBack() {
        JobStatus status = fold(started(1, 1), progress(1, 4, 2), accepted(0));
        assertEquals(JobState.RUNNING, status.state());
        assertEquals("key-1", status.idempotencyKey());
        assertEquals(t(0), status.acceptedAt());
        assertEquals(t(2), status.updatedAt());
        assertEquals(JobState.COMPLETED, fold(completed(1, 3), accepted(0)).state());
    }

    @Test
    void completedIsFinalAndDuplicatesChangeNothing() {
        JobStatus done = fold(accepted(0), completed(1, 3));
        assertSame(done, done.apply(progress(1, 2, 4)));
        assertSame(done, done.apply(started(2, 4)));
        assertSame(done, done.apply(failed(2, false, 5)));
        assertEquals(done.outputs(), done.apply(completed(1, 3)).outputs());
    }

    @Test
    void progressNeverGoesBackWithinAnAttemptAndOldAttemptsAreIgnored() {
        JobStatus status = fold(accepted(0), started(1, 1), progress(1, 10, 2), progress(1, 6, 3));
        assertEquals(10, status.progressDone());
        JobStatus retried = status.apply(started(2, 4));
        assertEquals(0, retried.progressDone());
        assertEquals(2, retried.attempt());
        assertSame(retried, retried.apply(progress(1, 20, 5)));
        assertEquals(3, retried.apply(progress(2, 3, 6)).progressDone());
    }

    @Test
    void retryableFailureRequeuesAndKeepsTheError() {
        JobStatus status = fold(accepted(0), started(1, 1), failed(1, true, 2));
        assertEquals(JobState.QUEUED, status.state());
        assertEquals("model_error", status.failureCode());
        assertEquals(Boolean.TRUE, status.retryable());
        JobStatus again = status.apply(started(2, 3)).apply(completed(2, 4));
        assertEquals(JobState.COMPLETED, again.state());
        assertEquals(2, again.attempt());
    }

    @Test
    void finalFailureIsFinal() {
        JobStatus status = fold(accepted(0), started(1, 1), failed(1, false, 2));
        assertEquals(JobState.FAILED, status.state());
        assertEquals("boom", status.failureReason());
        assertSame(status, status.apply(completed(1, 3)));
    }

    @Test
    void onlyALaterAttemptReopensAFinalFailure() {
        JobStatus failed = fold(accepted(0), started(1, 1), failed(1, false, 2));
        assertSame(failed, failed.apply(started(1, 3)), "a stale start of the failed attempt changes nothing");
        JobStatus replayed = failed.apply(started(2, 4));
        assertEquals(JobState.RUNNING, replayed.state());
        assertEquals(2, replayed.attempt());
        assertEquals(JobState.COMPLETED, replayed.apply(completed(2, 5)).state());
    }

    @Test
    void cancelledIsFinal() {
        JobStatus status = fold(accepted(0), new JobCancelled(null, JOB, KIND, "acme", t(1), "user"));
        assertEquals(JobState.CANCELLED, status.state());
        assertSame(status, status.apply(started(1, 2)));
    }

    @Test
    void firstEventMayBeAnyEvent() {
        for (JobEvent event : List.of(started(1, 1), progress(1, 2, 1), completed(1, 1), failed(1, false, 1))) {
            JobStatus status = JobStatus.of(event);
            assertEquals(JOB, status.jobId());
            assertNull(status.acceptedAt());
        }
    }

    @Test
    void refusesAnotherJobsEvent() {
        JobStatus status = fold(accepted(0));
        JobStarted other = new JobStarted(null, UUID.randomUUID(), KIND, null, t(1), "w", 1);
        assertThrows(IllegalArgumentException.class, () -> status.apply(other));
    }
}
