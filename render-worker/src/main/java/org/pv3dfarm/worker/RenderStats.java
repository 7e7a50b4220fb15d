package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.List;

/**
 * Where a job's inference time went, summed over its batches.
 *
 * @param mapping         the mapping network (once per job)
 * @param synthesis       tri-plane synthesis (once per frame)
 * @param render          volume rendering (once per frame and view)
 * @param superResolution super-resolution (once per frame and view)
 * @param batches         batches rendered
 * @param trackW          each track's w (frame 0's when mapped frame by frame), for the stored latents
 */
public record RenderStats(Duration mapping, Duration synthesis, Duration render, Duration superResolution,
        int batches, List<float[]> trackW) {

    public RenderStats {
        trackW = trackW == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(trackW));
    }

    /** Figures without track codes. */
    public RenderStats(Duration mapping, Duration synthesis, Duration render, Duration superResolution, int batches) {
        this(mapping, synthesis, render, superResolution, batches, List.of());
    }

    /** The inference time in all. */
    public Duration total() {
        return mapping.plus(synthesis).plus(render).plus(superResolution);
    }
}
