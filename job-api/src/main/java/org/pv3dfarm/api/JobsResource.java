package org.pv3dfarm.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.pv3dfarm.protocol.JobCancelled;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobState;
import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.Priority;
import org.pv3dfarm.protocol.SchemaVersion;
import org.pv3dfarm.protocol.Violation;
import org.pv3dfarm.protocol.client.JobEventPublisher;
import org.pv3dfarm.protocol.client.JobSubmissionException;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/jobs} puts a job on the queue; {@code GET /v1/jobs/{id}} reports it; {@code GET /v1/jobs}
 * lists; {@code POST /v1/jobs/{id}/cancel} cancels. The kind of job is the {@code kind} field of the body, one
 * shape per kind (see the protocol's JSON Schemas). Every call is scoped to the tenant of its API key: another
 * tenant's job is answered exactly like a job that does not exist. Every error is {@code application/problem+json}
 * naming the offending fields.
 */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    /** The header that carries the API key (or {@code Authorization: Bearer KEY}). */
    public static final String API_KEY = "X-Api-Key";
    private static final Pattern TRACE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Inject
    JobSubmissions submissions;

    @Inject
    JobStatusStore store;

    @Inject
    OutputUrls outputUrls;

    @Inject
    Tenants tenants;

    @Inject
    JobEventPublisher events;

    @Inject
    StatusStream statusStream;

    @Inject
    ApiConfig config;

    @Inject
    RetentionPolicy retention;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Validates the request, assigns the job id (derived from "
            + "idempotency_key when given) and puts the job on its kind's Kafka topic for its priority.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "https://pv3dfarm.org/schemas/v1/job-request.schema.json",
                    description = "A job request; see the protocol module's JSON Schemas")))
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(schema = @Schema(implementation = SubmissionResponse.class)))
    @APIResponse(responseCode = "200", description = "Same idempotency key and body as an earlier job: that job",
            content = @Content(schema = @Schema(implementation = SubmissionResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed or invalid request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Unknown or missing API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The body names another tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Idempotency key used for another request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Over the tenant's quota",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The queue did not accept the job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(byte[] body, @HeaderParam("X-Request-Id") String requestId,
                           @HeaderParam(API_KEY) String apiKey,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        JobRequest request = JobCodec.instance().decodeRequest(body);
        JobSubmissions.Prepared prepared = submissions.prepare(caller, request, 0);
        JobSubmissions.Submitted job;
        try {
            job = submissions.send(prepared, traceId(requestId)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobSubmissionException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause
                    : new JobSubmissionException("not acknowledged: " + e.getCause(), e.getCause());
        }
        String statusUrl = statusUrl(job.jobId());
        SubmissionResponse answer = new SubmissionResponse(job.jobId(), job.kind(), job.state(), statusUrl,
                job.replayed());
        return (job.replayed() ? Response.ok(answer) : Response.accepted(answer)).location(URI.create(statusUrl))
                .build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a job's status", description = "Status rebuilt from the events topic; a completed "
            + "job lists its outputs with presigned GET URLs.")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(schema = @Schema(implementation = JobStatusResponse.class)))
    @APIResponse(responseCode = "404", description = "No such job (of this tenant)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobStatusResponse status(@PathParam("id") String id, @HeaderParam(API_KEY) String apiKey,
                                    @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        return JobStatusResponse.of(owned(caller, parse(id)), outputUrls, Clock.systemUTC().instant(), retention);
    }

    @GET
    @Operation(summary = "List the tenant's jobs", description = "Newest first, filtered by status, kind and "
            + "priority; follow next_cursor for more.")
    @APIResponse(responseCode = "200", description = "A page of jobs",
            content = @Content(schema = @Schema(implementation = JobPage.class)))
    public JobPage list(@QueryParam("status") String status, @QueryParam("kind") String kind,
                        @QueryParam("priority") String priority, @QueryParam("limit") @DefaultValue("50") String limit,
                        @QueryParam("cursor") String cursor, @HeaderParam(API_KEY) String apiKey,
                        @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        awaitStatusLoad();
        int pageSize = pageSize(limit);
        Instant now = Clock.systemUTC().instant();
        Predicate<JobStatus> filter = s -> caller.owns(s.tenant()) && retained(s, now);
        if (status != null) {
            JobState state = enumParam("status", status, JobState.values(), JobState::wireName);
            filter = filter.and(s -> s.state() == state);
        }
        if (kind != null) {
            JobKind jobKind = enumParam("kind", kind, JobKind.values(), JobKind::wireName);
            filter = filter.and(s -> s.kind() == jobKind);
        }
        if (priority != null) {
            Priority level = enumParam("priority", priority, Priority.values(), Priority::wireName);
            filter = filter.and(s -> s.priority() == level);
        }
        List<JobStatus> page = store.list(filter, cursor == null ? null : JobCursor.decode(cursor), pageSize + 1);
        boolean more = page.size() > pageSize;
        List<JobStatus> shown = more ? page.subList(0, pageSize) : page;
        return new JobPage(shown.stream().map(s -> JobStatusResponse.of(s, null, now, retention)).toList(),
                more ? JobCursor.after(shown.get(shown.size() - 1)).encode() : null);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A queued job is skipped by the worker; a running one stops "
            + "at its next batch boundary. Cancelling a cancelled job changes nothing.")
    @APIResponse(responseCode = "202", description = "Cancelled",
            content = @Content(schema = @Schema(implementation = JobStatusResponse.class)))
    @APIResponse(responseCode = "404", description = "No such job (of this tenant)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The job already completed or failed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response cancel(@PathParam("id") String id, @HeaderParam("X-Request-Id") String requestId,
                           @HeaderParam(API_KEY) String apiKey,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        JobStatus status = owned(caller, parse(id));
        if (status.state() == JobState.CANCELLED) {
            return Response.ok(JobStatusResponse.of(status, null, Clock.systemUTC().instant(), retention)).build();
        }
        if (status.state() == JobState.COMPLETED || status.state() == JobState.FAILED) {
            throw new ProblemException(ProblemType.JOB_FINISHED, "job " + status.jobId() + " already "
                    + status.state().wireName(), null);
        }
        JobCancelled cancelled = new JobCancelled(SchemaVersion.CURRENT, status.jobId(), status.kind(),
                status.tenant(), Clock.systemUTC().instant(), "cancelled by tenant '" + caller.tenant() + "'");
        try {
            events.publish(cancelled, traceId(requestId)).get(config.kafka().deliveryTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobSubmissionException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new JobSubmissionException("the cancellation was not acknowledged: " + e, e);
        }
        store.apply(cancelled);
        return Response.accepted(JobStatusResponse.of(store.get(status.jobId()).orElseThrow(), null,
                Clock.systemUTC().instant(), retention)).build();
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking // the ownership check may wait for status to load
    @Operation(summary = "Follow a job", description = "Server-sent events: the job's status now, then at every "
            + "change (progress: frames done of total); the stream ends after completed, failed or cancelled.")
    public Multi<JobStatusResponse> jobEvents(@PathParam("id") String id, @HeaderParam(API_KEY) String apiKey,
                                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        UUID jobId = owned(caller, parse(id)).jobId();
        return statusStream.follow(() -> store.get(jobId).stream().toList(), s -> s.jobId().equals(jobId), true)
                .map(s -> JobStatusResponse.of(s, outputUrls, Clock.systemUTC().instant(), retention));
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Follow the tenant's jobs", description = "Server-sent events: every status change of "
            + "any job of the caller's tenant, from now on, until the client disconnects.")
    public Multi<JobStatusResponse> tenantEvents(@HeaderParam(API_KEY) String apiKey,
                                                 @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        return statusStream.follow(List::of, s -> caller.owns(s.tenant()), false)
                .map(s -> JobStatusResponse.of(s, outputUrls, Clock.systemUTC().instant(), retention));
    }

    /** The caller's job, or 404 (also for another tenant's job, so ids of others cannot be probed). */
    private JobStatus owned(Caller caller, UUID jobId) {
        JobStatus status = store.get(jobId).orElse(null);
        if (status == null && !store.caughtUp()) {
            awaitStatusLoad();
            status = store.get(jobId).orElse(null);
        }
        if (status == null || !caller.owns(status.tenant()) || !retained(status, Clock.systemUTC().instant())) {
            if (!store.caughtUp()) {
                throw new ProblemException(ProblemType.STATUS_LOADING, "job status is still being rebuilt from "
                        + "the events topic; retry shortly", null);
            }
            throw new ProblemException(ProblemType.JOB_NOT_FOUND, "no job " + jobId, null);
        }
        return status;
    }

    /** Whether a job is still shown: not finished, or finished less than its tenant's job retention ago. */
    private boolean retained(JobStatus status, Instant now) {
        boolean finished = status.state() == JobState.COMPLETED || status.state() == JobState.FAILED
                || status.state() == JobState.CANCELLED;
        return !finished || !status.updatedAt().plus(retention.of(status.tenant()).jobs()).isBefore(now);
    }

    private void awaitStatusLoad() {
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

    private int pageSize(String limit) {
        int max = config.api().listMaxLimit();
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.INVALID_QUERY, "limit must be an integer from 1 to " + max,
                List.of(new Violation("limit", "must be an integer from 1 to " + max)));
    }

    private static <E> E enumParam(String name, String value, E[] values,
                                   java.util.function.Function<E, String> wireName) {
        String wanted = value.toLowerCase(Locale.ROOT);
        for (E candidate : values) {
            if (wireName.apply(candidate).equals(wanted)) {
                return candidate;
            }
        }
        String known = String.join(", ", Arrays.stream(values).map(wireName).toList());
        throw new ProblemException(ProblemType.INVALID_QUERY, name + " must be one of " + known,
                List.of(new Violation(name, "must be one of " + known)));
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.INVALID_JOB_ID, "job ids are UUIDs",
                    List.of(new Violation("id", "must be a UUID")));
        }
    }

    static String statusUrl(UUID jobId) {
        return "/v1/jobs/" + jobId;
    }

    static String traceId(String requestId) {
        return requestId != null && TRACE_ID.matcher(requestId).matches() ? requestId : UUID.randomUUID().toString();
    }
}
