package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.pv3dfarm.model.Adam;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.InversionOptions;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.model.ReconstructionGradient;
import org.pv3dfarm.protocol.InversionSettings;

/**
 * Fits one appearance code w, one motion code z_motion and every frame's time t to n prepared video frames with
 * the reconstruction gradient graph, which takes a fixed F frames per evaluation (4 in the committed models).
 *
 * <p>Choice: the n frames are split into ⌈n/F⌉ windows of F; a short last window is padded with copies of its
 * last frame whose masks are zero, so they add nothing. Every Adam step evaluates every window at the current
 * (w, z_motion, t) and combines them into one loss and gradient over the whole video: window j's loss (a mean over
 * its real frames) and gradients are weighted by {@code real_j / n}, so the loss is the per-frame mean over all n
 * frames and w and z_motion see every frame at each step (windows fitted one after another would let the last
 * window pull the shared codes its way). t starts evenly spaced over [0, 1] in frame order and is kept in [0, 1].
 * Adam runs on the concatenation [w, z_motion, t], with the learning-rate schedule and early stop of
 * {@link InversionOptions}. A step costs ⌈n/F⌉ graph runs, so the caller bounds n ({@code fit_frames}).
 */
public final class VideoReconstruction {

    /** What the fit found. */
    public record Result(float[] w, float[] zMotion, float[] t, double initialLoss, double loss, int steps,
            String stopReason, Duration time) {

        /** PSNR of the mean masked MSE on [-1, 1] images: {@code 10·log10(2² / loss)}. */
        public double psnrDb() {
            return 10 * Math.log10(4.0 / Math.max(loss, 1e-12));
        }
    }

    /** The stop reason when the caller's stop signal ended the fit. */
    public static final String STOPPED = "stopped";
    /** Steps between progress reports. */
    static final int PROGRESS_EVERY = 10;

    private final Pv3dModel model;

    public VideoReconstruction(Pv3dModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The window size F: the reconstruction graph's frame count (the smallest exported). */
    public int windowFrames() {
        return model.gradientSizes(org.pv3dfarm.model.GradientKind.RECONSTRUCTION).stream().min(Integer::compare)
                .orElseThrow(() -> new IllegalStateException("model " + model.manifest().name()
                        + " has no reconstruction gradient graph"));
    }

    /**
     * Fits the frames.
     *
     * @param stop checked between steps; true ends the fit early with the best codes so far
     */
    public Result fit(List<PreparedFace> frames, InversionSettings settings, BooleanSupplier stop,
            JobContext.Progress progress) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames to fit");
        }
        long start = System.nanoTime();
        InversionOptions options = InversionJobs.options(settings);
        int n = frames.size();
        int f = windowFrames();
        ReconstructionGradient gradient = model.reconstructionGradient(f);
        int wDim = model.manifest().config().wDim();
        int mDim = model.manifest().config().motionDim();
        float[] params = new float[wDim + mDim + n];
        System.arraycopy(model.averageW().data(), 0, params, 0, wDim);
        System.arraycopy(model.manifest().latentDistribution().zMotion().mean(), 0, params, wDim, mDim);
        for (int i = 0; i < n; i++) {
            params[wDim + mDim + i] = n == 1 ? 0f : (float) i / (n - 1);
        }
        List<ReconstructionGradient.Problem> windows = new ArrayList<>();
        try {
            for (int first = 0; first < n; first += f) {
                windows.add(bind(gradient, frames, first, f));
            }
            float[] best = params.clone();
            float[] grad = new float[params.length];
            Adam adam = new Adam(params.length);
            double initial = evaluate(windows, params, grad, n, f, wDim, mDim);
            double current = initial;
            double bestLoss = initial;
            double reference = initial;
            int since = 0;
            int k = 0;
            String reason = "steps";
            while (k < options.steps()) {
                if (!Double.isFinite(current)) {
                    throw new IllegalStateException("reconstruction diverged at step " + k + " (loss " + current
                            + "); lower the learning rate");
                }
                if (options.targetLoss() > 0 && bestLoss <= options.targetLoss()) {
                    reason = "target_loss";
                    break;
                }
                if (stop.getAsBoolean()) {
                    reason = STOPPED;
                    break;
                }
                adam.step(params, grad, options.learningRateAt(k));
                for (int i = wDim + mDim; i < params.length; i++) {
                    params[i] = Math.max(0f, Math.min(1f, params[i]));
                }
                k++;
                current = evaluate(windows, params, grad, n, f, wDim, mDim);
                if (k % PROGRESS_EVERY == 0) {
                    progress.reportSteps(k, options.steps());
                }
                if (current < bestLoss) {
                    bestLoss = current;
                    System.arraycopy(params, 0, best, 0, params.length);
                }
                if (bestLoss < reference * (1 - options.minImprovement())) {
                    reference = bestLoss;
                    since = 0;
                } else if (options.patience() > 0 && ++since >= options.patience()) {
                    reason = "no_improvement";
                    break;
                }
            }
            if (k % PROGRESS_EVERY != 0 || k == 0) {
                progress.reportSteps(k, options.steps());
            }
            return new Result(Arrays.copyOfRange(best, 0, wDim), Arrays.copyOfRange(best, wDim, wDim + mDim),
                    Arrays.copyOfRange(best, wDim + mDim, best.length), initial, bestLoss, k, reason,
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            windows.forEach(ReconstructionGradient.Problem::close);
        }
    }

