package org.pv3dfarm.worker;

import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.model.Pv3dModel;

/**
 * The committed default model (the demo), opened once for all tests of this JVM (its sessions are the slow part to create) on
 * CPU, so that results do not depend on the machine.
 */
final class TinyModel {

    private static Pv3dModel model;

    private TinyModel() {
    }

    static synchronized Pv3dModel get() {
        if (model == null) {
            model = Pv3dModel.open(ModelLocator.loadDefault(),
                    ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build());
        }
        return model;
    }
}
