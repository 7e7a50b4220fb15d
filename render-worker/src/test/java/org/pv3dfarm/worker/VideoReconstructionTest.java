package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
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
        List<PreparedFace> frames = RenderedFaces.of(model, n, 3);
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
        assertEquals(model.manifest().config().wDim(), fit.w().length);
        assertTrue(fit.psnrDb() > 0);
    }
}
