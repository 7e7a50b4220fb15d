package org.pv3dfarm.api;

import org.pv3dfarm.protocol.JobIds;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One pass of retention over the bucket: lists every object and deletes job outputs older than their tenant's
 * output retention and uploads (content and record) older than its upload retention, by the object's last
 * modification. Keys are classified by shape only:
 * <ul>
 *   <li>{@code {jobId}/…} and {@code tenants/{t}/{jobId}/…}: outputs of the default tenant and of {@code t};</li>
 *   <li>{@code inputs/…} and {@code tenants/{t}/inputs/…}: uploads;</li>
 *   <li>anything else (models, foreign keys) is left alone.</li>
 * </ul>
 * Deleting is idempotent, so replicas may sweep at the same time.
 */
public final class RetentionSweeper {

    /** What a pass did. */
    public record Sweep(int scanned, int outputsDeleted, int uploadsDeleted) {
    }

    private final ObjectStore store;
    private final RetentionPolicy policy;

    public RetentionSweeper(ObjectStore store, RetentionPolicy policy) {
        this.store = store;
        this.policy = policy;
    }

    /** Sweeps once as of {@code now}. */
    public Sweep sweep(Instant now) {
        int[] counts = new int[3];
        store.list("", object -> {
            counts[0]++;
            Optional<Owned> owned = classify(object.key());
            if (owned.isEmpty()) {
                return;
            }
            RetentionPolicy.Durations durations = policy.of(owned.get().tenant());
            Duration keep = owned.get().upload() ? durations.uploads() : durations.outputs();
            if (object.lastModified().plus(keep).isBefore(now)) {
                store.delete(object.key());
                counts[owned.get().upload() ? 2 : 1]++;
            }
        });
        return new Sweep(counts[0], counts[1], counts[2]);
    }

    /** Whose an object is and whether it is an upload; empty for keys the farm's retention does not own. */
    record Owned(String tenant, boolean upload) {
    }

    static Optional<Owned> classify(String key) {
        String tenant = JobIds.DEFAULT_TENANT;
        String rest = key;
        if (key.startsWith("tenants/")) {
            int slash = key.indexOf('/', "tenants/".length());
            if (slash < 0) {
                return Optional.empty();
            }
            tenant = key.substring("tenants/".length(), slash);
            rest = key.substring(slash + 1);
        }
        if (rest.startsWith("inputs/")) {
            return Optional.of(new Owned(tenant, true));
        }
        int slash = rest.indexOf('/');
        if (slash == 36 && isUuid(rest.substring(0, slash))) {
            return Optional.of(new Owned(tenant, false));
        }
        return Optional.empty();
    }

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
