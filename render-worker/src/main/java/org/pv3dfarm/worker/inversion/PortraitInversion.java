package org.pv3dfarm.worker.inversion;

import java.util.Objects;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.InversionResult;
import org.pv3dfarm.worker.RgbImage;

/**
 * What inverting one picture found.
 *
 * @param w       the appearance code, [1, w_dim] (the mapping network repeats one w over num_ws)
 * @param render  the model's render of w at the target's camera and motion, [1, 3, O, O]
 * @param psnrDb  {@link Psnr} of that render against the target under the mask
 * @param result  the optimiser's account: losses (initial, best, history), steps, why it stopped
 */
public record PortraitInversion(FloatTensor w, FloatTensor render, double psnrDb, InversionResult result) {

    public PortraitInversion {
        Objects.requireNonNull(w, "w");
        Objects.requireNonNull(render, "render");
        Objects.requireNonNull(result, "result");
    }

    /** w as a plain vector (for latents.json). */
    public float[] wVector() {
        return w.data().clone();
    }

    /** The render as an 8-bit picture. */
    public RgbImage renderImage() {
        long[] s = render.shape();
        return RgbImage.fromSignedUnitChw(render.data(), 0, (int) s[3], (int) s[2]);
    }
}
