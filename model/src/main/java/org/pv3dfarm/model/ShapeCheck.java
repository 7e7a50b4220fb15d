package org.pv3dfarm.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks tensors against a graph's declared inputs before ONNX Runtime sees them, so that a wrong shape fails
 * with a message naming the graph, the input and the expected dimensions instead of an ORT kernel error.
 * Symbolic dimensions ({@code batch}, {@code points}...) must take one value across all inputs of a call.
 */
final class ShapeCheck {

    /** The symbol for a dimension the manifest leaves open (JSON null or a negative size). */
    static final String ANY = "?";

    private ShapeCheck() {
    }

    /**
     * @param graph the graph being called
     * @param inputs the tensor shapes by input name (every declared input must be present)
     * @return the value each symbol took, e.g. {@code batch -> 2}
     * @throws IllegalArgumentException naming the graph and input when a tensor does not fit
     */
    static Map<String, Long> check(GraphSpec graph, Map<String, long[]> inputs) {
        Map<String, Long> bound = new HashMap<>();
        Map<String, String> boundBy = new HashMap<>();
        for (TensorSpec spec : graph.inputs()) {
            long[] shape = inputs.get(spec.name());
            if (shape == null) {
                throw new IllegalArgumentException(graph.key() + ": input '" + spec.name() + "' is missing");
            }
            List<TensorSpec.Dim> dims = spec.shape();
            if (shape.length != dims.size()) {
                throw new IllegalArgumentException(graph.key() + ": input '" + spec.name() + "' has shape "
                        + Arrays.toString(shape) + " (rank " + shape.length + ") but the graph expects " + spec
                        + " (rank " + dims.size() + ")");
            }
            for (int i = 0; i < shape.length; i++) {
                TensorSpec.Dim dim = dims.get(i);
                if (dim.isFixed()) {
                    if (shape[i] != dim.size()) {
                        throw new IllegalArgumentException(graph.key() + ": input '" + spec.name() + "' has shape "
                                + Arrays.toString(shape) + " but the graph expects " + spec + " (dimension " + i
                                + " must be " + dim.size() + ")");
                    }
                } else if (!ANY.equals(dim.symbol())) {
                    if (shape[i] <= 0) {
                        throw new IllegalArgumentException(graph.key() + ": input '" + spec.name() + "' has an empty "
                                + dim.symbol() + " dimension: " + Arrays.toString(shape));
                    }
                    Long previous = bound.putIfAbsent(dim.symbol(), shape[i]);
                    if (previous == null) {
                        boundBy.put(dim.symbol(), spec.name());
                    } else if (previous != shape[i]) {
                        throw new IllegalArgumentException(graph.key() + ": input '" + spec.name() + "' has "
                                + dim.symbol() + " = " + shape[i] + " (shape " + Arrays.toString(shape) + ") but input '"
                                + boundBy.get(dim.symbol()) + "' has " + dim.symbol() + " = " + previous);
                    }
                }
            }
        }
        return bound;
    }
}
