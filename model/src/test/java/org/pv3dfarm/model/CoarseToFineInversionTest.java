package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Inverter}'s coarse-to-fine schedule on the committed tiny model: which graph each phase runs on, that the
 * steps continue across the switch, that a schedule without coarse steps (or with a coarse graph below the fidelity
 * floor) is the plain inversion, and that a model without the coarse graph falls back to the full one.
 */
class CoarseToFineInversionTest {

    static ModelManifest manifest;
    static Pv3dModel model;
    static InversionGradient full;
    static InversionGradient coarse;
    static FloatTensor zMotion;
    static FloatTensor t;
    static FloatTensor camera;
    static FloatTensor target;

    @BeforeAll
    static void open() {
        manifest = ModelLocator.loadPackaged("tiny");
        // One intra-op thread: ONNX Runtime's default thread pool does not repeat results to the last bit.
        model = Pv3dModel.open(manifest, ModelOptions.builder().executionProvider(ExecutionProvider.CPU)
                .intraOpThreads(1).build());
        full = model.inversionGradient(1);
        coarse = model.coarseInversionGradient(1).orElseThrow();
        FloatTensor z = manifest.latentDistribution().z().sample(new SplittableRandom(77), 1);
        FloatTensor ws = model.mapping(z, FloatTensor.of(Cameras.canonical(manifest), 1, Cameras.CAMERA_SIZE), 1f);
        zMotion = manifest.latentDistribution().zMotion().meanTensor();
        t = FloatTensor.vector(0f);
        camera = FloatTensor.of(Cameras.canonical(manifest), 1, Cameras.CAMERA_SIZE);
        target = model.image(model.synthesis(ws, zMotion, t), ws, camera);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static InversionResult invert(InversionGradient coarseGraph, InversionOptions options, List<Integer> steps) {
        return invert(coarseGraph, options, steps, new ArrayList<>());
    }

    private static InversionResult invert(InversionGradient coarseGraph, InversionOptions options, List<Integer> steps,
                                          List<Double> bests) {
        return new Inverter(full, coarseGraph, options).invert(model.averageW(), zMotion, t, camera, target,
                full.fullMask(), (step, loss, best) -> {
                    steps.add(step);
                    bests.add(best);
                });
    }

    private static float loss(InversionGradient graph, FloatTensor w) {
        return graph.run(w, zMotion, t, camera, target, full.fullMask()).loss()[0];
    }

    @Test
    void coarseStepsThenFineStepsOnTheFullGraphFromTheBestCoarseW() {
        List<Integer> steps = new ArrayList<>();
        List<Double> bests = new ArrayList<>();
        InversionResult result = invert(coarse, InversionOptions.builder().steps(24).fineSteps(6).build(), steps,
                bests);
        for (int i = 1; i < bests.size(); i++) {
            assertTrue(bests.get(i) <= bests.get(i - 1), "the listener's best loss never rises, also at the switch");
        }
        assertEquals(24, result.steps());
        assertEquals(25, result.lossHistory().length);
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 24).boxed().toList(), steps,
                "the listener sees one step count through both phases");
        // The reported best loss is the full graph's at the returned w, and the fine phase improved on the coarse w.
        assertEquals(loss(full, result.w()), result.bestLoss(), 1e-6 + 1e-4 * result.bestLoss());
        assertTrue(result.evaluations() >= 24 + 2, "both phases evaluate their start: " + result.evaluations());

