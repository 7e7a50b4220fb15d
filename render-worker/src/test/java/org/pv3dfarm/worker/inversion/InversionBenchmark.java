package org.pv3dfarm.worker.inversion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.ClipTime;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.GradientKind;
import org.pv3dfarm.model.InversionOptions;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.model.ReconstructionGradient;
import org.pv3dfarm.worker.BenchResults;

/**
 * Inversion figures of issue 6 (not a test): run through {@code bench/inversion-benchmarks}, which builds the
 * classpath: {@code java -cp CP org.pv3dfarm.worker.inversion.InversionBenchmark [--steps 300] [--lr 0.06]
 * [--optimizer LBFGS|ADAM] [--fine-steps N] [--intra-op N] [--count 4] [--parallel-steps 50] [--single-only]
 * [--astronaut demo [--sheet PNG]] [--record]}; {@code --astronaut MODEL} adds the NASA portrait through detect → align → camera → invert on that
 * packaged model ({@code inversion_astronaut_<model>_psnr_db}; {@code --sheet} writes the crop beside the render).
 * <ol>
 *   <li>{@code inversion_psnr_db}, {@code inversion_300_steps_s}: one {@link PortraitInverter} inversion on the
 *       tiny model of an 8-bit render of an unseen latent ({@link RenderedTargets}), after a 5-step warm-up, with
 *       the default options (L-BFGS, coarse to fine with {@code --fine-steps}, default
 *       {@link InversionOptions#DEFAULT_FINE_STEPS}; the forward graphs on {@code --intra-op} threads, default ONNX
 *       Runtime's, the gradient graphs always on one); then {@code inversion_gradient_b1_s} and
 *       {@code inversion_coarse_gradient_b1_s}: one evaluation of each gradient graph, median of 9;</li>
 *   <li>many inversions at once: {@code --count} targets of {@code --parallel-steps} steps, sequentially (1 intra-op
 *       thread and the default) and on 2 threads (1 intra-op thread each, and the default): seconds per batch;</li>
 *   <li>reconstruction: one evaluation of the reconstruction gradient graph (F frames) of the tiny and the demo
 *       model, median of 5 after a warm-up, divided by F: seconds per frame per evaluation.</li>
 * </ol>
 * The machine's load average is printed before and after (the figures are only as good as the quiet).
 */
public final class InversionBenchmark {

