package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeCheckTest {

    private static final GraphSpec DENSITY = new GraphSpec("graphs.density", "density.onnx", "0".repeat(64),
            List.of(new TensorSpec("planes", List.of(TensorSpec.Dim.symbolic("batch"), TensorSpec.Dim.fixed(3),
                            TensorSpec.Dim.fixed(2), TensorSpec.Dim.fixed(4), TensorSpec.Dim.fixed(4)), "float32"),
                    new TensorSpec("points", List.of(TensorSpec.Dim.symbolic("batch"), TensorSpec.Dim.symbolic(ShapeCheck.ANY),
                            TensorSpec.Dim.fixed(3)), "float32")),
            List.of(new TensorSpec("sigma", List.of(TensorSpec.Dim.symbolic("batch")), "float32")));

    @Test
    void bindsSymbolsAcrossInputs() {
        Map<String, Long> bound = ShapeCheck.check(DENSITY, Map.of("planes", new long[] {2, 3, 2, 4, 4},
                "points", new long[] {2, 1000, 3}));
        assertEquals(Map.of("batch", 2L), bound);
    }

    @Test
    void reportsWrongFixedDimension() {
        assertMessage("graphs.density: input 'points' has shape [2, 10, 4] but the graph expects points[batch, ?, 3] (dimension 2 must be 3)",
                Map.of("planes", new long[] {2, 3, 2, 4, 4}, "points", new long[] {2, 10, 4}));
    }

    @Test
    void reportsWrongRank() {
        assertMessage("input 'planes' has shape [3, 2, 4, 4] (rank 4) but the graph expects planes[batch, 3, 2, 4, 4] (rank 5)",
                Map.of("planes", new long[] {3, 2, 4, 4}, "points", new long[] {2, 10, 3}));
    }

    @Test
    void reportsInconsistentBatch() {
        assertMessage("has batch = 3", Map.of("planes", new long[] {2, 3, 2, 4, 4}, "points", new long[] {3, 10, 3}));
    }

    @Test
    void reportsMissingInputAndEmptyBatch() {
        assertMessage("input 'points' is missing", Map.of("planes", new long[] {2, 3, 2, 4, 4}));
        assertMessage("empty batch dimension", Map.of("planes", new long[] {0, 3, 2, 4, 4}, "points", new long[] {0, 1, 3}));
    }

    private static void assertMessage(String expected, Map<String, long[]> shapes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShapeCheck.check(DENSITY, shapes));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
