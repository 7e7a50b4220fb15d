package org.pv3dfarm.worker.inversion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.InversionOptions;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.worker.RgbImage;
import org.pv3dfarm.worker.WorkerTestModels;
import org.pv3dfarm.worker.face.BlazeFaceDetector;
import org.pv3dfarm.worker.face.FaceDetectorOptions;
import org.pv3dfarm.worker.face.FaceSelection;
import org.pv3dfarm.worker.face.PortraitPreparer;
import org.pv3dfarm.worker.face.PreparedPortrait;
import org.pv3dfarm.worker.face.TestImages;

/** Inversion through the worker's API on the committed tiny model. */
class PortraitInverterTest {

    static ModelManifest manifest;
    static Pv3dModel model;

    @BeforeAll
    static void open() {
        model = WorkerTestModels.tiny();
        manifest = model.manifest();
    }

    static InversionTarget rendered(long seed, double yaw, double pitch) {
        return RenderedTargets.of(model, seed, yaw, pitch);
    }

    @Test
    void aTargetRenderedFromAnUnseenLatentIsRecoveredAbove30Db() {
        InversionTarget target = rendered(4321, 0.2, -0.1);
        List<int[]> reports = new CopyOnWriteArrayList<>();
        List<Double> losses = new CopyOnWriteArrayList<>();
        PortraitInverter inverter = new PortraitInverter(model, InversionOptions.builder().steps(300).learningRate(0.06)
                .build(), 1, 25);
        PortraitInversion inversion = inverter.invert(target, (index, step, steps, loss) -> {
            reports.add(new int[] {index, step, steps});
            losses.add(loss);
        });
        System.out.printf("inversion of an unseen latent: %.2f dB, loss %.4f -> %.2e%n", inversion.psnrDb(),
                inversion.result().initialLoss(), inversion.result().bestLoss());
        assertTrue(inversion.psnrDb() >= 30, "PSNR " + inversion.psnrDb() + " dB");
        // the PSNR is measured on a fresh render of w, and agrees with the optimiser's loss
        assertTrue(inversion.psnrDb() >= 10 * Math.log10(4 / inversion.result().bestLoss()) - 0.05,
                "clamping never lowers the PSNR below the unclamped loss's");
        assertEquals(12, reports.size(), "progress every 25 of 300 steps");
        for (int i = 0; i < reports.size(); i++) {
            assertEquals(25 * (i + 1), reports.get(i)[1]);
            assertEquals(300, reports.get(i)[2]);
            assertTrue(i == 0 || losses.get(i) <= losses.get(i - 1), "best loss never rises");
        }
        assertEquals(manifest.config().wDim(), inversion.wVector().length);
        assertEquals(manifest.config().outputResolution(), inversion.renderImage().width());
    }

    @Test
    void theAstronautGoesThroughDetectAlignCameraAndInvert() throws Exception {
        RgbImage photo = TestImages.astronaut();
        PreparedPortrait portrait;
        try (BlazeFaceDetector detector = BlazeFaceDetector.open(FaceDetectorOptions.defaults())) {
            portrait = new PortraitPreparer(detector, manifest.config().outputResolution())
                    .prepare(photo, FaceSelection.SINGLE);
        }
        assertTrue(Math.abs(portrait.camera().yawOffset()) < 0.35, "yaw " + portrait.camera().yawOffset());
        PortraitInversion inversion = new PortraitInverter(model, InversionOptions.builder().steps(30).learningRate(0.06)
                .build()).invert(InversionTarget.of(portrait, manifest), InversionProgress.NONE);
        double[] history = inversion.result().lossHistory();
        assertTrue(inversion.result().bestLoss() < 0.9 * history[0], "loss " + history[0] + " -> "
                + inversion.result().bestLoss());
        assertTrue(Double.isFinite(inversion.psnrDb()));
    }

    @Test
    void manyTargetsInvertInParallelAndComeBackInOrder() {
        List<InversionTarget> targets = List.of(rendered(11, 0, 0), rendered(12, 0.1, 0));
        List<Integer> indices = new CopyOnWriteArrayList<>();
        List<PortraitInversion> out = new PortraitInverter(model, InversionOptions.builder().steps(20).build(), 2, 10)
                .invertAll(targets, (index, step, steps, loss) -> indices.add(index));
        assertEquals(2, out.size());
        for (int i = 0; i < 2; i++) {
            InversionTarget own = targets.get(i);
            InversionTarget other = targets.get(1 - i);
            double psnrOwn = out.get(i).psnrDb();
            double psnrOther = Psnr.masked(out.get(i).render(), other.target(), other.mask());
            assertTrue(psnrOwn > psnrOther, "result " + i + " fits its own target: " + psnrOwn + " vs " + psnrOther);
            assertTrue(out.get(i).result().bestLoss() < out.get(i).result().initialLoss());
        }
        assertEquals(4, indices.size(), "two reports (steps 10, 20) per target");
        assertTrue(indices.contains(0) && indices.contains(1));
    }

    @Test
    void aProgressListenerThatThrowsAbandonsTheInversion() {
        PortraitInverter inverter = new PortraitInverter(model, InversionOptions.builder().steps(50).build(), 1, 5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inverter.invert(rendered(3, 0, 0),
                (index, step, steps, loss) -> {
                    if (step >= 5) {
                        throw new IllegalStateException("cancelled at " + step);
                    }
                }));
        assertEquals("cancelled at 5", e.getMessage());
    }
}
