package org.pv3dfarm.api;

import jakarta.enterprise.context.ApplicationScoped;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobIds;
import org.pv3dfarm.protocol.JobState;
import org.pv3dfarm.protocol.JobStatus;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Job status by id, folded from the events topic ({@link JobStatus#apply(JobEvent)}). Memory only: it is rebuilt
 * from the topic at every start, so replicas agree and nothing needs a database. Thread-safe: the follower
 * applies events while request threads read, and a request thread applies the accepted event of its own
 * submission so that its client can read its write at once (applying the same event twice changes nothing).
 *
 * <p>It also counts each tenant's active (queued or running) jobs, for quotas, updating the count inside the same
 * atomic update as the status so that the two never disagree.
 */
@ApplicationScoped
public class JobStatusStore {

    /** Newest first: by accepted time (update time before the accepted event is seen), then id. */
    public static final Comparator<JobStatus> NEWEST_FIRST = Comparator
            .comparing(JobStatusStore::sortTime, Comparator.reverseOrder())
            .thenComparing(JobStatus::jobId);

    private final Map<UUID, JobStatus> statuses = new ConcurrentHashMap<>();
    private final StatusStream stream;
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;

    /** A store whose changes go nowhere (a rebuilt copy, tests). */
    public JobStatusStore() {
        this(null);
    }

    @jakarta.inject.Inject
    public JobStatusStore(StatusStream stream) {
        this.stream = stream;
    }

    public void apply(JobEvent event) {
        JobStatus[] change = new JobStatus[1];
        statuses.compute(event.jobId(), (id, old) -> {
            JobStatus updated = old == null ? JobStatus.of(event) : old.apply(event);
            count(old, -1);
            count(updated, +1);
            change[0] = updated.equals(old) ? null : updated;
            return updated;
        });
        if (change[0] != null && stream != null) {
            stream.changed(change[0]);
        }
    }

    public Optional<JobStatus> get(UUID jobId) {
        return Optional.ofNullable(statuses.get(jobId));
    }

    public int size() {
        return statuses.size();
    }

    /** Jobs of {@code tenant} (wire form: {@code null} = default) that are queued or running. */
    public int activeJobs(String tenant) {
        AtomicInteger count = active.get(tenantName(tenant));
        return count == null ? 0 : count.get();
    }

    /**
     * Jobs that match, {@link #NEWEST_FIRST}, at most {@code limit}, all after {@code after} when it is given. A scan
     * of every job: fine for the hundreds of thousands a store holds in memory, an index's job beyond that.
     */
    public List<JobStatus> list(Predicate<JobStatus> filter, JobCursor after, int limit) {
        return statuses.values().stream()
                .filter(filter)
                .filter(s -> after == null || after.precedes(s))
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
    }

    /** Whether every event that existed at startup has been applied; until then a missing job may exist. */
    public boolean caughtUp() {
        return caughtUp;
    }

    void markCaughtUp() {
        caughtUp = true;
    }

    private void count(JobStatus status, int delta) {
        if (status != null && (status.state() == JobState.QUEUED || status.state() == JobState.RUNNING)) {
            active.computeIfAbsent(tenantName(status.tenant()), t -> new AtomicInteger()).addAndGet(delta);
        }
    }

    /** Whether the job has reached a state no later event of its current attempt changes. */
    static boolean isFinalOrAfter(JobStatus status) {
        return status.state() == JobState.COMPLETED || status.state() == JobState.CANCELLED
                || (status.state() == JobState.FAILED && !Boolean.TRUE.equals(status.retryable()));
    }

    static java.time.Instant sortTime(JobStatus status) {
        return status.acceptedAt() != null ? status.acceptedAt() : status.updatedAt();
    }

    private static String tenantName(String tenant) {
        return tenant == null ? JobIds.DEFAULT_TENANT : tenant;
    }
}
