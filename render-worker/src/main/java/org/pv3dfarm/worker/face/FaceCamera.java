package org.pv3dfarm.worker.face;

import java.util.Objects;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.ViewAngle;

/**
 * The PV3D camera {@link FaceCameraFit} estimated from a face's 2D keypoints.
 *
 * <p>{@code angle} is the LookAt camera's position on the sphere ({@link ViewAngle}: yaw = pitch = π/2 is
 * frontal); {@code camera} is its 25-float vector ({@link Cameras#lookAt}), the one PV3D is conditioned on. A LookAt
 * camera has no roll, so the in-plane rotation the fit also finds is reported apart ({@code roll}, radians, positive
 * turning the face clockwise in the image, y down) with the similarity the template was mapped by:
 * {@code pixel = scale · R(roll) · (uv − 0.5) + (offsetX, offsetY)} for normalised template projections {@code uv}.
 * {@code rmsPixels} is the weighted root-mean-square keypoint residual, a quality figure.
 */
public record FaceCamera(ViewAngle angle, double roll, double scale, double offsetX, double offsetY,
                         double rmsPixels, float[] camera) {

    public FaceCamera {
        Objects.requireNonNull(angle, "angle");
        if (camera.length != Cameras.CAMERA_SIZE) {
            throw new IllegalArgumentException("camera must have " + Cameras.CAMERA_SIZE + " floats");
        }
        camera = camera.clone();
    }

    /** Yaw from frontal (radians; positive: the camera moves towards world +x, {@link ViewAngle} convention). */
    public double yawOffset() {
        return angle.yaw() - Math.PI / 2;
    }

    /** Pitch from frontal (radians, {@link ViewAngle} convention). */
    public double pitchOffset() {
        return angle.pitch() - Math.PI / 2;
    }

    @Override
    public float[] camera() {
        return camera.clone();
    }
}
