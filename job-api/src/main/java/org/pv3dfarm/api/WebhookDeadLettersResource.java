package org.pv3dfarm.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobEvent;

/**
 * A tenant's webhook deliveries that were given up ({@link WebhookDeadLetters}): list them with the reason, and
 * deliver them again once the endpoint is fixed. Scoped to the caller's tenant like every other call. A replay
 * runs on this replica and waits for its deliveries (each with the usual retries).
 */
@Path("/v1/webhooks/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookDeadLettersResource {

    /** One open dead letter. */
    public record Entry(@JsonProperty("event_id") String eventId, @JsonProperty("job_id") UUID jobId,
                        @JsonProperty("event_type") String eventType, String reason, Instant time) {
    }

    /** What a replay did. */
    public record Replay(int replayed, int delivered, @JsonProperty("still_failing") int stillFailing) {
    }

    @Inject
    Tenants tenants;

    @Inject
    WebhookDeadLetters deadLetters;

    @Inject
    WebhookDispatcher dispatcher;

    @GET
    @Operation(summary = "The tenant's webhook deliveries that were given up", description = "Oldest first, with the "
            + "reason of the last attempt.")
    public List<Entry> list(@HeaderParam(JobsResource.API_KEY) String apiKey,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        List<Entry> entries = new ArrayList<>();
        for (var open : owned(caller)) {
            JobEvent event = JobCodec.instance().decodeEvent(open.payload());
            entries.add(new Entry(WebhookDeadLetters.eventId(open), event.jobId(), event.type(), open.reason(),
                    open.time()));
        }
        return entries;
    }

    @POST
    @Path("/replay")
    @Operation(summary = "Deliver the tenant's given-up webhooks again", description = "Each is delivered to the "
            + "tenant's webhook as configured now, with the usual retries; delivered ones leave the list.")
    public Replay replay(@HeaderParam(JobsResource.API_KEY) String apiKey,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        int replayed = 0;
        int delivered = 0;
        for (DeadLetter open : owned(caller)) {
            replayed++;
            delivered += dispatcher.replay(open) ? 1 : 0;
        }
        return new Replay(replayed, delivered, replayed - delivered);
    }

    private List<DeadLetter> owned(Caller caller) {
        return deadLetters.open().values().stream()
                .filter(d -> caller.owns(JobCodec.instance().decodeEvent(d.payload()).tenant())).toList();
    }
}
