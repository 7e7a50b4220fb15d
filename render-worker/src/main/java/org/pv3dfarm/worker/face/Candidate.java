package org.pv3dfarm.worker.face;

/**
 * A decoded detection before suppression and mapping: its score and its geometry in normalised model-input
 * coordinates, packed as {@code [cx, cy, w, h, x0, y0, …, x5, y5]} (box centre and size, then the keypoints).
 */
record Candidate(float score, float[] coords) {

    static final int COORDS = 4 + 2 * FaceKeypoint.COUNT;

    Candidate {
        if (coords.length != COORDS) {
            throw new IllegalArgumentException("a candidate has " + COORDS + " coordinates, got " + coords.length);
        }
    }

    FaceBox box() {
        return FaceBox.ofCenter(coords[0], coords[1], Math.max(0, coords[2]), Math.max(0, coords[3]));
    }
}
