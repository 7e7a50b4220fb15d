package org.pv3dfarm.model;

import java.util.List;

/**
 * The forward graphs of the model contract, with the input and output names every exported model must use.
 * Outputs beyond the required ones (e.g. the render graph's {@code opacity}) are allowed.
 */
public enum GraphRole {
    MAPPING("mapping", List.of("z", "c", "truncation_psi"), List.of("ws")),
    SYNTHESIS("synthesis", List.of("ws", "z_motion", "t"), List.of("planes")),
    RENDER("render", List.of("planes", "ws", "camera"), List.of("features", "raw_rgb", "depth")),
    SUPERRES("superres", List.of("features", "raw_rgb", "ws"), List.of("rgb")),
    DENSITY("density", List.of("planes", "points"), List.of("sigma"));

    private final String key;
    private final List<String> inputs;
    private final List<String> outputs;

    GraphRole(String key, List<String> inputs, List<String> outputs) {
        this.key = key;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** The role's key under {@code graphs} in model.json. */
    public String key() {
        return key;
    }

    public List<String> requiredInputs() {
        return inputs;
    }

    public List<String> requiredOutputs() {
        return outputs;
    }
}
