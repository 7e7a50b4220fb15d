package org.pv3dfarm.worker.media;

import java.util.List;
import java.util.Objects;
import org.pv3dfarm.worker.RgbImage;

/**
 * A decoded input: one picture for an image, the kept frames for a video (evenly subsampled down to
 * {@link MediaLimits#maxFrames()}).
 *
 * @param type         what the file was
 * @param frames       the pictures, in order (one for an image), all of one size
 * @param frameTimes   each kept frame's presentation time in seconds from the first frame (0 for an image)
 * @param sourceFrames how many frames the file held (1 for an image)
 * @param duration     seconds from the first to past the last frame (0 for an image)
 */
public record DecodedMedia(MediaType type, List<RgbImage> frames, List<Double> frameTimes, int sourceFrames,
                           double duration) {

    public DecodedMedia {
        Objects.requireNonNull(type, "type");
        frames = List.copyOf(frames);
        frameTimes = List.copyOf(frameTimes);
        if (frames.isEmpty() || frames.size() != frameTimes.size()) {
            throw new IllegalArgumentException("need at least one frame and one time per frame, got " + frames.size()
                    + " frames and " + frameTimes.size() + " times");
        }
    }

    public boolean isVideo() {
        return type.isVideo();
    }

    /** The first (for an image: the only) picture. */
    public RgbImage first() {
        return frames.get(0);
    }

    public int width() {
        return first().width();
    }

    public int height() {
        return first().height();
    }
}
