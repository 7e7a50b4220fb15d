package org.pv3dfarm.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pv3dfarm.model.CameraConvention;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.ClipTime;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Trajectories;
import org.pv3dfarm.model.ViewAngle;
import org.pv3dfarm.protocol.Trajectory;
import org.pv3dfarm.protocol.VideoOutput;
import org.pv3dfarm.protocol.ViewSpec;

/**
 * Stage 2 of a generate job: for every view and frame the 25-float render camera, the job's conditioning camera
 * and every frame's time.
 *
 * <p>Cameras, per {@link ViewSpec} (angles in radians, EG3D LookAt on the manifest's radius, pivot and focal):
 * <ul>
 *   <li>{@code orbit}: {@code yaw_i = yc + ya·sin(2πi/n)}, {@code pitch_i = pc + pa·cos(2πi/n)} with the
 *       manifest's {@code trajectories.orbit} parameters; the view's yaw and pitch replace the centres, and its
 *       amplitude replaces {@code ya} with {@code pa} scaled alike ({@code pa·amplitude/ya}, same ellipse);</li>
 *   <li>{@code yaw_sweep} / {@code pitch_sweep}: the model's sweep ({@link Trajectories#yawSweep},
 *       {@link Trajectories#pitchSweep}) with the view's amplitude or the manifest's, turned so that it centres
 *       on the view's yaw and pitch (default frontal, π/2);</li>
 *   <li>{@code fixed}: the view's yaw and pitch for every frame;</li>
 *   <li>{@code explicit}: the given cameras, one per frame or one held for all; a 16-float camera is a cam2world
 *       matrix and takes the model's intrinsics (those of its canonical camera);</li>
 *   <li>{@code source}: an input video's own cameras ({@link #plan(VideoOutput, List)}, reconstruct jobs): frame i
 *       takes camera {@code i mod n} of the n fitted frames, as it takes their times.</li>
 * </ul>
 * A motion whose pitch would leave [0, π] (over a pole, where LookAt flips) is an invalid job. Conditioning: the
 * manifest's canonical camera, once per job; or, for the view marked {@code conditioning}, that
 * view's camera frame by frame (EG3D's "condition on the render camera"; planes stay shared by all views). Time: {@code t_i = (i mod clip_frames) /
 * (clip_frames − 1)} ({@link ClipTime}), so a clip longer than the model's cycles. Thread-safe.
 */
public final class CameraPlanner {

    private final ModelManifest manifest;
    private final CameraConvention convention;
    /** The 9 intrinsics floats of the model's cameras, for explicit cameras given as cam2world only. */
    private final float[] intrinsics;

