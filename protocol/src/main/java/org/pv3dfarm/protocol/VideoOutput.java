package org.pv3dfarm.protocol;

import java.util.List;

/**
 * The rendering part of a request that produces video: how many frames at what rate, from which cameras, and
 * which outputs besides the always-written MP4 per view.
 */
public interface VideoOutput {

    int DEFAULT_FRAMES = 16;
    int DEFAULT_FPS = 25;

    /** Frames per view; defaults to {@link #DEFAULT_FRAMES} (the tiny model's clip length). */
    Integer frames();

    /** Frames per second of the MP4; defaults to {@link #DEFAULT_FPS}. */
    Integer fps();

    /** Cameras, one MP4 each, in order; defaults to a single {@link ViewSpec#orbit()}. */
    List<ViewSpec> views();

    /** Extra outputs; defaults to MP4 only. */
    OutputOptions outputs();

    /** Output size in pixels; {@code null} means the model's native resolution, the only one supported now. */
    Integer resolution();

    /** The default camera list. */
    static List<ViewSpec> defaultViews() {
        return List.of(ViewSpec.orbit());
    }
}
