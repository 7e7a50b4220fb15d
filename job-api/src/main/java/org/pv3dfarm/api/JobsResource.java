package org.pv3dfarm.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobIds;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobState;
import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.JobValidationException;
import org.pv3dfarm.protocol.JobValidator;
import org.pv3dfarm.protocol.Violation;
import org.pv3dfarm.protocol.client.JobProducer;
import org.pv3dfarm.protocol.client.SubmittedJob;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/jobs} puts a job on the queue; {@code GET /v1/jobs/{id}} reports it. The kind of job is the
 * {@code kind} field of the body, one shape per kind (see the protocol's JSON Schemas). Every error is
 * {@code application/problem+json} naming the offending fields.
 */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    private static final Pattern TRACE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Inject
    JobProducer producer;

    @Inject
    JobValidator validator;

    @Inject
    EnabledKinds enabledKinds;

    @Inject
    JobStatusStore store;

    @Inject
    OutputUrls outputUrls;

    @Inject
    ApiMetrics metrics;

    @Inject
    ApiConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Validates the request, assigns the job id (derived from "
            + "idempotency_key when given) and puts the job on its kind's Kafka topic.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "https://pv3dfarm.org/schemas/v1/job-request.schema.json",
                    description = "A job request; see the protocol module's JSON Schemas")))
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(schema = @Schema(implementation = SubmissionResponse.class)))
    @APIResponse(responseCode = "200", description = "Same idempotency key and body as an earlier job: that job",
            content = @Content(schema = @Schema(implementation = SubmissionResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed or invalid request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Idempotency key used for another request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The queue did not accept the job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(byte[] body, @HeaderParam("X-Request-Id") String requestId) {
        JobRequest request = JobCodec.instance().decodeRequest(body);
        if (!enabledKinds.contains(request.kind())) {
            throw new ProblemException(ProblemType.KIND_NOT_SERVED, "this farm serves " + enabledKinds.names()
                    + " jobs only", List.of(new Violation("kind", "'" + request.kind().wireName()
                    + "' is not served here; use one of " + enabledKinds.names())));
        }
        List<Violation> violations = validator.validate(request, JobValidator.Stage.SUBMITTED);
        if (!violations.isEmpty()) {
            throw new JobValidationException(violations);
        }
        Optional<Response> replay = replayOf(request);
        if (replay.isPresent()) {
            return replay.get();
        }
        SubmittedJob job = producer.submit(request, traceId(requestId));
        store.apply(job.accepted());
        metrics.submitted(request.kind());
        String statusUrl = statusUrl(job.jobId());
        return Response.accepted(new SubmissionResponse(job.jobId(), request.kind(), JobState.QUEUED, statusUrl,
                false)).location(URI.create(statusUrl)).build();
    }

    /** The earlier job with the same idempotency key: itself when the body matches, 409 when it does not. */
    private Optional<Response> replayOf(JobRequest request) {
        if (request.idempotencyKey() == null) {
            return Optional.empty();
        }
        UUID jobId = JobIds.forIdempotencyKey(request.tenant(), request.idempotencyKey());
        Optional<JobStatus> existing = store.get(jobId);
        if (existing.isEmpty() || existing.get().requestSha256() == null) {
            return Optional.empty();
        }
        if (!existing.get().requestSha256().equals(JobCodec.instance().requestSha256(request))) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_CONFLICT, "idempotency_key '"
                    + request.idempotencyKey() + "' already names job " + jobId + ", submitted with another body",
                    List.of(new Violation("idempotency_key", "was used for a different request")));
        }
        String statusUrl = statusUrl(jobId);
        return Optional.of(Response.ok(new SubmissionResponse(jobId, request.kind(), existing.get().state(),
                statusUrl, true)).location(URI.create(statusUrl)).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a job's status", description = "Status rebuilt from the events topic; a completed "
            + "job lists its outputs with presigned GET URLs.")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(schema = @Schema(implementation = JobStatusResponse.class)))
    @APIResponse(responseCode = "404", description = "No such job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobStatusResponse status(@PathParam("id") String id) {
        UUID jobId = parse(id);
        Optional<JobStatus> status = store.get(jobId);
        if (status.isEmpty() && !store.caughtUp()) {
            waitForStatusLoad();
            status = store.get(jobId);
        }
        if (status.isEmpty()) {
            if (!store.caughtUp()) {
                throw new ProblemException(ProblemType.STATUS_LOADING, "job status is still being rebuilt from "
                        + "the events topic; retry shortly", null);
            }
            throw new ProblemException(ProblemType.JOB_NOT_FOUND, "no job " + jobId, null);
        }
        return JobStatusResponse.of(status.get(), outputUrls, Clock.systemUTC().instant());
    }

    private void waitForStatusLoad() {
        long deadline = System.nanoTime() + config.api().statusLoadWait().toNanos();
        while (!store.caughtUp() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Duration.ofMillis(50).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.INVALID_JOB_ID, "job ids are UUIDs",
                    List.of(new Violation("id", "must be a UUID")));
        }
    }

    private static String statusUrl(UUID jobId) {
        return "/v1/jobs/" + jobId;
    }

    private static String traceId(String requestId) {
        return requestId != null && TRACE_ID.matcher(requestId).matches() ? requestId : UUID.randomUUID().toString();
    }
}
