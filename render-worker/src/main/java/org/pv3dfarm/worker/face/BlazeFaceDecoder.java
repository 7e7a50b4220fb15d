package org.pv3dfarm.worker.face;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * BlazeFace's raw outputs → scored candidates (MediaPipe's {@code TensorsToDetections} step for this model).
 *
 * <p>Per anchor {@code a} with raw values {@code r[0..15]} ({@code x, y, w, h}, then six {@code x, y} keypoint
 * pairs, all in input pixels relative to the anchor) and logit {@code s}, with {@code S} the input size:
 * {@code cx = r0/S·a.w + a.x}, {@code cy = r1/S·a.h + a.y}, {@code w = r2/S·a.w}, {@code h = r3/S·a.h}, keypoint
 * {@code k = (r[4+2k]/S·a.w + a.x, r[5+2k]/S·a.h + a.y)}, score {@code sigmoid(clamp(s, ±100))}. Candidates below
 * {@code minScore} are dropped.
 */
final class BlazeFaceDecoder {

    static final int RAW_VALUES = 16;
    private static final float SCORE_CLIP = 100f;

    private final List<SsdAnchors.Anchor> anchors;
    private final float inputSize;

    BlazeFaceDecoder(List<SsdAnchors.Anchor> anchors, int inputSize) {
        this.anchors = List.copyOf(Objects.requireNonNull(anchors, "anchors"));
        this.inputSize = inputSize;
    }

    int anchorCount() {
        return anchors.size();
    }

    /** {@code logits[n]} and {@code raw[n·16]} for the n anchors, in anchor order. */
    List<Candidate> decode(float[] logits, float[] raw, float minScore) {
        if (logits.length != anchors.size() || raw.length != anchors.size() * RAW_VALUES) {
            throw new IllegalArgumentException("expected " + anchors.size() + " scores and " + anchors.size()
                    * RAW_VALUES + " box values, got " + logits.length + " and " + raw.length);
        }
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            float score = sigmoid(Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, logits[i])));
            if (!(score >= minScore)) { // NaN logits never pass
                continue;
            }
            SsdAnchors.Anchor a = anchors.get(i);
            int r = i * RAW_VALUES;
            float[] c = new float[Candidate.COORDS];
            c[0] = raw[r] / inputSize * a.width() + a.xCenter();
            c[1] = raw[r + 1] / inputSize * a.height() + a.yCenter();
            c[2] = raw[r + 2] / inputSize * a.width();
            c[3] = raw[r + 3] / inputSize * a.height();
            for (int k = 0; k < FaceKeypoint.COUNT; k++) {
                c[4 + 2 * k] = raw[r + 4 + 2 * k] / inputSize * a.width() + a.xCenter();
                c[5 + 2 * k] = raw[r + 5 + 2 * k] / inputSize * a.height() + a.yCenter();
            }
            if (allFinite(c)) {
                out.add(new Candidate(score, c));
            }
        }
        return out;
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
