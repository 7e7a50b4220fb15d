package org.pv3dfarm.worker;

import java.util.Objects;
import org.pv3dfarm.model.FloatTensor;

/**
 * One identity with one motion, rendered along every view of a {@link CameraPlan}: the unit the
 * {@link FrameRenderer} works in. The identity is either a sampled code {@code z} that the mapping network turns
 * into ws (with {@code truncationPsi}, conditioned as the plan says), or an appearance code {@code w} found by
 * inversion or read from stored latents, broadcast over the model's {@code num_ws} style vectors (the mapping
 * network repeats one w, so one w is the whole identity). Time: the plan's times, or this track's own per-frame
 * times (a reconstructed video's fitted t, or scaled times).
 *
 * @param z             {@code z_dim} floats, or null when {@code w} is given
 * @param w             {@code w_dim} floats, or null when {@code z} is given
 * @param truncationPsi the mapping's truncation (unused with {@code w})
 * @param zMotion       {@code motion_dim} floats
 * @param times         one t per frame of the plan, or null for the plan's
 */
public record ClipTrack(float[] z, float[] w, float truncationPsi, float[] zMotion, float[] times) {

    public ClipTrack {
        if ((z == null) == (w == null)) {
            throw new IllegalArgumentException("a track has either z (mapped) or w (given), not both or neither");
        }
        Objects.requireNonNull(zMotion, "zMotion");
    }

    /** A sampled identity, mapped by the model. */
    public static ClipTrack mapped(float[] z, float truncationPsi, float[] zMotion) {
        return new ClipTrack(z, null, truncationPsi, zMotion, null);
    }

    /** A given appearance code, with its own per-frame times or (null) the plan's. */
    public static ClipTrack ofW(float[] w, float[] zMotion, float[] times) {
        return new ClipTrack(null, w, 1f, zMotion, times);
    }

    /** A generate job's single track. */
    public static ClipTrack of(JobLatents latents) {
        return mapped(latents.z(), latents.truncationPsi(), latents.zMotion());
    }

    public boolean isMapped() {
        return z != null;
    }

    /** A given w as ws {@code [1, numWs, w_dim]}: w repeated, as the mapping network would emit it. */
    public FloatTensor givenWs(int numWs) {
        if (w == null) {
            throw new IllegalStateException("a mapped track has no given w");
        }
        if (numWs < 1) {
            throw new IllegalArgumentException("numWs must be at least 1, was " + numWs);
        }
        float[] data = new float[numWs * w.length];
        for (int i = 0; i < numWs; i++) {
            System.arraycopy(w, 0, data, i * w.length, w.length);
        }
        return FloatTensor.of(data, 1, numWs, w.length);
    }

    /** This track's t at a frame of the plan: its own time, or the plan's. */
    public float time(CameraPlan plan, int frame) {
        return times != null ? times[frame] : plan.times()[frame];
    }
}
