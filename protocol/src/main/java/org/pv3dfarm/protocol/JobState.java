package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a job is, as folded from its events by {@link JobStatus}. */
public enum JobState {
    /** Accepted, not yet taken by a worker (or waiting for a retry). */
    QUEUED("queued", false),
    /** A worker is on it. */
    RUNNING("running", false),
    /** Every output is uploaded. */
    COMPLETED("completed", true),
    /** Failed for good. */
    FAILED("failed", true),
    /** Cancelled on request. */
    CANCELLED("cancelled", true);

    private final String wireName;
    private final boolean terminal;

    JobState(String wireName, boolean terminal) {
        this.wireName = wireName;
        this.terminal = terminal;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether no later event changes the state. */
    public boolean isTerminal() {
        return terminal;
    }
}
