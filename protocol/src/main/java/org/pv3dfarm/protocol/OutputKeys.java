package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.UUID;

/**
 * Where a finished job's outputs are, as object keys in one bucket. Keys are deterministic per job
 * ({@link #prefixFor(String, UUID)}), so a redelivered job overwrites its outputs instead of duplicating them.
 *
 * @param bucket       the bucket holding every key below
 * @param manifestKey  the job's {@code manifest.json}, written last: if it exists, every other output does
 * @param videoKeys    one MP4 per view, in the order of the request's views
 * @param framesPrefix prefix under which the PNG frames lie, when requested
 * @param depthPrefix  prefix under which the depth PNGs lie, when requested
 * @param latentKey    the latent codes (reconstruct and edit jobs), when written
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutputKeys(
        @JsonProperty(required = true) String bucket,
        @JsonProperty(required = true) String manifestKey,
        @JsonProperty(required = true) List<String> videoKeys,
        String framesPrefix,
        String depthPrefix,
        String latentKey) {

    public OutputKeys {
        Checks.requiredText(bucket, "bucket");
        Checks.requiredText(manifestKey, "manifest_key");
        videoKeys = List.copyOf(Checks.required(videoKeys, "video_keys"));
    }

    /**
     * The prefix of every object key of a job: {@code {jobId}/} for the default tenant ({@code null} or
     * {@code default}), {@code tenants/{tenant}/{jobId}/} for any other, so that a tenant's objects can be told
     * (and access-scoped) by prefix. Tenant names are validated ({@code [a-z0-9-]}), so the prefix cannot escape.
     */
    public static String prefixFor(String tenant, UUID jobId) {
        if (tenant == null || tenant.equals(JobIds.DEFAULT_TENANT)) {
            return jobId + "/";
        }
        return "tenants/" + tenant + "/" + jobId + "/";
    }

    /** Whether every key here lies under {@code prefix} (a job's outputs never point elsewhere). */
    public boolean allUnder(String prefix) {
        boolean under = manifestKey.startsWith(prefix) && videoKeys.stream().allMatch(k -> k.startsWith(prefix));
        for (String key : new String[] {framesPrefix, depthPrefix, latentKey}) {
            under &= key == null || key.startsWith(prefix);
        }
        return under && !(manifestKey + String.join("", videoKeys)).contains("..");
    }
}
