package org.pv3dfarm.worker;

import java.util.List;
import org.pv3dfarm.protocol.MotionEdit;

/**
 * Applies a {@link MotionEdit} (replace, interpolate, scale the motion code; scale time), in the order its
 * javadoc gives. Code lengths are checked against the model here, since the validator may not know the model.
 */
public final class MotionEdits {

    /** An edited motion: the code and per-frame times (null when the caller's times stand). */
    public record Motion(float[] zMotion, float[] times) {
    }

    private MotionEdits() {
    }

    /**
     * @param times per-frame times to scale, or null for none (then time_scale comes back as scaled plan times:
     *              the caller passes the plan's times when it wants them scaled)
     */
    public static Motion apply(MotionEdit edit, float[] zMotion, float[] times, String field)
            throws InvalidJobException {
        if (edit == null) {
            return new Motion(zMotion, times);
        }
        float[] m = edit.zMotion() == null ? zMotion.clone() : code(edit.zMotion(), zMotion.length,
                field + ".z_motion");
        if (edit.toward() != null) {
            float[] toward = code(edit.toward(), m.length, field + ".toward");
            double amount = edit.amount() == null ? 1.0 : edit.amount();
            for (int i = 0; i < m.length; i++) {
                m[i] += (float) (amount * (toward[i] - m[i]));
            }
        }
        if (edit.scale() != null) {
            for (int i = 0; i < m.length; i++) {
                m[i] *= edit.scale().floatValue();
            }
        }
        float[] t = times;
        if (edit.timeScale() != null && times != null) {
            t = times.clone();
            for (int i = 0; i < t.length; i++) {
                t[i] *= edit.timeScale().floatValue();
            }
        }
        return new Motion(m, t);
    }

    /** An explicit motion code of the model's length. */
    public static float[] code(List<Double> values, int dim, String field) throws InvalidJobException {
        return LatentSampler.code(field, values, dim, "motion_dim", "of this worker");
    }
}
