package org.pv3dfarm.model;

/**
 * A camera direction in EG3D's LookAt angles (radians): yaw around the vertical axis, pitch from the top.
 * {@code yaw = pitch = π/2} is the frontal view; a larger yaw moves the camera towards world +x (the right of
 * the frontal image), a larger pitch moves it down.
 *
 * @param yaw horizontal angle, π/2 frontal
 * @param pitch polar angle from world +y, π/2 level
 */
public record ViewAngle(double yaw, double pitch) {

    /** The frontal view. */
    public static final ViewAngle FRONTAL = new ViewAngle(Math.PI / 2, Math.PI / 2);

    public ViewAngle {
        if (!Double.isFinite(yaw) || !Double.isFinite(pitch)) {
            throw new IllegalArgumentException("view angles must be finite, were " + yaw + ", " + pitch);
        }
    }

    /** The frontal view turned by the given offsets. */
    public static ViewAngle fromFrontal(double yawOffset, double pitchOffset) {
        return new ViewAngle(Math.PI / 2 + yawOffset, Math.PI / 2 + pitchOffset);
    }
}
