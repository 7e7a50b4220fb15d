package org.pv3dfarm.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One input or output of a graph as the manifest declares it.
 *
 * @param name the ONNX input/output name
 * @param shape one entry per dimension: a fixed size, or a symbol (e.g. {@code batch}) that must take the same
 *              value wherever it appears in one call
 * @param dtype the element type; the contract only uses {@code float32}
 */
public record TensorSpec(String name, List<Dim> shape, String dtype) {

    public TensorSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tensor name must not be blank");
        }
        shape = List.copyOf(shape);
    }

    /** One dimension: fixed ({@code size >= 0}) or symbolic ({@code symbol != null}, size −1). */
    public record Dim(long size, String symbol) {

        public static Dim fixed(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("fixed dimension must not be negative: " + size);
            }
            return new Dim(size, null);
        }

        public static Dim symbolic(String symbol) {
            return new Dim(-1, symbol);
        }

        public boolean isFixed() {
            return symbol == null;
        }

        @Override
        public String toString() {
            return isFixed() ? Long.toString(size) : symbol;
        }
    }

    @Override
    public String toString() {
        return name + shape.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
