package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.RenderOutput;

/**
 * Stage 3 of a generate job: runs the model over the whole clip, a batch of frames at a time.
 *
 * <p>Per job: the mapping network once ({@code ws} from {@code z} and the conditioning camera), or once per batch
 * when the plan conditions frame by frame ({@link CameraPlan#conditionedPerFrame()}). Per batch of up to
 * {@link #batchFrames()} frames: synthesis once, batched over the frames ({@code planes [b, 3, C, R, R]} from
 * {@code ws}, {@code z_motion} and each frame's {@code t}); then for every view, render and super-resolution on
 * those same planes with every view's cameras, in calls of at most {@link #rowsPerCall()} of the b·V rows (by
 * default b: one view's rows, the shape a one-view job uses, since render costs more per row in bigger batches on
 * a CPU; docs/benchmarks.md, issue 5). So each frame's tri-planes are
 * synthesised exactly once however many views there are: an extra view costs one render and one
 * super-resolution per frame, never a synthesis. A job of F frames and V views makes 1 mapping call, ⌈F/b⌉
 * synthesis calls (F frames in all) and, per batch, ⌈b·V/r⌉ render and super-resolution calls (F·V images in
 * all; r rows per call). With
 * {@link BatchingGeneratorGraphs} these calls are split into (frame) and (frame, view) items and batched with
 * other jobs' items.
 *
 * <p>Each batch is handed to the caller's {@link BatchSink} before the next starts, so memory holds one batch
 * (planes of b frames and b·V images), never the clip. Not thread-safe per call; one renderer may serve
 * consecutive jobs.
 */
public final class FrameRenderer {

    /** Frames per batch unless configured: small enough to keep memory flat, big enough to batch the graphs. */
    public static final int DEFAULT_BATCH_FRAMES = 4;
    /** More frames per batch would only grow memory; the graphs are already well batched long before. */
    public static final int MAX_BATCH_FRAMES = 64;

    /** Receives each batch as soon as it is rendered; may throw to stop the job (e.g. on shutdown). */
    @FunctionalInterface
    public interface BatchSink {
        void accept(RenderedBatch batch) throws Exception;
    }

    private final GeneratorGraphs graphs;
    private final int batchFrames;
    private final int rowsPerCall;
    /** Style vectors per ws, for tracks with a given w; 0 when unknown (such tracks are then refused). */
    private final int numWs;

    /** A renderer for mapped tracks only. @param batchFrames frames per batch, 1..{@value #MAX_BATCH_FRAMES} */
    public FrameRenderer(GeneratorGraphs graphs, int batchFrames) {
        this(graphs, batchFrames, 0);
    }

    /**
     * @param batchFrames frames per batch, 1..{@value #MAX_BATCH_FRAMES}
     * @param numWs       the model's {@code num_ws}: how often a given w is repeated into ws
     */
    public FrameRenderer(GeneratorGraphs graphs, int batchFrames, int numWs) {
        this(graphs, batchFrames, numWs, batchFrames);
    }

    /**
     * @param batchFrames frames per batch, 1..{@value #MAX_BATCH_FRAMES}
     * @param numWs       the model's {@code num_ws}: how often a given w is repeated into ws
     * @param rowsPerCall the most (frame, view) rows in one render or super-resolution call, at least 1
     */
    public FrameRenderer(GeneratorGraphs graphs, int batchFrames, int numWs, int rowsPerCall) {
        this.graphs = Objects.requireNonNull(graphs, "graphs");
        if (rowsPerCall < 1) {
            throw new IllegalArgumentException("rowsPerCall must be at least 1, was " + rowsPerCall);
        }
        this.rowsPerCall = rowsPerCall;
        if (numWs < 0) {
            throw new IllegalArgumentException("numWs must not be negative, was " + numWs);
        }
        this.numWs = numWs;
        if (batchFrames < 1 || batchFrames > MAX_BATCH_FRAMES) {
            throw new IllegalArgumentException("batchFrames must be 1.." + MAX_BATCH_FRAMES + ", was " + batchFrames);
        }
        this.batchFrames = batchFrames;
    }

    public int batchFrames() {
        return batchFrames;
    }

    /** The most (frame, view) rows in one render or super-resolution call. */
    public int rowsPerCall() {
        return rowsPerCall;
    }

