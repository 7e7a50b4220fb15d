package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a job does. Each kind has its own request topic ({@link Topics#jobs(JobKind)}) so that each worker pool
 * scales on its own; the wire name is the {@code kind} field of a request.
 */
public enum JobKind {
    /** Sample a new identity and motion from codes or a seed and render it. */
    GENERATE("generate"),
    /** Drive a sampled or given identity with the motion of an uploaded video. */
    ANIMATE("animate"),
    /** Invert an uploaded image or video into the model's latent space. */
    RECONSTRUCT("reconstruct"),
    /** Re-drive a reconstructed identity with the motion of another video. */
    RETARGET("retarget"),
    /** Move a reconstructed or generated identity along named latent directions. */
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
