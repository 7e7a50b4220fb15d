package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a {@link JobProgress} counts. */
public enum ProgressUnit {
    /** Rendered frames, over all views. */
    FRAMES("frames"),
    /** Optimisation steps (reconstruct). */
    STEPS("steps");

    private final String wireName;

    ProgressUnit(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
