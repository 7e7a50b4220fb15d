package org.pv3dfarm.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.client.JobSubmissionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/jobs/bulk}: thousands of jobs in one request, as a JSON array or NDJSON, with a result per item.
 * Items are checked one by one exactly as single submissions are ({@link JobSubmissions}); the good ones are sent
 * to Kafka together (the producer batches them) and the answer comes once the broker acknowledged every one.
 */
@Path("/v1/jobs/bulk")
@Produces(MediaType.APPLICATION_JSON)
public class BulkJobsResource {

    public static final String NDJSON = "application/x-ndjson";

    @Inject
    JobSubmissions submissions;

    @Inject
    Tenants tenants;

    @Inject
    ApiConfig config;

    @POST
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Operation(summary = "Submit many jobs", description = "A JSON array of job requests, or NDJSON (one per line). "
            + "Each item gets the status a single submission would have had, with its job or its problem.")
    @APIResponse(responseCode = "200", description = "Every item's result (some may be refused)",
            content = @Content(schema = @Schema(implementation = BulkSubmissionResponse.class)))
    @APIResponse(responseCode = "400", description = "The body cannot be split into items",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Too many items",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public BulkSubmissionResponse submit(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                         @HeaderParam(JobsResource.API_KEY) String apiKey,
                                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                         @HeaderParam("X-Request-Id") String requestId) {
        Caller caller = tenants.resolve(apiKey, authorization);
        boolean ndjson = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(NDJSON);
        List<BulkBody.Item> items = BulkBody.split(body, ndjson, config.api().bulkMaxItems());
        String traceId = JobsResource.traceId(requestId);
        String instance = "/v1/jobs/bulk";

        BulkSubmissionResponse.Item[] results = new BulkSubmissionResponse.Item[items.size()];
        List<CompletableFuture<JobSubmissions.Submitted>> sent = new ArrayList<>(items.size());
        List<Integer> sentIndex = new ArrayList<>(items.size());
        int admitted = 0;
        for (BulkBody.Item item : items) {
            try {
                if (item.error() != null) {
                    throw item.error();
                }
                JobRequest request = JobCodec.instance().decodeRequest(item.json());
                JobSubmissions.Prepared prepared = submissions.prepare(caller, request, admitted);
                if (prepared.isReplay()) {
                    results[item.index()] = BulkSubmissionResponse.Item.of(item.index(), prepared.replay());
                    continue;
                }
                admitted++;
                sent.add(submissions.send(prepared, traceId + "-" + item.index()));
                sentIndex.add(item.index());
            } catch (RuntimeException e) {
                Problem problem = ProblemResponses.problemOf(e, instance);
                if (problem == null) {
                    throw e;
                }
                results[item.index()] = BulkSubmissionResponse.Item.of(item.index(), problem);
            }
        }
        awaitAll(sent);
        for (int i = 0; i < sent.size(); i++) {
            int index = sentIndex.get(i);
            results[index] = outcome(index, sent.get(i), instance);
        }
        return BulkSubmissionResponse.of(List.of(results));
    }

    /** Waits for the broker's acknowledgements, at most the producer's delivery timeout and a margin. */
    private void awaitAll(List<CompletableFuture<JobSubmissions.Submitted>> sent) {
        Duration limit = config.kafka().deliveryTimeout().plusSeconds(5);
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(limit.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // reported per item below
        }
    }

    private static BulkSubmissionResponse.Item outcome(int index, CompletableFuture<JobSubmissions.Submitted> future,
                                                       String instance) {
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return BulkSubmissionResponse.Item.of(index, future.join());
        }
        RuntimeException error = new JobSubmissionException("not acknowledged in time", null);
        if (future.isDone()) {
            try {
                future.join();
            } catch (RuntimeException e) {
                error = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        Problem problem = ProblemResponses.problemOf(error, instance);
        return BulkSubmissionResponse.Item.of(index, problem != null ? problem
                : Problem.of(ProblemType.QUEUE_UNAVAILABLE, String.valueOf(error), instance, null));
    }
}
