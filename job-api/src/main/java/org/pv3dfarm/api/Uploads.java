package org.pv3dfarm.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.pv3dfarm.protocol.InputMedia;
import org.pv3dfarm.protocol.Violation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Uploaded inputs: creating an upload (its record and a presigned PUT URL bound to its key, type and size),
 * streaming content through the API, and deciding its state by looking at the object: size as declared and the
 * first bytes ({@link ContentSniffer}) of the declared type, or rejected (and the object deleted). State lives in
 * the object store ({@link UploadKeys#recordKey}), so every API replica answers the same.
 */
public final class Uploads {

    /** What {@code POST /v1/uploads} answers: the upload and how to send its content. */
    public record Ticket(UploadRecord upload, String uploadUrl, Instant uploadUrlExpiresAt) {
    }

    private static final int MAX_RECORD_BYTES = 16 * 1024;
    private static final Set<String> FIELDS = Set.of("content_type", "size", "name");

    private final ObjectStore store;
    private final String bucket;
    private final UploadLimits limits;
    private final PresignedPut presigner;
    private final RetentionPolicy retention;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public Uploads(ObjectStore store, String bucket, UploadLimits limits, PresignedPut presigner,
                   RetentionPolicy retention, Clock clock) {
        this.store = store;
        this.bucket = bucket;
        this.limits = limits;
        this.presigner = presigner;
        this.retention = retention;
        this.clock = clock;
    }

    public UploadLimits limits() {
        return limits;
    }

    /** Creates an upload of {@code caller} from a {@code {content_type, size, name?}} body. */
    public Ticket create(Caller caller, byte[] body) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("body", "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("body", "unreadable: " + e.getMessage());
        }
        if (request == null || !request.isObject()) {
            throw invalid("body", "must be a JSON object {content_type, size, name?}");
        }
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw invalid(field.length() > 64 ? field.substring(0, 64) : field, "unknown field; expected "
                        + FIELDS);
            }
        }
        JsonNode type = request.get("content_type");
        if (type == null || !type.isTextual()) {
            throw invalid("content_type", "required, one of " + limits.types().keySet());
        }
        String contentType = UploadLimits.normalize(type.asText());
        InputMedia media = limits.mediaOf(contentType).orElseThrow(() -> invalid("content_type",
                "must be one of " + limits.types().keySet()));
        JsonNode sizeNode = request.get("size");
        if (sizeNode == null || !sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong() || sizeNode.asLong() < 1) {
            throw invalid("size", "required, the content's length in bytes (at least 1)");
        }
        long size = sizeNode.asLong();
        if (size > limits.maxBytes(media)) {
            throw new ProblemException(ProblemType.UPLOAD_TOO_LARGE, "an " + media.wireName() + " may have at most "
                    + limits.maxBytes(media) + " bytes", List.of(new Violation("size", size + " bytes is over "
                    + limits.maxBytes(media))));
        }
        JsonNode nameNode = request.get("name");
        String name;
        if (nameNode == null || nameNode.isNull()) {
            name = UploadKeys.defaultName(contentType);
        } else if (nameNode.isTextual() && UploadKeys.validName(nameNode.asText())) {
            name = nameNode.asText();
        } else {
            throw invalid("name", "one file name of letters, digits, '.', '_' and '-' (up to 128, no '..'), "
                    + "starting with a letter or digit");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        UploadRecord upload = new UploadRecord(id, caller.wireTenant(), bucket,
                UploadKeys.objectKey(caller.wireTenant(), id, name), name, contentType, size, now,
                UploadRecord.State.PENDING, null, null, null);
        save(upload);
        String url = presigner.url(bucket, upload.key(), contentType, size, now, limits.putUrlExpiry());
        return new Ticket(upload, url, now.plus(limits.putUrlExpiry()));
    }

    /**
     * The caller's upload {@code id} with its state decided now, or {@link ProblemType#UPLOAD_NOT_FOUND} (also for
     * another tenant's upload).
     */
    public UploadRecord inspect(Caller caller, UUID id) {
        return find(caller.wireTenant(), id).map(this::decide).orElseThrow(() -> notFound(id));
    }

    /** The record of {@code tenant}'s upload {@code id}, as last saved. */
    public Optional<UploadRecord> find(String tenant, UUID id) {
        return store.firstBytes(UploadKeys.recordKey(tenant, id), MAX_RECORD_BYTES).map(bytes -> {
            try {
                return json.readValue(bytes, UploadRecord.class);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable upload record " + id + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Streams content through the API: the body must have the declared {@code Content-Type} and exactly the
     * declared length; the upload's state is then decided.
     */
    public UploadRecord write(Caller caller, UUID id, InputStream body, String contentType, Long contentLength) {
        UploadRecord upload = find(caller.wireTenant(), id).orElseThrow(() -> notFound(id));
        if (upload.state() != UploadRecord.State.PENDING || store.head(upload.key()).isPresent()) {
            throw new ProblemException(ProblemType.UPLOAD_FINISHED, "upload " + id + " is " + decide(upload).state()
                    .wireName(), null);
        }
        if (contentType == null || !UploadLimits.normalize(contentType).equals(upload.contentType())) {
            throw invalid("Content-Type", "must be the declared " + upload.contentType());
        }
        if (contentLength == null || contentLength != upload.size()) {
            throw new ProblemException(contentLength != null && contentLength > upload.size()
                    ? ProblemType.UPLOAD_TOO_LARGE : ProblemType.INVALID_UPLOAD, "send exactly the declared "
                    + upload.size() + " bytes", List.of(new Violation("Content-Length", "must be " + upload.size()
                    + ", was " + contentLength)));
        }
        store.put(upload.key(), body, upload.size(), upload.contentType());
        return decide(upload);
    }

    /** The upload's state now: pending until the object exists, then ready or rejected (once per object version). */
    UploadRecord decide(UploadRecord upload) {
        Optional<ObjectStore.ObjectInfo> object = store.head(upload.key());
        Instant expiresAt = upload.createdAt().plus(retention.of(upload.tenant()).uploads());
        if (object.isEmpty()) {
            boolean gone = upload.state() == UploadRecord.State.READY || clock.instant().isAfter(expiresAt);
            return upload.state() == UploadRecord.State.REJECTED ? upload
                    : gone ? upload.with(UploadRecord.State.EXPIRED, "retention passed", null, null) : upload;
        }
        ObjectStore.ObjectInfo info = object.get();
        if (upload.state() != UploadRecord.State.PENDING && info.etag() != null && info.etag().equals(upload.etag())) {
            return upload;
        }
        String reason = mismatch(upload, info);
        UploadRecord decided = reason == null
                ? upload.with(UploadRecord.State.READY, null, info.etag(), upload.contentType())
                : upload.with(UploadRecord.State.REJECTED, reason, info.etag(), null);
        if (reason != null) {
            store.delete(upload.key()); // keep nothing that is not what it claims to be
        }
        save(decided);
        return decided;
    }

    /** Why the object does not match its declaration, or null when it does. */
    private String mismatch(UploadRecord upload, ObjectStore.ObjectInfo object) {
        if (object.size() != upload.size()) {
            return "the content has " + object.size() + " bytes, " + upload.size() + " were declared";
        }
        String stored = object.contentType() == null ? null : UploadLimits.normalize(object.contentType());
        if (stored != null && !stored.equals(upload.contentType())) {
            return "stored as " + object.contentType() + ", " + upload.contentType() + " was declared";
        }
        byte[] head = store.firstBytes(upload.key(), ContentSniffer.HEAD_BYTES).orElse(new byte[0]);
        Optional<String> detected = ContentSniffer.sniff(head);
        if (detected.isEmpty()) {
            return "the content is not a recognised image or video (" + upload.contentType() + " was declared)";
        }
        if (!detected.get().equals(upload.contentType())) {
            return "the content is " + detected.get() + ", " + upload.contentType() + " was declared";
        }
        return null;
    }

    private void save(UploadRecord upload) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(upload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an upload record", e);
        }
        store.put(UploadKeys.recordKey(upload.tenant(), upload.uploadId()), new ByteArrayInputStream(bytes),
                bytes.length, "application/json");
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.INVALID_UPLOAD, field + ": " + message,
                List.of(new Violation(field, message)));
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(ProblemType.UPLOAD_NOT_FOUND, "no upload " + id, null);
    }
}
