package org.pv3dfarm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.UUID;

/**
 * An upload as the API knows it, kept as {@code .upload.json} next to the object (so every replica sees the same)
 * and answered by {@code GET /v1/uploads/{id}}.
 *
 * @param tenant       the owner as on the wire ({@code null}: the default tenant)
 * @param key          the object key jobs name as their {@code input_key}
 * @param contentType  the declared content type
 * @param size         the declared size in bytes
 * @param state        where the upload stands
 * @param reason       why it was rejected
 * @param etag         the ETag of the object the state was decided for (a replaced object is checked again)
 * @param detectedType what the content sniffed as
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadRecord(UUID uploadId, String tenant, String bucket, String key, String name, String contentType,
                           long size, Instant createdAt, State state, String reason, String etag,
                           String detectedType) {

    /** Where an upload stands. */
    public enum State {
        /** Created; no content yet. */
        PENDING,
        /** The content is there, of the declared size, and sniffs as the declared type: jobs may read it. */
        READY,
        /** The content did not match the declaration; it was deleted. */
        REJECTED,
        /** Its retention passed; the content is gone or about to be. */
        EXPIRED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    UploadRecord with(State newState, String newReason, String newEtag, String newDetectedType) {
        return new UploadRecord(uploadId, tenant, bucket, key, name, contentType, size, createdAt, newState, newReason,
                newEtag, newDetectedType);
    }
}
