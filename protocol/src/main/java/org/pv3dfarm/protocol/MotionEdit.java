package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A change to a job's motion before it is rendered, shared by reconstruct, retarget and edit. Applied in this
 * order to the motion code {@code m} and every frame's time {@code t}:
 * <ol>
 *   <li>replace: {@code m = z_motion} when given;</li>
 *   <li>interpolate: {@code m = m + amount·(toward − m)} when {@code toward} is given (0 keeps m, 1 is toward,
 *       values outside [0, 1] extrapolate, within [-1, 2]);</li>
 *   <li>scale: {@code m = scale·m} (default 1; 0 is the model's neutral code);</li>
 *   <li>time: {@code t = time_scale·t} (default 1): a larger range exaggerates the motion along time.</li>
 * </ol>
 *
 * @param zMotion   replacement motion code (length {@code motion_dim})
 * @param toward    the code to interpolate toward (length {@code motion_dim}); needs {@code amount}
 * @param amount    interpolation factor, with {@code toward}
 * @param scale     factor on the motion code, within [-4, 4]
 * @param timeScale factor on the time of every frame, within (0, 4]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MotionEdit(List<Double> zMotion, List<Double> toward, Double amount, Double scale, Double timeScale) {

    public static final double MAX_SCALE = 4.0;
    public static final double MIN_AMOUNT = -1.0;
    public static final double MAX_AMOUNT = 2.0;
    public static final double MAX_TIME_SCALE = 4.0;

    public MotionEdit {
        zMotion = Values.copyOrNull(zMotion);
        toward = Values.copyOrNull(toward);
    }

    /** Only a factor on the motion code. */
    public static MotionEdit scaled(double factor) {
        return new MotionEdit(null, null, null, factor, null);
    }
}
