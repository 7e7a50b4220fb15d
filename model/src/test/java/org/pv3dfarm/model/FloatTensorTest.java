package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FloatTensorTest {

    @Test
    void rejectsDataThatDoesNotFitTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FloatTensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3] holds 6 elements but 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.of(new float[0], -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new FloatTensor(null, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.zeros(1L << 20, 1L << 20));
    }

    @Test
    void scalarsVectorsAndFactories() {
        FloatTensor s = FloatTensor.scalar(2.5f);
        assertEquals(0, s.rank());
        assertEquals(1, s.size());
        assertEquals(FloatTensor.of(new float[] {1, 1, 1, 1}, 2, 2), FloatTensor.filled(1f, 2, 2));
        assertEquals(6, FloatTensor.zeros(2, 3).size());
        assertEquals(3, FloatTensor.zeros(2, 3).dim(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> FloatTensor.zeros(2, 3).dim(2));
    }

    @Test
    void shapeIsCopiedAndEqualityIsByContent() {
        long[] shape = {2, 2};
        FloatTensor t = FloatTensor.of(new float[] {1, 2, 3, 4}, shape);
        shape[0] = 4;
        assertArrayEquals(new long[] {2, 2}, t.shape());
        assertEquals(FloatTensor.of(new float[] {1, 2, 3, 4}, 2, 2), t);
        assertEquals(FloatTensor.of(new float[] {1, 2, 3, 4}, 2, 2).hashCode(), t.hashCode());
        assertNotEquals(FloatTensor.of(new float[] {1, 2, 3, 4}, 4), t);
    }

    @Test
    void stackConcatAndBatchSlicing() {
        FloatTensor a = FloatTensor.of(new float[] {1, 2}, 1, 2);
        FloatTensor b = FloatTensor.of(new float[] {3, 4, 5, 6}, 2, 2);
        FloatTensor c = FloatTensor.concat(List.of(a, b));
        assertArrayEquals(new long[] {3, 2}, c.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.data());
        assertEquals(FloatTensor.of(new float[] {3, 4}, 1, 2), c.batchItem(1));
        assertEquals(FloatTensor.of(new float[] {3, 4, 5, 6}, 2, 2), c.batchRange(1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> c.batchRange(2, 4));

        FloatTensor st = FloatTensor.stack(List.of(FloatTensor.vector(1, 2), FloatTensor.vector(3, 4)));
        assertArrayEquals(new long[] {2, 2}, st.shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FloatTensor.stack(List.of(FloatTensor.vector(1, 2), FloatTensor.vector(3))));
        assertTrue(e.getMessage().contains("tensor 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.concat(List.of(a, FloatTensor.zeros(1, 3))));
    }

    @Test
    void reshapeSharesDataAndChecksCount() {
        FloatTensor t = FloatTensor.zeros(2, 3);
        FloatTensor r = t.reshape(3, 2);
        r.data()[0] = 7;
        assertEquals(7, t.data()[0]);
        assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
    }

    @Test
    void finiteness() {
        assertTrue(FloatTensor.vector(1, 2).isFinite());
        assertFalse(FloatTensor.vector(1, Float.NaN).isFinite());
        assertFalse(FloatTensor.vector(Float.POSITIVE_INFINITY).isFinite());
    }
}
