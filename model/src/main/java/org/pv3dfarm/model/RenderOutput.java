package org.pv3dfarm.model;

/**
 * What the render graph returns for a batch of B views at the neural resolution N.
 *
 * @param features the feature image {@code [B, feature_channels, N, N]}, input of super-resolution
 * @param rawRgb the low-resolution RGB {@code [B, 3, N, N]} in [-1, 1]
 * @param depth the expected distance along each pixel's ray {@code [B, 1, N, N]}, world units, clamped into
 *              [ray_start, ray_end]
 * @param opacity the accumulated opacity {@code [B, 1, N, N]} in [0, 1], or null when the export does not
 *                declare an {@code opacity} output (it is not part of the required contract)
 */
public record RenderOutput(FloatTensor features, FloatTensor rawRgb, FloatTensor depth, FloatTensor opacity) {

    public RenderOutput {
        if (features == null || rawRgb == null || depth == null) {
            throw new IllegalArgumentException("features, rawRgb and depth are required");
        }
    }

    public boolean hasOpacity() {
        return opacity != null;
    }
}
