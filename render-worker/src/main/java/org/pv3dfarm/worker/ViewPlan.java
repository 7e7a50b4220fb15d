package org.pv3dfarm.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;
import java.util.Objects;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;

/**
 * The render cameras of one view: one 25-float camera per frame.
 *
 * @param index   the view's place in the request (and its video)
 * @param summary how the cameras were made, for the job's manifest
 * @param cameras {@code frames * 25} floats, frame-major; the record keeps the array, do not change it
 */
public record ViewPlan(int index, Summary summary, float[] cameras) {

    /**
     * The parameters a view's cameras were drawn with (angles in radians, EG3D convention); absent values do not
     * apply to the trajectory.
     *
     * @param trajectory      the trajectory's wire name ({@code orbit}, {@code yaw_sweep}...)
     * @param yawCenter       yaw of the fixed camera or the centre of the motion
     * @param pitchCenter     pitch of the fixed camera or the centre of the motion
     * @param yawAmplitude    half-range of the yaw motion
     * @param pitchAmplitude  half-range of the pitch motion
     * @param explicitCameras for {@code explicit}: how many cameras the request gave (1 = held for every frame);
     *                        for {@code source}: how many fitted frames' cameras the view cycles through
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String trajectory, Double yawCenter, Double pitchCenter, Double yawAmplitude,
            Double pitchAmplitude, Integer explicitCameras) {

        public Summary {
            Objects.requireNonNull(trajectory, "trajectory");
        }
    }

    public ViewPlan {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(cameras, "cameras");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        if (cameras.length == 0 || cameras.length % Cameras.CAMERA_SIZE != 0) {
            throw new IllegalArgumentException("cameras must hold a positive multiple of " + Cameras.CAMERA_SIZE
                    + " floats, holds " + cameras.length);
        }
    }

    public int frames() {
        return cameras.length / Cameras.CAMERA_SIZE;
    }

    /** The camera of one frame (a copy). */
    public float[] camera(int frame) {
        Objects.checkIndex(frame, frames());
        return Arrays.copyOfRange(cameras, frame * Cameras.CAMERA_SIZE, (frame + 1) * Cameras.CAMERA_SIZE);
    }

    /** The cameras of frames {@code [from, to)} as a {@code [to - from, 25]} tensor. */
    public FloatTensor cameras(int from, int to) {
        Objects.checkFromToIndex(from, to, frames());
        return FloatTensor.of(Arrays.copyOfRange(cameras, from * Cameras.CAMERA_SIZE, to * Cameras.CAMERA_SIZE),
                to - from, Cameras.CAMERA_SIZE);
    }
}
