package org.pv3dfarm.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models committed under model/exported that have committed references under model/references: the
 * random-weight tiny model (the graph contract's unit-test model) and the fitted demo model (the default).
 * Opened on the CPU once per test class through {@link #open(String)}; {@link #closeAll()} closes them.
 */
final class CommittedModels {

    /** Packaged names of the committed models with references, in test order. */
    static final List<String> NAMES = List.of("tiny", "demo");

    private static final Map<String, Committed> OPEN = new LinkedHashMap<>();

    private CommittedModels() {
    }

    /** A committed model, open on the CPU, with its PyTorch references. */
    record Committed(String name, ModelManifest manifest, Pv3dModel model, References refs) {
    }

    static synchronized Committed open(String name) {
        return OPEN.computeIfAbsent(name, n -> {
            ModelManifest manifest = ModelLocator.loadPackaged(n);
            Pv3dModel model = Pv3dModel.open(manifest,
                    ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build());
            return new Committed(n, manifest, model, References.of(n));
        });
    }

    static synchronized void closeAll() {
        OPEN.values().forEach(c -> c.model().close());
        OPEN.clear();
    }
}
