package org.pv3dfarm.api;

import org.pv3dfarm.protocol.InputMedia;
import org.pv3dfarm.protocol.InputRef;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobState;
import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.SourceJobRef;
import org.pv3dfarm.protocol.Violation;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Before a job is accepted, what it reads must be there: every {@link JobRequest#inputs() input} is a ready upload
 * of the submitting tenant (under its input prefix, content sniffed as declared) of the media the field needs, and
 * every {@link JobRequest#sourceJobs() source job} is a completed job of the same tenant whose outputs are still
 * kept. An input or job that is not the tenant's is answered exactly like one that does not exist (404
 * {@link ProblemType#INPUT_NOT_FOUND}); one that exists but cannot be used is a 422
 * {@link ProblemType#INPUT_NOT_USABLE}. Both name the request field.
 */
public final class InputChecker {

    private final Uploads uploads;
    private final Function<UUID, Optional<JobStatus>> jobs;
    private final RetentionPolicy retention;
    private final Clock clock;

    /** @param jobs the status of a job by id (the API's status store) */
    public InputChecker(Uploads uploads, Function<UUID, Optional<JobStatus>> jobs, RetentionPolicy retention,
                        Clock clock) {
        this.uploads = uploads;
        this.jobs = jobs;
        this.retention = retention;
        this.clock = clock;
    }

    /** Throws a {@link ProblemException} naming every unusable input when {@code request} cannot be accepted. */
    public void check(Caller caller, JobRequest request) {
        check(caller, request.inputs(), request.sourceJobs());
    }

    /** Throws a {@link ProblemException} naming every unusable one of {@code inputs} and {@code sources}. */
    public void check(Caller caller, List<InputRef> inputs, List<SourceJobRef> sources) {
        if (inputs.isEmpty() && sources.isEmpty()) {
            return;
        }
        List<Violation> missing = new ArrayList<>();
        List<Violation> unusable = new ArrayList<>();
        for (InputRef input : inputs) {
            checkInput(caller, input, missing, unusable);
        }
        for (SourceJobRef source : sources) {
            checkSource(caller, source, missing, unusable);
        }
        if (!missing.isEmpty()) {
            throw new ProblemException(ProblemType.INPUT_NOT_FOUND, ProblemResponses.detail(missing), missing);
        }
        if (!unusable.isEmpty()) {
            throw new ProblemException(ProblemType.INPUT_NOT_USABLE, ProblemResponses.detail(unusable), unusable);
        }
    }

    private void checkInput(Caller caller, InputRef input, List<Violation> missing, List<Violation> unusable) {
        Optional<UploadRecord> found = UploadKeys.parse(caller.wireTenant(), input.key())
                .flatMap(key -> uploads.find(caller.wireTenant(), key.uploadId()))
                .filter(upload -> upload.key().equals(input.key()));
        if (found.isEmpty()) {
            missing.add(new Violation(input.field(), "no upload of this tenant has this key; create one with "
                    + "POST /v1/uploads and use the key it returns"));
            return;
        }
        UploadRecord upload = uploads.decide(found.get());
        switch (upload.state()) {
            case PENDING -> unusable.add(new Violation(input.field(), "upload " + upload.uploadId()
                    + " has no content yet"));
            case REJECTED -> unusable.add(new Violation(input.field(), "upload " + upload.uploadId()
                    + " was rejected: " + upload.reason()));
            case EXPIRED -> unusable.add(new Violation(input.field(), "upload " + upload.uploadId()
                    + " has expired"));
            case READY -> {
                InputMedia media = uploads.limits().mediaOf(upload.contentType()).orElse(null);
                if (input.media() != null && media != input.media()) {
                    unusable.add(new Violation(input.field(), "must be an " + input.media().wireName()
                            + ", upload " + upload.uploadId() + " is " + upload.contentType()));
                }
            }
        }
    }

    private void checkSource(Caller caller, SourceJobRef source, List<Violation> missing, List<Violation> unusable) {
        Optional<JobStatus> found = jobs.apply(source.jobId()).filter(job -> caller.owns(job.tenant()));
        if (found.isEmpty()) {
            missing.add(new Violation(source.field(), "no job " + source.jobId() + " of this tenant"));
            return;
        }
        JobStatus job = found.get();
        if (job.state() != JobState.COMPLETED) {
            unusable.add(new Violation(source.field(), "job " + job.jobId() + " is " + job.state().wireName()
                    + "; only a completed job's latents can be read"));
        } else if (job.updatedAt().plus(retention.of(job.tenant()).outputs()).isBefore(clock.instant())) {
            unusable.add(new Violation(source.field(), "job " + job.jobId() + "'s outputs have expired"));
        }
    }
}
