package org.pv3dfarm.worker;

import java.util.Objects;

/**
 * A depth map encoded as a 16-bit grayscale PNG, with the scale that turns its samples back into distances (to
 * be written beside it, e.g. in the job's manifest; the PNG also carries it in {@code tEXt} chunks).
 *
 * @param png    the PNG file's bytes
 * @param width  pixels
 * @param height pixels
 * @param scale  the mapping between samples and depths
 */
public record DepthPng(byte[] png, int width, int height, DepthScale scale) {

    public DepthPng {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(scale, "scale");
    }
}
