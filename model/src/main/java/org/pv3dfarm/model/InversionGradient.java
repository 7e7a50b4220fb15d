package org.pv3dfarm.model;

import java.util.Map;

/**
 * The inversion gradient graph for a fixed batch b: given w [b, w_dim] (ws = w repeated num_ws times), z_motion
 * [b, motion_dim], t [b], camera [b, 25], a target image [b, 3, O, O] in [-1, 1] and a mask [b, 1, O, O], it returns
 * the per-sample masked pixel MSE {@code loss_i = Σ m·(G(w_i) − target_i)² / Σ m} (as the exporter defines it) and
 * {@code grad_w = ∂loss_i/∂w_i}. The samples are independent, so one Adam state over all b·w_dim values optimises
 * them together.
 *
 * <p>Obtain one from {@link Pv3dModel#inversionGradient(int)}; it stays valid while its model is open.
 */
public final class InversionGradient {

    /** Per-sample loss and its gradient with respect to each sample's w. */
    public record Result(float[] loss, FloatTensor gradW) {

        /** The sum of the per-sample losses. */
        public double totalLoss() {
            double sum = 0;
            for (float l : loss) {
                sum += l;
            }
            return sum;
        }
    }

    private final Pv3dModel model;
    private final GraphSession session;
    private final int batch;
    private final double fidelityDb;

    InversionGradient(Pv3dModel model, GraphSession session, int batch, double fidelityDb) {
        this.model = model;
        this.session = session;
        this.batch = batch;
        this.fidelityDb = fidelityDb;
    }

    /**
     * For a coarse graph, the manifest's {@code fidelity_db} (PSNR of its image against the full one; see
     * {@link InversionOptions#minCoarseFidelityDb()}); NaN when not declared.
     */
    public double fidelityDb() {
        return fidelityDb;
    }

    /** The fixed batch size b of this graph. */
    public int batch() {
        return batch;
    }

    /** One evaluation; every input is shape-checked and converted. */
    public Result run(FloatTensor w, FloatTensor zMotion, FloatTensor t, FloatTensor camera, FloatTensor target,
                      FloatTensor mask) {
        return result(session.run(Map.of("w", w, "z_motion", zMotion, "t", t, "camera", camera, "target", target,
                "mask", mask)));
    }

    /**
     * Binds everything but w, for an optimiser loop: the constant inputs become ORT tensors once and w is written
     * into a direct buffer each step.
     */
    public Problem bind(FloatTensor zMotion, FloatTensor t, FloatTensor camera, FloatTensor target, FloatTensor mask) {
        long[] wShape = {batch, model.manifest().config().wDim()};
        return new Problem(new BoundInputs(session, Map.of("z_motion", zMotion, "t", t, "camera", camera,
                "target", target, "mask", mask), Map.of("w", wShape)));
    }

    /** A mask of ones (every pixel counts) for this batch: [b, 1, O, O]. */
    public FloatTensor fullMask() {
        int o = model.manifest().config().outputResolution();
        return FloatTensor.filled(1f, batch, 1, o, o);
    }

    private static Result result(Map<String, FloatTensor> out) {
        return new Result(out.get("loss").data(), out.get("grad_w"));
    }

    /** An inversion problem with fixed targets; evaluate it at any w. Not thread-safe; close it. */
    public static final class Problem implements AutoCloseable {
        private final BoundInputs inputs;

        private Problem(BoundInputs inputs) {
            this.inputs = inputs;
        }

        /** Loss and gradient at w, given row-major as b·w_dim values. */
        public Result evaluate(float[] w) {
            return result(inputs.run(Map.of("w", w)));
        }

        @Override
        public void close() {
            inputs.close();
        }
    }
}
