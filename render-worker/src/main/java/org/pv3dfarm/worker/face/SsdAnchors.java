package org.pv3dfarm.worker.face;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SSD anchors a MediaPipe detector decodes its boxes against, generated from MediaPipe's anchor options (the
 * {@code SsdAnchorsCalculator} scheme, written here from its documented behaviour).
 *
 * <p>Consecutive layers with the same stride share one feature map of {@code ceil(inputSize / stride)} cells per
 * side. Layer {@code l} has the scale {@code s_l = minScale + (maxScale - minScale) · l / (numLayers - 1)}; per
 * aspect ratio {@code a} it adds an anchor of width {@code s_l·√a} and height {@code s_l/√a}, plus, when
 * {@code interpolatedScaleAspectRatio > 0}, one of scale {@code √(s_l·s_{l+1})} ({@code s_numLayers = 1}) at that
 * ratio. Anchors are emitted row by row, cell by cell, every anchor of the cell in turn, centred at
 * {@code ((x + offsetX) / width, (y + offsetY) / height)} in the normalised input; with {@code fixedAnchorSize}
 * their width and height are 1 (the model's box sizes are then relative to the input, not to the anchor).
 *
 * <p>BlazeFace front (128²): 4 layers, strides 8, 16, 16, 16 → 16×16 cells × 2 anchors + 8×8 × 6 = 896.
 * BlazeFace back (256²): strides 16, 32, 32, 32 → the same 896.
 */
public final class SsdAnchors {

    /** One anchor, in normalised input coordinates (x right, y down, [0, 1]). */
    public record Anchor(float xCenter, float yCenter, float width, float height) {
    }

    /**
     * MediaPipe's anchor options (the subset BlazeFace uses: no reduced lowest layer, square feature maps derived
     * from the strides).
     */
    public record Options(int inputSize, int[] strides, float minScale, float maxScale, float[] aspectRatios,
                          float anchorOffset, float interpolatedScaleAspectRatio, boolean fixedAnchorSize) {

        public Options {
            if (inputSize < 1) {
                throw new IllegalArgumentException("inputSize must be at least 1, was " + inputSize);
            }
            strides = Objects.requireNonNull(strides, "strides").clone();
            aspectRatios = Objects.requireNonNull(aspectRatios, "aspectRatios").clone();
            if (strides.length == 0 || aspectRatios.length == 0) {
                throw new IllegalArgumentException("strides and aspectRatios must not be empty");
            }
            for (int s : strides) {
                if (s < 1) {
                    throw new IllegalArgumentException("strides must be positive, got " + s);
                }
            }
            for (float a : aspectRatios) {
                if (!(a > 0)) {
                    throw new IllegalArgumentException("aspect ratios must be positive, got " + a);
                }
            }
            if (!(minScale > 0 && maxScale >= minScale)) {
                throw new IllegalArgumentException("need 0 < minScale <= maxScale, were " + minScale + ", " + maxScale);
            }
        }

        /** MediaPipe's options for the front (selfie) model, 128×128 input. */
        public static Options blazeFaceFront() {
            return blazeFace(128, new int[] {8, 16, 16, 16});
        }

        /** MediaPipe's options for the back (rear camera) model, 256×256 input. */
        public static Options blazeFaceBack() {
            return blazeFace(256, new int[] {16, 32, 32, 32});
        }

        private static Options blazeFace(int inputSize, int[] strides) {
            return new Options(inputSize, strides, 0.1484375f, 0.75f, new float[] {1f}, 0.5f, 1f, true);
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }

        @Override
        public float[] aspectRatios() {
            return aspectRatios.clone();
        }
    }

    private SsdAnchors() {
    }

    /** The anchors of {@code options}, in the order of the model's outputs. */
    public static List<Anchor> generate(Options options) {
        int[] strides = options.strides();
        float[] ratios = options.aspectRatios();
        int layers = strides.length;
        List<Anchor> anchors = new ArrayList<>();
        int layer = 0;
        while (layer < layers) {
            List<float[]> sizes = new ArrayList<>(); // {width, height} per anchor of a cell
            int next = layer;
            for (; next < layers && strides[next] == strides[layer]; next++) {
                float scale = scale(options, next, layers);
                for (float ratio : ratios) {
                    sizes.add(size(scale, ratio));
                }
                if (options.interpolatedScaleAspectRatio() > 0) {
                    float following = next == layers - 1 ? 1f : scale(options, next + 1, layers);
                    sizes.add(size((float) Math.sqrt(scale * following), options.interpolatedScaleAspectRatio()));
                }
            }
            int cells = (int) Math.ceil((double) options.inputSize() / strides[layer]);
            for (int y = 0; y < cells; y++) {
                for (int x = 0; x < cells; x++) {
                    float cx = (x + options.anchorOffset()) / cells;
                    float cy = (y + options.anchorOffset()) / cells;
                    for (float[] wh : sizes) {
                        anchors.add(options.fixedAnchorSize() ? new Anchor(cx, cy, 1f, 1f)
                                : new Anchor(cx, cy, wh[0], wh[1]));
                    }
                }
            }
            layer = next;
        }
        return List.copyOf(anchors);
    }

    private static float scale(Options o, int layer, int layers) {
        return layers == 1 ? (o.minScale() + o.maxScale()) / 2
                : o.minScale() + (o.maxScale() - o.minScale()) * layer / (layers - 1f);
    }

    private static float[] size(float scale, float ratio) {
        float root = (float) Math.sqrt(ratio);
        return new float[] {scale * root, scale / root};
    }
}
