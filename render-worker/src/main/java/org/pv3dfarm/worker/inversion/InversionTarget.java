package org.pv3dfarm.worker.inversion;

import java.util.Objects;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.worker.face.PreparedPortrait;

/**
 * One picture to invert: the target and mask at the model's output resolution, the camera it is seen from, and the
 * motion (z_motion, t) held fixed while w is fitted.
 *
 * @param target  [1, 3, O, O] in [-1, 1]
 * @param mask    [1, 1, O, O], the weight of each pixel in the loss
 * @param camera  the 25-float camera
 * @param zMotion [1, motion_dim]
 * @param t       the frame time in [0, 1]
 */
public record InversionTarget(FloatTensor target, FloatTensor mask, float[] camera, FloatTensor zMotion, float t) {

    public InversionTarget {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(zMotion, "zMotion");
        if (camera.length != Cameras.CAMERA_SIZE) {
            throw new IllegalArgumentException("camera must have " + Cameras.CAMERA_SIZE + " floats, has "
                    + camera.length);
        }
        camera = camera.clone();
    }

    /**
     * A prepared portrait with the model's mean motion code at t = 0: a still photo shows one moment, and the mean
     * code is the neutral one.
     */
    public static InversionTarget of(PreparedPortrait portrait, ModelManifest manifest) {
        return new InversionTarget(portrait.target(), portrait.mask(), portrait.cameraVector(),
                manifest.latentDistribution().zMotion().meanTensor(), 0f);
    }

    @Override
    public float[] camera() {
        return camera.clone();
    }

    FloatTensor cameraTensor() {
        return FloatTensor.of(camera.clone(), 1, Cameras.CAMERA_SIZE);
    }
}
