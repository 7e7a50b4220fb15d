package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Outputs written besides the MP4 per view, which is always written.
 *
 * @param pngFrames also upload every frame as PNG under the job's frames prefix (default false)
 * @param depth     also upload the depth map of every frame as 16-bit PNG under the depth prefix (default false)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutputOptions(Boolean pngFrames, Boolean depth) {

    /** MP4 only. */
    public static final OutputOptions MP4_ONLY = new OutputOptions(false, false);

    public OutputOptions {
        pngFrames = Values.orDefault(pngFrames, false);
        depth = Values.orDefault(depth, false);
    }
}
