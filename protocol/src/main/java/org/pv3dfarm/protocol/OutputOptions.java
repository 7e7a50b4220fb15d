package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Outputs written besides the MP4 per view, which is always written. {@link JobValidator} checks them against
 * the request (a grid needs two views or more, mesh frames must exist).
 *
 * @param pngFrames     also upload every frame as PNG under the job's frames prefix (default false)
 * @param depth         also upload the depth map of every frame as 16-bit PNG under the depth prefix, with the
 *                      scale in the manifest (default false)
 * @param grid          also write one MP4 with every view tiled in a grid, row-major in view order (default
 *                      false; needs at least two views)
 * @param preview       also write a thumbnail PNG (first frame of the first view) and a short looping animation
 *                      of the first view (default false)
 * @param previewFormat the animation's format, {@code gif} (default) or {@code webp}
 * @param mesh          also extract meshes from the model's density at chosen frames; absent: none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutputOptions(Boolean pngFrames, Boolean depth, Boolean grid, Boolean preview,
        PreviewFormat previewFormat, MeshOptions mesh) {

    /** MP4 only. */
    public static final OutputOptions MP4_ONLY = new OutputOptions(false, false);

    @JsonCreator
    public OutputOptions {
        pngFrames = Values.orDefault(pngFrames, false);
        depth = Values.orDefault(depth, false);
        grid = Values.orDefault(grid, false);
        preview = Values.orDefault(preview, false);
        previewFormat = Values.orDefault(previewFormat, PreviewFormat.GIF);
    }

    /** PNG frames and depth maps only, as before grids, previews and meshes existed. */
    public OutputOptions(Boolean pngFrames, Boolean depth) {
        this(pngFrames, depth, null, null, null, null);
    }

    public OutputOptions withGrid(boolean value) {
        return new OutputOptions(pngFrames, depth, value, preview, previewFormat, mesh);
    }

    public OutputOptions withPreview(PreviewFormat format) {
        return new OutputOptions(pngFrames, depth, grid, format != null, format, mesh);
    }

    public OutputOptions withMesh(MeshOptions value) {
        return new OutputOptions(pngFrames, depth, grid, preview, previewFormat, value);
    }
}
