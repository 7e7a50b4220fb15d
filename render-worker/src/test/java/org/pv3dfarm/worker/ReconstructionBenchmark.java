package org.pv3dfarm.worker;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.InversionSettings;

/**
 * The reconstruct job's fit ({@link VideoReconstruction}) timed on a model's frames. Not a test:
 * {@code bench/reconstruction-benchmarks [--model tiny|demo] [--frames 8] [--steps 20] [--record]} renders
 * {@code frames} frames from a random w and motion ({@link RenderedFaces}), fits them for {@code steps} steps (no early
 * stop), and prints seconds per step, per fitted frame and step, and per window evaluation (each step runs
 * ⌈frames/4⌉ windows of the 4-frame reconstruction graph), plus the fit's PSNR. {@code --record} merges them into
 * bench/results.json as {@code reconstruction_MODEL_*}.
 */
public final class ReconstructionBenchmark {

    private ReconstructionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String name = option(args, "--model", "tiny");
        int n = Integer.parseInt(option(args, "--frames", "8"));
        int steps = Integer.parseInt(option(args, "--steps", "20"));
        try (Pv3dModel model = Pv3dModel.open(ModelLocator.loadPackaged(name),
                ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build())) {
            List<PreparedFace> frames = RenderedFaces.of(model, n, 11);
            VideoReconstruction reconstruction = new VideoReconstruction(model);
            int windows = (n + reconstruction.windowFrames() - 1) / reconstruction.windowFrames();
            // warm-up: sessions and first-run allocations
            reconstruction.fit(frames, new InversionSettings(1, 0.05, null, 0), () -> false, (d, t) -> { });
            long start = System.nanoTime();
            VideoReconstruction.Result fit = reconstruction.fit(frames, new InversionSettings(steps, 0.05, null, 0),
                    () -> false, (d, t) -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            int evaluations = (fit.steps() + 1) * windows;
            Map<String, Object[]> rows = new TreeMap<>();
            rows.put("reconstruction_" + name + "_step_s", new Object[] {round(seconds / (fit.steps() + 1)),
                    "s per Adam step over " + n + " frames (" + windows + " windows of 4)"});
            rows.put("reconstruction_" + name + "_s_per_frame_step", new Object[] {round(seconds / (fit.steps() + 1) / n),
                    "s per fitted frame per step"});
            rows.put("reconstruction_" + name + "_window_s", new Object[] {round(seconds / evaluations),
                    "s per 4-frame window evaluation (loss + gradients)"});
            rows.put("reconstruction_" + name + "_psnr_db", new Object[] {round(fit.psnrDb()),
                    "dB after " + fit.steps() + " steps from the average w (initial loss " + round(fit.initialLoss())
                            + ", final " + round(fit.loss()) + ")"});
            rows.forEach((k, v) -> System.out.println(k + " = " + v[0] + "  (" + v[1] + ")"));
            if (Arrays.asList(args).contains("--record")) {
                BenchResults.record(rows, "bench/reconstruction-benchmarks " + String.join(" ", args));
            }
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
