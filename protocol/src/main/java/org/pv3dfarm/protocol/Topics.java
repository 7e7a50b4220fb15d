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
 *   <li>{@code pv3d.jobs.KIND.retry}: requests of that kind waiting for another attempt after a retryable failure,
 *       with {@link HeaderNames#ATTEMPT} and {@link HeaderNames#NOT_BEFORE}; a worker pauses the partition until
 *       the head record is due, so waiting retries never hold up fresh jobs.</li>
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
    /**
     * Webhook deliveries given up after their retries: {@link DeadLetter}s of the events, keyed by the event id
     * ({@code topic-partition@offset}); a replayed delivery that succeeds writes a tombstone for its key.
     */
    public static final String WEBHOOK_DEAD_LETTER = "pv3d.webhooks.dlq";
    /** Suffix of the high-priority request topics. */
    public static final String HIGH_SUFFIX = ".high";
    /** Suffix of the retry topics. */
    public static final String RETRY_SUFFIX = ".retry";

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

    /** The retry topic of a kind: {@code pv3d.jobs.KIND.retry}. */
    public static String retry(JobKind kind) {
        return jobs(kind) + RETRY_SUFFIX;
    }

    /** Whether this is a retry topic. */
    public static boolean isRetry(String topic) {
        return topic.endsWith(RETRY_SUFFIX) && kindOf(topic) != null;
    }

    /** The kind whose request topic (of either priority) or retry topic this is, or {@code null}. */
    public static JobKind kindOf(String topic) {
        for (JobKind kind : JobKind.values()) {
            if (jobs(kind).equals(topic) || jobs(kind, Priority.HIGH).equals(topic) || retry(kind).equals(topic)) {
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
        for (JobKind kind : JobKind.values()) {
            all.add(retry(kind));
        }
        all.add(EVENTS);
        all.add(DEAD_LETTER);
        all.add(WEBHOOK_DEAD_LETTER);
        return List.copyOf(all);
    }
}
