package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** The animated preview's file format. */
public enum PreviewFormat {
    /** Animated GIF (256-colour palette), plays everywhere. */
    GIF("gif", "image/gif"),
    /** Animated WebP: full colour, smaller. */
    WEBP("webp", "image/webp");

    private final String wireName;
    private final String contentType;

    PreviewFormat(String wireName, String contentType) {
        this.wireName = wireName;
        this.contentType = contentType;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The file extension, also the wire name. */
    public String extension() {
        return wireName;
    }

    public String contentType() {
        return contentType;
    }
}