    /** Loss (per-frame mean over the video) at params; writes the combined gradient into grad. */
    private static double evaluate(List<ReconstructionGradient.Problem> windows, float[] params, float[] grad, int n,
            int f, int wDim, int mDim) {
        Arrays.fill(grad, 0f);
        float[] w = Arrays.copyOfRange(params, 0, wDim);
        float[] zMotion = Arrays.copyOfRange(params, wDim, wDim + mDim);
        double loss = 0;
        for (int j = 0; j < windows.size(); j++) {
            int first = j * f;
            int real = Math.min(f, n - first);
            float[] t = new float[f];
            for (int i = 0; i < f; i++) {
                t[i] = params[wDim + mDim + first + Math.min(i, real - 1)];
            }
            ReconstructionGradient.Result r = windows.get(j).evaluate(w, zMotion, t);
            float weight = (float) real / n;
            loss += weight * r.loss();
            add(grad, 0, r.gradW().data(), weight);
            add(grad, wDim, r.gradZMotion().data(), weight);
            float[] gt = r.gradT().data();
            for (int i = 0; i < real; i++) {
                grad[wDim + mDim + first + i] += weight * gt[i];
            }
        }
        return loss;
    }

    private static void add(float[] into, int offset, float[] values, float weight) {
        for (int i = 0; i < values.length; i++) {
            into[offset + i] += weight * values[i];
        }
    }

    /** Frames [first, first + f) of the video; past its end, the last frame again with a zero mask. */
    private static ReconstructionGradient.Problem bind(ReconstructionGradient gradient, List<PreparedFace> frames,
            int first, int f) {
        List<FloatTensor> targets = new ArrayList<>(f);
        List<FloatTensor> masks = new ArrayList<>(f);
        float[] cameras = new float[f * Cameras.CAMERA_SIZE];
        for (int i = 0; i < f; i++) {
            int index = Math.min(first + i, frames.size() - 1);
            PreparedFace face = frames.get(index);
            targets.add(face.target());
            masks.add(first + i < frames.size() ? face.mask()
                    : FloatTensor.filled(0f, face.mask().shapeCopy()));
            System.arraycopy(face.camera(), 0, cameras, i * Cameras.CAMERA_SIZE, Cameras.CAMERA_SIZE);
        }
        return gradient.bind(FloatTensor.of(cameras, f, Cameras.CAMERA_SIZE), FloatTensor.concat(targets),
                FloatTensor.concat(masks));
    }
}
