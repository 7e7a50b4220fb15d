package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedNmsTest {

    private final WeightedNms nms = new WeightedNms(0.3);

    @Test
    void blendsOverlappingCandidatesByScoreAndKeepsTheBestScore() {
        Candidate strong = candidate(0.9f, 0.50f, 0.50f, 0.2f, 0.0f);
        Candidate weak = candidate(0.6f, 0.52f, 0.50f, 0.2f, 1.0f); // IoU ≈ 0.82 with the strong one

        List<Candidate> out = nms.suppress(List.of(weak, strong), 10);

        assertEquals(1, out.size());
        assertEquals(0.9f, out.get(0).score());
        float[] c = out.get(0).coords();
        assertEquals((0.9f * 0.50f + 0.6f * 0.52f) / 1.5f, c[0], 1e-6);
        assertEquals(0.6f / 1.5f, c[4], 1e-6, "keypoints are blended as well");
    }

    @Test
    void keepsSeparateFacesBestFirst() {
        Candidate left = candidate(0.7f, 0.2f, 0.5f, 0.2f, 0f);
        Candidate right = candidate(0.8f, 0.8f, 0.5f, 0.2f, 0f);
        Candidate touching = candidate(0.75f, 0.45f, 0.5f, 0.2f, 0f); // IoU 0.2 with left: below the threshold

        List<Candidate> out = nms.suppress(List.of(left, right, touching), 10);

        assertEquals(3, out.size());
        assertArrayEquals(right.coords(), out.get(0).coords(), 1e-6f);
        assertArrayEquals(touching.coords(), out.get(1).coords(), 1e-6f);
        assertArrayEquals(left.coords(), out.get(2).coords(), 1e-6f);
        assertEquals(1, nms.suppress(List.of(left, right, touching), 1).size());
        assertEquals(List.of(), nms.suppress(List.of(), 5));
    }

    @Test
    void rejectsAThresholdOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new WeightedNms(1.5));
    }

    private static Candidate candidate(float score, float cx, float cy, float size, float keypoint) {
        float[] c = new float[Candidate.COORDS];
        Arrays.fill(c, keypoint);
        c[0] = cx;
        c[1] = cy;
        c[2] = size;
        c[3] = size;
        return new Candidate(score, c);
    }
}