    private static InversionOptions.Optimizer optimizer;
    private static int fineSteps;
    private static int singleIntraOp;
    private final Map<String, Object[]> rows = new LinkedHashMap<>();

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            opts.put(args[i], args[i].equals("--record") || args[i].equals("--single-only") ? "true" : args[++i]);
        }
        int steps = Integer.parseInt(opts.getOrDefault("--steps", "300"));
        double lr = Double.parseDouble(opts.getOrDefault("--lr", "0.06"));
        int count = Integer.parseInt(opts.getOrDefault("--count", "4"));
        optimizer = InversionOptions.Optimizer.valueOf(opts.getOrDefault("--optimizer", "LBFGS"));
        int parallelSteps = Integer.parseInt(opts.getOrDefault("--parallel-steps", "50"));
        fineSteps = Integer.parseInt(opts.getOrDefault("--fine-steps",
                String.valueOf(InversionOptions.DEFAULT_FINE_STEPS)));
        singleIntraOp = Integer.parseInt(opts.getOrDefault("--intra-op", "0"));
        System.out.println("load average before: " + load());
        InversionBenchmark bench = new InversionBenchmark();
        ModelManifest tiny = ModelLocator.loadPackaged("tiny");
        bench.single(tiny, steps, lr);
        if (opts.containsKey("--astronaut")) {
            bench.astronaut(ModelLocator.loadPackaged(opts.get("--astronaut")), steps, lr, opts.get("--sheet"));
        }
        if (!opts.containsKey("--single-only")) {
            bench.many(tiny, count, parallelSteps, lr);
            bench.reconstruction(tiny, "tiny");
            bench.reconstruction(ModelLocator.loadPackaged("demo"), "demo");
        }
        System.out.println("load average after: " + load());
        if (opts.containsKey("--record")) {
            BenchResults.record(bench.rows, "bench/inversion-benchmarks " + String.join(" ", args)
                    + "  (java ... InversionBenchmark)");
        }
    }

    private static Pv3dModel open(ModelManifest manifest, int intraOpThreads) {
        return Pv3dModel.open(manifest, ModelOptions.builder().executionProvider(ExecutionProvider.CPU)
                .intraOpThreads(intraOpThreads).build());
    }

    private void single(ModelManifest manifest, int steps, double lr) {
        try (Pv3dModel model = open(manifest, singleIntraOp)) {
            System.out.printf("tiny render values outside [-1, 1]: %.1f %%%n", 100 * RenderedTargets.clipped(model, 4321));
            InversionTarget target = RenderedTargets.of(model, 4321, 0.2, -0.1);
            new PortraitInverter(model, InversionOptions.builder().steps(5).build()).invert(target, InversionProgress.NONE);
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            PortraitInversion result = new PortraitInverter(model, InversionOptions.builder().steps(steps)
                    .learningRate(lr).optimizer(optimizer).fineSteps(fineSteps).build())
                    .invert(target, InversionProgress.NONE);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
            System.out.printf("inversion, %d steps (%s, %d fine; intra-op threads %s): %.2f s (%.1f ms/step; process"
                    + " CPU %.2f s), loss %.4f -> %.3e, PSNR %.2f dB, %d evaluations%n", steps,
                    schedule(model, steps),
                    Math.min(fineSteps, steps), singleIntraOp == 0 ? "default" : singleIntraOp, seconds,
                    1000 * seconds / steps, cpuSeconds, result.result().initialLoss(), result.result().bestLoss(),
                    result.psnrDb(), result.result().evaluations());
            double[] history = result.result().lossHistory();
            StringBuilder trace = new StringBuilder("  loss by step:");
            for (int k = 0; k < history.length; k += Math.max(1, steps / 12)) {
                trace.append(String.format(" %d:%.3e", k, history[k]));
            }
            System.out.println(trace);
            rows.put("inversion_psnr_db", new Object[] {round(result.psnrDb()), "dB"});
            evaluationTimes(model, target);
            if (steps == 300) {
                rows.put("inversion_300_steps_s", new Object[] {round(seconds), "s"});
            }
        }
    }

    private static String schedule(Pv3dModel model, int steps) {
        double fidelity = model.coarseInversionGradient(1).map(g -> g.fidelityDb()).orElse(Double.NaN);
        return fineSteps >= steps ? "full graph only"
                : Double.isNaN(fidelity) ? "no coarse graph"
                : fidelity >= InversionOptions.DEFAULT_MIN_COARSE_FIDELITY_DB
                        ? String.format("coarse to fine, coarse fidelity %.1f dB", fidelity)
                        : String.format("full graph: coarse fidelity %.1f dB below the floor", fidelity);
    }

    /** One evaluation of each batch-1 inversion gradient graph (full, coarse): median of 9 after a warm-up. */
    private void evaluationTimes(Pv3dModel model, InversionTarget target) {
        FloatTensor w = model.averageW();
        Map<String, org.pv3dfarm.model.InversionGradient> graphs = new LinkedHashMap<>();
        graphs.put("inversion_gradient_b1_s", model.inversionGradient(1));
        model.coarseInversionGradient(1).ifPresent(g -> graphs.put("inversion_coarse_gradient_b1_s", g));
        for (Map.Entry<String, org.pv3dfarm.model.InversionGradient> e : graphs.entrySet()) {
            try (var problem = e.getValue().bind(target.zMotion(), FloatTensor.vector(target.t()),
                    target.cameraTensor(), target.target(), target.mask())) {
                double median = medianSeconds(() -> problem.evaluate(w.data()), 9);
                System.out.printf("%-34s %.1f ms per evaluation (median of 9)%n", e.getKey(), 1000 * median);
                rows.put(e.getKey(), new Object[] {round(median), "s"});
            }
        }
    }

    /** The NASA portrait through detect → align → camera → invert on a model; --sheet writes crop | render. */
    private void astronaut(ModelManifest manifest, int steps, double lr, String sheet) throws IOException {
        org.pv3dfarm.worker.face.PreparedPortrait portrait;
        try (var detector = org.pv3dfarm.worker.face.BlazeFaceDetector.open(
                org.pv3dfarm.worker.face.FaceDetectorOptions.defaults())) {
            portrait = new org.pv3dfarm.worker.face.PortraitPreparer(detector, manifest.config().outputResolution())
                    .prepare(org.pv3dfarm.worker.face.TestImages.astronaut(),
                            org.pv3dfarm.worker.face.FaceSelection.SINGLE);
        } catch (org.pv3dfarm.worker.face.FacePreparationException e) {
            throw new IllegalStateException(e);
        }
        try (Pv3dModel model = open(manifest, 0)) {
            PortraitInversion result = new PortraitInverter(model, InversionOptions.builder().steps(steps)
                    .learningRate(lr).optimizer(optimizer).fineSteps(fineSteps).build())
                    .invert(InversionTarget.of(portrait, manifest), InversionProgress.NONE);
            String name = manifest.name().replace("pv3d-", "");
            System.out.printf("astronaut on %s: camera yaw %+.3f pitch %+.3f roll %+.3f, crop side %.0f px; loss %.4f"
                    + " -> %.4f, PSNR %.2f dB, %d evaluations%n", name, portrait.camera().yawOffset(), portrait.camera().pitchOffset(),
                    portrait.camera().roll(), portrait.crop().side(), result.result().initialLoss(),
                    result.result().bestLoss(), result.psnrDb(), result.result().evaluations());
            rows.put("inversion_astronaut_" + name + "_psnr_db", new Object[] {round(result.psnrDb()), "dB"});
            if (sheet != null) {
                int o = portrait.image().width();
                java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(2 * o, o,
                        java.awt.image.BufferedImage.TYPE_INT_RGB);
                org.pv3dfarm.worker.RgbImage[] parts = {portrait.image(), result.renderImage()};
                for (int k = 0; k < 2; k++) {
                    for (int y = 0; y < o; y++) {
                        for (int x = 0; x < o; x++) {
                            out.setRGB(k * o + x, y, parts[k].sample(x, y, 0) << 16 | parts[k].sample(x, y, 1) << 8
                                    | parts[k].sample(x, y, 2));
                        }
                    }
                }
                javax.imageio.ImageIO.write(out, "png", Path.of(sheet).toFile());
            }
        }
    }

    private void many(ModelManifest manifest, int count, int steps, double lr) {
        InversionOptions options = InversionOptions.builder().steps(steps).learningRate(lr).optimizer(optimizer)
                .build();
        for (int intraOp : new int[] {1, 0}) {
            try (Pv3dModel model = open(manifest, intraOp)) {
                List<InversionTarget> targets = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    targets.add(RenderedTargets.of(model, 100 + i, 0.1 * i, 0));
                }
                new PortraitInverter(model, InversionOptions.builder().steps(3).build(), 2, 10)
                        .invertAll(targets.subList(0, 2), InversionProgress.NONE); // warm-up
                for (int parallelism : new int[] {1, 2}) {
                    long start = System.nanoTime();
                    new PortraitInverter(model, options, parallelism, 10).invertAll(targets, InversionProgress.NONE);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    String name = String.format("inversion_%dx%d_steps_%s_intraop%s_s", count, steps,
                            parallelism == 1 ? "sequential" : "parallel" + parallelism, intraOp == 0 ? "default" : intraOp);
                    System.out.printf("%-52s %.2f s%n", name, seconds);
                    rows.put(name, new Object[] {round(seconds), "s"});
                }
            }
        }
    }

    private void reconstruction(ModelManifest manifest, String name) {
        try (Pv3dModel model = open(manifest, 0)) {
            int frames = model.gradientSizes(GradientKind.RECONSTRUCTION).get(0);
            ReconstructionGradient graph = model.reconstructionGradient(frames);
            int o = manifest.config().outputResolution();
            FloatTensor w = model.averageW();
            FloatTensor zm = manifest.latentDistribution().zMotion().meanTensor();
            FloatTensor cams = Cameras.repeat(Cameras.canonical(manifest), frames);
            InversionTarget one = RenderedTargets.of(model, 7, 0, 0);
            FloatTensor targets = FloatTensor.concat(Collections.nCopies(frames, one.target()));
            FloatTensor masks = FloatTensor.filled(1f, frames, 1, o, o);
            FloatTensor t = ClipTime.times(frames, manifest.conventions().time().clipFrames());
            try (ReconstructionGradient.Problem problem = graph.bind(cams, targets, masks)) {
                double median = medianSeconds(() -> problem.evaluate(w.data(), zm.data(), t.data()), 5);
                double perFrame = median / frames;
                System.out.printf("reconstruction gradient (%s, %d frames): %.3f s per evaluation, %.3f s per frame%n",
                        name, frames, median, perFrame);
                rows.put("reconstruction_s_per_frame_" + name, new Object[] {round(perFrame), "s"});
            }
        }
    }

    /** The median wall time of {@code runs} calls after one warm-up call. */
    private static double medianSeconds(Runnable call, int runs) {
        call.run();
        double[] s = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            call.run();
            s[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(s);
        return s[runs / 2];
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
