package org.pv3dfarm.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.pv3dfarm.protocol.MeshFormat;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.PreviewFormat;

/**
 * Where a job's outputs go in the bucket. Every key is a function of the job id and the output's place in the
 * job (view, frame), never of time or attempt, so a redelivered job overwrites its own objects and never leaves
 * a second copy (a tenant other than the default one gets {@code tenants/{tenant}/} in front):
 *
 * <pre>
 * {jobId}/manifest.json                      written last
 * {jobId}/latents.json                       the job's codes, for later jobs ({@link StoredLatents})
 * {jobId}/video/view-00.mp4                  one per view
 * {jobId}/frames/view-00/frame-0000.png      when PNG frames are requested
 * {jobId}/depth/view-00/frame-0000.png       when depth maps are requested
 * {jobId}/video/grid.mp4                     when a grid video is requested
 * {jobId}/preview/thumbnail.png              when a preview is requested, with
 * {jobId}/preview/preview.gif (or .webp)
 * {jobId}/mesh/frame-0000.ply (and .glb)     per mesh frame and format
 * </pre>
 */
public final class OutputKeyLayout {

    public static final String MANIFEST = "manifest.json";
    private static final Pattern RELATIVE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

    private final UUID jobId;
    private final String prefix;

    private OutputKeyLayout(String tenant, UUID jobId) {
        this.jobId = jobId;
        this.prefix = OutputKeys.prefixFor(tenant, jobId);
    }

    /** The layout of a default-tenant job. */
    public static OutputKeyLayout forJob(UUID jobId) {
        return forJob(null, jobId);
    }

    /** The layout of a tenant's job: under {@code tenants/{tenant}/} unless default ({@link OutputKeys#prefixFor}). */
    public static OutputKeyLayout forJob(String tenant, UUID jobId) {
        return new OutputKeyLayout(tenant, Objects.requireNonNull(jobId, "jobId"));
    }

    public UUID jobId() {
        return jobId;
    }

    /** {@code {jobId}/} (or {@code tenants/{tenant}/{jobId}/}): every key of the job starts with it. */
    public String prefix() {
        return prefix;
    }

    /**
     * The key of a further output, {@code {jobId}/relativeName}. The name is path segments of letters, digits,
     * {@code . _ -}, each starting with a letter or digit: no {@code ..}, no leading {@code /}, no escape from the
     * job's prefix.
     */
    public String key(String relativeName) {
        Objects.requireNonNull(relativeName, "relativeName");
        if (relativeName.length() > 256 || !RELATIVE_NAME.matcher(relativeName).matches()) {
            throw new IllegalArgumentException("output name must be '/'-separated segments of A-Z a-z 0-9 . _ -, "
                    + "each starting with a letter or digit, at most 256 characters; was '" + relativeName + "'");
        }
        return prefix + relativeName;
    }

    public String manifest() {
        return prefix + MANIFEST;
    }

    /** The job's stored latents, which every finished job has. */
    public String latents() {
        return prefix + StoredLatents.NAME;
    }

    public String video(int view) {
        return prefix + "video/" + viewName(view) + ".mp4";
    }

    public String framesPrefix() {
        return prefix + "frames/";
    }

    public String frame(int view, int frame) {
        return framesPrefix() + OutputKeys.frameName(view, frame);
    }

    public String depthPrefix() {
        return prefix + "depth/";
    }

    public String depth(int view, int frame) {
        return depthPrefix() + OutputKeys.frameName(view, frame);
    }

    public String gridVideo() {
        return prefix + "video/grid.mp4";
    }

    public String thumbnail() {
        return prefix + "preview/thumbnail.png";
    }

    public String animation(PreviewFormat format) {
        return prefix + "preview/preview." + format.extension();
    }

    public String mesh(int frame, MeshFormat format) {
        if (frame < 0) {
            throw new IllegalArgumentException("frame must be >= 0, was " + frame);
        }
        return prefix + String.format(Locale.ROOT, "mesh/frame-%04d.", frame) + format.extension();
    }

    /**
     * The completion event's view of every output of a job with {@code views} views of {@code frames} frames,
     * its latents included; null keys and an empty mesh list stand for outputs not written.
     */
    public OutputKeys outputKeys(String bucket, int views, int frames, boolean pngFrames, boolean depth,
            String gridVideoKey, String thumbnailKey, String animationKey, List<String> meshKeys) {
        OutputKeys base = outputKeys(bucket, views, pngFrames, depth);
        return new OutputKeys(base.bucket(), base.manifestKey(), base.videoKeys(), base.framesPrefix(),
                base.depthPrefix(), latents(), pngFrames || depth ? frames : null, gridVideoKey, thumbnailKey,
                animationKey, meshKeys);
    }

    /** The completion event's view of these keys, for a job with {@code views} views. */
    public OutputKeys outputKeys(String bucket, int views, boolean frames, boolean depth) {
        if (views < 1) {
            throw new IllegalArgumentException("views must be at least 1, was " + views);
        }
        List<String> videos = new ArrayList<>(views);
        for (int view = 0; view < views; view++) {
            videos.add(video(view));
        }
        return new OutputKeys(bucket, manifest(), videos, frames ? framesPrefix() : null,
                depth ? depthPrefix() : null, null);
    }

    private static String viewName(int view) {
        if (view < 0) {
            throw new IllegalArgumentException("view must be >= 0, was " + view);
        }
        return String.format(Locale.ROOT, "view-%02d", view);
    }
}
