package org.pv3dfarm.worker;

import java.util.Objects;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.Pv3dModel;

/** The model's {@code density} graph: planes {@code [B, 3, C, R, R]}, points {@code [B, P, 3]} → sigma {@code [B, P, 1]}. */
@FunctionalInterface
public interface DensityGraph {

    FloatTensor density(FloatTensor planes, FloatTensor points);

    /** The model's graph; the model stays the caller's to close. */
    static DensityGraph of(Pv3dModel model) {
        Objects.requireNonNull(model, "model");
        return model::density;
    }
}
