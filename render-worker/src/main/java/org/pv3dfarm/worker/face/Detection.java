package org.pv3dfarm.worker.face;

import java.util.List;
import java.util.Objects;

/**
 * One detected face: its box, the detector's confidence in [0, 1] and the {@link FaceKeypoint}s in their order,
 * all in the pixels of the image given to the detector ({@link ImagePoint} convention). Keypoints may lie outside
 * the box (ears) or even outside the image (a face cut by the border).
 */
public record Detection(FaceBox box, double score, List<ImagePoint> keypoints) {

    public Detection {
        Objects.requireNonNull(box, "box");
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1], was " + score);
        }
        keypoints = List.copyOf(keypoints);
        if (keypoints.size() != FaceKeypoint.COUNT) {
            throw new IllegalArgumentException("a detection has " + FaceKeypoint.COUNT + " keypoints, got "
                    + keypoints.size());
        }
    }

    public ImagePoint keypoint(FaceKeypoint which) {
        return keypoints.get(which.ordinal());
    }
}
