package org.pv3dfarm.worker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.RenderOutput;

/** Real graphs, with every call and its batch size recorded: the seam through which plane reuse is checked. */
final class CountingGraphs implements GeneratorGraphs {

    enum Graph { MAPPING, SYNTHESIS, RENDER, SUPER_RESOLUTION }

    record Call(Graph graph, int batch) {
    }

    private final GeneratorGraphs real;
    private final Runnable beforeRender;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    CountingGraphs(GeneratorGraphs real) {
        this(real, () -> { });
    }

    /** @param beforeRender runs on the calling thread before each render call (to hold a run in its lane) */
    CountingGraphs(GeneratorGraphs real, Runnable beforeRender) {
        this.real = real;
        this.beforeRender = beforeRender;
    }

    /** Calls of one graph, in order. */
    List<Call> calls(Graph graph) {
        return calls.stream().filter(c -> c.graph() == graph).toList();
    }

    /** Items (batch rows) one graph processed in all. */
    int items(Graph graph) {
        return calls(graph).stream().mapToInt(Call::batch).sum();
    }

    @Override
    public FloatTensor mapping(FloatTensor z, FloatTensor c, float truncationPsi) {
        calls.add(new Call(Graph.MAPPING, (int) z.dim(0)));
        return real.mapping(z, c, truncationPsi);
    }

    @Override
    public FloatTensor synthesis(FloatTensor ws, FloatTensor zMotion, FloatTensor t) {
        calls.add(new Call(Graph.SYNTHESIS, (int) ws.dim(0)));
        return real.synthesis(ws, zMotion, t);
    }

    @Override
    public RenderOutput render(FloatTensor planes, FloatTensor ws, FloatTensor camera) {
        calls.add(new Call(Graph.RENDER, (int) camera.dim(0)));
        beforeRender.run();
        return real.render(planes, ws, camera);
    }

    @Override
    public FloatTensor superResolution(FloatTensor features, FloatTensor rawRgb, FloatTensor ws) {
        calls.add(new Call(Graph.SUPER_RESOLUTION, (int) features.dim(0)));
        return real.superResolution(features, rawRgb, ws);
    }
}
