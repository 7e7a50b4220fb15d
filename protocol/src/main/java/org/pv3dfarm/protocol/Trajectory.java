package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a view's camera moves over the clip; the worker takes the motion parameters from the model manifest. */
public enum Trajectory {
    /** Circle around the head at the given pitch. */
    ORBIT("orbit"),
    /** Swing left and right around the given yaw. */
    YAW_SWEEP("yaw_sweep"),
    /** Nod up and down around the given pitch. */
    PITCH_SWEEP("pitch_sweep"),
    /** One camera at the given yaw and pitch for every frame. */
    FIXED("fixed"),
    /** Cameras given as 25-float vectors: one for every frame, or a single one for all frames. */
    EXPLICIT("explicit"),
    /**
     * The input video's own cameras, as estimated frame by frame (reconstruct jobs only): output frame i takes the
     * camera of fitted frame {@code i mod fit_frames}, as it takes that frame's time, so the render replays the
     * video's head pose next to its motion.
     */
    SOURCE("source");

    private final String wireName;

    Trajectory(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