    /**
     * Renders every frame of every view of the plan and hands them to {@code sink}, batch by batch in frame order.
     *
     * @param depth also return each image's depth map
     * @return the time spent in each graph
     * @throws Exception what the sink threw; the remaining batches are not rendered
     */
    public RenderStats render(JobLatents latents, CameraPlan plan, boolean depth, BatchSink sink) throws Exception {
        Objects.requireNonNull(latents, "latents");
        return render(List.of(ClipTrack.of(latents)), plan, depth, sink);
    }

    /**
     * Renders every track along every view of the plan: each batch holds, for its frames, the images of track
     * k's view v as output view {@code k·V + v} (V views in the plan), so the outputs treat tracks × views as
     * views. Per batch and track: one synthesis (the track's w or mapped ws, its z_motion and times), then render
     * and super-resolution of its V views in one call. A track with a given w skips the mapping network; its
     * ws is w repeated {@code num_ws} times.
     *
     * @return the time in each graph, and each track's w (frame 0's, for the stored latents)
     */
    public RenderStats render(List<ClipTrack> tracks, CameraPlan plan, boolean depth, BatchSink sink)
            throws Exception {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(sink, "sink");
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("at least one track is needed");
        }
        long mapping = 0;
        long synthesis = 0;
        long render = 0;
        long superResolution = 0;
        int batches = 0;
        int views = plan.views().size();

        // per track: ws [1, num_ws, w_dim] for the job, or null when mapped frame by frame
        List<FloatTensor> jobWs = new ArrayList<>(tracks.size());
        List<float[]> trackW = new ArrayList<>(tracks.size());
        for (ClipTrack track : tracks) {
            if (track.times() != null && track.times().length != plan.frames()) {
                throw new IllegalArgumentException("a track's times must hold one t per frame (" + plan.frames()
                        + "), hold " + track.times().length);
            }
            long start = System.nanoTime();
            FloatTensor ws;
            if (!track.isMapped()) {
                ws = givenWs(track);
            } else if (plan.conditionedPerFrame()) {
                ws = null; // mapped batch by batch below
            } else {
                ws = graphs.mapping(FloatTensor.of(track.z().clone(), 1, track.z().length),
                        plan.conditioningTensor(), track.truncationPsi());
            }
            mapping += System.nanoTime() - start;
            jobWs.add(ws);
            trackW.add(ws == null ? null : firstW(ws));
        }

