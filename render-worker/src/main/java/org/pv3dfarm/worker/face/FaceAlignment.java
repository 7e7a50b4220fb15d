package org.pv3dfarm.worker.face;

import java.util.Objects;
import org.pv3dfarm.worker.RgbImage;

/**
 * The aligned face crop PV3D's encoder expects: a square around a detected face framed like the model's own frontal
 * renders (an FFHQ/EG3D-style crop, calibrated on our template instead of FFHQ's constants).
 *
 * <p>With e the eyes' midpoint, m the mouth centre and d the eye-to-eye distance (pixels):
 * <pre>
 *   side   = max(|m − e| · EYE_MOUTH_FACTOR, d · EYE_EYE_FACTOR)
 *   centre = e + CENTRE_SHIFT · (m − e)
 * </pre>
 * The factors are those of the mean head ({@link FaceCameraFit#TEMPLATE}) seen by the canonical camera, so a frontal
 * detection's crop reproduces the model's frame: EYE_MOUTH_FACTOR ≈ 3.37 (FFHQ uses 3.6), EYE_EYE_FACTOR ≈ 4.05
 * (FFHQ 4.0), CENTRE_SHIFT ≈ 0.20 (FFHQ 0.1). The max keeps the crop from shrinking when yaw shortens the eye
 * distance or pitch the eye–mouth one. The crop is axis-aligned (roll is not undone) and may reach past the image:
 * outside pixels repeat the border.
 */
public final class FaceAlignment {

    static final double EYE_MOUTH_FACTOR;
    static final double EYE_EYE_FACTOR;
    static final double CENTRE_SHIFT;

    static {
        double[] uv = FaceCameraFit.pv3d().project(0, 0, 4);
        double ex = (uv[0] + uv[2]) / 2, ey = (uv[1] + uv[3]) / 2;
        EYE_MOUTH_FACTOR = 1 / Math.hypot(uv[6] - ex, uv[7] - ey);
        EYE_EYE_FACTOR = 1 / Math.hypot(uv[2] - uv[0], uv[3] - uv[1]);
        CENTRE_SHIFT = (0.5 - ey) / (uv[7] - ey);
    }

    private static final LetterboxResampler BYTES = new LetterboxResampler(0f, 255f, 0f);

    private FaceAlignment() {
    }

    /** The square crop box of a detection, in its image's pixels. */
    public static FaceBox cropBox(Detection detection) {
        Objects.requireNonNull(detection, "detection");
        ImagePoint r = detection.keypoint(FaceKeypoint.RIGHT_EYE);
        ImagePoint l = detection.keypoint(FaceKeypoint.LEFT_EYE);
        ImagePoint m = detection.keypoint(FaceKeypoint.MOUTH_CENTER);
        double ex = (r.x() + l.x()) / 2, ey = (r.y() + l.y()) / 2;
        double side = Math.max(Math.hypot(m.x() - ex, m.y() - ey) * EYE_MOUTH_FACTOR, r.distance(l) * EYE_EYE_FACTOR);
        if (!(side >= 1)) {
            throw new IllegalArgumentException("face keypoints are degenerate (eyes and mouth within a pixel), no crop: "
                    + detection.keypoints());
        }
        return FaceBox.ofCenter(ex + CENTRE_SHIFT * (m.x() - ex), ey + CENTRE_SHIFT * (m.y() - ey), side, side);
    }

    /** The aligned crop of a detection at {@code resolution}² (the model's output resolution). */
    public static RgbImage crop(RgbImage image, Detection detection, int resolution) {
        return crop(image, cropBox(detection), resolution);
    }

    /**
     * {@code box} (square) cut from {@code image}, rounded to whole pixels, border repeated outside, resampled to
     * {@code resolution}² by {@link LetterboxResampler} (antialiased when shrinking).
     */
    public static RgbImage crop(RgbImage image, FaceBox box, int resolution) {
        Objects.requireNonNull(image, "image");
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be at least 1, was " + resolution);
        }
        int side = Math.max(1, (int) Math.round(Math.max(box.width(), box.height())));
        int left = (int) Math.round(box.center().x() - side / 2.0);
        int top = (int) Math.round(box.center().y() - side / 2.0);
        byte[] src = image.rgb();
        byte[] cut = new byte[side * side * 3];
        for (int y = 0; y < side; y++) {
            int sy = Math.min(image.height() - 1, Math.max(0, top + y));
            for (int x = 0; x < side; x++) {
                int sx = Math.min(image.width() - 1, Math.max(0, left + x));
                System.arraycopy(src, (sy * image.width() + sx) * 3, cut, (y * side + x) * 3, 3);
            }
        }
        float[] hwc = BYTES.resample(new RgbImage(side, side, cut), new Letterbox(side, side, resolution));
        byte[] out = new byte[hwc.length];
        for (int i = 0; i < hwc.length; i++) {
            out[i] = (byte) Math.round(Math.min(255f, Math.max(0f, hwc[i])));
        }
        return new RgbImage(resolution, resolution, out);
    }
}
