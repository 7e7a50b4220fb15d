package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlazeFaceDecoderTest {

    private final BlazeFaceDecoder decoder = new BlazeFaceDecoder(List.of(
            new SsdAnchors.Anchor(0.25f, 0.75f, 1f, 1f), new SsdAnchors.Anchor(0.5f, 0.5f, 1f, 1f)), 128);

    @Test
    void offsetsAreInInputPixelsAroundTheAnchor() {
        float[] raw = new float[32];
        float[] first = {12.8f, -6.4f, 32f, 64f, 1.28f, 2.56f, -1.28f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 12.8f};
        System.arraycopy(first, 0, raw, 0, 16);

        List<Candidate> out = decoder.decode(new float[] {0f, -50f}, raw, 0.5f);

        assertEquals(1, out.size(), "the second anchor scores sigmoid(-50) and is dropped");
        Candidate c = out.get(0);
        assertEquals(0.5f, c.score(), 1e-6);
        assertArrayEquals(new float[] {0.35f, 0.7f, 0.25f, 0.5f, 0.26f, 0.77f, 0.24f, 0.75f, 0.25f, 0.75f, 0.25f,
                0.75f, 0.25f, 0.75f, 0.25f, 0.85f}, c.coords(), 1e-6f);
        assertEquals(0.225, c.box().left(), 1e-6);
        assertEquals(0.95, c.box().bottom(), 1e-6);
    }

    @Test
    void scoresAreSigmoidsOfClippedLogitsAndNanNeverPasses() {
        List<Candidate> out = decoder.decode(new float[] {1000f, Float.NaN}, new float[32], 0.01f);

        assertEquals(1, out.size());
        assertEquals(1f, out.get(0).score(), 1e-6);
        assertEquals(BlazeFaceDecoder.sigmoid(2f), 1 / (1 + Math.exp(-2)), 1e-6);
    }

    @Test
    void rejectsOutputsOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(new float[3], new float[48], 0.5f));
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(new float[2], new float[30], 0.5f));
    }
}
