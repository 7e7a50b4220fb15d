package org.pv3dfarm.protocol;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Where job ids come from. */
public final class JobIds {

    /** The tenant name used in ids and keys when a request names none. */
    public static final String DEFAULT_TENANT = "default";

    private JobIds() {
    }

    /** A fresh id for a job without an idempotency key. */
    public static UUID random() {
        return UUID.randomUUID();
    }

    /**
     * The id of the job with this idempotency key: a name-based (version 3) UUID of
     * {@code "pv3d-job:" + tenant + ":" + key}, so that every API replica maps a resubmission to the same job
     * without coordination, and two tenants' equal keys never collide.
     */
    public static UUID forIdempotencyKey(String tenant, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isEmpty()) {
            throw new IllegalArgumentException("idempotency key must not be empty");
        }
        String scope = tenant == null ? DEFAULT_TENANT : tenant;
        return UUID.nameUUIDFromBytes(("pv3d-job:" + scope + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
    }
}
