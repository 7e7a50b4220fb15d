package org.pv3dfarm.model;

/**
 * Frame times: PV3D generates clips of {@code clip_frames} frames with {@code t_i = i / (clip_frames − 1)}, so a
 * clip spans t ∈ [0, 1]; a longer video cycles, frame i taking the time of frame {@code i mod clip_frames}.
 */
public final class ClipTime {

    private ClipTime() {
    }

    /** The time of frame {@code frame} (≥ 0) for clips of {@code clipFrames} (≥ 2) frames. */
    public static float t(int frame, int clipFrames) {
        if (clipFrames < 2) {
            throw new IllegalArgumentException("clipFrames must be at least 2, was " + clipFrames);
        }
        if (frame < 0) {
            throw new IllegalArgumentException("frame index must not be negative, was " + frame);
        }
        return (float) ((double) (frame % clipFrames) / (clipFrames - 1));
    }

    /** The times of frames 0..frames−1 as a [frames] tensor. */
    public static FloatTensor times(int frames, int clipFrames) {
        float[] t = new float[frames];
        for (int i = 0; i < frames; i++) {
            t[i] = t(i, clipFrames);
        }
        return FloatTensor.of(t, frames);
    }

    /** The times under a model's convention. */
    public static FloatTensor times(int frames, TimeConvention convention) {
        return times(frames, convention.clipFrames());
    }
}
