package org.pv3dfarm.worker.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted non-maximum suppression (BlazeFace's "blending" tie resolution, MediaPipe's {@code WEIGHTED}
 * algorithm): take the best remaining candidate, gather every remaining candidate whose box overlaps it with
 * IoU above the threshold (itself included), and replace the cluster by one detection whose coordinates (box and
 * keypoints) are the score-weighted mean of the cluster's and whose score is the best one's; repeat until none
 * remains. Output is ordered by score, best first.
 */
final class WeightedNms {

    private final double iouThreshold;

    WeightedNms(double iouThreshold) {
        if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("IoU threshold must be in [0, 1], was " + iouThreshold);
        }
        this.iouThreshold = iouThreshold;
    }

    List<Candidate> suppress(List<Candidate> candidates, int maxResults) {
        List<Candidate> remaining = new ArrayList<>(candidates);
        remaining.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> out = new ArrayList<>();
        while (!remaining.isEmpty() && out.size() < maxResults) {
            Candidate best = remaining.get(0);
            FaceBox bestBox = best.box();
            double[] sum = new double[Candidate.COORDS];
            double weight = 0;
            List<Candidate> rest = new ArrayList<>();
            for (Candidate c : remaining) {
                if (c == best || c.box().iou(bestBox) > iouThreshold) {
                    for (int k = 0; k < sum.length; k++) {
                        sum[k] += c.score() * c.coords()[k];
                    }
                    weight += c.score();
                } else {
                    rest.add(c);
                }
            }
            float[] blended = new float[Candidate.COORDS];
            for (int k = 0; k < blended.length; k++) {
                blended[k] = weight > 0 ? (float) (sum[k] / weight) : best.coords()[k];
            }
            out.add(new Candidate(best.score(), blended));
            remaining = rest;
        }
        return out;
    }
}
