package org.pv3dfarm.api;

import org.pv3dfarm.protocol.InputMedia;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What may be uploaded: the accepted content types, each an image or a video, and the largest object of each
 * ({@code pv3d.uploads.*}). Every accepted type must be one {@link ContentSniffer} recognises, since the content is
 * checked against the declared type.
 *
 * @param types         accepted content type (lower case) to what it is
 * @param maxImageBytes largest image, bytes
 * @param maxVideoBytes largest video, bytes
 * @param putUrlExpiry  how long a presigned PUT URL is valid, in (0, 7 days]
 */
public record UploadLimits(Map<String, InputMedia> types, long maxImageBytes, long maxVideoBytes,
                           Duration putUrlExpiry) {

    private static final Duration MAX_EXPIRY = Duration.ofDays(7);

    public UploadLimits {
        types = Map.copyOf(types);
        for (String type : types.keySet()) {
            if (!ContentSniffer.KNOWN.contains(type)) {
                throw new IllegalArgumentException("upload type '" + type + "' cannot be checked; known: "
                        + ContentSniffer.KNOWN);
            }
        }
        if (maxImageBytes < 1 || maxVideoBytes < 1) {
            throw new IllegalArgumentException("upload size limits must be positive");
        }
        if (putUrlExpiry.isNegative() || putUrlExpiry.isZero() || putUrlExpiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("pv3d.uploads.put-url-expiry must be in (0, 7d], was " + putUrlExpiry);
        }
    }

    static UploadLimits of(ApiConfig.Uploads config) {
        Map<String, InputMedia> types = new LinkedHashMap<>();
        config.imageTypes().forEach(t -> types.put(t.trim().toLowerCase(Locale.ROOT), InputMedia.IMAGE));
        config.videoTypes().forEach(t -> types.put(t.trim().toLowerCase(Locale.ROOT), InputMedia.VIDEO));
        return new UploadLimits(types, config.maxImageBytes(), config.maxVideoBytes(), config.putUrlExpiry());
    }

    /** What an accepted content type is (parameters such as {@code ; charset} ignored); empty when not accepted. */
    public Optional<InputMedia> mediaOf(String contentType) {
        return contentType == null ? Optional.empty() : Optional.ofNullable(types.get(normalize(contentType)));
    }

    /** The largest object of {@code media}. */
    public long maxBytes(InputMedia media) {
        return media == InputMedia.IMAGE ? maxImageBytes : maxVideoBytes;
    }

    /** The content type without parameters, in lower case. */
    public static String normalize(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
