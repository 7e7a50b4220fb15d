package org.pv3dfarm.model;

/**
 * A gradient graph exported for one fixed size (torch 1.13's make_fx route cannot export a dynamic batch).
 *
 * @param size the batch size of an inversion graph, or the number of frames of a reconstruction graph
 * @param graph the file and its inputs and outputs
 */
public record GradientGraphSpec(int size, GraphSpec graph) {

    public GradientGraphSpec {
        if (size <= 0) {
            throw new IllegalArgumentException(graph.key() + ": size must be positive, was " + size);
        }
    }
}
