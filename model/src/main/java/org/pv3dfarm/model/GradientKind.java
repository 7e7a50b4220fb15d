package org.pv3dfarm.model;

import java.util.List;

/** The gradient graphs of the model contract, keyed under {@code gradients} in model.json. */
public enum GradientKind {
    /** Fixed batch b: w, z_motion, t, camera, target, mask → per-sample loss [b] and grad_w [b, w_dim]. */
    INVERSION("inversion", "batch", List.of("w", "z_motion", "t", "camera", "target", "mask"),
            List.of("loss", "grad_w")),
    /**
     * The cheap inversion graph for most steps of {@link Inverter}'s coarse-to-fine schedule: the inputs and outputs
     * of {@link #INVERSION}, the loss of an approximate image (fewer rays and samples per ray; optional).
     */
    INVERSION_COARSE("inversion_coarse", "batch", List.of("w", "z_motion", "t", "camera", "target", "mask"),
            List.of("loss", "grad_w")),
    /** Fixed frames F: one w and z_motion, per-frame t/cameras/targets/masks → scalar loss and its gradients. */
    RECONSTRUCTION("reconstruction", "frames", List.of("w", "z_motion", "t", "cameras", "targets", "masks"),
            List.of("loss", "grad_w", "grad_z_motion", "grad_t"));

    private final String key;
    private final String sizeField;
    private final List<String> inputs;
    private final List<String> outputs;

    GradientKind(String key, String sizeField, List<String> inputs, List<String> outputs) {
        this.key = key;
        this.sizeField = sizeField;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    public String key() {
        return key;
    }

    /** The manifest field holding the fixed size: {@code batch} or {@code frames}. */
    public String sizeField() {
        return sizeField;
    }

    public List<String> requiredInputs() {
        return inputs;
    }

    public List<String> requiredOutputs() {
        return outputs;
    }
}