    public CameraPlanner(ModelManifest manifest) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.convention = manifest.conventions().camera();
        float[] canonical = convention.canonical();
        this.intrinsics = java.util.Arrays.copyOfRange(canonical, ViewSpec.CAM2WORLD_FLOATS, Cameras.CAMERA_SIZE);
    }

    /** The plan of a request without an input video; throws when a view cannot be drawn for this model. */
    public CameraPlan plan(VideoOutput request) throws InvalidJobException {
        return plan(request, List.of());
    }

    /**
     * The plan of a request whose {@code source} views replay {@code sourceCameras} (25 floats each, the fitted
     * frames' cameras in order); with none given, a source view is an invalid job.
     */
    public CameraPlan plan(VideoOutput request, List<float[]> sourceCameras) throws InvalidJobException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(sourceCameras, "sourceCameras");
        int frames = request.frames();
        if (frames < 1) {
            throw new InvalidJobException("frames", "must be at least 1, was " + frames);
        }
        int clipFrames = manifest.conventions().time().clipFrames();
        float[] times = new float[frames];
        for (int i = 0; i < frames; i++) {
            times[i] = ClipTime.t(i, clipFrames);
        }
        List<ViewPlan> views = new ArrayList<>(request.views().size());
        Integer conditioningView = null;
        for (int v = 0; v < request.views().size(); v++) {
            ViewSpec spec = request.views().get(v);
            views.add(view(v, spec, frames, sourceCameras));
            if (spec.conditionsMapping()) {
                if (conditioningView != null) {
                    throw new InvalidJobException("views[" + v + "].conditioning",
                            "only one view may condition the mapping network");
                }
                conditioningView = v;
            }
        }
        return new CameraPlan(frames, Cameras.canonical(manifest), times, clipFrames, views, conditioningView);
    }

    private ViewPlan view(int index, ViewSpec spec, int frames, List<float[]> sourceCameras)
            throws InvalidJobException {
        String path = "views[" + index + "]";
        if (spec == null || spec.trajectory() == null) {
            throw new InvalidJobException(path + ".trajectory", "is required");
        }
        try {
            return switch (spec.trajectory()) {
                case ORBIT -> orbit(index, spec, frames);
                case YAW_SWEEP, PITCH_SWEEP -> sweep(index, spec, frames);
                case FIXED -> fixed(index, spec, frames, path);
                case EXPLICIT -> explicit(index, spec, frames, path);
                case SOURCE -> source(index, frames, path, sourceCameras);
            };
        } catch (IllegalArgumentException e) {
            // the model's trajectory code refuses parameters the protocol let through (e.g. an amplitude of π/2)
            throw new InvalidJobException(path, "cannot draw this " + spec.trajectory().wireName() + " for model "
                    + manifest.name() + ": " + e.getMessage(), e);
        }
    }

    private ViewPlan orbit(int index, ViewSpec spec, int frames) {
        Map<String, Object> params = declared("orbit");
        double yawCenter = orElse(spec.yaw(), number(params, "yaw_center", Math.PI / 2));
        double pitchCenter = orElse(spec.pitch(), number(params, "pitch_center", Trajectories.ORBIT_PITCH_CENTER));
        double yawAmplitude = number(params, "yaw_amplitude", Trajectories.ORBIT_YAW_AMPLITUDE);
        double pitchAmplitude = number(params, "pitch_amplitude", Trajectories.ORBIT_PITCH_AMPLITUDE);
        if (spec.amplitude() != null) {
            pitchAmplitude = yawAmplitude > 0 ? pitchAmplitude * spec.amplitude() / yawAmplitude : spec.amplitude();
            yawAmplitude = spec.amplitude();
        }
        requirePitchRange(pitchCenter, pitchAmplitude);
        List<ViewAngle> angles = Trajectories.orbit(frames, yawCenter, yawAmplitude, pitchCenter, pitchAmplitude);
        return plan(index, new ViewPlan.Summary(Trajectory.ORBIT.wireName(), yawCenter, pitchCenter, yawAmplitude,
                pitchAmplitude, null), angles);
    }

    private ViewPlan sweep(int index, ViewSpec spec, int frames) {
        boolean yaw = spec.trajectory() == Trajectory.YAW_SWEEP;
        String name = spec.trajectory().wireName();
        double amplitude = orElse(spec.amplitude(), number(declared(name), "amplitude",
                yaw ? Trajectories.YAW_SWEEP_AMPLITUDE : Trajectories.PITCH_SWEEP_AMPLITUDE));
        double yawCenter = orElse(spec.yaw(), ViewAngle.FRONTAL.yaw());
        double pitchCenter = orElse(spec.pitch(), ViewAngle.FRONTAL.pitch());
        requirePitchRange(pitchCenter, yaw ? 0 : amplitude);
        List<ViewAngle> frontal = yaw ? Trajectories.yawSweep(frames, amplitude)
                : Trajectories.pitchSweep(frames, amplitude);
        List<ViewAngle> angles = new ArrayList<>(frames);
        for (ViewAngle angle : frontal) {
            angles.add(new ViewAngle(angle.yaw() + yawCenter - ViewAngle.FRONTAL.yaw(),
                    angle.pitch() + pitchCenter - ViewAngle.FRONTAL.pitch()));
        }
        return plan(index, new ViewPlan.Summary(name, yawCenter, pitchCenter, yaw ? amplitude : null,
                yaw ? null : amplitude, null), angles);
    }

    private ViewPlan fixed(int index, ViewSpec spec, int frames, String path) throws InvalidJobException {
        if (spec.yaw() == null || spec.pitch() == null) {
            throw new InvalidJobException(spec.yaw() == null ? path + ".yaw" : path + ".pitch",
                    "is required for a fixed view");
        }
        List<ViewAngle> angles = Trajectories.fixed(frames, spec.yaw() - ViewAngle.FRONTAL.yaw(),
                spec.pitch() - ViewAngle.FRONTAL.pitch());
        return plan(index, new ViewPlan.Summary(Trajectory.FIXED.wireName(), spec.yaw(), spec.pitch(), null, null,
                null), angles);
    }

    private ViewPlan explicit(int index, ViewSpec spec, int frames, String path) throws InvalidJobException {
        List<List<Double>> given = spec.cameras();
        if (given == null || (given.size() != 1 && given.size() != frames)) {
            throw new InvalidJobException(path + ".cameras", "must hold 1 camera or one per frame (" + frames
                    + "), has " + (given == null ? 0 : given.size()));
        }
        float[] cameras = new float[frames * Cameras.CAMERA_SIZE];
        for (int frame = 0; frame < frames; frame++) {
            int source = given.size() == 1 ? 0 : frame;
            List<Double> camera = given.get(source);
            String at = path + ".cameras[" + source + "]";
            if (camera == null || (camera.size() != Cameras.CAMERA_SIZE && camera.size() != ViewSpec.CAM2WORLD_FLOATS)) {
                throw new InvalidJobException(at, "must hold " + Cameras.CAMERA_SIZE + " numbers (cam2world and "
                        + "intrinsics) or " + ViewSpec.CAM2WORLD_FLOATS + " (cam2world only)");
            }
            if (camera.size() == ViewSpec.CAM2WORLD_FLOATS) {
                // cam2world only: the model's own intrinsics, as its LookAt cameras have them
                System.arraycopy(intrinsics, 0, cameras, frame * Cameras.CAMERA_SIZE + ViewSpec.CAM2WORLD_FLOATS,
                        intrinsics.length);
            }
            for (int k = 0; k < camera.size(); k++) {
                Double value = camera.get(k);
                if (value == null || !Float.isFinite(value.floatValue())) {
                    throw new InvalidJobException(at, "value " + k + " must be a finite number, was " + value);
                }
                cameras[frame * Cameras.CAMERA_SIZE + k] = value.floatValue();
            }
        }
        return new ViewPlan(index, new ViewPlan.Summary(Trajectory.EXPLICIT.wireName(), null, null, null, null,
                given.size()), cameras);
    }

    private static ViewPlan source(int index, int frames, String path, List<float[]> sourceCameras)
            throws InvalidJobException {
        if (sourceCameras.isEmpty()) {
            throw new InvalidJobException(path + ".trajectory", "source replays an input video's cameras: "
                    + "reconstruct jobs only");
        }
        float[] cameras = new float[frames * Cameras.CAMERA_SIZE];
        for (int frame = 0; frame < frames; frame++) {
            float[] camera = sourceCameras.get(frame % sourceCameras.size());
            if (camera.length != Cameras.CAMERA_SIZE) {
                throw new IllegalArgumentException("source camera " + frame % sourceCameras.size() + " has "
                        + camera.length + " floats, not " + Cameras.CAMERA_SIZE);
            }
            System.arraycopy(camera, 0, cameras, frame * Cameras.CAMERA_SIZE, Cameras.CAMERA_SIZE);
        }
        return new ViewPlan(index, new ViewPlan.Summary(Trajectory.SOURCE.wireName(), null, null, null, null,
                sourceCameras.size()), cameras);
    }

    private ViewPlan plan(int index, ViewPlan.Summary summary, List<ViewAngle> angles) {
        float[] cameras = new float[angles.size() * Cameras.CAMERA_SIZE];
        for (int frame = 0; frame < angles.size(); frame++) {
            System.arraycopy(Cameras.lookAt(angles.get(frame), convention), 0, cameras,
                    frame * Cameras.CAMERA_SIZE, Cameras.CAMERA_SIZE);
        }
        return new ViewPlan(index, summary, cameras);
    }

    /** Past a pole (pitch 0 or π) the LookAt camera flips over; a motion must stay between them. */
    private static void requirePitchRange(double center, double amplitude) {
        if (center - Math.abs(amplitude) < -1e-9 || center + Math.abs(amplitude) > Math.PI + 1e-9) {
            throw new IllegalArgumentException("pitch " + center + " +- " + Math.abs(amplitude)
                    + " leaves [0, pi]: the camera would pass over a pole");
        }
    }

    /** The manifest's parameters of a trajectory; empty when it declares none (the model's defaults apply). */
    private Map<String, Object> declared(String trajectory) {
        return manifest.trajectories().getOrDefault(trajectory, Map.of());
    }

    private double number(Map<String, Object> params, String key, double fallback) {
        Object value = params.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new IllegalStateException("model " + manifest.name() + ": trajectory parameter " + key
                    + " must be a finite number, was " + value);
        }
        return n.doubleValue();
    }

    private static double orElse(Double value, double fallback) {
        return value != null ? value : fallback;
    }
}
