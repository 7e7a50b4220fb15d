package org.pv3dfarm.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.Pv3dModel;

/**
 * A video a model rendered itself, as prepared faces: w = the average w plus 0.3·N(0, 1) noise and a sampled motion
 * (from the seed), the canonical camera, frame i at t = i / (n − 1), full masks. A fit to these frames can reach
 * them exactly, and starts from codes it was not given.
 */
final class RenderedFaces {

    private RenderedFaces() {
    }

    static List<PreparedFace> of(Pv3dModel model, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = model.averageW().data().clone();
        for (int i = 0; i < w.length; i++) {
            w[i] += (float) (0.3 * random.nextGaussian());
        }
        float[] zMotion = model.manifest().latentDistribution().zMotion().sample(random, 1).data();
        float[] camera = Cameras.canonical(model.manifest());
        FloatTensor ws = model.broadcastWs(FloatTensor.of(w, 1, w.length));
        List<PreparedFace> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FloatTensor rgb = model.image(model.synthesis(ws, FloatTensor.of(zMotion, 1, zMotion.length),
                    FloatTensor.vector((float) i / Math.max(1, n - 1))), ws, FloatTensor.of(camera, 1, camera.length));
            int o = (int) rgb.dim(3);
            frames.add(new PreparedFace(rgb, FloatTensor.filled(1f, 1, 1, o, o), camera,
                    RgbImage.fromSignedUnitChw(rgb.data(), 0, o, o)));
        }
        return frames;
    }
}
