package org.pv3dfarm.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pv3dfarm.protocol.JobCodecException;
import org.pv3dfarm.protocol.JobValidationException;
import org.pv3dfarm.protocol.Violation;
import org.pv3dfarm.protocol.client.JobSubmissionException;

import java.util.List;

/**
 * Every error the API returns is {@code application/problem+json} (RFC 9457): this class maps the exceptions of
 * the request path to problem bodies. Bodies are written here as bytes so that their media type does not depend
 * on which message body writers are registered.
 */
public class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    @Inject
    ObjectMapper json;

    @Inject
    ApiMetrics metrics;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        metrics.rejected(e.type());
        return respond(Problem.of(e.type(), e.getMessage(), uri.getPath(), e.violations()));
    }

    @ServerExceptionMapper
    public Response malformed(JobCodecException e, UriInfo uri) {
        metrics.rejected(ProblemType.MALFORMED_REQUEST);
        return respond(Problem.of(ProblemType.MALFORMED_REQUEST, e.getMessage(), uri.getPath(),
                List.of(e.toViolation())));
    }

    @ServerExceptionMapper
    public Response invalid(JobValidationException e, UriInfo uri) {
        metrics.rejected(ProblemType.INVALID_REQUEST);
        return respond(Problem.of(ProblemType.INVALID_REQUEST, detail(e.violations()), uri.getPath(),
                e.violations()));
    }

    @ServerExceptionMapper
    public Response unavailable(JobSubmissionException e, UriInfo uri) {
        metrics.rejected(ProblemType.QUEUE_UNAVAILABLE);
        LOG.warnf("job queue unavailable: %s", e.getMessage());
        return Response.fromResponse(respond(Problem.of(ProblemType.QUEUE_UNAVAILABLE,
                        "the broker did not acknowledge the job in time; retry (with an idempotency_key to be safe)",
                        uri.getPath(), null)))
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response storeUnavailable(S3ObjectStore.ObjectStoreException e, UriInfo uri) {
        metrics.rejected(ProblemType.STORE_UNAVAILABLE);
        LOG.warnf("object store unavailable: %s", e.getMessage());
        return Response.fromResponse(respond(problemOf(e, uri.getPath()))).header("Retry-After", "5").build();
    }

    /**
     * The problem body for a refusal of one job request, as a bulk submission reports it per item; {@code null}
     * for exceptions that are not about the request.
     */
    static Problem problemOf(RuntimeException e, String instance) {
        if (e instanceof ProblemException problem) {
            return Problem.of(problem.type(), problem.getMessage(), instance, problem.violations());
        }
        if (e instanceof JobCodecException codec) {
            return Problem.of(ProblemType.MALFORMED_REQUEST, codec.getMessage(), instance,
                    List.of(codec.toViolation()));
        }
        if (e instanceof JobValidationException invalid) {
            return Problem.of(ProblemType.INVALID_REQUEST, detail(invalid.violations()), instance,
                    invalid.violations());
        }
        if (e instanceof S3ObjectStore.ObjectStoreException) {
            return Problem.of(ProblemType.STORE_UNAVAILABLE, "the object store did not answer; retry", instance,
                    null);
        }
        if (e instanceof JobSubmissionException) {
            return Problem.of(ProblemType.QUEUE_UNAVAILABLE, "the broker did not acknowledge the job in time; "
                    + "retry (with an idempotency_key to be safe)", instance, null);
        }
        return null;
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, UriInfo uri) {
        return respond(Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json",
                uri.getPath(), null));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.StatusType reason = e.getResponse().getStatusInfo();
        Problem problem = new Problem(ProblemType.HTTP_ERROR.uri(), reason.getReasonPhrase(), status,
                e.getMessage(), uri.getPath(), null);
        return respond(problem);
    }

    private Response respond(Problem problem) {
        try {
            return Response.status(problem.status()).type(Problem.MEDIA_TYPE)
                    .entity(json.writeValueAsBytes(problem)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem body", e);
        }
    }

    static String detail(List<Violation> violations) {
        String first = violations.get(0).toString();
        return violations.size() == 1 ? first : first + " (and " + (violations.size() - 1) + " more)";
    }
}
