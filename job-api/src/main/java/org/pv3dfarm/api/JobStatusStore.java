package org.pv3dfarm.api;

import jakarta.enterprise.context.ApplicationScoped;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobStatus;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Job status by id, folded from the events topic ({@link JobStatus#apply(JobEvent)}). Memory only: it is rebuilt
 * from the topic at every start, so replicas agree and nothing needs a database. Thread-safe: the follower
 * applies events while request threads read, and a request thread applies the accepted event of its own
 * submission so that its client can read its write at once (applying the same event twice changes nothing).
 */
@ApplicationScoped
public class JobStatusStore {

    private final Map<UUID, JobStatus> statuses = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;

    public void apply(JobEvent event) {
        statuses.compute(event.jobId(), (id, old) -> old == null ? JobStatus.of(event) : old.apply(event));
    }

    public Optional<JobStatus> get(UUID jobId) {
        return Optional.ofNullable(statuses.get(jobId));
    }

    public int size() {
        return statuses.size();
    }

    /** Whether every event that existed at startup has been applied; until then a missing job may exist. */
    public boolean caughtUp() {
        return caughtUp;
    }

    void markCaughtUp() {
        caughtUp = true;
    }
}
