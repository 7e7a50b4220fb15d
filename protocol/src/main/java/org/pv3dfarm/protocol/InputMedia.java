package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an uploaded input object holds. */
public enum InputMedia {
    IMAGE("image"),
    VIDEO("video");

    private final String wireName;

    InputMedia(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
