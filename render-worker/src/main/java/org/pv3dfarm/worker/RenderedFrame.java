package org.pv3dfarm.worker;

import java.util.Objects;

/**
 * One rendered image of a job: frame {@code frame} seen from view {@code view}.
 *
 * @param frame the frame index in the clip
 * @param view  the view index in the request
 * @param image the super-resolved picture, 8-bit RGB
 * @param depth its depth map, or {@code null} when depth was not asked for
 */
public record RenderedFrame(int frame, int view, RgbImage image, DepthMap depth) {

    public RenderedFrame {
        Objects.requireNonNull(image, "image");
        if (frame < 0 || view < 0) {
            throw new IllegalArgumentException("frame and view must be >= 0, were " + frame + ", " + view);
        }
    }
}
