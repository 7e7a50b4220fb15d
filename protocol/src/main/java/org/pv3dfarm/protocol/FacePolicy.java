package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a job does when its input image shows more than one face. No face at all always fails the job. */
public enum FacePolicy {
    /** Exactly one face, else the job fails with the number found (the default). */
    SINGLE("single"),
    /** Take the largest face (by box area). */
    LARGEST("largest");

    private final String wireName;

    FacePolicy(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
