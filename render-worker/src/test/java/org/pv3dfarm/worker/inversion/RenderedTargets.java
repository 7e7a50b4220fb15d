package org.pv3dfarm.worker.inversion;

import java.util.SplittableRandom;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.Pv3dModel;

/** Inversion targets the model itself rendered. */
final class RenderedTargets {

    private RenderedTargets() {
    }

    /**
     * The render of the latent z of {@code seed} (mapped at the canonical camera, ψ = 1), mean motion, t = 0, at a
     * camera {@code yaw}, {@code pitch} off frontal, full mask. The raw float render: the tiny model's random
     * weights put most values outside [-1, 1] ({@link #clipped}), and an 8-bit copy would not be reachable by any w.
     */
    static InversionTarget of(Pv3dModel model, long seed, double yaw, double pitch) {
        var manifest = model.manifest();
        FloatTensor z = manifest.latentDistribution().z().sample(new SplittableRandom(seed), 1);
        FloatTensor ws = model.mapping(z, FloatTensor.of(Cameras.canonical(manifest), 1, Cameras.CAMERA_SIZE), 1f);
        float[] camera = Cameras.offset(manifest.conventions().camera(), yaw, pitch);
        FloatTensor zMotion = manifest.latentDistribution().zMotion().meanTensor();
        FloatTensor image = model.image(model.synthesis(ws, zMotion, FloatTensor.vector(0f)), ws,
                FloatTensor.of(camera.clone(), 1, Cameras.CAMERA_SIZE));
        int o = manifest.config().outputResolution();
        return new InversionTarget(image, FloatTensor.filled(1f, 1, 1, o, o), camera,
                zMotion, 0f);
    }

    /** The share of the render's values outside [-1, 1] (what the 8-bit picture clips). */
    static double clipped(Pv3dModel model, long seed) {
        var manifest = model.manifest();
        FloatTensor z = manifest.latentDistribution().z().sample(new SplittableRandom(seed), 1);
        FloatTensor ws = model.mapping(z, FloatTensor.of(Cameras.canonical(manifest), 1, Cameras.CAMERA_SIZE), 1f);
        FloatTensor image = model.image(model.synthesis(ws, manifest.latentDistribution().zMotion().meanTensor(),
                FloatTensor.vector(0f)), ws, FloatTensor.of(Cameras.canonical(manifest), 1, Cameras.CAMERA_SIZE));
        int out = 0;
        for (float v : image.data()) {
            out += Math.abs(v) > 1 ? 1 : 0;
        }
        return (double) out / image.data().length;
    }
}