        for (int first = 0; first < plan.frames(); first += batchFrames) {
            int end = Math.min(plan.frames(), first + batchFrames);
            int count = end - first;
            List<RenderedFrame> images = new ArrayList<>(count * views * tracks.size());
            for (int k = 0; k < tracks.size(); k++) {
                ClipTrack track = tracks.get(k);
                FloatTensor batchWs;
                if (jobWs.get(k) == null) {
                    long start = System.nanoTime();
                    FloatTensor z = FloatTensor.of(track.z().clone(), 1, track.z().length);
                    batchWs = graphs.mapping(repeat(z, count), plan.conditioning(first, end), track.truncationPsi());
                    mapping += System.nanoTime() - start;
                    if (trackW.get(k) == null) {
                        trackW.set(k, firstW(batchWs));
                    }
                } else {
                    batchWs = repeat(jobWs.get(k), count);
                }
                FloatTensor zMotion = FloatTensor.of(track.zMotion().clone(), 1, track.zMotion().length);
                FloatTensor times = track.times() == null ? plan.times(first, end)
                        : FloatTensor.of(Arrays.copyOfRange(track.times(), first, end), count);

                long start = System.nanoTime();
                FloatTensor planes = graphs.synthesis(batchWs, repeat(zMotion, count), times);
                synthesis += System.nanoTime() - start;

                // Plane reuse: every view renders from the same synthesised planes: count × views rows (view-major),
                // in calls of at most rowsPerCall rows (a batching graph may group them with other jobs' rows).
                List<FloatTensor> cameras = new ArrayList<>(views);
                for (ViewPlan view : plan.views()) {
                    cameras.add(view.cameras(first, end));
                }
                FloatTensor viewCameras = FloatTensor.concat(cameras);
                int rows = count * views;
                List<FloatTensor> rgbParts = new ArrayList<>();
                List<FloatTensor> depthParts = new ArrayList<>();
                for (int from = 0; from < rows; from += rowsPerCall) {
                    int to = Math.min(rows, from + rowsPerCall);
                    FloatTensor ws = rowsOf(batchWs, count, from, to);
                    FloatTensor chunkCameras = rows == to - from ? viewCameras : viewCameras.batchRange(from, to);
                    start = System.nanoTime();
                    RenderOutput rendered = graphs.render(rowsOf(planes, count, from, to), ws, chunkCameras);
                    render += System.nanoTime() - start;
                    start = System.nanoTime();
                    rgbParts.add(graphs.superResolution(rendered.features(), rendered.rawRgb(), ws));
                    superResolution += System.nanoTime() - start;
                    depthParts.add(rendered.depth());
                }
                // Calls of whole views (the default: one view's rows, or all of them) are read in place; other
                // splits are joined once so that a view may span two calls.
                boolean wholeViews = rows <= rowsPerCall || rowsPerCall % count == 0;
                int partRows = Math.min(rows, rowsPerCall);
                FloatTensor rgb = wholeViews ? null : FloatTensor.concat(rgbParts);
                FloatTensor depthMaps = wholeViews || !depth ? null : FloatTensor.concat(depthParts);
                for (int v = 0; v < views; v++) {
                    int row = v * count;
                    int part = row / partRows;
                    images.addAll(frames(wholeViews ? rgbParts.get(part) : rgb,
                            !depth ? null : wholeViews ? depthParts.get(part) : depthMaps,
                            wholeViews ? row % partRows : row, count, first, k * views + plan.views().get(v).index()));
                }
            }
            batches++;
            sink.accept(new RenderedBatch(first, count, views * tracks.size(), images));
        }
        return new RenderStats(Duration.ofNanos(mapping), Duration.ofNanos(synthesis), Duration.ofNanos(render),
                Duration.ofNanos(superResolution), batches, trackW);
    }

    /** A track's given w as ws [1, num_ws, w_dim]. */
    private FloatTensor givenWs(ClipTrack track) {
        if (numWs == 0) {
            throw new IllegalStateException("this renderer was made without num_ws, so it cannot render a given w");
        }
        return track.givenWs(numWs);
    }

    /** The first style vector of the first row of ws: the mapped w (the mapping network repeats it). */
    private static float[] firstW(FloatTensor ws) {
        return Arrays.copyOf(ws.data(), (int) ws.dim(2));
    }

    /**
     * One view's frames: rows {@code [row, row + count)} of the batch outputs ({@code rgb [n, 3, O, O]},
     * {@code depth [n, 1, N, N]}).
     */
    private static List<RenderedFrame> frames(FloatTensor rgb, FloatTensor depth, int row, int count, int firstFrame,
            int view) {
        int height = (int) rgb.dim(2);
        int width = (int) rgb.dim(3);
        List<RenderedFrame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            RgbImage image = RgbImage.fromSignedUnitChw(rgb.data(), (row + i) * 3 * height * width, width, height);
            DepthMap map = null;
            if (depth != null) {
                int depthHeight = (int) depth.dim(2);
                int depthWidth = (int) depth.dim(3);
                int size = depthHeight * depthWidth;
                map = new DepthMap(depthWidth, depthHeight,
                        Arrays.copyOfRange(depth.data(), (row + i) * size, (row + i + 1) * size));
            }
            frames.add(new RenderedFrame(firstFrame + i, view, image, map));
        }
        return frames;
    }

    /**
     * Rows {@code [from, to)} of a view-major (view, frame) layout of a per-frame tensor {@code [count, d...]}: row
     * r is frame {@code r mod count}. One whole view's rows are the tensor itself (no copy).
     */
    private static FloatTensor rowsOf(FloatTensor perFrame, int count, int from, int to) {
        if (from % count == 0 && to - from == count) {
            return perFrame;
        }
        List<FloatTensor> rows = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            rows.add(perFrame.batchItem(r % count));
        }
        return FloatTensor.concat(rows);
    }

    /** {@code [1, d...]} repeated along the batch dimension: {@code [n, d...]}. */
    private static FloatTensor repeat(FloatTensor single, int n) {
        return n == 1 ? single : FloatTensor.concat(Collections.nCopies(n, single));
    }
}
