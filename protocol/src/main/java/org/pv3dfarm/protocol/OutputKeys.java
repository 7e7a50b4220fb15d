package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Where a finished job's outputs are, as object keys in one bucket. Keys are deterministic per job
 * ({@code {jobId}/...}), so a redelivered job overwrites its outputs instead of duplicating them.
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
}
