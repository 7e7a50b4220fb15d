package org.pv3dfarm.worker.face;

import java.util.List;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;

/**
 * A video's faces ready for reconstruction: one {@link PreparedPortrait} per kept frame, with crops and cameras
 * smoothed over time.
 *
 * @param frames        per frame, in order
 * @param detectedFrames how many frames had a face of their own (the others took their nearest neighbour's)
 */
public record PreparedVideo(List<PreparedPortrait> frames, int detectedFrames) {

    public PreparedVideo {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a prepared video needs at least one frame");
        }
    }

    public int size() {
        return frames.size();
    }

    /** Frames [from, to) as targets [n, 3, O, O]. */
    public FloatTensor targets(int from, int to) {
        return FloatTensor.concat(frames.subList(from, to).stream().map(PreparedPortrait::target).toList());
    }

    /** Frames [from, to) as masks [n, 1, O, O]. */
    public FloatTensor masks(int from, int to) {
        return FloatTensor.concat(frames.subList(from, to).stream().map(PreparedPortrait::mask).toList());
    }

    /** Frames [from, to) as cameras [n, 25]. */
    public FloatTensor cameras(int from, int to) {
        return Cameras.stack(frames.subList(from, to).stream().map(PreparedPortrait::cameraVector).toList());
    }
}
