package org.pv3dfarm.protocol;

import java.util.List;

/**
 * Every Kafka topic the farm uses, in one place.
 *
 * <ul>
 *   <li>{@code pv3d.jobs.KIND}: job requests of one kind, keyed by job id (so redeliveries of one job land on one
 *       partition), value = a {@link JobRequest} as JSON.</li>
 *   <li>{@link #EVENTS}: every {@link JobEvent} of every job, keyed by job id so that one job's events stay in
 *       order; readers rebuild job status by folding it from the beginning ({@link JobStatus}). Keep its
 *       retention at least as long as jobs should stay visible.</li>
 *   <li>{@link #DEAD_LETTER}: {@link DeadLetter} records for messages that could not be processed, keyed like the
 *       original record.</li>
 * </ul>
 */
public final class Topics {

    public static final String GENERATE = "pv3d.jobs.generate";
    public static final String ANIMATE = "pv3d.jobs.animate";
    public static final String RECONSTRUCT = "pv3d.jobs.reconstruct";
    public static final String RETARGET = "pv3d.jobs.retarget";
    public static final String EDIT = "pv3d.jobs.edit";
    public static final String EVENTS = "pv3d.events";
    public static final String DEAD_LETTER = "pv3d.jobs.dlq";

    private Topics() {
    }

    /** The request topic for jobs of this kind. */
    public static String jobs(JobKind kind) {
        return switch (kind) {
            case GENERATE -> GENERATE;
            case ANIMATE -> ANIMATE;
            case RECONSTRUCT -> RECONSTRUCT;
            case RETARGET -> RETARGET;
            case EDIT -> EDIT;
        };
    }

    /** All topics, for creating them up front (embedded broker, admin scripts). */
    public static List<String> all() {
        return List.of(GENERATE, ANIMATE, RECONSTRUCT, RETARGET, EDIT, EVENTS, DEAD_LETTER);
    }
}
