package org.pv3dfarm.api;

import org.pv3dfarm.protocol.OutputKeys;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Object keys of uploads: the object is {@code {inputPrefix}{uploadId}/{name}} and its record
 * {@code {inputPrefix}{uploadId}/.upload.json}, with the tenant's input prefix
 * ({@link OutputKeys#inputPrefixFor(String)}). Names are one path segment of {@code [A-Za-z0-9._-]}, starting with
 * a letter or digit, so a name can neither leave its upload's folder ({@code ..}, {@code /}) nor be the record.
 */
public final class UploadKeys {

    /** The file name of an upload's record, next to the object. */
    public static final String RECORD_NAME = ".upload.json";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Map<String, String> EXTENSIONS = Map.of("image/png", "png", "image/jpeg", "jpg",
            "image/webp", "webp", "video/mp4", "mp4", "video/webm", "webm", "video/quicktime", "mov");

    private UploadKeys() {
    }

    /** An upload's id and object name, as read back from its key. */
    public record Parsed(UUID uploadId, String name) {
    }

    /** Whether {@code name} may name an upload's object. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    /** The name of an upload sent without one: {@code input.EXT}. */
    public static String defaultName(String contentType) {
        return "input." + EXTENSIONS.getOrDefault(contentType, "bin");
    }

    /** The folder of an upload: {@code {inputPrefix}{uploadId}/}. */
    public static String folder(String tenant, UUID uploadId) {
        return OutputKeys.inputPrefixFor(tenant) + uploadId + "/";
    }

    public static String objectKey(String tenant, UUID uploadId, String name) {
        if (!validName(name)) {
            throw new IllegalArgumentException("invalid upload name: " + name);
        }
        return folder(tenant, uploadId) + name;
    }

    public static String recordKey(String tenant, UUID uploadId) {
        return folder(tenant, uploadId) + RECORD_NAME;
    }

    /**
     * The upload an object key names, if it is exactly {@code {inputPrefix of tenant}{uuid}/{valid name}}; empty for
     * any other key (another tenant's, a traversal, a record, a malformed id).
     */
    public static Optional<Parsed> parse(String tenant, String key) {
        String prefix = OutputKeys.inputPrefixFor(tenant);
        if (key == null || !key.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = key.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash != 36) {
            return Optional.empty();
        }
        String name = rest.substring(slash + 1);
        if (!validName(name)) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(rest.substring(0, slash));
            return id.toString().equals(rest.substring(0, slash)) ? Optional.of(new Parsed(id, name))
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
