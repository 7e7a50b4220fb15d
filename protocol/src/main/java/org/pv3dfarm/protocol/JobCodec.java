package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one way the farm turns messages into bytes and back: UTF-8 JSON, snake_case fields, nulls left out,
 * instants as ISO-8601 strings.
 *
 * <p>Reading is strict, because bodies come from anyone: unknown fields, duplicate fields, trailing data, numbers
 * where text belongs (and the reverse), fractions where integers belong, bodies over {@link #MAX_BODY_BYTES} and
 * absurd nesting or number lengths all fail with a {@link JobCodecException} that names the field. Rules about
 * values (bounds, finiteness, lengths) belong to {@link JobValidator}, not here. Thread-safe.
 */
public final class JobCodec {

    /** Largest body accepted: under Kafka's default 1 MiB record limit, with room for headers. */
    public static final int MAX_BODY_BYTES = 1_000_000;

    private static final JobCodec INSTANCE = new JobCodec();

    private final ObjectMapper mapper;

    public JobCodec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(16)
                        .maxNumberLength(64)
                        .maxStringLength(MAX_BODY_BYTES)
                        .maxNameLength(256)
                        .maxDocumentLength(MAX_BODY_BYTES)
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                // No guessing between types: "16" is not 16, 1 is not true, 16.0 is not an integer. An integer
                // is still a fine floating-point value.
                .withCoercionConfigDefaults(c -> c
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .build();
    }

    /** A shared instance; the codec has no state besides its configuration. */
    public static JobCodec instance() {
        return INSTANCE;
    }

    /** JSON bytes of a request, event or dead letter. */
    public byte[] encode(Object message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** JSON text of a request, event or dead letter. */
    public String encodeToString(Object message) {
        return new String(encode(message), StandardCharsets.UTF_8);
    }

    public JobRequest decodeRequest(byte[] body) {
        return decode(body, JobRequest.class);
    }

    public JobEvent decodeEvent(byte[] body) {
        return decode(body, JobEvent.class);
    }

    public DeadLetter decodeDeadLetter(byte[] body) {
        return decode(body, DeadLetter.class);
    }

    /**
     * Hex SHA-256 of the request's JSON with {@code job_id} left out: equal for two submissions that mean the
     * same job (defaults filled in, field order and whitespace ignored), different otherwise.
     */
    public String requestSha256(JobRequest request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(encode(request.withJobId(null)));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Reads a message of the given type, or throws {@link JobCodecException} naming the field. */
    public <T> T decode(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new JobCodecException("", "the body is empty; a JSON object is required", null);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new JobCodecException("", "the body is " + body.length + " bytes; the limit is " + MAX_BODY_BYTES,
                    null);
        }
        if (firstNonWhitespace(body) != '{') {
            throw new JobCodecException("", "the body must be a JSON object", null);
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new JobCodecException("", "the body is JSON null; a JSON object is required", null);
            }
            return value;
        } catch (JobCodecException e) {
            throw e;
        } catch (IOException e) {
            throw explain(e, type);
        }
    }

    private static int firstNonWhitespace(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b;
            }
        }
        return -1;
    }

    private static JobCodecException explain(IOException e, Class<?> type) {
        if (e instanceof StreamConstraintsException) {
            return new JobCodecException("", "the body is too large or too deeply nested: " + firstLine(e), e);
        }
        if (e instanceof InputCoercionException) {
            return new JobCodecException(pathOf(e), "number out of range" + at(((StreamReadException) e)
                    .getLocation()), e);
        }
        if (firstLine(e).startsWith("Non-standard token")) {
            return new JobCodecException(pathOf(e), "NaN and Infinity are not JSON numbers; every number must be "
                    + "finite", e);
        }
        if (firstLine(e).startsWith("Duplicate field")) {
            String name = firstLine(e).replaceAll("^Duplicate field '(.*)'$", "$1");
            String path = pathOf(e);
            if (!path.equals(name) && !path.endsWith("." + name)) {
                path = path.isEmpty() ? name : path + "." + name;
            }
            return new JobCodecException(path, "is given more than once", e);
        }
        if (!(e instanceof JsonMappingException mapping)) {
            JsonLocation location = e instanceof StreamReadException read ? read.getLocation() : null;
            String message = firstLine(e);
            int noise = message.indexOf(" (start marker at");
            return new JobCodecException("", "malformed JSON" + at(location) + ": "
                    + (noise < 0 ? message : message.substring(0, noise)), e);
        }
        String path = pathOf(mapping);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new JobCodecException(path, "unknown field '" + unknown.getPropertyName() + "'", e);
        }
        if (e instanceof InvalidTypeIdException typeId) {
            String property = type == JobRequest.class ? "kind" : "type";
            String field = path.isEmpty() ? property : path + "." + property;
            String known = knownSubtypes(type);
            return new JobCodecException(field, typeId.getTypeId() == null
                    ? "is required; one of " + known
                    : "unknown " + property + " '" + typeId.getTypeId() + "'; one of " + known, e);
        }
        if (e instanceof InvalidFormatException format) {
            Class<?> target = format.getTargetType();
            String expected = target != null && target.isEnum()
                    ? "one of " + enumNames(target)
                    : describe(target);
            return new JobCodecException(path, "must be " + expected + ", was " + quote(format.getValue()), e);
        }
        if (e instanceof ValueInstantiationException instantiation) {
            Throwable cause = instantiation.getCause() != null ? instantiation.getCause() : e;
            return new JobCodecException(path, String.valueOf(cause.getMessage()), e);
        }
        if (e instanceof MismatchedInputException mismatch) {
            String message = firstLine(e);
            if (message.startsWith("Missing required creator property")) {
                // Jackson's path already ends with the missing property.
                return new JobCodecException(path, "is required", e);
            }
            if (message.startsWith("Duplicate field")) {
                return new JobCodecException(path, "is given more than once", e);
            }
            if (message.startsWith("Trailing token")) {
                return new JobCodecException("", "unexpected data after the JSON value", e);
            }
            Class<?> target = mismatch.getTargetType();
            return new JobCodecException(path, "must be " + describe(target) + at(mismatch.getLocation()), e);
        }
        return new JobCodecException(path, firstLine(e), e);
    }

    /** The JSON path where reading stopped: from the mapping path, or else from the parser's position. */
    private static String pathOf(IOException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                } else if (ref.getFieldName() != null) {
                    if (!path.isEmpty()) {
                        path.append('.');
                    }
                    path.append(ref.getFieldName());
                }
            }
            return path.toString();
        }
        if (e instanceof StreamReadException read && read.getProcessor() != null) {
            return fromPointer(read.getProcessor().getParsingContext().pathAsPointer().toString());
        }
        return "";
    }

    /** {@code /views/0/yaw} to {@code views[0].yaw}. */
    private static String fromPointer(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                path.append('[').append(name).append(']');
            } else {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(name);
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> target) {
        if (target == null) {
            return "of another type";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "an integer";
        }
        if (target == Double.class || target == double.class || target == Float.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == java.util.UUID.class) {
            return "a UUID string";
        }
        if (target == java.time.Instant.class) {
            return "an ISO-8601 instant string";
        }
        if (List.class.isAssignableFrom(target)) {
            return "an array";
        }
        if (target.isEnum()) {
            return "one of " + enumNames(target);
        }
        return "an object";
    }

    private static String enumNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(c -> {
                    try {
                        return String.valueOf(enumType.getMethod("wireName").invoke(c));
                    } catch (ReflectiveOperationException ex) {
                        return String.valueOf(c);
                    }
                })
                .collect(Collectors.joining(", "));
    }

    private static String knownSubtypes(Class<?> type) {
        JsonSubTypes subtypes = type.getAnnotation(JsonSubTypes.class);
        if (subtypes == null) {
            return "?";
        }
        return Arrays.stream(subtypes.value()).map(JsonSubTypes.Type::name).collect(Collectors.joining(", "));
    }

    private static String quote(Object value) {
        String text = String.valueOf(value);
        if (text.length() > 64) {
            text = text.substring(0, 64) + "...";
        }
        return value instanceof String ? "'" + text + "'" : text;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(Exception e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
