package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.List;

/**
 * One camera track of a job; each view becomes one MP4.
 *
 * <p>Angles are radians in the model's convention (EG3D): yaw = pitch = pi/2 looks at the face from the front;
 * yaw grows to the subject's left, pitch grows downwards; both lie in [0, pi].
 *
 * @param trajectory the motion, required
 * @param yaw        for {@code fixed}: the yaw (required); for sweeps and orbits: the centre (default pi/2)
 * @param pitch      for {@code fixed}: the pitch (required); for sweeps and orbits: the centre (default pi/2)
 * @param amplitude  for sweeps and orbits: the half-range in radians, (0, pi/2]; default from the manifest
 * @param cameras    for {@code explicit} only: 25-float cameras (16 cam2world floats, 9 intrinsics floats) or
 *                   16-float cam2world matrices (the model's intrinsics), one per frame or a single one for all
 *                   frames; the rotation part must be orthonormal
 * @param conditioning condition the mapping network on this view's camera frame by frame instead of on the
 *                   model's canonical frontal camera (default false; at most one view of a job)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ViewSpec(Trajectory trajectory, Double yaw, Double pitch, Double amplitude, List<List<Double>> cameras,
        Boolean conditioning) {

    /** Floats in one camera vector. */
    public static final int CAMERA_FLOATS = 25;
    /** Floats in a cam2world matrix given without intrinsics. */
    public static final int CAM2WORLD_FLOATS = 16;

    @JsonCreator
    public ViewSpec {
        cameras = Values.copyNested(cameras);
    }

    /** A view conditioned on the canonical camera (the default). */
    public ViewSpec(Trajectory trajectory, Double yaw, Double pitch, Double amplitude, List<List<Double>> cameras) {
        this(trajectory, yaw, pitch, amplitude, cameras, null);
    }

    /** Whether the mapping network is conditioned on this view's cameras, frame by frame. */
    public boolean conditionsMapping() {
        return Boolean.TRUE.equals(conditioning);
    }

    /** This view, conditioning the mapping network frame by frame on its cameras. */
    public ViewSpec conditioningPerFrame() {
        return new ViewSpec(trajectory, yaw, pitch, amplitude, cameras, true);
    }

    /** An orbit around the frontal view with the manifest's amplitude. */
    public static ViewSpec orbit() {
        return new ViewSpec(Trajectory.ORBIT, null, null, null, null);
    }

    /** A yaw sweep around the frontal view with the manifest's amplitude. */
    public static ViewSpec yawSweep() {
        return new ViewSpec(Trajectory.YAW_SWEEP, null, null, null, null);
    }

    /** A pitch sweep around the frontal view with the manifest's amplitude. */
    public static ViewSpec pitchSweep() {
        return new ViewSpec(Trajectory.PITCH_SWEEP, null, null, null, null);
    }

    /** A still camera. */
    public static ViewSpec fixed(double yaw, double pitch) {
        return new ViewSpec(Trajectory.FIXED, yaw, pitch, null, null);
    }

    /** Explicit cameras (25 or 16 floats each), one per frame or one for all frames. */
    public static ViewSpec explicit(List<float[]> cameras) {
        List<List<Double>> rows = new ArrayList<>(cameras.size());
        for (float[] camera : cameras) {
            List<Double> row = new ArrayList<>(camera.length);
            for (float v : camera) {
                row.add((double) v);
            }
            rows.add(row);
        }
        return new ViewSpec(Trajectory.EXPLICIT, null, null, null, rows);
    }
}
