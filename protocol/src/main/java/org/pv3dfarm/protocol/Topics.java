package org.pv3dfarm.protocol;

import java.util.ArrayList;
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
 *   <li>{@code pv3d.jobs.KIND.high}: the same for {@link Priority#HIGH} requests. A separate topic, because within
 *       one partition order is fixed: only another topic lets a worker take a high-priority job before a backlog
 *       of normal ones.</li>
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
    /** Suffix of the high-priority request topics. */
    public static final String HIGH_SUFFIX = ".high";

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

    /** The request topic for jobs of this kind and priority: {@link #jobs(JobKind)}, plus {@code .high} for high. */
    public static String jobs(JobKind kind, Priority priority) {
        return priority == Priority.HIGH ? jobs(kind) + HIGH_SUFFIX : jobs(kind);
    }

    /** The kind whose request topic (of either priority) this is, or {@code null}. */
    public static JobKind kindOf(String topic) {
        for (JobKind kind : JobKind.values()) {
            if (jobs(kind).equals(topic) || jobs(kind, Priority.HIGH).equals(topic)) {
                return kind;
            }
        }
        return null;
    }

    /** Whether this is a high-priority request topic. */
    public static boolean isHighPriority(String topic) {
        return topic.endsWith(HIGH_SUFFIX) && kindOf(topic) != null;
    }

    /** All topics, for creating them up front (embedded broker, admin scripts). */
    public static List<String> all() {
        List<String> all = new ArrayList<>();
        for (JobKind kind : JobKind.values()) {
            all.add(jobs(kind));
        }
        for (JobKind kind : JobKind.values()) {
            all.add(jobs(kind, Priority.HIGH));
        }
        all.add(EVENTS);
        all.add(DEAD_LETTER);
        return List.copyOf(all);
    }
}
