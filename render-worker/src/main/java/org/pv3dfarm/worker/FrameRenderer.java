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
 * those same planes with every view's cameras, in one call of b·V rows. So each frame's tri-planes are
 * synthesised exactly once however many views there are: an extra view costs one render and one
 * super-resolution per frame, never a synthesis. A job of F frames and V views makes 1 mapping call, ⌈F/b⌉
 * synthesis calls (F frames in all) and ⌈F/b⌉ render and super-resolution calls (F·V images). With
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

    /** @param batchFrames frames per batch, 1..{@value #MAX_BATCH_FRAMES} */
    public FrameRenderer(GeneratorGraphs graphs, int batchFrames) {
        this.graphs = Objects.requireNonNull(graphs, "graphs");
        if (batchFrames < 1 || batchFrames > MAX_BATCH_FRAMES) {
            throw new IllegalArgumentException("batchFrames must be 1.." + MAX_BATCH_FRAMES + ", was " + batchFrames);
        }
        this.batchFrames = batchFrames;
    }

    public int batchFrames() {
        return batchFrames;
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
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(sink, "sink");
        long mapping;
        long synthesis = 0;
        long render = 0;
        long superResolution = 0;
        int batches = 0;

        long start = System.nanoTime();
        FloatTensor z = FloatTensor.of(latents.z().clone(), 1, latents.z().length);
        // conditioned per frame, ws differs per frame and is mapped batch by batch below
        FloatTensor ws = plan.conditionedPerFrame() ? null
                : graphs.mapping(z, plan.conditioningTensor(), latents.truncationPsi());
        FloatTensor zMotion = FloatTensor.of(latents.zMotion().clone(), 1, latents.zMotion().length);
        mapping = System.nanoTime() - start;

        for (int first = 0; first < plan.frames(); first += batchFrames) {
            int end = Math.min(plan.frames(), first + batchFrames);
            int count = end - first;
            FloatTensor batchWs;
            if (ws == null) {
                start = System.nanoTime();
                batchWs = graphs.mapping(repeat(z, count), plan.conditioning(first, end), latents.truncationPsi());
                mapping += System.nanoTime() - start;
            } else {
                batchWs = repeat(ws, count);
            }

            start = System.nanoTime();
            FloatTensor planes = graphs.synthesis(batchWs, repeat(zMotion, count), plan.times(first, end));
            synthesis += System.nanoTime() - start;

            // Plane reuse: every view renders from the same synthesised planes, all views in one call of
            // count × views rows (so a batching graph can also group them with other jobs' views).
            int views = plan.views().size();
            List<FloatTensor> cameras = new ArrayList<>(views);
            for (ViewPlan view : plan.views()) {
                cameras.add(view.cameras(first, end));
            }
            FloatTensor viewWs = repeat(batchWs, views);
            start = System.nanoTime();
            RenderOutput rendered = graphs.render(repeat(planes, views), viewWs, FloatTensor.concat(cameras));
            render += System.nanoTime() - start;
            start = System.nanoTime();
            FloatTensor rgb = graphs.superResolution(rendered.features(), rendered.rawRgb(), viewWs);
            superResolution += System.nanoTime() - start;
            List<RenderedFrame> images = new ArrayList<>(count * views);
            for (int v = 0; v < views; v++) {
                images.addAll(frames(rgb, depth ? rendered.depth() : null, v * count, count, first,
                        plan.views().get(v).index()));
            }
            batches++;
            sink.accept(new RenderedBatch(first, count, plan.views().size(), images));
        }
        return new RenderStats(Duration.ofNanos(mapping), Duration.ofNanos(synthesis), Duration.ofNanos(render),
                Duration.ofNanos(superResolution), batches);
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

    /** {@code [1, d...]} repeated along the batch dimension: {@code [n, d...]}. */
    private static FloatTensor repeat(FloatTensor single, int n) {
        return n == 1 ? single : FloatTensor.concat(Collections.nCopies(n, single));
    }
}
