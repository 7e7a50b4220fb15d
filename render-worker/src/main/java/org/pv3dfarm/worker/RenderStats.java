package org.pv3dfarm.worker;

import java.time.Duration;

/**
 * Where a job's inference time went, summed over its batches.
 *
 * @param mapping         the mapping network (once per job)
 * @param synthesis       tri-plane synthesis (once per frame)
 * @param render          volume rendering (once per frame and view)
 * @param superResolution super-resolution (once per frame and view)
 * @param batches         batches rendered
 */
public record RenderStats(Duration mapping, Duration synthesis, Duration render, Duration superResolution,
        int batches) {

    /** The inference time in all. */
    public Duration total() {
        return mapping.plus(synthesis).plus(render).plus(superResolution);
    }
}
