package org.pv3dfarm.worker;

import java.util.List;
import java.util.Objects;

/**
 * What one batch of the {@link FrameRenderer} produced: frames {@code [firstFrame, firstFrame + frameCount)} from
 * every view, ordered by view, then frame (so each view's frames come in clip order).
 *
 * @param firstFrame the first frame of the batch
 * @param frameCount frames in the batch
 * @param views      views per frame
 * @param images     {@code frameCount * views} images
 */
public record RenderedBatch(int firstFrame, int frameCount, int views, List<RenderedFrame> images) {

    public RenderedBatch {
        images = List.copyOf(Objects.requireNonNull(images, "images"));
        if (images.size() != frameCount * views) {
            throw new IllegalArgumentException("a batch of " + frameCount + " frames x " + views + " views needs "
                    + frameCount * views + " images, has " + images.size());
        }
    }

    /** The frame after the batch. */
    public int endFrame() {
        return firstFrame + frameCount;
    }

    /** The image of one view and frame of this batch. */
    public RenderedFrame image(int view, int frame) {
        Objects.checkIndex(view, views);
        Objects.checkIndex(frame - firstFrame, frameCount);
        return images.get(view * frameCount + frame - firstFrame);
    }
}
