package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Meshes of the head at chosen frames: the model's density sampled on a cube grid over its bounding box
 * ({@code box_warp}), then marching cubes at the threshold. One file per frame and format.
 *
 * @param frames     the frame indices to mesh (required, 1 to {@link #MAX_FRAMES}, each below the job's frames,
 *                   no repeats)
 * @param resolution grid samples per axis, {@value #MIN_RESOLUTION} to {@value #MAX_RESOLUTION} (default
 *                   {@value #DEFAULT_RESOLUTION})
 * @param threshold  the iso-level on the density graph's raw {@code sigma} (default {@value #DEFAULT_THRESHOLD},
 *                   EG3D's shape-extraction level); finite
 * @param formats    the files to write, {@code ply} and/or {@code glb} (default both)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MeshOptions(List<Integer> frames, Integer resolution, Double threshold, List<MeshFormat> formats) {

    public static final int MAX_FRAMES = 16;
    public static final int MIN_RESOLUTION = 8;
    public static final int MAX_RESOLUTION = 256;
    public static final int DEFAULT_RESOLUTION = 64;
    public static final double DEFAULT_THRESHOLD = 10.0;

    public MeshOptions {
        frames = Values.copyOrNull(frames);
        resolution = Values.orDefault(resolution, DEFAULT_RESOLUTION);
        threshold = Values.orDefault(threshold, DEFAULT_THRESHOLD);
        formats = formats == null ? List.of(MeshFormat.PLY, MeshFormat.GLB) : Values.copyOrNull(formats);
    }

    /** Meshes of the given frames with the defaults. */
    public static MeshOptions of(Integer... frames) {
        return new MeshOptions(List.of(frames), null, null, null);
    }
}
