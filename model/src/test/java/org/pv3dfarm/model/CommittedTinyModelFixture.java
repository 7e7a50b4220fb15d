package org.pv3dfarm.model;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Opens the committed tiny model on the CPU and its references once per test class, and closes the model. */
abstract class CommittedTinyModelFixture {

    static ModelManifest manifest;
    static Pv3dModel model;
    static References refs;

    @BeforeAll
    static void openCommittedTinyModel() {
        manifest = ModelLocator.loadPackaged("tiny");
        model = Pv3dModel.open(manifest, ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build());
        refs = References.of("tiny");
    }

    @AfterAll
    static void closeCommittedTinyModel() {
        if (model != null) {
            model.close();
            model = null;
        }
    }
}
