package org.pv3dfarm.model;

/**
 * {@code conventions.time} of model.json.
 *
 * @param clipFrames frames of one clip; t runs over [0, 1] across them
 * @param fps frames per second the clips are meant to play at
 * @param rule the rule as text, e.g. {@code t_i = i/(clip_frames-1); longer videos cycle}
 */
public record TimeConvention(int clipFrames, double fps, String rule) {

    public TimeConvention {
        if (clipFrames < 2) {
            throw new IllegalArgumentException("conventions.time.clip_frames must be at least 2, was " + clipFrames);
        }
        if (!(fps > 0)) {
            throw new IllegalArgumentException("conventions.time.fps must be positive, was " + fps);
        }
    }
}
