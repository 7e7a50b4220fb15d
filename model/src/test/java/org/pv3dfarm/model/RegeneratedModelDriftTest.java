package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CI drift check's Java half: {@code model/bin/drift-check} re-exports each committed model NAME (see
 * {@link CommittedModels}) into DIR/NAME/model, then {@code ./mvnw -pl model verify -Dmodel.drift.dir=DIR} runs
 * this test, which runs the committed and the regenerated ONNX graphs of every model found there on the committed
 * reference inputs and requires the same outputs (forward max abs ≤ 1e-4 · max(1, max |reference|), gradient vectors within 1e-3
 * relative): the committed files cannot silently drift from what the Python code exports. Every committed model
 * must have been regenerated.
 */
@EnabledIfSystemProperty(named = RegeneratedModelDriftTest.PROPERTY, matches = ".+",
        disabledReason = "no regenerated model to compare: run python3 -m pv3d.drift --out DIR and pass -D"
                + RegeneratedModelDriftTest.PROPERTY + "=DIR (the CI drift check does)")
class RegeneratedModelDriftTest {

    static final String PROPERTY = "model.drift.dir";

    @AfterAll
    static void close() {
        CommittedModels.closeAll();
    }

    static Stream<String> models() {
        return CommittedModels.NAMES.stream();
    }

    @ParameterizedTest
    @MethodSource("models")
    void regeneratedGraphsComputeWhatTheCommittedOnesCompute(String name) {
        Path modelDir = Path.of(System.getProperty(PROPERTY), name, "model");
        assertTrue(Files.isRegularFile(modelDir.resolve(ModelManifest.FILE_NAME)),
                "no regenerated " + name + " model at " + modelDir + " (model/bin/drift-check writes it)");
        CommittedModels.Committed open = CommittedModels.open(name);
        ModelManifest committed = open.manifest();
        ModelManifest fresh = ModelManifest.load(modelDir);
        assertEquals(committed.config(), fresh.config(), "config");
        for (GraphRole role : GraphRole.values()) {
            assertEquals(committed.graph(role).inputs(), fresh.graph(role).inputs(), role + " inputs");
            assertEquals(committed.graph(role).outputs(), fresh.graph(role).outputs(), role + " outputs");
        }
        References refs = open.refs();
        Pv3dModel a = open.model();
        try (Pv3dModel b = Pv3dModel.open(fresh, ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build())) {
            for (GraphRole role : GraphRole.values()) {
                Map<String, FloatTensor> inputs = refs.forward(role).inputs();
                Map<String, FloatTensor> x = a.run(role, inputs);
                Map<String, FloatTensor> y = b.run(role, inputs);
                for (String out : x.keySet()) {
                    double err = TensorMath.maxAbsDiff(y.get(out), x.get(out));
                    System.out.printf("drift %s %s.%s max abs %.2e%n", name, role.key(), out, err);
                    assertTrue(err <= ParityTest.forwardBound(x.get(out)), name + " " + role + "." + out + " drifted: max abs " + err);
                }
            }
            for (GradientKind kind : GradientKind.values()) {
                assertEquals(a.gradientSizes(kind), b.gradientSizes(kind), kind + " sizes");
                for (GradientGraphSpec spec : committed.gradientGraphs(kind)) {
                    Map<String, FloatTensor> inputs = refs.gradient(spec).inputs();
                    Map<String, FloatTensor> x = a.runGradient(kind, spec.size(), inputs);
                    Map<String, FloatTensor> y = b.runGradient(kind, spec.size(), inputs);
                    double diff2 = 0;
                    double ref2 = 0;
                    for (String out : x.keySet()) {
                        double n = TensorMath.norm(x.get(out).data());
                        diff2 += Math.pow(TensorMath.relativeError(y.get(out), x.get(out)) * n, 2);
                        ref2 += n * n;
                    }
                    double rel = Math.sqrt(diff2 / ref2);
                    System.out.printf("drift %s %s[%d] rel %.2e%n", name, kind.key(), spec.size(), rel);
                    assertTrue(rel <= ParityTest.GRADIENT_MAX_REL, kind.key() + "[" + spec.size() + "] drifted: " + rel);
                }
            }
        }
    }
}
