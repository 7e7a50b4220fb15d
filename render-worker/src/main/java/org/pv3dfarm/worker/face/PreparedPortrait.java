package org.pv3dfarm.worker.face;

import java.util.Objects;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.worker.RgbImage;

/**
 * A face ready for inversion: what was detected, the camera estimated from it, the aligned crop at the model's
 * output resolution O, and that crop as the inversion's target and mask.
 *
 * @param detection the face used (in the source picture's pixels); for a smoothed video frame whose own detection
 *                  failed, the nearest frame's
 * @param camera    the camera estimate; {@link FaceCamera#camera()} is the 25-float camera to render and invert with
 * @param crop      where the crop lies in the source picture
 * @param image     the crop, O × O
 * @param target    the crop as [1, 3, O, O] in [-1, 1]
 * @param mask      [1, 1, O, O]: 1 where the crop lies inside the source picture, 0 where its border was repeated
 */
public record PreparedPortrait(Detection detection, FaceCamera camera, AlignedCrop crop, RgbImage image,
                               FloatTensor target, FloatTensor mask) {

    public PreparedPortrait {
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(crop, "crop");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mask, "mask");
    }

    /** The 25-float camera (cam2world 4×4 then intrinsics 3×3, PV3D's convention). */
    public float[] cameraVector() {
        return camera.camera();
    }

    /** The camera as a [1, 25] tensor. */
    public FloatTensor cameraTensor() {
        return FloatTensor.of(camera.camera(), 1, camera.camera().length);
    }

    /** The fraction of the crop that lies inside the source picture. */
    public double coverage() {
        double sum = 0;
        for (float m : mask.data()) {
            sum += m;
        }
        return sum / mask.data().length;
    }
}
