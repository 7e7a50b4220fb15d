package org.pv3dfarm.worker;

import java.util.Objects;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.model.RenderOutput;

/**
 * The four forward graphs a generate job runs, as the {@link FrameRenderer} sees them. {@link #of(Pv3dModel)}
 * runs them in ONNX Runtime; a test wraps that to count calls and batch sizes, which is how the plane-reuse
 * property (one synthesis per frame, however many views) is checked. Shapes as in {@link Pv3dModel}.
 */
public interface GeneratorGraphs {

    /** z [B, z_dim], c [B, 25], psi → ws [B, num_ws, w_dim]. */
    FloatTensor mapping(FloatTensor z, FloatTensor c, float truncationPsi);

    /** ws, z_motion [B, motion_dim], t [B] → tri-planes [B, 3, C, R, R]. */
    FloatTensor synthesis(FloatTensor ws, FloatTensor zMotion, FloatTensor t);

    /** planes, ws, camera [B, 25] → features, raw RGB and depth at the neural resolution. */
    RenderOutput render(FloatTensor planes, FloatTensor ws, FloatTensor camera);

    /** features, raw_rgb, ws → rgb [B, 3, O, O] in [-1, 1]. */
    FloatTensor superResolution(FloatTensor features, FloatTensor rawRgb, FloatTensor ws);

    /** The model's graphs; the model stays the caller's to close. */
    static GeneratorGraphs of(Pv3dModel model) {
        Objects.requireNonNull(model, "model");
        return new GeneratorGraphs() {
            @Override
            public FloatTensor mapping(FloatTensor z, FloatTensor c, float truncationPsi) {
                return model.mapping(z, c, truncationPsi);
            }

            @Override
            public FloatTensor synthesis(FloatTensor ws, FloatTensor zMotion, FloatTensor t) {
                return model.synthesis(ws, zMotion, t);
            }

            @Override
            public RenderOutput render(FloatTensor planes, FloatTensor ws, FloatTensor camera) {
                return model.render(planes, ws, camera);
            }

            @Override
            public FloatTensor superResolution(FloatTensor features, FloatTensor rawRgb, FloatTensor ws) {
                return model.superResolution(features, rawRgb, ws);
            }

            @Override
            public String toString() {
                return model.toString();
            }
        };
    }
}
