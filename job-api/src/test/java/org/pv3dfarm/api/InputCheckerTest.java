package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.InputMedia;
import org.pv3dfarm.protocol.InputRef;
import org.pv3dfarm.protocol.JobAccepted;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.Priority;
import org.pv3dfarm.protocol.SourceJobRef;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs and source jobs a request reads must be the tenant's, ready, and of the right media. */
class InputCheckerTest {

    final UploadsTest fixture = new UploadsTest();
    final Map<UUID, JobStatus> jobs = new HashMap<>();
    final RetentionPolicy retention = new RetentionPolicy(new RetentionPolicy.Durations(Duration.ofDays(7),
            Duration.ofDays(7), Duration.ofDays(30)), Map.of());
    final InputChecker checker = new InputChecker(fixture.uploads, id -> Optional.ofNullable(jobs.get(id)), retention,
            fixture.clock);

    private UploadRecord readyPng(Caller caller) {
        UploadRecord upload = fixture.uploads.create(caller, UploadsTest.json(
                "{\"content_type\":\"image/png\",\"size\":64}")).upload();
        fixture.store.putBytes(upload.key(), UploadsTest.png(64), "image/png");
        return upload;
    }

    private ProblemException refused(Caller caller, List<InputRef> inputs, List<SourceJobRef> sources) {
        return assertThrows(ProblemException.class, () -> checker.check(caller, inputs, sources));
    }

    @Test
    void aReadyUploadOfTheTenantOfTheRightMediaPasses() {
        UploadRecord png = readyPng(UploadsTest.ACME);
        assertDoesNotThrow(() -> checker.check(UploadsTest.ACME,
                List.of(new InputRef("input_key", png.key(), InputMedia.IMAGE)), List.of()));
        assertDoesNotThrow(() -> checker.check(UploadsTest.ACME,
                List.of(new InputRef("input_key", png.key(), null)), List.of()));
        ProblemException wrongMedia = refused(UploadsTest.ACME,
                List.of(new InputRef("driving_key", png.key(), InputMedia.VIDEO)), List.of());
        assertEquals(ProblemType.INPUT_NOT_USABLE, wrongMedia.type());
        assertEquals("driving_key", wrongMedia.violations().get(0).field());
    }

    @Test
    void anotherTenantsUploadIsAnsweredLikeAMissingOne() {
        UploadRecord acme = readyPng(UploadsTest.ACME);
        String traversal = "tenants/globex/inputs/" + acme.uploadId() + "/../../../acme/inputs/" + acme.uploadId()
                + "/input.png";
        for (String key : List.of(acme.key(), traversal, "tenants/globex/inputs/" + UUID.randomUUID() + "/x.png",
                "../" + acme.key(), acme.key().replace("input.png", ".upload.json"))) {
            ProblemException e = refused(UploadsTest.GLOBEX, List.of(new InputRef("input_key", key, null)),
                    List.of());
            assertEquals(ProblemType.INPUT_NOT_FOUND, e.type(), key);
            assertEquals("input_key", e.violations().get(0).field());
            assertTrue(!e.getMessage().contains("acme"), e.getMessage());
        }
        // The right prefix and id with another name is not that upload either.
        ProblemException renamed = refused(UploadsTest.ACME, List.of(new InputRef("input_key",
                acme.key().replace("input.png", "other.png"), null)), List.of());
        assertEquals(ProblemType.INPUT_NOT_FOUND, renamed.type());
    }

    @Test
    void pendingAndRejectedUploadsAreNotUsable() {
        UploadRecord pending = fixture.uploads.create(UploadsTest.ACME, UploadsTest.json(
                "{\"content_type\":\"image/png\",\"size\":64}")).upload();
        UploadRecord fake = fixture.uploads.create(UploadsTest.ACME, UploadsTest.json(
                "{\"content_type\":\"image/png\",\"size\":5}")).upload();
        fixture.store.putBytes(fake.key(), "hello".getBytes(), "image/png");
        ProblemException e = refused(UploadsTest.ACME, List.of(new InputRef("input_key", pending.key(), null),
                new InputRef("driving_key", fake.key(), null)), List.of());
        assertEquals(ProblemType.INPUT_NOT_USABLE, e.type());
        assertEquals(List.of("input_key", "driving_key"), e.violations().stream().map(v -> v.field()).toList());
        assertTrue(e.violations().get(1).message().contains("rejected"));
    }

    @Test
    void sourceJobsMustBeCompletedJobsOfTheTenantWithOutputsKept() {
        UUID done = UUID.randomUUID();
        UUID queued = UUID.randomUUID();
        UUID globex = UUID.randomUUID();
        var now = fixture.clock.instant();
        jobs.put(done, JobStatus.of(new JobAccepted(null, done, JobKind.GENERATE, "acme", now, Priority.NORMAL, null,
                null)).apply(new JobCompleted(null, done, JobKind.GENERATE, "acme", now, 1, "w", new OutputKeys(
                "pv3d", OutputKeys.prefixFor("acme", done) + "manifest.json", List.of(), null, null, null), 1L)));
        jobs.put(queued, JobStatus.of(new JobAccepted(null, queued, JobKind.GENERATE, "acme", now, Priority.NORMAL,
                null, null)));
        jobs.put(globex, JobStatus.of(new JobAccepted(null, globex, JobKind.GENERATE, "globex", now,
                Priority.NORMAL, null, null)));
        assertDoesNotThrow(() -> checker.check(UploadsTest.ACME, List.of(),
                List.of(new SourceJobRef("source_job_id", done))));
        assertEquals(ProblemType.INPUT_NOT_USABLE, refused(UploadsTest.ACME, List.of(),
                List.of(new SourceJobRef("source_job_id", queued))).type());
        for (UUID missing : List.of(globex, UUID.randomUUID())) {
            ProblemException e = refused(UploadsTest.ACME, List.of(), List.of(new SourceJobRef("source_job_id",
                    missing)));
            assertEquals(ProblemType.INPUT_NOT_FOUND, e.type());
            assertEquals("source_job_id", e.violations().get(0).field());
        }
        fixture.clock.advance(Duration.ofDays(8));
        assertTrue(refused(UploadsTest.ACME, List.of(), List.of(new SourceJobRef("source_job_id", done)))
                .getMessage().contains("expired"));
    }
}
