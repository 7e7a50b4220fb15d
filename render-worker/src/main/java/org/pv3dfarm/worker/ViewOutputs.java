package org.pv3dfarm.worker;

import java.util.List;
import java.util.Objects;

/**
 * What the store holds for one view once its outputs are finished.
 *
 * @param view      the view index
 * @param videoKey  its H.264 MP4
 * @param video     what the MP4 was verified to hold
 * @param frameKeys its PNG frames in frame order (empty unless PNG frames were asked for)
 * @param depthKeys its 16-bit depth PNGs in frame order (empty unless depth was asked for)
 */
public record ViewOutputs(int view, String videoKey, Mp4Info video, List<String> frameKeys, List<String> depthKeys) {

    public ViewOutputs {
        Objects.requireNonNull(videoKey, "videoKey");
        Objects.requireNonNull(video, "video");
        frameKeys = List.copyOf(frameKeys);
        depthKeys = List.copyOf(depthKeys);
    }
}
