package org.pv3dfarm.worker.face;

import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.worker.RgbImage;

/**
 * A square, rotated crop of a picture that frames a face as the model renders it at the estimated camera: the
 * similarity {@link FaceCameraFit} found maps the model's normalised image coordinates uv ∈ [0, 1]² onto the photo,
 * {@code p = side · R(roll) · (uv − 0.5) + centre} (pixels, y down, R the rotation by roll). Sampling the photo at
 * p for every output pixel centre uv = ((i + ½)/O, (j + ½)/O) gives an O × O crop with the detected keypoints where
 * the template's lie in the render, and with roll undone (a LookAt camera has none). FFHQ/EG3D align the same way
 * (a similarity from landmarks to a fixed frame), with our template's frame instead of FFHQ's constants.
 *
 * <p>Each output pixel averages k × k bilinear samples spread over its footprint, k = ⌈side / O⌉ (at most
 * {@value #MAX_SUPERSAMPLING}), so shrinking does not alias. Samples outside the photo repeat its border, and the
 * fraction of samples inside it is the pixel's {@linkplain Cut#coverage() coverage}: the loss mask, so that
 * invented border pixels do not count.
 *
 * @param centreX photo x of the crop's centre (uv = (0.5, 0.5))
 * @param centreY photo y of the crop's centre
 * @param side    the crop's side in photo pixels
 * @param roll    the crop's rotation (radians, {@link FaceCamera#roll()} convention)
 */
public record AlignedCrop(double centreX, double centreY, double side, double roll) {

    static final int MAX_SUPERSAMPLING = 8;

    public AlignedCrop {
        if (!Double.isFinite(centreX) || !Double.isFinite(centreY) || !Double.isFinite(roll) || !(side >= 1)
                || Double.isInfinite(side)) {
            throw new IllegalArgumentException("a crop needs a finite centre and roll and a side of at least 1 pixel,"
                    + " was (" + centreX + ", " + centreY + "), side " + side + ", roll " + roll);
        }
    }

    /** The crop of a camera estimate: its similarity (scale, roll, offset). */
    public static AlignedCrop of(FaceCamera camera) {
        return new AlignedCrop(camera.offsetX(), camera.offsetY(), camera.scale(), camera.roll());
    }

    /** The cut picture and the fraction of each pixel's samples that fell inside the photo. */
    public record Cut(RgbImage image, float[] coverage) {

        /** The picture as a model target [1, 3, O, O] in [-1, 1] ({@code v / 127.5 − 1}). */
        public FloatTensor target() {
            int w = image.width();
            int plane = w * image.height();
            float[] chw = new float[3 * plane];
            byte[] rgb = image.rgb();
            for (int i = 0; i < plane; i++) {
                for (int c = 0; c < 3; c++) {
                    chw[c * plane + i] = (rgb[3 * i + c] & 0xff) / 127.5f - 1f;
                }
            }
            return FloatTensor.of(chw, 1, 3, image.height(), w);
        }

        /** The coverage as a loss mask [1, 1, O, O]. */
        public FloatTensor mask() {
            return FloatTensor.of(coverage.clone(), 1, 1, image.height(), image.width());
        }
    }

    /** Where output pixel centre uv (normalised) lies in the photo: [x, y]. */
    public double[] toPhoto(double u, double v) {
        double c = Math.cos(roll), s = Math.sin(roll);
        double x = (u - 0.5) * side, y = (v - 0.5) * side;
        return new double[] {centreX + c * x - s * y, centreY + s * x + c * y};
    }

    /** The crop of {@code photo} at {@code resolution}². */
    public Cut cut(RgbImage photo, int resolution) {
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be at least 1, was " + resolution);
        }
        int k = Math.max(1, Math.min(MAX_SUPERSAMPLING, (int) Math.ceil(side / resolution)));
        byte[] out = new byte[resolution * resolution * 3];
        float[] coverage = new float[resolution * resolution];
        double[] sum = new double[3];
        for (int j = 0; j < resolution; j++) {
            for (int i = 0; i < resolution; i++) {
                sum[0] = sum[1] = sum[2] = 0;
                int inside = 0;
                for (int b = 0; b < k; b++) {
                    for (int a = 0; a < k; a++) {
                        double[] p = toPhoto((i + (a + 0.5) / k) / resolution, (j + (b + 0.5) / k) / resolution);
                        if (p[0] >= 0 && p[0] <= photo.width() && p[1] >= 0 && p[1] <= photo.height()) {
                            inside++;
                        }
                        bilinear(photo, p[0] - 0.5, p[1] - 0.5, sum);
                    }
                }
                int at = j * resolution + i;
                for (int c = 0; c < 3; c++) {
                    out[3 * at + c] = (byte) Math.round(Math.min(255, Math.max(0, sum[c] / (k * k))));
                }
                coverage[at] = (float) inside / (k * k);
            }
        }
        return new Cut(new RgbImage(resolution, resolution, out), coverage);
    }

    /** Adds the bilinear sample at pixel-index coordinates (x, y) (border repeated) to {@code sum}. */
    private static void bilinear(RgbImage photo, double x, double y, double[] sum) {
        int w = photo.width(), h = photo.height();
        double cx = Math.min(w - 1, Math.max(0, x)), cy = Math.min(h - 1, Math.max(0, y));
        int x0 = (int) Math.floor(cx), y0 = (int) Math.floor(cy);
        int x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
        double fx = cx - x0, fy = cy - y0;
        byte[] rgb = photo.rgb();
        for (int c = 0; c < 3; c++) {
            double top = (rgb[(y0 * w + x0) * 3 + c] & 0xff) * (1 - fx) + (rgb[(y0 * w + x1) * 3 + c] & 0xff) * fx;
            double bottom = (rgb[(y1 * w + x0) * 3 + c] & 0xff) * (1 - fx) + (rgb[(y1 * w + x1) * 3 + c] & 0xff) * fx;
            sum[c] += top * (1 - fy) + bottom * fy;
        }
    }
}
