package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.InversionSettings;

/**
 * The windowed video fit on frames the demo model rendered from codes it never starts from: five frames, so two
 * windows of the graph's four, the second padded with masked-out frames.
 */
class VideoReconstructionTest {

    @Test
    void fittingFiveFramesOverTwoWindowsLowersTheLossAndKeepsTimesInRange() {
        Pv3dModel model = WorkerTestModels.defaultModel();
        int n = 5;
        float[] w = model.averageW().data().clone();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < w.length; i++) {
            w[i] += (float) (0.3 * random.nextGaussian());
        }
        float[] zMotion = model.manifest().latentDistribution().zMotion().sample(random, 1).data();
        float[] camera = Cameras.canonical(model.manifest());
        FloatTensor ws = model.broadcastWs(FloatTensor.of(w, 1, w.length));
        List<PreparedFace> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FloatTensor rgb = model.image(model.synthesis(ws, FloatTensor.of(zMotion, 1, zMotion.length),
                    FloatTensor.vector(i / 4f)), ws, FloatTensor.of(camera, 1, camera.length));
            int o = (int) rgb.dim(3);
            frames.add(new PreparedFace(rgb, FloatTensor.filled(1f, 1, 1, o, o), camera,
                    RgbImage.fromSignedUnitChw(rgb.data(), 0, o, o)));
        }
        VideoReconstruction reconstruction = new VideoReconstruction(model);
        assertEquals(4, reconstruction.windowFrames());
        AtomicInteger reported = new AtomicInteger();
        VideoReconstruction.Result fit = reconstruction.fit(frames, new InversionSettings(2, 0.05, null, 0),
                () -> false, new JobContext.Progress() {
                    @Override
                    public void report(int done, int total) {
                    }

                    @Override
                    public void reportSteps(int done, int total) {
                        reported.set(done);
                        assertEquals(2, total);
                    }
                });

        assertEquals(2, fit.steps());
        assertEquals(2, reported.get(), "progress in steps, the last step included");
        assertTrue(fit.loss() < fit.initialLoss(), "loss " + fit.initialLoss() + " -> " + fit.loss());
        assertEquals(n, fit.t().length);
        for (float t : fit.t()) {
            assertTrue(t >= 0 && t <= 1, "t within [0, 1]: " + t);
        }
        assertEquals(w.length, fit.w().length);
        assertTrue(fit.psnrDb() > 0);
    }
}
