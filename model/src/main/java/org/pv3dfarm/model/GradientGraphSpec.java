package org.pv3dfarm.model;

/**
 * A gradient graph exported for one fixed size (torch 1.13's make_fx route cannot export a dynamic batch).
 *
 * @param size the batch size of an inversion graph, or the number of frames of a reconstruction graph
 * @param graph the file and its inputs and outputs
 * @param fidelityDb for an approximate graph ({@link GradientKind#INVERSION_COARSE}), the manifest's
 *                   {@code fidelity_db}: the PSNR of its image against the full one at the exporter's example inputs;
 *                   NaN when the manifest does not say
 */
public record GradientGraphSpec(int size, GraphSpec graph, double fidelityDb) {

    public GradientGraphSpec {
        if (size <= 0) {
            throw new IllegalArgumentException(graph.key() + ": size must be positive, was " + size);
        }
    }

    /** A graph without a fidelity figure. */
    public GradientGraphSpec(int size, GraphSpec graph) {
        this(size, graph, Double.NaN);
    }
}
