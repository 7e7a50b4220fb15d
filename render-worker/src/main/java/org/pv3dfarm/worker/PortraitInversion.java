package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.Objects;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.InversionOptions;
import org.pv3dfarm.model.InversionResult;
import org.pv3dfarm.model.Inverter;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.model.RenderOutput;
import org.pv3dfarm.protocol.InversionSettings;

/**
 * Appearance inversion of one prepared face: Adam on w ({@link Inverter}, the model's batch-1 inversion gradient
 * graph) from the model's average w, with the motion held at the latent mean and t = 0 (a still portrait is
 * taken as the clip's first instant), under the face's estimated camera. Then one forward render at the found w
 * for the manifest's comparison image.
 *
 * <p>Error figures: the loss is the graph's masked pixel MSE on [-1, 1] images, so the PSNR on the crop is
 * {@code 10·log10(2² / loss)}. Thread-safe (ONNX Runtime sessions are).
 */
public final class PortraitInversion {

    /** What an inversion found. */
    public record Result(float[] w, float[] zMotion, float t, InversionResult fit, RgbImage render, double psnrDb,
            Duration time) {
    }

    private final Pv3dModel model;
    private final GeneratorGraphs graphs;

    /** @param graphs the forward graphs for the comparison render (the model's, or the shared batcher) */
    public PortraitInversion(Pv3dModel model, GeneratorGraphs graphs) {
        this.model = Objects.requireNonNull(model, "model");
        this.graphs = Objects.requireNonNull(graphs, "graphs");
    }

    /** Inverts the face with the request's settings. */
    public Result invert(PreparedFace face, InversionSettings settings) {
        long start = System.nanoTime();
        float[] zMotion = model.manifest().latentDistribution().zMotion().meanTensor().data().clone();
        FloatTensor motion = FloatTensor.of(zMotion, 1, zMotion.length);
        FloatTensor t = FloatTensor.of(new float[] {0f}, 1);
        FloatTensor camera = FloatTensor.of(face.camera().clone(), 1, face.camera().length);
        Inverter inverter = new Inverter(model.inversionGradient(1), options(settings));
        InversionResult fit = inverter.invert(model.averageW(), motion, t, camera, face.target(), face.mask());
        float[] w = fit.w().data().clone();
        RgbImage render = render(w, motion, t, camera);
        return new Result(w, zMotion, 0f, fit, render, psnr(fit.bestLoss()), Duration.ofNanos(System.nanoTime() - start));
    }

    /** The model's inversion options for the request's settings. */
    static InversionOptions options(InversionSettings settings) {
        return InversionOptions.builder().steps(settings.steps()).learningRate(settings.learningRate())
                .targetLoss(settings.targetLoss()).patience(settings.patience()).build();
    }

    /** PSNR of a mean squared error on [-1, 1] images (peak-to-peak 2). */
    public static double psnr(double mse) {
        return 10 * Math.log10(4.0 / Math.max(mse, 1e-12));
    }

    /** The model's image at w, motion and time from a camera (a fit's comparison render). */
    public RgbImage render(float[] w, float[] zMotion, float t, float[] camera) {
        return render(w, FloatTensor.of(zMotion.clone(), 1, zMotion.length), FloatTensor.of(new float[] {t}, 1),
                FloatTensor.of(camera.clone(), 1, camera.length));
    }

    private RgbImage render(float[] w, FloatTensor zMotion, FloatTensor t, FloatTensor camera) {
        FloatTensor ws = model.broadcastWs(FloatTensor.of(w, 1, w.length));
        FloatTensor planes = graphs.synthesis(ws, zMotion, t);
        RenderOutput out = graphs.render(planes, ws, camera);
        FloatTensor rgb = graphs.superResolution(out.features(), out.rawRgb(), ws);
        return RgbImage.fromSignedUnitChw(rgb.data(), 0, (int) rgb.dim(3), (int) rgb.dim(2));
    }
}