        InversionResult coarseOnly = invert(coarse, InversionOptions.builder().steps(18).fineSteps(0).build(),
                new ArrayList<>());
        assertEquals(18, coarseOnly.steps());
        assertEquals(loss(coarse, coarseOnly.w()), coarseOnly.bestLoss(), 1e-6 + 1e-4 * coarseOnly.bestLoss(),
                "without fine steps the losses are the coarse graph's");
        assertTrue(Math.abs(loss(full, coarseOnly.w()) - coarseOnly.bestLoss()) > 1e-4 * coarseOnly.bestLoss(),
                "the two graphs differ, so the check above tells them apart");
        assertTrue(result.bestLoss() < loss(full, coarseOnly.w()),
                "6 fine steps after 18 coarse ones beat the coarse w on the full graph");
    }

    @Test
    void allFineStepsIsThePlainInversion() {
        InversionOptions options = InversionOptions.builder().steps(8).fineSteps(8).build();
        InversionResult scheduled = invert(coarse, options, new ArrayList<>());
        InversionResult plain = new Inverter(full, options).invert(model.averageW(), zMotion, t, camera, target,
                full.fullMask());
        assertArrayEquals(plain.w().data(), scheduled.w().data());
        assertArrayEquals(plain.lossHistory(), scheduled.lossHistory());
        assertEquals(plain.evaluations(), scheduled.evaluations());
    }

    @Test
    void aCoarseGraphBelowTheFidelityFloorIsIgnored() {
        assertTrue(coarse.fidelityDb() >= InversionOptions.DEFAULT_MIN_COARSE_FIDELITY_DB,
                "tiny's coarse graph is faithful enough for the default: " + coarse.fidelityDb() + " dB");
        InversionOptions strict = InversionOptions.builder().steps(8).fineSteps(2)
                .minCoarseFidelityDb(coarse.fidelityDb() + 0.01).build();
        InversionResult ignored = invert(coarse, strict, new ArrayList<>());
        InversionResult plain = new Inverter(full, strict).invert(model.averageW(), zMotion, t, camera, target,
                full.fullMask());
        assertArrayEquals(plain.lossHistory(), ignored.lossHistory(), "every step on the full graph");
        InversionResult scheduled = invert(coarse, InversionOptions.builder().steps(8).fineSteps(2).build(),
                new ArrayList<>());
        assertTrue(scheduled.lossHistory()[0] != plain.lossHistory()[0], "the default uses the coarse graph");
    }

    @Test
    void theCommittedModelsDeclareHowFaithfulTheirCoarseGraphIs() {
        // tiny (random weights, the picture made by the super-resolution): ~35 dB; demo (fitted heads, detail from
        // the neural render): ~19 dB, below the default floor, so demo inverts on the full graph.
        double tiny = manifest.gradientGraphs(GradientKind.INVERSION_COARSE).get(0).fidelityDb();
        double demo = ModelLocator.loadPackaged("demo").gradientGraphs(GradientKind.INVERSION_COARSE).get(0)
                .fidelityDb();
        assertTrue(tiny >= 30 && tiny < 60, "tiny " + tiny);
        assertTrue(demo > 10 && demo < InversionOptions.DEFAULT_MIN_COARSE_FIDELITY_DB, "demo " + demo);
    }

    @Test
    void aModelWithoutTheCoarseGraphFallsBackToTheFullOne() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Files.readAllBytes(manifest.directory().resolve("model.json")));
        ((ObjectNode) root.get("gradients")).remove(GradientKind.INVERSION_COARSE.key());
        ModelManifest older = ModelManifest.parse(json.writeValueAsBytes(root), manifest.directory());
        assertTrue(older.gradientGraphs(GradientKind.INVERSION_COARSE).isEmpty());
        try (Pv3dModel without = Pv3dModel.open(older, ModelOptions.builder()
                .executionProvider(ExecutionProvider.CPU).build())) {
            assertTrue(without.coarseInversionGradient(1).isEmpty());
            assertTrue(model.coarseInversionGradient(2).isEmpty(), "no coarse graph for a batch not exported");
        }
    }

    @Test
    void fineStepsAreValidated() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> InversionOptions.builder().fineSteps(-1).build());
        assertTrue(e.getMessage().contains("fineSteps must not be negative, was -1"), e.getMessage());
        assertEquals(270, InversionOptions.builder().steps(300).fineSteps(30).build().coarseSteps());
        assertEquals(0, InversionOptions.builder().steps(20).fineSteps(30).build().coarseSteps());
        assertEquals(InversionOptions.DEFAULT_FINE_STEPS, InversionOptions.builder().build().fineSteps());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> InversionOptions.builder().minCoarseFidelityDb(Double.NaN).build());
        assertTrue(e.getMessage().contains("minCoarseFidelityDb must be finite"), e.getMessage());
    }
}
