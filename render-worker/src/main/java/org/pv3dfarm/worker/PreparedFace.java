package org.pv3dfarm.worker;

import java.util.Objects;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;

/**
 * One face ready for inversion: the aligned crop as the model's output image, and the camera it was seen from.
 *
 * @param target [1, 3, O, O] RGB in [-1, 1] (O the model's output resolution)
 * @param mask   [1, 1, O, O], 1 where the loss counts
 * @param camera the estimated 25-float camera (cam2world and intrinsics, the model's convention)
 * @param image  the crop as 8-bit RGB (the target before scaling), for the job's outputs
 */
public record PreparedFace(FloatTensor target, FloatTensor mask, float[] camera, RgbImage image) {

    public PreparedFace {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(image, "image");
        if (camera == null || camera.length != Cameras.CAMERA_SIZE) {
            throw new IllegalArgumentException("camera must hold " + Cameras.CAMERA_SIZE + " floats");
        }
        if (target.rank() != 4 || target.dim(0) != 1 || target.dim(1) != 3) {
            throw new IllegalArgumentException("target must be [1, 3, O, O]");
        }
    }

    /** The crop's side O. */
    public int resolution() {
        return (int) target.dim(3);
    }
}
