package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How urgently a job should run. Carried in the body and in the {@link HeaderNames#PRIORITY} header so that a
 * router can act on it without parsing; scheduling by priority is the workers' business.
 */
public enum Priority {
    NORMAL("normal"),
    HIGH("high");

    private final String wireName;

    Priority(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
