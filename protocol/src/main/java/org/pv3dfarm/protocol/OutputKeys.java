package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
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
 * @param frameCount   frames per view, when PNG frames or depth maps were written: their keys are
 *                     {@link #frameKey} and {@link #depthKey} of every view and frame
 * @param gridVideoKey the MP4 of every view tiled in a grid, when requested
 * @param thumbnailKey the preview's thumbnail PNG, when requested
 * @param animationKey the preview's animated GIF or WebP, when requested
 * @param meshKeys     every mesh file, in request order (frame, then format), when requested
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutputKeys(
        @JsonProperty(required = true) String bucket,
        @JsonProperty(required = true) String manifestKey,
        @JsonProperty(required = true) List<String> videoKeys,
        String framesPrefix,
        String depthPrefix,
        String latentKey,
        Integer frameCount,
        String gridVideoKey,
        String thumbnailKey,
        String animationKey,
        List<String> meshKeys) {

    @JsonCreator
    public OutputKeys {
        Checks.requiredText(bucket, "bucket");
        Checks.requiredText(manifestKey, "manifest_key");
        videoKeys = List.copyOf(Checks.required(videoKeys, "video_keys"));
        meshKeys = meshKeys == null || meshKeys.isEmpty() ? null : List.copyOf(meshKeys);
        if (frameCount != null && frameCount < 1) {
            throw new IllegalArgumentException("frame_count must be at least 1, was " + frameCount);
        }
    }

    /** Videos, frames, depth and latents only. */
    public OutputKeys(String bucket, String manifestKey, List<String> videoKeys, String framesPrefix,
            String depthPrefix, String latentKey) {
        this(bucket, manifestKey, videoKeys, framesPrefix, depthPrefix, latentKey, null, null, null, null, null);
    }

    /** {@code {frames_prefix}view-VV/frame-FFFF.png}: one PNG frame; null when PNG frames were not written. */
    public String frameKey(int view, int frame) {
        return framesPrefix == null ? null : framesPrefix + frameName(view, frame);
    }

    /** {@code {depth_prefix}view-VV/frame-FFFF.png}: one depth PNG; null when depth maps were not written. */
    public String depthKey(int view, int frame) {
        return depthPrefix == null ? null : depthPrefix + frameName(view, frame);
    }

    /** The name of a frame's file under the frames and depth prefixes: {@code view-VV/frame-FFFF.png}. */
    public static String frameName(int view, int frame) {
        if (view < 0 || frame < 0) {
            throw new IllegalArgumentException("view and frame must be >= 0, were " + view + ", " + frame);
        }
        return String.format(java.util.Locale.ROOT, "view-%02d/frame-%04d.png", view, frame);
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

    /**
     * The prefix of a tenant's uploaded inputs: {@code inputs/} for the default tenant ({@code null} or
     * {@code default}), {@code tenants/{tenant}/inputs/} for any other; an upload's object is
     * {@code {prefix}{uploadId}/{name}}. Job ids are UUIDs, so no job prefix ({@link #prefixFor}) overlaps it.
     */
    public static String inputPrefixFor(String tenant) {
        if (tenant == null || tenant.equals(JobIds.DEFAULT_TENANT)) {
            return "inputs/";
        }
        return "tenants/" + tenant + "/inputs/";
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
