package org.pv3dfarm.worker.inversion;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.InversionGradient;
import org.pv3dfarm.model.InversionOptions;
import org.pv3dfarm.model.InversionResult;
import org.pv3dfarm.model.Inverter;
import org.pv3dfarm.model.Pv3dModel;

/**
 * GAN inversion of portraits with a frozen model: for each {@link InversionTarget}, Adam on w through the batch-1
 * inversion gradient graph ({@link Inverter}), starting from the model's average w (the mapping of the latent
 * distribution's mean at truncation 0), then a forward render of the best w and its {@link Psnr} on the crop.
 *
 * <p>Many targets ({@link #invertAll}) run as independent batch-1 inversions on {@code parallelism} threads sharing
 * the model's one gradient session (ONNX Runtime sessions are thread-safe; each inversion binds its own inputs).
 * Which parallelism is fastest depends on the model's intra-op threads and the cores: docs/benchmarks.md has the
 * measurement ({@code bench/inversion-benchmarks}); {@link #DEFAULT_PARALLELISM} follows it.
 *
 * <p>Thread-safe.
 */
public final class PortraitInverter {

    /**
     * Inversions run at once by {@link #invertAll} unless told otherwise: 2, measured on an idle 2-core machine
     * (4 × 50 steps: 14.3 s on 2 threads against 23.1 s one after another); on a machine already busy, 1 wins.
     */
    public static final int DEFAULT_PARALLELISM = 2;
    /** Progress is reported every this many steps by default. */
    public static final int DEFAULT_PROGRESS_EVERY = 10;

    private final Pv3dModel model;
    private final InversionOptions options;
    private final int parallelism;
    private final int progressEvery;

    /**
     * @param parallelism   inversions run at once by {@link #invertAll} (≥ 1)
     * @param progressEvery report progress every this many steps (≥ 1)
     */
    public PortraitInverter(Pv3dModel model, InversionOptions options, int parallelism, int progressEvery) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        if (parallelism < 1 || progressEvery < 1) {
            throw new IllegalArgumentException("parallelism and progressEvery must be at least 1, were " + parallelism
                    + " and " + progressEvery);
        }
        if (!model.gradientSizes(org.pv3dfarm.model.GradientKind.INVERSION).contains(1)) {
            throw new IllegalArgumentException("model " + model.manifest().name() + " has no batch-1 inversion graph");
        }
        this.parallelism = parallelism;
        this.progressEvery = progressEvery;
    }

    public PortraitInverter(Pv3dModel model, InversionOptions options) {
        this(model, options, DEFAULT_PARALLELISM, DEFAULT_PROGRESS_EVERY);
    }

    public InversionOptions options() {
        return options;
    }

    public int parallelism() {
        return parallelism;
    }

    /** Inverts one target (reported as index 0). */
    public PortraitInversion invert(InversionTarget target, InversionProgress progress) {
        return invert(0, target, progress);
    }

    /**
     * Inverts every target, {@link #parallelism()} at a time; the results are in the targets' order. The first
     * failure (or exception from {@code progress}) ends the call with it once the running inversions return.
     */
    public List<PortraitInversion> invertAll(List<InversionTarget> targets, InversionProgress progress) {
        List<InversionTarget> all = List.copyOf(targets);
        if (parallelism == 1 || all.size() <= 1) {
            List<PortraitInversion> out = new ArrayList<>(all.size());
            for (int i = 0; i < all.size(); i++) {
                out.add(invert(i, all.get(i), progress));
            }
            return out;
        }
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, all.size()), r -> {
            Thread t = new Thread(r, "pv3d-inversion-" + names.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<PortraitInversion>> futures = new ArrayList<>(all.size());
            for (int i = 0; i < all.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> invert(index, all.get(index), progress)));
            }
            List<PortraitInversion> out = new ArrayList<>(all.size());
            for (Future<PortraitInversion> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while inverting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("inversion failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private PortraitInversion invert(int index, InversionTarget target, InversionProgress progress) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(progress, "progress");
        InversionGradient gradient = model.inversionGradient(1);
        FloatTensor t = FloatTensor.vector(target.t());
        FloatTensor camera = target.cameraTensor();
        int steps = options.steps();
        InversionResult result = new Inverter(gradient, model.coarseInversionGradient(1).orElse(null), options)
                .invert(model.averageW(), target.zMotion(), t, camera,
                target.target(), target.mask(), (step, loss, best) -> {
                    if (step % progressEvery == 0) {
                        progress.onProgress(index, step, steps, best);
                    }
                });
        if (result.steps() % progressEvery != 0 || result.steps() == 0) {
            progress.onProgress(index, result.steps(), steps, result.bestLoss());
        }
        FloatTensor ws = model.broadcastWs(result.w());
        FloatTensor render = model.image(model.synthesis(ws, target.zMotion(), t), ws, camera);
        return new PortraitInversion(result.w(), render, Psnr.masked(render, target.target(), target.mask()), result);
    }
}
