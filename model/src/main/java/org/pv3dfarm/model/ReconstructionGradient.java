package org.pv3dfarm.model;

import java.util.Map;

/**
 * The reconstruction gradient graph for a fixed number of frames F: one w [1, w_dim] and z_motion
 * [1, motion_dim], per-frame times t [F], cameras [F, 25], target frames [F, 3, O, O] and masks [F, 1, O, O] →
 * the scalar masked pixel loss over all frames and its gradients with respect to w, z_motion and t.
 * Fitting all three reconstructs a video clip as one identity with one motion code.
 *
 * <p>Obtain one from {@link Pv3dModel#reconstructionGradient(int)}.
 */
public final class ReconstructionGradient {

    /** The loss and its gradients. */
    public record Result(float loss, FloatTensor gradW, FloatTensor gradZMotion, FloatTensor gradT) {
    }

    private final Pv3dModel model;
    private final GraphSession session;
    private final int frames;

    ReconstructionGradient(Pv3dModel model, GraphSession session, int frames) {
        this.model = model;
        this.session = session;
        this.frames = frames;
    }

    /** The fixed number of frames F of this graph. */
    public int frames() {
        return frames;
    }

    /** One evaluation; every input is shape-checked and converted. */
    public Result run(FloatTensor w, FloatTensor zMotion, FloatTensor t, FloatTensor cameras, FloatTensor targets,
                      FloatTensor masks) {
        return result(session.run(Map.of("w", w, "z_motion", zMotion, "t", t, "cameras", cameras, "targets", targets,
                "masks", masks)));
    }

    /** Binds the cameras, targets and masks; w, z_motion and t are given per evaluation. */
    public Problem bind(FloatTensor cameras, FloatTensor targets, FloatTensor masks) {
        ModelConfig config = model.manifest().config();
        return new Problem(new BoundInputs(session, Map.of("cameras", cameras, "targets", targets, "masks", masks),
                Map.of("w", new long[] {1, config.wDim()}, "z_motion", new long[] {1, config.motionDim()},
                        "t", new long[] {frames})));
    }

    private static Result result(Map<String, FloatTensor> out) {
        float[] loss = out.get("loss").data();
        if (loss.length != 1) {
            throw new IllegalStateException("reconstruction loss must be a scalar, has " + loss.length + " values");
        }
        return new Result(loss[0], out.get("grad_w"), out.get("grad_z_motion"), out.get("grad_t"));
    }

    /** A reconstruction problem with fixed targets. Not thread-safe; close it. */
    public static final class Problem implements AutoCloseable {
        private final BoundInputs inputs;

        private Problem(BoundInputs inputs) {
            this.inputs = inputs;
        }

        /** Loss and gradients at (w [w_dim], z_motion [motion_dim], t [F]). */
        public Result evaluate(float[] w, float[] zMotion, float[] t) {
            return result(inputs.run(Map.of("w", w, "z_motion", zMotion, "t", t)));
        }

        @Override
        public void close() {
            inputs.close();
        }
    }
}
