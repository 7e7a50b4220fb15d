package org.pv3dfarm.worker.face;

import java.util.Objects;

/**
 * Options of a {@link BlazeFaceDetector}; immutable, built by {@link #builder()}.
 *
 * @param model          which BlazeFace model (default {@link BlazeFaceModel#FRONT_128})
 * @param minScore       smallest score a face may have, in (0, 1) (default 0.5, MediaPipe's default minimum
 *                       detection confidence)
 * @param iouThreshold   boxes overlapping the best one by more than this IoU are blended into it (default 0.3,
 *                       MediaPipe's suppression threshold for BlazeFace)
 * @param maxFaces       at most this many faces are returned, best first (default 16)
 * @param intraOpThreads ONNX Runtime threads per call (default 1: the model is small, and the worker's other
 *                       graphs need the cores; 0 lets ONNX Runtime choose)
 */
public record FaceDetectorOptions(BlazeFaceModel model, double minScore, double iouThreshold, int maxFaces,
                                  int intraOpThreads) {

    public FaceDetectorOptions {
        Objects.requireNonNull(model, "model");
        if (!(minScore > 0 && minScore < 1)) {
            throw new IllegalArgumentException("minScore must be in (0, 1), was " + minScore);
        }
        if (!(iouThreshold > 0 && iouThreshold < 1)) {
            throw new IllegalArgumentException("iouThreshold must be in (0, 1), was " + iouThreshold);
        }
        if (maxFaces < 1) {
            throw new IllegalArgumentException("maxFaces must be at least 1, was " + maxFaces);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, was " + intraOpThreads);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static FaceDetectorOptions defaults() {
        return builder().build();
    }

    public static final class Builder {
        private BlazeFaceModel model = BlazeFaceModel.FRONT_128;
        private double minScore = 0.5;
        private double iouThreshold = 0.3;
        private int maxFaces = 16;
        private int intraOpThreads = 1;

        private Builder() {
        }

        public Builder model(BlazeFaceModel model) {
            this.model = model;
            return this;
        }

        public Builder minScore(double minScore) {
            this.minScore = minScore;
            return this;
        }

        public Builder iouThreshold(double iouThreshold) {
            this.iouThreshold = iouThreshold;
            return this;
        }

        public Builder maxFaces(int maxFaces) {
            this.maxFaces = maxFaces;
            return this;
        }

        public Builder intraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        public FaceDetectorOptions build() {
            return new FaceDetectorOptions(model, minScore, iouThreshold, maxFaces, intraOpThreads);
        }
    }
}
