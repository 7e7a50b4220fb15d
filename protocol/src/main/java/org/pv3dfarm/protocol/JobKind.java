package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a job does. Each kind has its own request topic ({@link Topics#jobs(JobKind)}) so that each worker pool
 * scales on its own; the wire name is the {@code kind} field of a request.
 */
public enum JobKind {
    /** Sample a new identity and motion from codes or a seed and render it. */
    GENERATE("generate"),
    /** Invert a portrait (or take stored latents) and render random or given motions. */
    ANIMATE("animate"),
    /** Fit appearance, motion and time to an uploaded video and re-render it from new views. */
    RECONSTRUCT("reconstruct"),
    /** Apply one job's (or a given) motion to another identity. */
    RETARGET("retarget"),
    /** One motion over many appearances, with motion scaling and interpolation. */
    EDIT("edit");

    private final String wireName;

    JobKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in JSON bodies, headers and URLs. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The kind with this wire name, or {@code null} when there is none. */
    public static JobKind fromWireName(String name) {
        for (JobKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
