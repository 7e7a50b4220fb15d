package org.pv3dfarm.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Camera paths over a video as view angles per frame; turn them into cameras with {@link Cameras#cameras}.
 * Every periodic path closes on itself: frame n would equal frame 0, so a looped video does not jump.
 */
public final class Trajectories {

    /** PV3D's demo orbit: yaw amplitude 0.35 rad, pitch amplitude 0.25 rad around a pitch 0.05 rad above level. */
    public static final double ORBIT_YAW_AMPLITUDE = 0.35;
    public static final double ORBIT_PITCH_AMPLITUDE = 0.25;
    public static final double ORBIT_PITCH_CENTER = Math.PI / 2 - 0.05;
    /** The exporter's default sweep amplitudes (model.json {@code trajectories}). */
    public static final double YAW_SWEEP_AMPLITUDE = 0.5;
    public static final double PITCH_SWEEP_AMPLITUDE = 0.25;

    private Trajectories() {
    }

    /**
     * PV3D's demo orbit over n frames: {@code yaw_i = π/2 + 0.35·sin(2πi/n)},
     * {@code pitch_i = π/2 − 0.05 + 0.25·cos(2πi/n)}.
     */
    public static List<ViewAngle> orbit(int frames) {
        return orbit(frames, Math.PI / 2, ORBIT_YAW_AMPLITUDE, ORBIT_PITCH_CENTER, ORBIT_PITCH_AMPLITUDE);
    }

    /** An orbit: {@code yaw_i = yawCenter + yawAmplitude·sin(2πi/n)}, {@code pitch_i = pitchCenter + pitchAmplitude·cos(2πi/n)}. */
    public static List<ViewAngle> orbit(int frames, double yawCenter, double yawAmplitude, double pitchCenter,
                                        double pitchAmplitude) {
        checkFrames(frames);
        List<ViewAngle> angles = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            double phase = 2 * Math.PI * i / frames;
            angles.add(new ViewAngle(yawCenter + yawAmplitude * Math.sin(phase),
                    pitchCenter + pitchAmplitude * Math.cos(phase)));
        }
        return angles;
    }

    /** A side-to-side sweep at level pitch: {@code yaw_i = π/2 + amplitude·sin(2πi/n)}. */
    public static List<ViewAngle> yawSweep(int frames, double amplitude) {
        checkAmplitude(amplitude);
        return orbit(frames, Math.PI / 2, amplitude, Math.PI / 2, 0);
    }

    /** An up-and-down sweep at frontal yaw: {@code pitch_i = π/2 + amplitude·sin(2πi/n)}. */
    public static List<ViewAngle> pitchSweep(int frames, double amplitude) {
        checkAmplitude(amplitude);
        checkFrames(frames);
        List<ViewAngle> angles = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            angles.add(new ViewAngle(Math.PI / 2, Math.PI / 2 + amplitude * Math.sin(2 * Math.PI * i / frames)));
        }
        return angles;
    }

    /** One view, the frontal one turned by the offsets, held for n frames. */
    public static List<ViewAngle> fixed(int frames, double yawOffset, double pitchOffset) {
        checkFrames(frames);
        return Collections.nCopies(frames, ViewAngle.fromFrontal(yawOffset, pitchOffset));
    }

    /**
     * A trajectory the manifest declares under {@code trajectories}, with its parameters: {@code orbit}
     * (yaw_center, yaw_amplitude, pitch_center, pitch_amplitude), {@code yaw_sweep} and {@code pitch_sweep}
     * (amplitude). Missing parameters take the PV3D defaults above.
     *
     * @throws IllegalArgumentException for a name the manifest does not declare or this class cannot draw
     */
    public static List<ViewAngle> named(ModelManifest manifest, String name, int frames) {
        Map<String, Object> params = manifest.trajectories().get(name);
        if (params == null) {
            throw new IllegalArgumentException("model " + manifest.name() + " declares no trajectory '" + name
                    + "'; it declares " + manifest.trajectories().keySet());
        }
        return switch (name) {
            case "orbit" -> orbit(frames, number(params, "yaw_center", Math.PI / 2),
                    number(params, "yaw_amplitude", ORBIT_YAW_AMPLITUDE),
                    number(params, "pitch_center", ORBIT_PITCH_CENTER),
                    number(params, "pitch_amplitude", ORBIT_PITCH_AMPLITUDE));
            case "yaw_sweep" -> yawSweep(frames, number(params, "amplitude", YAW_SWEEP_AMPLITUDE));
            case "pitch_sweep" -> pitchSweep(frames, number(params, "amplitude", PITCH_SWEEP_AMPLITUDE));
            default -> throw new IllegalArgumentException("trajectory '" + name + "' of model " + manifest.name()
                    + " has no Java implementation (known: orbit, yaw_sweep, pitch_sweep)");
        };
    }

    private static double number(Map<String, Object> params, String key, double fallback) {
        Object v = params.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("trajectory parameter " + key + " must be a number, was " + v);
        }
        return n.doubleValue();
    }

    private static void checkAmplitude(double amplitude) {
        // π/2 is allowed (the protocol's bound): a pitch sweep then reaches the poles, where LookAt clamps
        if (!(amplitude >= 0) || amplitude > Math.PI / 2) {
            throw new IllegalArgumentException("sweep amplitude must be in [0, π/2], was " + amplitude);
        }
    }

    private static void checkFrames(int frames) {
        if (frames <= 0) {
            throw new IllegalArgumentException("a trajectory needs at least one frame, asked for " + frames);
        }
    }
}
