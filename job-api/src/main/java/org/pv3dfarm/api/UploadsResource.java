package org.pv3dfarm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.pv3dfarm.protocol.Violation;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Input uploads for the inversion jobs. {@code POST /v1/uploads} creates one and answers a presigned PUT URL bound
 * to its key, type and size; clients that cannot use it PUT the content to {@code /v1/uploads/{id}}. {@code GET
 * /v1/uploads/{id}} says whether the content arrived and matches its declaration. Scoped to the caller's tenant: an
 * upload of another tenant answers 404 like one that does not exist.
 */
@Path("/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class UploadsResource {

    /** The answer to a new upload: the upload, where to PUT its content and with which headers. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Created(UploadRecord upload, String uploadUrl, String uploadMethod, Map<String, String> uploadHeaders,
                          Instant uploadUrlExpiresAt, String streamUrl, String statusUrl) {
    }

    @Inject
    Tenants tenants;

    @Inject
    Uploads uploads;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an upload", description = "Body {content_type, size, name?}. Answers the object key "
            + "(use it as a job's input_key) and a presigned PUT URL that accepts exactly that content type and size "
            + "until upload_url_expires_at.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = Created.class)))
    @APIResponse(responseCode = "400", description = "Invalid type, size or name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Larger than allowed for its media",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(byte[] body, @HeaderParam(JobsResource.API_KEY) String apiKey,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        Uploads.Ticket ticket = uploads.create(caller, body);
        UploadRecord upload = ticket.upload();
        String status = "/v1/uploads/" + upload.uploadId();
        Created created = new Created(upload, ticket.uploadUrl(), "PUT", Map.of(HttpHeaders.CONTENT_TYPE,
                upload.contentType(), HttpHeaders.CONTENT_LENGTH, Long.toString(upload.size())),
                ticket.uploadUrlExpiresAt(), status, status);
        return Response.created(URI.create(status)).entity(created).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An upload's state", description = "pending (no content yet), ready (content of the "
            + "declared size whose first bytes are of the declared type), rejected (with the reason; the content was "
            + "deleted) or expired.")
    @APIResponse(responseCode = "200", description = "The upload",
            content = @Content(schema = @Schema(implementation = UploadRecord.class)))
    @APIResponse(responseCode = "404", description = "No such upload (of this tenant)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public UploadRecord status(@PathParam("id") String id, @HeaderParam(JobsResource.API_KEY) String apiKey,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        return uploads.inspect(caller, parse(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload the content through the API", description = "For clients that cannot use the "
            + "presigned URL: the body with the declared Content-Type and exactly the declared Content-Length "
            + "(also capped by the API's HTTP body limit). Answers the upload once its content was checked.")
    @APIResponse(responseCode = "200", description = "Ready",
            content = @Content(schema = @Schema(implementation = UploadRecord.class)))
    @APIResponse(responseCode = "409", description = "The upload already has content",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The content does not match the declared type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public UploadRecord put(@PathParam("id") String id, InputStream body,
                            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
                            @HeaderParam(JobsResource.API_KEY) String apiKey,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenants.resolve(apiKey, authorization);
        UploadRecord upload = uploads.write(caller, parse(id), body, contentType, contentLength);
        if (upload.state() == UploadRecord.State.REJECTED) {
            throw new ProblemException(ProblemType.UPLOAD_REJECTED, upload.reason(),
                    List.of(new Violation("content", upload.reason())));
        }
        return upload;
    }

    private static UUID parse(String id) {
        try {
            UUID parsed = UUID.fromString(id);
            if (parsed.toString().equals(id)) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.UPLOAD_NOT_FOUND, "upload ids are UUIDs", null);
    }
}
