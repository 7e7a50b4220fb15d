package org.pv3dfarm.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Seconds per graph call of a model in ONNX Runtime Java (median of repeated runs after a warm-up), and a
 * 16-frame single-view clip end to end (synthesis + render + super-resolution per frame). Not a test: run it on a
 * quiet machine through {@code bench/model-benchmarks}, which builds the classpath:
 * {@code java -cp CP org.pv3dfarm.model.ModelBenchmark [--model-dir DIR] [--threads N] [--repeats N] [--forward-only]
 * [--baseline-dir DIR] [--record]}; {@code --forward-only} skips the gradient graphs and the clip (minutes each at full
 * size on a CPU). {@code --baseline-dir} also opens another export of the same model (e.g. an earlier commit's) and
 * times both render graphs interleaved, call by call, on the same inputs, by wall clock and by process CPU time
 * ({@code render_interleaved_b*}, {@code render_baseline_interleaved_b*}: a before/after comparison that the machine's load affects alike);
 * {@code --compare-only} runs that comparison alone.
 * With {@code --record} the figures are merged into bench/results.json as {@code ort_<model>_<what>}.
 */
public final class ModelBenchmark {

    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final int repeats;

    private ModelBenchmark(int repeats) {
        this.repeats = repeats;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = options(args);
        int threads = Integer.parseInt(opts.getOrDefault("--threads", "0"));
        ModelManifest m = opts.containsKey("--model-dir") ? ModelManifest.load(Path.of(opts.get("--model-dir")))
                : ModelLocator.loadDefault();
        ModelBenchmark bench = new ModelBenchmark(Integer.parseInt(opts.getOrDefault("--repeats", "15")));
        try (Pv3dModel model = Pv3dModel.open(m, ModelOptions.builder().executionProvider(ExecutionProvider.CPU)
                .intraOpThreads(threads).build())) {
            System.out.printf("%s, %d intra-op threads (0 = ORT default), batch 1:%n", m.name(), threads);
            if (!opts.containsKey("--compare-only")) {
                bench.run(model, m, opts.containsKey("--forward-only"));
            }
            if (opts.containsKey("--baseline-dir")) {
                ModelManifest baseline = ModelManifest.load(Path.of(opts.get("--baseline-dir")));
                try (Pv3dModel before = Pv3dModel.open(baseline, ModelOptions.builder()
                        .executionProvider(ExecutionProvider.CPU).intraOpThreads(threads).build())) {
                    bench.compareRender(model, before, m);
                }
            }
        }
        if (opts.containsKey("--record")) {
            String name = m.name().replace("pv3d-", "").replace('-', '_');
            record(bench.seconds, name, "bench/model-benchmarks  (java ... ModelBenchmark "
                    + String.join(" ", args) + ")");
        }
    }

    private void run(Pv3dModel model, ModelManifest m, boolean forwardOnly) {
        FloatTensor c = FloatTensor.of(Cameras.canonical(m), 1, Cameras.CAMERA_SIZE);
        FloatTensor z = m.latentDistribution().z().sample(new SplittableRandom(1), 1);
        FloatTensor zm = m.latentDistribution().zMotion().sample(new SplittableRandom(2), 1);
        FloatTensor t = FloatTensor.vector(0.5f);
        FloatTensor ws = model.mapping(z, c, 1f);
        FloatTensor planes = model.synthesis(ws, zm, t);
        RenderOutput r = model.render(planes, ws, c);
        time("mapping_s", () -> model.mapping(z, c, 1f));
        time("synthesis_s", () -> model.synthesis(ws, zm, t));
        time("render_s", () -> model.render(planes, ws, c));
        time("superres_s", () -> model.superResolution(r.features(), r.rawRgb(), ws));
        time("density_4096_points_s", () -> model.density(planes, FloatTensor.zeros(1, 4096, 3)));
        time("frame_s", () -> model.image(model.synthesis(ws, zm, t), ws, c));
        if (forwardOnly) {
            return;
        }
        InversionGradient inv = model.inversionGradient(1);
        FloatTensor w = model.averageW();
        FloatTensor target = model.image(planes, ws, c);
        time("inversion_gradient_b1_s", () -> inv.run(w, zm, t, c, target, inv.fullMask()));
        int frames = m.gradientGraphs(GradientKind.RECONSTRUCTION).get(0).size();
        ReconstructionGradient rec = model.reconstructionGradient(frames);
        FloatTensor cams = Cameras.repeat(Cameras.canonical(m), frames);
        FloatTensor targets = FloatTensor.concat(Collections.nCopies(frames, target));
        int o = m.config().outputResolution();
        int clip = m.conventions().time().clipFrames();
        time("reconstruction_gradient_f" + frames + "_s", () -> rec.run(w, zm, ClipTime.times(frames, clip), cams,
                targets, FloatTensor.filled(1f, frames, 1, o, o)));
        FloatTensor clipTimes = ClipTime.times(clip, clip);
        FloatTensor clipCams = Cameras.cameras(Trajectories.orbit(clip), m.conventions().camera());
        time("clip_s", () -> {
            for (int i = 0; i < clip; i++) {
                model.image(model.synthesis(ws, zm, clipTimes.batchItem(i)), ws, clipCams.batchItem(i));
            }
            return null;
        });
    }

    /** Render at batch 1 and 4, this model's graph and the baseline's alternately, medians of wall and CPU time. */
    private void compareRender(Pv3dModel model, Pv3dModel baseline, ModelManifest m) {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        for (int batch : new int[] {1, 4}) {
            FloatTensor c = Cameras.repeat(Cameras.canonical(m), batch);
            FloatTensor z = m.latentDistribution().z().sample(new SplittableRandom(1), batch);
            FloatTensor zm = m.latentDistribution().zMotion().sample(new SplittableRandom(2), batch);
            FloatTensor ws = model.mapping(z, c, 1f);
            FloatTensor planes = model.synthesis(ws, zm, FloatTensor.filled(0.5f, batch));
            Pv3dModel[] models = {model, baseline};
            double[][] wall = new double[2][repeats];
            double[][] cpu = new double[2][repeats];
            for (Pv3dModel each : models) {
                each.render(planes, ws, c); // warm-up
            }
            for (int i = 0; i < repeats; i++) {
                for (int k = 0; k < 2; k++) {
                    long cpu0 = os.getProcessCpuTime();
                    long start = System.nanoTime();
                    models[k].render(planes, ws, c);
                    wall[k][i] = (System.nanoTime() - start) / 1e9;
                    cpu[k][i] = (os.getProcessCpuTime() - cpu0) / 1e9;
                }
            }
            String[] names = {"render_interleaved_b" + batch, "render_baseline_interleaved_b" + batch};
            for (int k = 0; k < 2; k++) {
                Arrays.sort(wall[k]);
                Arrays.sort(cpu[k]);
                seconds.put(names[k] + "_s", wall[k][repeats / 2]);
                seconds.put(names[k] + "_cpu_s", cpu[k][repeats / 2]);
                System.out.printf("  %-32s median %10.4f s  CPU %.4f s  (interleaved, %d runs)%n", names[k],
                        wall[k][repeats / 2], cpu[k][repeats / 2], repeats);
            }
        }
    }

    private void time(String what, Supplier<?> call) {
        call.get(); // warm-up: ONNX Runtime allocates and plans on the first run
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            call.get();
            s[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(s);
        seconds.put(what, s[repeats / 2]);
        System.out.printf("  %-32s median %10.4f s  (min %.4f, %d runs)%n", what, s[repeats / 2], s[0], repeats);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            boolean flag = args[i].equals("--record") || args[i].equals("--forward-only")
                    || args[i].equals("--compare-only");
            opts.put(args[i], flag ? "true" : args[++i]);
        }
        return opts;
    }

    private static void record(Map<String, Double> figures, String model, String command) throws IOException {
        Path file = Path.of("bench", "results.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode all = Files.exists(file) ? (ObjectNode) json.readTree(file.toFile()) : json.createObjectNode();
        figures.forEach((what, value) -> {
            ObjectNode row = all.putObject("ort_" + model + "_" + what);
            row.put("value", Math.round(value * 1e5) / 1e5);
            row.put("unit", "s");
            row.put("command", command);
            row.put("date", LocalDate.now().toString());
        });
        Map<String, Object> sorted = new TreeMap<>(json.convertValue(all, Map.class));
        Files.createDirectories(file.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), sorted);
    }
}
