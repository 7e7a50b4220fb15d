package org.pv3dfarm.model;

import java.util.Arrays;
import java.util.List;

/**
 * A dense float32 tensor: a shape and its elements in row-major (C) order.
 *
 * <p>The record takes ownership of {@code data} without copying (tensors here are images and tri-planes, copies
 * add up); callers must not modify an array after handing it over. The shape is copied.
 *
 * @param shape the dimensions, outermost first; empty for a scalar
 * @param data the elements in row-major order; its length equals the product of the dimensions
 */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        if (shape == null) {
            throw new IllegalArgumentException("tensor shape must not be null");
        }
        if (data == null) {
            throw new IllegalArgumentException("tensor data must not be null");
        }
        shape = shape.clone();
        long count = elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " holds " + count
                    + " elements but " + data.length + " were given");
        }
    }

    /** A tensor of the given shape over {@code data} (taken without copying). */
    public static FloatTensor of(float[] data, long... shape) {
        return new FloatTensor(shape, data);
    }

    /** A tensor of zeros. */
    public static FloatTensor zeros(long... shape) {
        return new FloatTensor(shape, new float[Math.toIntExact(elementCount(shape))]);
    }

    /** A tensor whose every element is {@code value}. */
    public static FloatTensor filled(float value, long... shape) {
        float[] data = new float[Math.toIntExact(elementCount(shape))];
        Arrays.fill(data, value);
        return new FloatTensor(shape, data);
    }

    /** A rank-0 tensor holding one value. */
    public static FloatTensor scalar(float value) {
        return new FloatTensor(new long[0], new float[] {value});
    }

    /** A rank-1 tensor of the given values (copied). */
    public static FloatTensor vector(float... values) {
        return new FloatTensor(new long[] {values.length}, values.clone());
    }

    /** Stacks tensors of one shape along a new leading dimension: n × [d...] → [n, d...]. */
    public static FloatTensor stack(List<FloatTensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cannot stack an empty list of tensors");
        }
        long[] inner = parts.get(0).shape;
        int size = parts.get(0).data.length;
        float[] data = new float[Math.multiplyExact(size, parts.size())];
        for (int i = 0; i < parts.size(); i++) {
            FloatTensor part = parts.get(i);
            if (!Arrays.equals(part.shape, inner)) {
                throw new IllegalArgumentException("cannot stack shape " + Arrays.toString(part.shape)
                        + " (tensor " + i + ") with " + Arrays.toString(inner));
            }
            System.arraycopy(part.data, 0, data, i * size, size);
        }
        long[] shape = new long[inner.length + 1];
        shape[0] = parts.size();
        System.arraycopy(inner, 0, shape, 1, inner.length);
        return new FloatTensor(shape, data);
    }

    /** Concatenates tensors along their leading (batch) dimension; the other dimensions must agree. */
    public static FloatTensor concat(List<FloatTensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cannot concatenate an empty list of tensors");
        }
        long[] first = parts.get(0).shape;
        if (first.length == 0) {
            throw new IllegalArgumentException("cannot concatenate scalars");
        }
        long batch = 0;
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            long[] s = parts.get(i).shape;
            if (s.length != first.length || !Arrays.equals(s, 1, s.length, first, 1, first.length)) {
                throw new IllegalArgumentException("cannot concatenate shape " + Arrays.toString(s)
                        + " (tensor " + i + ") with " + Arrays.toString(first));
            }
            batch += s[0];
            total = Math.addExact(total, parts.get(i).data.length);
        }
        float[] data = new float[total];
        int offset = 0;
        for (FloatTensor part : parts) {
            System.arraycopy(part.data, 0, data, offset, part.data.length);
            offset += part.data.length;
        }
        long[] shape = first.clone();
        shape[0] = batch;
        return new FloatTensor(shape, data);
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Dimension {@code axis} (negative counts from the end). */
    public long dim(int axis) {
        int a = axis < 0 ? shape.length + axis : axis;
        if (a < 0 || a >= shape.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " of a rank-" + shape.length + " tensor");
        }
        return shape[a];
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** The shape as a new array (the record accessor returns the internal one; do not modify it). */
    public long[] shapeCopy() {
        return shape.clone();
    }

    /** The same elements viewed with another shape of equal element count (shares {@code data}). */
    public FloatTensor reshape(long... newShape) {
        return new FloatTensor(newShape, data);
    }

    /** Element {@code i} of the leading dimension, keeping that dimension: [n, d...] → [1, d...] (a copy). */
    public FloatTensor batchItem(int i) {
        return batchRange(i, i + 1);
    }

    /** Elements {@code [from, to)} of the leading dimension (a copy). */
    public FloatTensor batchRange(int from, int to) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a scalar has no batch dimension");
        }
        if (from < 0 || to > shape[0] || from >= to) {
            throw new IndexOutOfBoundsException("batch range [" + from + ", " + to + ") of " + shape[0]);
        }
        int stride = Math.toIntExact(data.length / shape[0]);
        long[] s = shape.clone();
        s[0] = to - from;
        return new FloatTensor(s, Arrays.copyOfRange(data, from * stride, to * stride));
    }

    /** True when every element is finite (no NaN or infinity). */
    public boolean isFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The number of elements of a shape, rejecting negative dimensions and overflow past an int array. */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in tensor shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " is too large for one array");
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
