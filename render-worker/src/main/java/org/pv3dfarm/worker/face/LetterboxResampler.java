package org.pv3dfarm.worker.face;

import java.util.Objects;
import org.pv3dfarm.worker.RgbImage;

/**
 * Renders an {@link RgbImage} into its {@link Letterbox} square as a float HWC tensor, each channel mapped to
 * {@code [low, high]} ({@code v / 255 · (high − low) + low}), the padding set to {@code padValue}.
 *
 * <p>Resampling is separable and antialiased: square pixel centre {@code o + 0.5} samples the source at
 * {@code c = (o + 0.5 − offset) / scale} with a triangle filter of radius {@code max(1, 1 / scale)} source pixels
 * over the source pixel centres, weights normalised over the pixels inside the image (bilinear when enlarging, an
 * area-like average when shrinking, so a large photo does not alias into the detector's small input).
 */
public final class LetterboxResampler {

    private final float low;
    private final float high;
    private final float padValue;

    public LetterboxResampler(float low, float high, float padValue) {
        if (!(Float.isFinite(low) && Float.isFinite(high) && Float.isFinite(padValue) && low < high)) {
            throw new IllegalArgumentException("need finite low < high and a finite pad value, were " + low + ", "
                    + high + ", " + padValue);
        }
        this.low = low;
        this.high = high;
        this.padValue = padValue;
    }

    /** {@code size × size × 3} floats, row-major, RGB interleaved (NHWC for a batch of one). */
    public float[] resample(RgbImage image, Letterbox box) {
        Objects.requireNonNull(image, "image");
        if (image.width() != box.sourceWidth() || image.height() != box.sourceHeight()) {
            throw new IllegalArgumentException("letterbox is for " + box.sourceWidth() + "x" + box.sourceHeight()
                    + ", image is " + image.width() + "x" + image.height());
        }
        int size = box.size();
        Taps columns = Taps.of(image.width(), size, box.scale(), box.offsetX());
        Taps rows = Taps.of(image.height(), size, box.scale(), box.offsetY());
        byte[] rgb = image.rgb();
        int w = image.width();
        // Horizontal pass over every source row, then vertical; 8-bit values stay in [0, 255] until the end.
        float[] horizontal = new float[image.height() * size * 3];
        for (int y = 0; y < image.height(); y++) {
            for (int o = 0; o < size; o++) {
                float[] weights = columns.weights[o];
                int first = columns.first[o];
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < weights.length; k++) {
                    int i = (y * w + first + k) * 3;
                    r += weights[k] * (rgb[i] & 0xff);
                    g += weights[k] * (rgb[i + 1] & 0xff);
                    b += weights[k] * (rgb[i + 2] & 0xff);
                }
                int t = (y * size + o) * 3;
                horizontal[t] = r;
                horizontal[t + 1] = g;
                horizontal[t + 2] = b;
            }
        }
        float[] out = new float[size * size * 3];
        float gain = (high - low) / 255f;
        for (int oy = 0; oy < size; oy++) {
            float[] weights = rows.weights[oy];
            int first = rows.first[oy];
            for (int ox = 0; ox < size; ox++) {
                int t = (oy * size + ox) * 3;
                boolean pad = weights.length == 0 || columns.weights[ox].length == 0;
                for (int c = 0; c < 3; c++) {
                    if (pad) {
                        out[t + c] = padValue;
                        continue;
                    }
                    float v = 0;
                    for (int k = 0; k < weights.length; k++) {
                        v += weights[k] * horizontal[((first + k) * size + ox) * 3 + c];
                    }
                    out[t + c] = v * gain + low;
                }
            }
        }
        return out;
    }

    /** Per output pixel of one axis: the first source pixel and the normalised weights (none: padding). */
    private record Taps(int[] first, float[][] weights) {

        static Taps of(int sourceLength, int size, double scale, double offset) {
            int[] first = new int[size];
            float[][] weights = new float[size][];
            double radius = Math.max(1.0, 1.0 / scale);
            for (int o = 0; o < size; o++) {
                double c = (o + 0.5 - offset) / scale;
                if (c < 0 || c > sourceLength) {
                    weights[o] = new float[0];
                    continue;
                }
                int lo = Math.max(0, (int) Math.floor(c - radius - 0.5));
                int hi = Math.min(sourceLength - 1, (int) Math.ceil(c + radius - 0.5));
                float[] w = new float[hi - lo + 1];
                double sum = 0;
                for (int i = lo; i <= hi; i++) {
                    double v = Math.max(0, 1 - Math.abs(i + 0.5 - c) / radius);
                    w[i - lo] = (float) v;
                    sum += v;
                }
                if (sum <= 0) { // c exactly on the border with a radius-1 filter: nearest pixel
                    w = new float[] {1f};
                    lo = Math.min(sourceLength - 1, (int) c);
                    sum = 1;
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= (float) sum;
                }
                first[o] = lo;
                weights[o] = w;
            }
            return new Taps(first, weights);
        }
    }
}
