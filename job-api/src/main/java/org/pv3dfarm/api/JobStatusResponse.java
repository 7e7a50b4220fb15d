package org.pv3dfarm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobState;
import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.Priority;
import org.pv3dfarm.protocol.ProgressUnit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code GET /v1/jobs/{id}}: the job's status as folded from its events, with presigned URLs for
 * its outputs once it completed. A completed job's outputs are kept until {@code outputs_expire_at} (the tenant's
 * output retention after its completion); after that {@code outputs_expired} is true and no URLs are given.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatusResponse(UUID jobId, JobKind kind, String tenant, JobState status, Priority priority,
                                int attempt, Progress progress, Instant acceptedAt, Instant updatedAt,
                                Outputs outputs, Failure error, Instant outputsExpireAt, Boolean outputsExpired) {

    /** Units done of total in the latest attempt; total is 0 until a worker reports. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Progress(int done, int total, ProgressUnit unit) {
    }

    /** An output object: its key in the bucket and a presigned GET URL. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Link(String key, String url) {
    }

    /** One MP4 per view, in the order of the request's views. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VideoLink(int view, String key, String url) {
    }

    /** One view's PNG frames or depth maps, in frame order. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ViewFrames(int view, List<Link> frames) {
    }

    /**
     * Where a completed job's outputs are, every object with a presigned URL (signing is local, so even a long
     * job's frames cost no store round trip); absent entries were not requested.
     *
     * @param frames       PNG frames per view, when requested (also under {@code frames_prefix})
     * @param depth        16-bit depth PNGs per view, when requested (also under {@code depth_prefix})
     * @param grid         the grid video of every view
     * @param thumbnail    the preview's thumbnail PNG
     * @param animation    the preview's animated GIF or WebP
     * @param meshes       PLY and GLB meshes, frame by frame
     * @param urlsExpireAt when the presigned URLs stop working
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outputs(String bucket, Link manifest, List<VideoLink> videos, String framesPrefix,
                          String depthPrefix, Link latent, List<ViewFrames> frames, List<ViewFrames> depth,
                          Link grid, Link thumbnail, Link animation, List<Link> meshes, Instant urlsExpireAt) {
    }

    /** The latest failure. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Failure(String code, String reason, Boolean retryable) {
    }

    /**
     * The response for {@code status} as of {@code now}; {@code urls} null leaves the output URLs out (listings),
     * {@code retention} null leaves expiry out.
     */
    static JobStatusResponse of(JobStatus status, OutputUrls urls, Instant now, RetentionPolicy retention) {
        Progress progress = new Progress(status.progressDone(), status.progressTotal(), status.progressUnit());
        Failure failure = status.failureCode() == null ? null
                : new Failure(status.failureCode(), status.failureReason(), status.retryable());
        // URLs only for keys under the job's own prefix: a forged or buggy completed event cannot make the API
        // sign another tenant's objects. Listings pass no signer and get no URLs.
        Instant expireAt = retention != null && status.state() == JobState.COMPLETED
                ? status.updatedAt().plus(retention.of(status.tenant()).outputs()) : null;
        Boolean expired = expireAt == null ? null : now != null && expireAt.isBefore(now);
        Outputs outputs = urls != null && !Boolean.TRUE.equals(expired) && status.state() == JobState.COMPLETED
                && status.outputs() != null
                && status.outputs().allUnder(OutputKeys.prefixFor(status.tenant(), status.jobId()))
                ? outputs(status.outputs(), urls, now) : null;
        return new JobStatusResponse(status.jobId(), status.kind(), status.tenant(), status.state(),
                status.priority(), status.attempt(), progress, status.acceptedAt(), status.updatedAt(), outputs,
                failure, expireAt, expired);
    }

    private static Outputs outputs(OutputKeys keys, OutputUrls urls, Instant now) {
        String bucket = keys.bucket();
        List<VideoLink> videos = new ArrayList<>(keys.videoKeys().size());
        for (int i = 0; i < keys.videoKeys().size(); i++) {
            String key = keys.videoKeys().get(i);
            videos.add(new VideoLink(i, key, urls.presignGet(bucket, key)));
        }
        Link manifest = new Link(keys.manifestKey(), urls.presignGet(bucket, keys.manifestKey()));
        Link latent = link(bucket, keys.latentKey(), urls);
        List<ViewFrames> frames = null;
        List<ViewFrames> depth = null;
        if (keys.frameCount() != null) {
            frames = keys.framesPrefix() == null ? null : new ArrayList<>();
            depth = keys.depthPrefix() == null ? null : new ArrayList<>();
            for (int view = 0; view < keys.videoKeys().size(); view++) {
                List<Link> pngs = new ArrayList<>();
                List<Link> depths = new ArrayList<>();
                for (int frame = 0; frame < keys.frameCount(); frame++) {
                    pngs.add(link(bucket, keys.frameKey(view, frame), urls));
                    depths.add(link(bucket, keys.depthKey(view, frame), urls));
                }
                if (frames != null) {
                    frames.add(new ViewFrames(view, pngs));
                }
                if (depth != null) {
                    depth.add(new ViewFrames(view, depths));
                }
            }
        }
        List<Link> meshes = keys.meshKeys() == null ? null
                : keys.meshKeys().stream().map(key -> link(bucket, key, urls)).toList();
        return new Outputs(bucket, manifest, videos, keys.framesPrefix(), keys.depthPrefix(), latent, frames, depth,
                link(bucket, keys.gridVideoKey(), urls), link(bucket, keys.thumbnailKey(), urls),
                link(bucket, keys.animationKey(), urls), meshes, now.plus(urls.expiry()));
    }

    /** The presigned link of a key; null for a null key (an output not written). */
    private static Link link(String bucket, String key, OutputUrls urls) {
        return key == null ? null : new Link(key, urls.presignGet(bucket, key));
    }
}
