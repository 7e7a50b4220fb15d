package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GAN inversion in Java: a target rendered through the forward graphs (mapping → synthesis → render →
 * super-resolution) from a latent the references never used is recovered by Adam on w through the inversion
 * gradient graph, starting from the average w.
 */
class InversionTest {

    static ModelManifest manifest;
    static Pv3dModel model;

    @BeforeAll
    static void open() {
        manifest = ModelLocator.loadPackaged("tiny");
        model = Pv3dModel.open(manifest, ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void threeHundredAdamStepsCutThePixelLossOfAnUnseenLatentAHundredfold() {
        CameraConvention cameras = manifest.conventions().camera();
        FloatTensor z = manifest.latentDistribution().z().sample(new SplittableRandom(1234), 1);
        FloatTensor ws = model.mapping(z, FloatTensor.of(Cameras.canonical(manifest), 1, Cameras.CAMERA_SIZE), 1f);
        FloatTensor wStar = FloatTensor.of(Arrays.copyOf(ws.data(), manifest.config().wDim()), 1, manifest.config().wDim());
        assertEquals(0.0, TensorMath.maxAbsDiff(ws, model.broadcastWs(wStar)),
                "the mapping network repeats one w, so a target from ws is reachable through w");
        FloatTensor zMotion = manifest.latentDistribution().zMotion().sample(new SplittableRandom(99), 1);
        FloatTensor t = FloatTensor.vector(0.4f);
        FloatTensor camera = FloatTensor.of(Cameras.offset(cameras, 0.2, -0.1), 1, Cameras.CAMERA_SIZE);
        FloatTensor target = model.image(model.synthesis(ws, zMotion, t), ws, camera);

        InversionGradient gradient = model.inversionGradient(1);
        FloatTensor wAvg = model.averageW();
        long start = System.nanoTime();
        InversionResult result = new Inverter(gradient, InversionOptions.builder().steps(300).learningRate(0.06)
                .rampDown(0.25).optimizer(InversionOptions.Optimizer.ADAM).build()).invert(wAvg, zMotion, t, camera, target, gradient.fullMask());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("inversion: loss %.4f -> %.3e (x%.0f) in %d steps, %.1f s (%.0f ms/step)%n",
                result.initialLoss(), result.bestLoss(), result.lossReduction(), result.steps(), seconds,
                seconds * 1000 / result.steps());

        assertEquals(300, result.steps());
        assertEquals(InversionResult.StopReason.STEPS, result.stopReason());
        assertTrue(result.lossReduction() >= 100, "loss " + result.initialLoss() + " -> " + result.bestLoss()
                + " is only " + result.lossReduction() + "x smaller");
        // The returned w really renders the image with the reported loss (not just a number from the loop).
        float loss = gradient.run(result.w(), zMotion, t, camera, target, gradient.fullMask()).loss()[0];
        assertEquals(result.bestLoss(), loss, 1e-6 + 1e-4 * loss);
    }

    @Test
    void earlyStopOnTargetLossAndOnStall() {
        InversionGradient gradient = model.inversionGradient(1);
        int o = manifest.config().outputResolution();
        FloatTensor wAvg = model.averageW();
        FloatTensor zMotion = manifest.latentDistribution().zMotion().meanTensor();
        FloatTensor t = FloatTensor.vector(0f);
        FloatTensor camera = FloatTensor.of(Cameras.canonical(manifest), 1, Cameras.CAMERA_SIZE);
        FloatTensor target = model.image(model.synthesis(model.broadcastWs(wAvg), zMotion, t), model.broadcastWs(wAvg), camera);

        // Starting at the answer: the loss is already ~0, so a target loss stops before any step.
        InversionResult atAnswer = new Inverter(gradient, InversionOptions.builder().steps(50).targetLoss(1e-6).build())
                .invert(wAvg, zMotion, t, camera, target, gradient.fullMask());
        assertEquals(InversionResult.StopReason.TARGET_LOSS, atAnswer.stopReason());
        assertEquals(0, atAnswer.steps());

        // A mask of zeros makes every loss 0: nothing improves, the patience runs out.
        InversionResult masked = new Inverter(gradient, InversionOptions.builder().steps(50).patience(3).build())
                .invert(wAvg, zMotion, t, camera, FloatTensor.zeros(1, 3, o, o), FloatTensor.zeros(1, 1, o, o));
        assertEquals(InversionResult.StopReason.NO_IMPROVEMENT, masked.stopReason());
        assertEquals(3, masked.steps());
    }

    @Test
    void wrongInitialShapeIsRejected() {
        InversionGradient gradient = model.inversionGradient(1);
        int o = manifest.config().outputResolution();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Inverter(gradient,
                InversionOptions.builder().build()).invert(FloatTensor.zeros(2, 64), FloatTensor.zeros(1, 64),
                FloatTensor.vector(0f), FloatTensor.zeros(1, 25), FloatTensor.zeros(1, 3, o, o), gradient.fullMask()));
        assertTrue(e.getMessage().contains("initial w must have shape [1, w_dim]"), e.getMessage());
    }
}
