package org.pv3dfarm.worker;

import java.util.Objects;

/**
 * One view's depth at one frame: the expected distance along each pixel's ray in world units, at the model's
 * neural resolution (the render graph's, below the super-resolved image's).
 *
 * @param width  pixels per row
 * @param height rows
 * @param values {@code width * height} floats, row-major; the record keeps the array, do not change it
 */
public record DepthMap(int width, int height, float[] values) {

    public DepthMap {
        Objects.requireNonNull(values, "values");
        if (width < 1 || height < 1 || values.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " depth map needs " + width * height
                    + " values, has " + values.length);
        }
    }
}
