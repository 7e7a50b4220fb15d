package org.pv3dfarm.worker;

import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.model.Pv3dModel;

/**
 * The committed models, each opened once for all tests of this JVM (their sessions are the slow part to create)
 * on CPU, so that results do not depend on the machine: the default model a worker runs (the fitted demo), and
 * the random-weight tiny model, whose noise-like pictures change strongly with every input (pipeline tests that
 * compare frames use it). Shared: never close them.
 */
public final class WorkerTestModels {

    private static Pv3dModel defaultModel;
    private static Pv3dModel tiny;

    private WorkerTestModels() {
    }

    /** The model a worker runs when nothing is configured. */
    public static synchronized Pv3dModel defaultModel() {
        if (defaultModel == null) {
            defaultModel = open(ModelLocator.loadDefault());
        }
        return defaultModel;
    }

    /** The random-weight tiny model; its requests must name it ({@code pv3d-tiny}). */
    public static synchronized Pv3dModel tiny() {
        if (tiny == null) {
            tiny = open(ModelLocator.loadPackaged("tiny"));
        }
        return tiny;
    }

    private static Pv3dModel open(ModelManifest manifest) {
        return Pv3dModel.open(manifest, ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build());
    }
}
