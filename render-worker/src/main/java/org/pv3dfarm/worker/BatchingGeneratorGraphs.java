package org.pv3dfarm.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.RenderOutput;

/**
 * {@link GeneratorGraphs} whose synthesis, render and super-resolution are dynamically batched across every job
 * that shares this object (see {@link DynamicBatcher}): synthesis over (job, frame) items, render and
 * super-resolution over (job, frame, view) items. A call with {@code B} rows is split into {@code B} items, which
 * may run together with other jobs' items; the call returns when its own rows are done, in order. Outputs are
 * the same as the unbatched graphs' (every graph is row-independent), up to float rounding of other batch shapes.
 *
 * <p>The mapping graph runs once per job and is passed straight through. The three batchers share the
 * {@link InferenceLanes}: with one lane one graph runs at a time and has all of ONNX Runtime's threads; with
 * {@code N} lanes (for single-threaded ORT calls) up to {@code N} runs of any stage execute at once. Thread-safe;
 * {@link #close()} stops the batchers (not the underlying graphs).
 */
public final class BatchingGeneratorGraphs implements GeneratorGraphs, AutoCloseable {

    private record SynthesisItem(FloatTensor ws, FloatTensor zMotion, float t) {
    }

    private record RenderItem(FloatTensor planes, FloatTensor ws, FloatTensor camera) {
    }

    private record SuperResolutionItem(FloatTensor features, FloatTensor rawRgb, FloatTensor ws) {
    }

    private final GeneratorGraphs graphs;
    private final DynamicBatcher<SynthesisItem, FloatTensor> synthesis;
    private final DynamicBatcher<RenderItem, RenderOutput> render;
    private final DynamicBatcher<SuperResolutionItem, FloatTensor> superResolution;
    private final InferenceLanes lanes;

    /** Batched graphs in one inference lane: one graph runs at a time. */
    public BatchingGeneratorGraphs(GeneratorGraphs graphs, BatchingPolicy synthesisPolicy, BatchingPolicy viewPolicy) {
        this(graphs, synthesisPolicy, viewPolicy, new InferenceLanes(1));
    }

    /**
     * @param synthesisPolicy batching of (job, frame) synthesis items
     * @param viewPolicy      batching of (job, frame, view) render and super-resolution items
     * @param lanes           how many runs (of any stage) may execute at once
     */
    public BatchingGeneratorGraphs(GeneratorGraphs graphs, BatchingPolicy synthesisPolicy, BatchingPolicy viewPolicy,
            InferenceLanes lanes) {
        this.graphs = Objects.requireNonNull(graphs, "graphs");
        this.lanes = Objects.requireNonNull(lanes, "lanes");
        this.synthesis = new DynamicBatcher<>("synthesis", synthesisPolicy, this::runSynthesis, lanes);
        this.render = new DynamicBatcher<>("render", viewPolicy, this::runRender, lanes);
        this.superResolution = new DynamicBatcher<>("superres", viewPolicy, this::runSuperResolution, lanes);
    }

    /** How (job, frame) synthesis items are batched. */
    public BatchingPolicy synthesisPolicy() {
        return synthesis.policy();
    }

    /** How (job, frame, view) render and super-resolution items are batched. */
    public BatchingPolicy viewPolicy() {
        return render.policy();
    }

    /** The lanes the three stages share. */
    public InferenceLanes lanes() {
        return lanes;
    }

    @Override
    public FloatTensor mapping(FloatTensor z, FloatTensor c, float truncationPsi) {
        return graphs.mapping(z, c, truncationPsi);
    }

    @Override
    public FloatTensor synthesis(FloatTensor ws, FloatTensor zMotion, FloatTensor t) {
        List<SynthesisItem> items = items(ws,
                i -> new SynthesisItem(ws.batchItem(i), zMotion.batchItem(i), t.data()[i]));
        return FloatTensor.concat(run(synthesis, items));
    }

    @Override
    public RenderOutput render(FloatTensor planes, FloatTensor ws, FloatTensor camera) {
        List<RenderItem> items = items(camera,
                i -> new RenderItem(planes.batchItem(i), ws.batchItem(i), camera.batchItem(i)));
        List<RenderOutput> outputs = run(render, items);
        return new RenderOutput(concat(outputs, RenderOutput::features), concat(outputs, RenderOutput::rawRgb),
                concat(outputs, RenderOutput::depth),
                outputs.get(0).hasOpacity() ? concat(outputs, RenderOutput::opacity) : null);
    }

    @Override
    public FloatTensor superResolution(FloatTensor features, FloatTensor rawRgb, FloatTensor ws) {
        List<SuperResolutionItem> items = items(features,
                i -> new SuperResolutionItem(features.batchItem(i), rawRgb.batchItem(i), ws.batchItem(i)));
        return FloatTensor.concat(run(superResolution, items));
    }

    /** What each stage's batcher has done so far. */
    public DynamicBatcher.Stats synthesisStats() {
        return synthesis.stats();
    }

    public DynamicBatcher.Stats renderStats() {
        return render.stats();
    }

    public DynamicBatcher.Stats superResolutionStats() {
        return superResolution.stats();
    }

    private List<FloatTensor> runSynthesis(List<SynthesisItem> items) {
        float[] t = new float[items.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = items.get(i).t();
        }
        FloatTensor planes = graphs.synthesis(concat(items, SynthesisItem::ws), concat(items, SynthesisItem::zMotion),
                FloatTensor.vector(t));
        return split(planes, items.size());
    }

    private List<RenderOutput> runRender(List<RenderItem> items) {
        RenderOutput out = graphs.render(concat(items, RenderItem::planes), concat(items, RenderItem::ws),
                concat(items, RenderItem::camera));
        List<RenderOutput> rows = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            rows.add(new RenderOutput(out.features().batchItem(i), out.rawRgb().batchItem(i),
                    out.depth().batchItem(i), out.hasOpacity() ? out.opacity().batchItem(i) : null));
        }
        return rows;
    }

    private List<FloatTensor> runSuperResolution(List<SuperResolutionItem> items) {
        FloatTensor rgb = graphs.superResolution(concat(items, SuperResolutionItem::features),
                concat(items, SuperResolutionItem::rawRgb), concat(items, SuperResolutionItem::ws));
        return split(rgb, items.size());
    }

    private static <I, O> List<O> run(DynamicBatcher<I, O> batcher, List<I> items) {
        try {
            return batcher.runAll(items);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batched run", e);
        } catch (Exception e) {
            throw new IllegalStateException("a batched run failed: " + e.getMessage(), e);
        }
    }

    private static <T> FloatTensor concat(List<T> items, Function<T, FloatTensor> part) {
        List<FloatTensor> parts = new ArrayList<>(items.size());
        items.forEach(item -> parts.add(part.apply(item)));
        return FloatTensor.concat(parts);
    }

    private static List<FloatTensor> split(FloatTensor batch, int rows) {
        List<FloatTensor> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            out.add(batch.batchItem(i));
        }
        return out;
    }

    /** One item per row of {@code rows}' leading dimension. */
    private static <I> List<I> items(FloatTensor rows, IntFunction<I> item) {
        int n = (int) rows.dim(0);
        List<I> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(item.apply(i));
        }
        return items;
    }

    @Override
    public void close() {
        synthesis.close();
        render.close();
        superResolution.close();
    }

    @Override
    public String toString() {
        return "batched " + graphs;
    }
}
