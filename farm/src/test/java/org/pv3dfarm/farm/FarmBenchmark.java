package org.pv3dfarm.farm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.GraphRole;
import org.pv3dfarm.model.RenderOutput;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.ViewSpec;
import org.pv3dfarm.worker.BatchingGeneratorGraphs;
import org.pv3dfarm.worker.CameraPlan;
import org.pv3dfarm.worker.CameraPlanner;
import org.pv3dfarm.worker.JobLatents;
import org.pv3dfarm.worker.DynamicBatcher;
import org.pv3dfarm.worker.FrameRenderer;
import org.pv3dfarm.worker.GeneratorGraphs;
import org.pv3dfarm.worker.InferenceLayout;
import org.pv3dfarm.worker.LatentSampler;
import org.pv3dfarm.worker.RenderStats;
import org.pv3dfarm.worker.WorkerConfig;

/**
 * The worker-throughput benchmark of issue 5, every comparison in one run on one machine. Not a test: run it
 * through {@code bench/farm-benchmarks}, which builds the classpath.
 *
 * <ol>
 *   <li>ONNX Runtime session settings (intra-op threads × memory arena), timed on the worker's inference loop.</li>
 *   <li>The raw ONNX Runtime loop: the worker's own {@link FrameRenderer} on the model's graphs, no batcher, no
 *       encoding, no Kafka or object store, at every batch size of the scaling table; per-stage times.</li>
 *   <li>Extra views: 1 against 4 views per frame on the same planes.</li>
 *   <li>FLOPs (exactly counted by {@code pv3d.flops}) and the peak FLOP/s of a large MatMul and Conv in ORT.</li>
 *   <li>Eager PyTorch ({@code pv3d.bench}) at its best batch and thread count, and at batch 1.</li>
 *   <li>The farm end to end (HTTP → Kafka → worker → MP4 → S3 → completed event), then the worker's resident
 *       memory over many small jobs.</li>
 * </ol>
 *
 * <p>{@code java -cp CP org.pv3dfarm.farm.FarmBenchmark [--model-dir DIR] [--jobs 24] [--frames 16]
 * [--rss-jobs 1000] [--skip-pytorch] [--skip-farm] [--flops-only] [--farm-only [--intra-op N]] [--views-only] [--layouts default,1x2/j3,default/b8-16,2x1 [--farm-rounds R]] [--warmup-jobs N] [--profile-only]
 * [--record]}; {@code --intra-op} sets the raw loop's threads, {@code --layouts} the farm worker's intra-op threads ×
 * inference lanes;
 * {@code --profile-only} prints the ORT profiler's operator shares of each graph alone (e.g. to compare an
 * earlier export: {@code --model-dir DIR --profile-only}); with
 * {@code --record} the figures are merged into
 * {@code bench/results.json}.
 */
public final class FarmBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] BATCHES = {1, 2, 4, 8, 16};

    private final Map<String, String> opts;
    private final FarmBenchResults results = new FarmBenchResults();
    private final ModelManifest manifest;
    private final Path modelDir;
    private final int frames;
    private final int jobs;
    private final WorkerConfig workerDefaults;

    private FarmBenchmark(Map<String, String> opts) {
        this.opts = opts;
        this.modelDir = opts.containsKey("--model-dir") ? Path.of(opts.get("--model-dir")).toAbsolutePath()
                : ModelLocator.loadDefault().directory();
        this.manifest = ModelManifest.load(modelDir);
        this.frames = Integer.parseInt(opts.getOrDefault("--frames", "16"));
        this.jobs = Integer.parseInt(opts.getOrDefault("--jobs", "24"));
        this.workerDefaults = WorkerConfig.from(Map.of(), Map.of());
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            opts.put(args[i], flag ? "" : args[++i]);
        }
        FarmBenchmark bench = new FarmBenchmark(opts);
        bench.runAll();
        if (opts.containsKey("--record")) {
            bench.results.mergeInto(Path.of("bench/results.json"), "bench/farm-benchmarks "
                    + String.join(" ", args).replace("--record", "").trim());
        }
    }

    private void runAll() throws Exception {
        System.out.printf("model %s (%s), %d cores, %d jobs x %d frames%n", manifest.name(), modelDir,
                Runtime.getRuntime().availableProcessors(), jobs, frames);
        if (opts.containsKey("--flops-only")) {
            flopUtilization(ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build());
            return;
        }
        if (opts.containsKey("--profile-only")) {
            ModelOptions defaults = ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build();
            try (Pv3dModel model = Pv3dModel.open(manifest, defaults)) {
                operatorProfiles(model, defaults, workerDefaults.batchFrames());
            }
            return;
        }
        boolean farmOnly = opts.containsKey("--farm-only");
        ModelOptions chosen = farmOnly ? farmOnlySettings() : sessionSettings();
        int rounds = Math.max(3, jobs / 4);
        int workerBatch = workerDefaults.batchFrames();
        Map<Integer, RenderStats> scaling = new LinkedHashMap<>();
        Map<Integer, Double> cpuPerFrame = new LinkedHashMap<>();
        double rawFps;
        double bestFps = 0;
        try (Pv3dModel model = Pv3dModel.open(manifest, chosen)) {
            GeneratorGraphs graphs = GeneratorGraphs.of(model);
            renderLoop(graphs, 1, 1); // warm-up of every graph
            if (opts.containsKey("--views-only")) {
                renderLoop(graphs, 4, workerBatch);
                extraViews(graphs, workerBatch, rounds);
                return;
            }
            if (farmOnly) {
                rawLanes(workerBatch, rounds);
                farm(() -> interleaved(List.of(new Setup(graphs, 1, workerBatch)), rounds).values().iterator().next(),
                        chosen);
                return;
            }
            System.out.printf("%nbatch-size scaling, raw ONNX Runtime loop (1 view; ms per frame, median clip of %d, "
                    + "batch sizes interleaved):%n", rounds);
            System.out.println("| batch | synthesis | render | super-resolution | total | frames/s "
                    + "| CPU ms per frame |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
            List<Setup> setups = new ArrayList<>();
            for (int batch : BATCHES) {
                setups.add(new Setup(graphs, 1, batch));
            }
            Map<Setup, Measured> medians = interleaved(setups, rounds);
            int bestBatch = 1;
            for (Setup setup : setups) {
                RenderStats s = medians.get(setup).stats();
                scaling.put(setup.batch(), s);
                cpuPerFrame.put(setup.batch(), medians.get(setup).cpuSeconds() / frames);
                double fps = frames / seconds(s.total());
                System.out.printf("| %d | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f |%n", setup.batch(),
                        ms(s.synthesis(), frames), ms(s.render(), frames), ms(s.superResolution(), frames),
                        ms(s.total(), frames), fps, 1000 * cpuPerFrame.get(setup.batch()));
                results.put("ort_loop_b" + setup.batch() + "_fps", fps, "frames/s");
                if (fps > bestFps) {
                    bestFps = fps;
                    bestBatch = setup.batch();
                }
            }
            results.put("ort_loop_best_batch", bestBatch, "frames");
            RenderStats raw = scaling.get(workerBatch);
            rawFps = frames / seconds(raw.total());
            printShares("raw loop at the worker's batch " + workerBatch, raw);

            extraViews(graphs, workerBatch, rounds);
            operatorProfiles(model, chosen, workerBatch);
            flopUtilization(chosen);
            double leastCpu = cpuPerFrame.values().stream().min(Double::compare).orElseThrow();
            results.put("ort_loop_cpu_ms_per_frame", 1000 * leastCpu, "CPU ms");
            if (!opts.containsKey("--skip-pytorch")) {
                pytorch(bestFps, leastCpu);
            }
            if (!opts.containsKey("--skip-farm")) {
                rawLanes(workerBatch, rounds);
                // The farm's baseline: the same graphs at the worker's batch, measured again right before the farm.
                farm(() -> interleaved(List.of(new Setup(graphs, 1, workerBatch)), rounds).values().iterator().next(),
                        chosen);
            }
        }
        System.out.println("\nresults: " + results.values());
    }

    /**
     * Beside the raw loop (not instead of it): the raw loop in the worker's default layout, one loop per inference
     * lane at once, each on one session with the layout's intra-op threads: what the farm's inference could do with
     * nothing else on the cores.
     */
    private void rawLanes(int batch, int rounds) throws Exception {
        InferenceLayout layout = workerDefaults.inferenceLayout();
        ModelOptions options = ModelOptions.builder().executionProvider(ExecutionProvider.CPU)
                .intraOpThreads(layout.intraOpThreads()).build();
        ExecutorService loops = Executors.newFixedThreadPool(layout.lanes());
        try (Pv3dModel model = Pv3dModel.open(manifest, options)) {
            GeneratorGraphs graphs = GeneratorGraphs.of(model);
            renderLoop(graphs, 1, batch);
            List<Double> fps = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                int seed = round;
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                List<Future<RenderStats>> clips = new ArrayList<>();
                for (int lane = 0; lane < layout.lanes(); lane++) {
                    clips.add(loops.submit(() -> renderLoop(new Setup(graphs, 1, batch), seed)));
                }
                for (Future<RenderStats> clip : clips) {
                    clip.get();
                }
                int done = layout.lanes() * frames;
                fps.add(done / ((System.nanoTime() - start) / 1e9));
                cpu.add((processCpuNanos() - cpuStart) / 1e6 / done);
            }
            Collections.sort(fps);
            Collections.sort(cpu);
            double medianFps = fps.get(fps.size() / 2);
            System.out.printf("%nraw ORT loop in the worker's layout (%d loops at once, %d intra-op thread(s) each, batch "
                    + "%d, median of %d): %.1f frames/s, %.2f CPU ms a frame%n", layout.lanes(),
                    layout.intraOpThreads(), batch, rounds, medianFps, cpu.get(cpu.size() / 2));
            results.put("raw_ort_lanes_fps", medianFps, "frames/s");
        } finally {
            loops.shutdown();
        }
    }

    /** One configuration of the inference loop. */
    /** {@code --farm-only}: ORT's defaults, or {@code --intra-op N} threads per graph call of the raw loop. */
    private ModelOptions farmOnlySettings() {
        ModelOptions.Builder b = ModelOptions.builder().executionProvider(ExecutionProvider.CPU);
        if (opts.containsKey("--intra-op")) {
            b.intraOpThreads(Integer.parseInt(opts.get("--intra-op")));
        }
        return b.build();
    }

    private record Setup(GeneratorGraphs graphs, int views, int batch, int rowsPerCall) {
        /** The worker's renderer as configured: its default rows per render call. */
        Setup(GeneratorGraphs graphs, int views, int batch) {
            this(graphs, views, batch, batch);
        }
    }

    /** A setup's median clip by wall time, and its median process CPU seconds per clip (robust to other load). */
    private record Measured(RenderStats stats, double cpuSeconds) {
    }

    /**
     * Runs one clip of every setup in turn, {@code rounds} times, so that bursts of load from other processes hit
     * every setup alike; returns each setup's median clip.
     */
    private Map<Setup, Measured> interleaved(List<Setup> setups, int rounds) throws Exception {
        Map<Setup, List<RenderStats>> clips = new LinkedHashMap<>();
        Map<Setup, List<Double>> cpu = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Setup setup : setups) {
                long cpuStart = processCpuNanos();
                clips.computeIfAbsent(setup, k -> new ArrayList<>())
                        .add(renderLoop(setup, round));
                cpu.computeIfAbsent(setup, k -> new ArrayList<>()).add((processCpuNanos() - cpuStart) / 1e9);
            }
        }
        Map<Setup, Measured> medians = new LinkedHashMap<>();
        clips.forEach((setup, list) -> {
            List<RenderStats> sorted = new ArrayList<>(list);
            sorted.sort((a, b) -> a.total().compareTo(b.total()));
            List<Double> cpus = new ArrayList<>(cpu.get(setup));
            cpus.sort(Double::compare);
            medians.put(setup, new Measured(sorted.get(sorted.size() / 2), cpus.get(cpus.size() / 2)));
        });
        return medians;
    }

    /** CPU time of this JVM, all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Item 7: intra-op threads × memory arena, each a model of its own, timed interleaved on the inference loop;
     * the fastest is used from here on.
     */
    private ModelOptions sessionSettings() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> threadCounts = cores > 1 ? List.of(1, cores) : List.of(1);
        Map<Setup, ModelOptions> settings = new LinkedHashMap<>();
        List<Pv3dModel> models = new ArrayList<>();
        try {
            for (int threads : threadCounts) {
                for (boolean arena : new boolean[] {true, false}) {
                    ModelOptions options = ModelOptions.builder().executionProvider(ExecutionProvider.CPU)
                            .intraOpThreads(threads).memoryArena(arena).build();
                    Pv3dModel model = Pv3dModel.open(manifest, options);
                    models.add(model);
                    Setup setup = new Setup(GeneratorGraphs.of(model), 1, 4);
                    renderLoop(setup.graphs(), 1, 4);
                    settings.put(setup, options);
                }
            }
            int rounds = Math.max(3, jobs / 6);
            Map<Setup, Measured> medians = interleaved(new ArrayList<>(settings.keySet()), rounds);
            System.out.printf("%nONNX Runtime session settings (batch 4, 1 view, ms per frame, median clip of %d, "
                    + "interleaved):%n", rounds);
            System.out.println("| intra-op threads | memory arena | ms per frame | CPU ms per frame |");
            System.out.println("| --- | --- | --- | --- |");
            ModelOptions best = null;
            double bestMs = Double.MAX_VALUE;
            for (Map.Entry<Setup, ModelOptions> e : settings.entrySet()) {
                ModelOptions options = e.getValue();
                double msPerFrame = ms(medians.get(e.getKey()).stats().total(), frames);
                System.out.printf("| %d | %s | %.2f | %.2f |%n", options.intraOpThreads(),
                        options.memoryArena() ? "on" : "off", msPerFrame,
                        medians.get(e.getKey()).cpuSeconds() * 1000 / frames);
                results.put("ort_settings_t" + options.intraOpThreads() + (options.memoryArena() ? "_arena"
                        : "_noarena") + "_frame_ms", msPerFrame, "ms");
                if (msPerFrame < bestMs) {
                    bestMs = msPerFrame;
                    best = options;
                }
            }
            System.out.printf("chosen: %d intra-op threads, arena %s (inter-op threads only act in ORT's parallel "
                    + "execution mode, which the sequential graphs do not use)%n", best.intraOpThreads(),
                    best.memoryArena() ? "on" : "off");
            return best;
        } finally {
            models.forEach(Pv3dModel::close);
        }
    }

    private RenderStats renderLoop(GeneratorGraphs graphs, int views, int batch) throws Exception {
        return renderLoop(new Setup(graphs, views, batch), 0);
    }

    /** One clip through the worker's inference loop (its {@link FrameRenderer}) on the given graphs; no encoding. */
    private RenderStats renderLoop(Setup setup, int seed) throws Exception {
        int views = setup.views();
        ViewSpec[] specs = new ViewSpec[views];
        for (int v = 0; v < views; v++) {
            specs[v] = ViewSpec.fixed(FarmThroughput.yaw(v, views), Math.PI / 2);
        }
        GenerateRequest request = GenerateRequest.builder().jobId(UUID.randomUUID()).seed(100L + seed)
                .frames(frames).views(specs).outputs(OutputOptions.MP4_ONLY).build();
        return new FrameRenderer(setup.graphs(), setup.batch(), 0, setup.rowsPerCall())
                .render(new LatentSampler(manifest).sample(request),
                new CameraPlanner(manifest).plan(request), false, b -> { });
    }

    /**
     * extra_view_overhead_ratio: what each view beyond the first adds, over that view's render + SR alone; the
     * worker's renderer (one view's rows per render call) interleaved with all 4 views' rows in one call.
     */
    private void extraViews(GeneratorGraphs graphs, int batch, int rounds) throws Exception {
        Setup single = new Setup(graphs, 1, batch);
        Setup quad = new Setup(graphs, 4, batch);
        Setup quadOneCall = new Setup(graphs, 4, batch, 4 * batch);
        Map<Setup, Measured> medians = interleaved(List.of(single, quad, quadOneCall), rounds);
        System.out.printf("%nall 4 views' rows in one render call (%d rows):%n", 4 * batch);
        double oneCall = extraViewRatio(medians.get(single), medians.get(quadOneCall), batch, rounds,
                "extra_view_overhead_one_call_cpu_ratio");
        results.put("extra_view_overhead_one_call_ratio", oneCall, "ratio");
        System.out.printf("%nthe worker's renderer (at most %d rows a render call):%n", batch);
        results.put("extra_view_overhead_ratio", extraViewRatio(medians.get(single), medians.get(quad), batch, rounds,
                "extra_view_overhead_cpu_ratio"), "ratio");
        results.put("ort_loop_4views_fps", 4 * frames / seconds(medians.get(quad).stats().total()), "view-frames/s");
    }

    /** Each extra view's wall time over one view's render + SR alone; records the CPU-time ratio too. */
    private double extraViewRatio(Measured single, Measured quad, int batch, int rounds, String cpuMetric) {
        RenderStats one = single.stats();
        RenderStats four = quad.stats();
        double cpuExtra = (quad.cpuSeconds() - single.cpuSeconds()) / 3;
        // CPU seconds of the single view's render + SR: its share of the clip's CPU time, by wall-time share.
        double cpuAlone = single.cpuSeconds() * seconds(one.render().plus(one.superResolution()))
                / seconds(one.total());
        System.out.printf("by CPU time: each extra view %.2f CPU ms per frame = %.3f x its own render + SR%n",
                1000 * cpuExtra / frames, cpuExtra / cpuAlone);
        results.put(cpuMetric, cpuExtra / cpuAlone, "ratio");
        double oneMs = ms(one.total(), frames);
        double fourMs = ms(four.total(), frames);
        double aloneMs = ms(one.render().plus(one.superResolution()), frames);
        double extraMs = (fourMs - oneMs) / 3;
        System.out.printf("%nviews (batch %d, ms per frame, median clip of %d, interleaved): 1 view %.2f (render + SR "
                + "%.2f), 4 views %.2f (synthesis %.2f, render %.2f, SR %.2f); each extra view adds %.2f ms = %.3f x "
                + "its own render + SR%n", batch, rounds, oneMs, aloneMs, fourMs, ms(four.synthesis(), frames),
                ms(four.render(), frames), ms(four.superResolution(), frames), extraMs, extraMs / aloneMs);
        return extraMs / aloneMs;
    }

    /** Where each graph's time goes, by operator type (ORT's profiler), at the worker's batch. */
    private void operatorProfiles(Pv3dModel model, ModelOptions options, int batch) throws Exception {
        System.out.printf("%nkernel time by operator (ORT profiler, batch %d, 5 runs):%n", batch);
        for (Map.Entry<GraphRole, Map<String, FloatTensor>> e : stageInputs(model, batch).entrySet()) {
            Map<String, Long> byOp = OperatorProfile.measure(manifest, e.getKey(), options, e.getValue(), 5);
            long kernelMicros = byOp.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("  %s (kernel time %.1f ms a run): %s%n", e.getKey().name().toLowerCase(Locale.ROOT),
                    kernelMicros / 5e3, OperatorProfile.shares(byOp));
        }
    }

    /** Real inputs of synthesis, render and super-resolution for {@code batch} frames of one clip. */
    private Map<GraphRole, Map<String, FloatTensor>> stageInputs(Pv3dModel model, int batch) throws Exception {
        GenerateRequest request = GenerateRequest.builder().jobId(UUID.randomUUID()).seed(7L).frames(batch)
                .views(ViewSpec.orbit()).outputs(OutputOptions.MP4_ONLY).build();
        JobLatents latents = new LatentSampler(manifest).sample(request);
        CameraPlan plan = new CameraPlanner(manifest).plan(request);
        FloatTensor ws = FloatTensor.concat(Collections.nCopies(batch, model.mapping(
                FloatTensor.of(latents.z(), 1, latents.z().length), plan.conditioningTensor(),
                latents.truncationPsi())));
        FloatTensor zMotion = FloatTensor.concat(Collections.nCopies(batch,
                FloatTensor.of(latents.zMotion(), 1, latents.zMotion().length)));
        FloatTensor t = plan.times(0, batch);
        FloatTensor planes = model.synthesis(ws, zMotion, t);
        FloatTensor cameras = plan.views().get(0).cameras(0, batch);
        RenderOutput rendered = model.render(planes, ws, cameras);
        Map<GraphRole, Map<String, FloatTensor>> inputs = new LinkedHashMap<>();
        inputs.put(GraphRole.SYNTHESIS, Map.of("ws", ws, "z_motion", zMotion, "t", t));
        inputs.put(GraphRole.RENDER, Map.of("planes", planes, "ws", ws, "camera", cameras));
        inputs.put(GraphRole.SUPERRES, Map.of("features", rendered.features(), "raw_rgb", rendered.rawRgb(), "ws", ws));
        return inputs;
    }

    /** cpu_flops_utilization: achieved FLOP/s of synthesis and SR over ORT's peak on a big MatMul / Conv. */
    private void flopUtilization(ModelOptions options) throws Exception {
        Path peakDir = Files.createTempDirectory("pv3d-peak");
        JsonNode flops = python(List.of("-m", "pv3d.flops", "--model-dir", modelDir.toString(), "--peak-graphs",
                peakDir.toString()));
        long synthesisFlops = flops.path("synthesis").path("flops").asLong();
        long renderFlops = flops.path("render").path("flops").asLong();
        long srFlops = flops.path("superres").path("flops").asLong();
        double matmul = PeakFlops.measure(Path.of(flops.path("peak_graphs").path("matmul").path("file").asText()),
                flops.path("peak_graphs").path("matmul").path("flops").asLong(), 9);
        double conv = PeakFlops.measure(Path.of(flops.path("peak_graphs").path("conv").path("file").asText()),
                flops.path("peak_graphs").path("conv").path("flops").asLong(), 9);
        double peak = Math.max(matmul, conv);
        // Achieved, on one core in CPU time like the peak: each stage at its best batch of 1, 4 and 16.
        double synthesisCpu = Double.MAX_VALUE;
        double srCpu = Double.MAX_VALUE;
        try (Pv3dModel single = Pv3dModel.open(manifest, options.toBuilder().intraOpThreads(1).build())) {
            for (int batch : new int[] {1, 4, 16}) {
                Map<GraphRole, Map<String, FloatTensor>> inputs = stageInputs(single, batch);
                synthesisCpu = Math.min(synthesisCpu, bestCpu(single, GraphRole.SYNTHESIS, inputs, 7) / batch);
                srCpu = Math.min(srCpu, bestCpu(single, GraphRole.SUPERRES, inputs, 7) / batch);
            }
        }
        double achieved = (synthesisFlops + srFlops) / (synthesisCpu + srCpu);
        System.out.printf("%nFLOPs per frame (exact, MatMul/Conv): synthesis %.1f M, render %.1f M, super-resolution "
                + "%.1f M%n", synthesisFlops / 1e6, renderFlops / 1e6, srFlops / 1e6);
        System.out.printf("peak ORT, one core (CPU time): MatMul 2048^3 %.1f GFLOP/s, Conv 3x3 128->128 %.1f GFLOP/s%n",
                matmul / 1e9, conv / 1e9);
        System.out.printf("achieved, one core: synthesis %.1f GFLOP/s (%.2f CPU ms per frame), super-resolution "
                + "%.1f GFLOP/s (%.2f ms), together %.1f GFLOP/s = %.3f of peak%n", synthesisFlops / synthesisCpu / 1e9,
                synthesisCpu * 1000, srFlops / srCpu / 1e9, srCpu * 1000, achieved / 1e9, achieved / peak);
        results.put("flops_synthesis_per_frame", synthesisFlops, "FLOP");
        results.put("flops_render_per_view", renderFlops, "FLOP");
        results.put("flops_superres_per_view", srFlops, "FLOP");
        results.put("ort_peak_matmul_gflops_per_core", matmul / 1e9, "GFLOP/s");
        results.put("ort_peak_conv_gflops_per_core", conv / 1e9, "GFLOP/s");
        results.put("synthesis_gflops_per_core", synthesisFlops / synthesisCpu / 1e9, "GFLOP/s");
        results.put("superres_gflops_per_core", srFlops / srCpu / 1e9, "GFLOP/s");
        results.put("cpu_flops_utilization", achieved / peak, "ratio");
    }

    /** The best CPU seconds of the calling thread for one run of a graph (one intra-op thread: ORT runs inline). */
    private static double bestCpu(Pv3dModel model, GraphRole role, Map<GraphRole, Map<String, FloatTensor>> inputs,
            int runs) {
        model.run(role, inputs.get(role)); // warm-up of this shape
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long start = PeakFlops.threadCpuNanos();
            model.run(role, inputs.get(role));
            best = Math.min(best, PeakFlops.threadCpuNanos() - start);
        }
        return best / 1e9;
    }

    /** Eager PyTorch on the same CPU, best batch and thread count, and batch 1 (pv3d.bench). */
    private void pytorch(double ortBestFps, double ortCpuPerFrame) throws Exception {
        String preset = manifest.name().replace("pv3d-", "");
        JsonNode report = python(List.of("-m", "pv3d.bench", "--configs", preset, "--frames",
                String.valueOf(frames)));
        JsonNode one = report.path(preset).path("1");
        double best = frames / one.path("best_s").asDouble();
        double batch1 = frames / one.path("batch1_s").asDouble();
        System.out.printf("%neager PyTorch (%s preset): best %.1f frames/s (batch %d, %d threads), batch 1 %.1f "
                + "frames/s; 4 views %.1f view-frames/s%n", preset, best, one.path("best_batch").asInt(),
                one.path("best_threads").asInt(), batch1, 4 * frames / report.path(preset).path("4").path("best_s")
                        .asDouble());
        double pytorchCpu = one.path("min_cpu_s").asDouble() / frames;
        System.out.printf("CPU per frame: eager PyTorch %.2f ms (its most frugal configuration), ORT loop %.2f ms%n",
                1000 * pytorchCpu, 1000 * ortCpuPerFrame);
        results.put("pytorch_cpu_ms_per_frame", 1000 * pytorchCpu, "CPU ms");
        results.put("pytorch_best_fps", best, "frames/s");
        results.put("pytorch_batch1_fps", batch1, "frames/s");
        results.put("ort_loop_vs_pytorch_ratio", ortBestFps / best, "ratio");
    }

    /** The raw loop's median clip, measured again right before each farm run. */
    @FunctionalInterface
    private interface RawLoop {
        Measured measure() throws Exception;
    }

    /**
     * The farm end to end, then the worker's resident memory over many small jobs. The worker runs with its own
     * defaults for intra-op threads and inference lanes ({@link org.pv3dfarm.worker.InferenceLayout}), or with each
     * of {@code --layouts T1xL1,T2xL2,...} ("default" for the worker's defaults; unless given: default,
     * default/j2, 2x1/j2) in turn, {@code --farm-rounds R} times (default 2), each farm run right after a raw loop; the first
     * layout's last run is the one recorded as the farm's figures, the others as {@code farm_layout_*} metrics.
     */
    private void farm(RawLoop raw, ModelOptions chosen) throws Exception {
        System.setProperty(WorkerConfig.Setting.MEMORY_ARENA.property(), String.valueOf(chosen.memoryArena()));
        if (opts.containsKey("--model-dir")) {
            System.setProperty(WorkerConfig.Setting.MODEL_DIR.property(), modelDir.toString());
        }
        // The worker's defaults (recorded), then for comparison in the same run: one job in flight fewer (the former
        // default of 2), and the former layout (ORT's 2 threads, one lane, batch maxima 8 / 16, 2 jobs).
        List<String> layouts = List.of(opts.getOrDefault("--layouts", "default,default/j2,2x1/j2").split(","));
        // Two rounds by default: the first farm of a JVM runs slower whatever its layout (measured idle: 26-32
        // frames/s first, 31-39 after), so the recorded run is the first layout's in the second round.
        int farmRounds = Integer.parseInt(opts.getOrDefault("--farm-rounds", "2"));
        for (int round = 0; round < farmRounds; round++) {
            for (String layout : layouts) {
                boolean recorded = layout.equals(layouts.get(0)) && round == farmRounds - 1;
                Measured before = raw.measure();
                farmRun(layout, frames / seconds(before.stats().total()), before.cpuSeconds() / frames, recorded);
            }
        }
    }

    /**
     * One farm run with the worker's inference laid out as {@code layout}: "default", or "TxL" (T intra-op threads,
     * L lanes), either followed by "/jN" for N concurrent jobs and/or "/bF-V" for F synthesis and V view items at most
     * per batched run, instead of the worker's defaults.
     */
    private void farmRun(String layout, double rawFps, double rawCpuPerFrame, boolean recorded) throws Exception {
        String threads = WorkerConfig.Setting.INTRA_OP_THREADS.property();
        String lanes = WorkerConfig.Setting.INFERENCE_LANES.property();
        String concurrent = WorkerConfig.Setting.CONCURRENT_JOBS.property();
        String[] split = layout.split("/");
        System.clearProperty(concurrent);
        System.clearProperty(WorkerConfig.Setting.BATCH_MAX_FRAMES.property());
        System.clearProperty(WorkerConfig.Setting.BATCH_MAX_VIEWS.property());
        for (int i = 1; i < split.length; i++) {
            if (split[i].startsWith("j")) {
                System.setProperty(concurrent, split[i].substring(1));
            } else if (split[i].startsWith("b")) {
                String[] maxima = split[i].substring(1).split("-");
                System.setProperty(WorkerConfig.Setting.BATCH_MAX_FRAMES.property(), maxima[0]);
                System.setProperty(WorkerConfig.Setting.BATCH_MAX_VIEWS.property(), maxima[1]);
            }
        }
        if (split[0].equals("default")) {
            System.clearProperty(threads);
            System.clearProperty(lanes);
        } else {
            String[] parts = split[0].split("x");
            System.setProperty(threads, parts[0]);
            System.setProperty(lanes, parts[1]);
        }
        Path dataDir = Files.createTempDirectory("pv3d-bench-farm");
        FarmOptions options = FarmOptions.builder().dataDir(dataDir).apiPort(PortRequest.exactly(0))
                .kafkaPort(PortRequest.exactly(0)).s3Port(PortRequest.exactly(0)).build();
        FarmBenchResults results = recorded ? this.results : new FarmBenchResults();
        try (Farm farm = Farm.start(options); FarmThroughput throughput = new FarmThroughput(farm)) {
            // Steady state: the farm's code paths compiled by the JIT before the measured jobs (with 3 warm-up jobs
            // the C2 compiler threads took 6-7 CPU ms a measured frame), as the raw loop is measured warm.
            int warmup = Integer.parseInt(opts.getOrDefault("--warmup-jobs", String.valueOf(jobs)));
            throughput.run(FarmThroughput.requests(manifest.name(), warmup, 1, frames, 1), Duration.ofMinutes(10),
                    done -> { });
            BatchingGeneratorGraphs graphs = farm.worker().graphs();
            System.out.printf("%n=== farm, worker layout %s: %d inference lanes, at most %d synthesis / %d view items a "
                    + "run (load average %.2f) ===%n", layout, graphs.lanes().count(),
                    graphs.synthesisPolicy().maxBatchSize(), graphs.viewPolicy().maxBatchSize(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            DynamicBatcher.Stats before = graphs.synthesisStats();
            long cpuStart = processCpuNanos() + apiCpuNanos(farm);
            long apiStart = apiCpuNanos(farm);
            ThreadCpuProfile profile = new ThreadCpuProfile().start();
            double seconds = throughput.run(FarmThroughput.requests(manifest.name(), jobs, 1000, frames, 1), Duration.ofMinutes(30),
                    done -> { });
            Map<String, Long> groups = profile.stop();
            long apiNanos = apiCpuNanos(farm) - apiStart;
            double farmCpuPerFrame = (processCpuNanos() + apiCpuNanos(farm) - cpuStart) / 1e9 / (jobs * frames);
            System.out.printf("%nfarm CPU ms per frame by thread group:%n  job API process: %.2f%n",
                    apiNanos / 1e6 / (jobs * frames));
            long seen = apiNanos;
            for (Map.Entry<String, Long> group : groups.entrySet()) {
                seen += group.getValue();
                if (group.getValue() / 1e6 / (jobs * frames) >= 0.2) {
                    System.out.printf("  %s: %.2f%n", group.getKey(), group.getValue() / 1e6 / (jobs * frames));
                }
            }
            System.out.printf("  threads the JVM does not see (ORT's intra-op pool), GC, JIT: %.2f%n",
                    farmCpuPerFrame * 1000 - seen / 1e6 / (jobs * frames));
            System.out.printf("every thread of the worker JVM by OS name (native threads under their creator's name):%n");
            long osSeen = 0;
            for (Map.Entry<String, Long> group : profile.osGroups().entrySet()) {
                osSeen += group.getValue();
                if (group.getValue() / 1e6 / (jobs * frames) >= 0.2) {
                    System.out.printf("  %s: %.2f%n", group.getKey(), group.getValue() / 1e6 / (jobs * frames));
                }
            }
            System.out.printf("  threads that ended in between (job writers with their x264 threads, ...): %.2f%n",
                    farmCpuPerFrame * 1000 - (apiNanos + osSeen) / 1e6 / (jobs * frames));
            double farmFps = jobs * frames / seconds;
            DynamicBatcher.Stats after = graphs.synthesisStats();
            double meanBatch = (double) (after.items() - before.items()) / Math.max(1, after.runs() - before.runs());
            System.out.printf("%nfarm end to end (HTTP -> Kafka -> worker -> MP4 -> S3 -> event): %d jobs x %d frames "
                    + "in %.2f s = %.1f frames/s; mean synthesis run %.1f frames; raw ORT loop %.1f frames/s; "
                    + "ratio %.3f%n", jobs, frames, seconds, farmFps, meanBatch, rawFps, farmFps / rawFps);
            System.out.printf("CPU per frame (worker JVM with the embedded Kafka and S3, plus the API process): farm "
                    + "%.2f ms, raw ORT loop %.2f ms; ratio (raw / farm) %.3f%n", 1000 * farmCpuPerFrame,
                    1000 * rawCpuPerFrame, rawCpuPerFrame / farmCpuPerFrame);
            results.put("farm_cpu_ms_per_frame", 1000 * farmCpuPerFrame, "CPU ms");
            results.put("farm_vs_raw_ort_cpu_ratio", rawCpuPerFrame / farmCpuPerFrame, "ratio");
            Double pytorchCpu = results.values().get("pytorch_cpu_ms_per_frame");
            if (pytorchCpu != null) {
                results.put("farm_vs_pytorch_cpu_ratio", pytorchCpu / (1000 * farmCpuPerFrame), "ratio");
            }
            if (!recorded) {
                String key = "farm_layout_" + layout.replaceAll("[^A-Za-z0-9]", "_");
                this.results.put(key + "_fps", farmFps, "frames/s");
                this.results.put(key + "_cpu_ms_per_frame", 1000 * farmCpuPerFrame, "CPU ms");
                this.results.put(key + "_vs_raw_ort_ratio", farmFps / rawFps, "ratio");
            }
            results.put("farm_fps", farmFps, "frames/s");
            results.put("raw_ort_fps", rawFps, "frames/s");
            results.put("farm_vs_raw_ort_ratio", farmFps / rawFps, "ratio");
            results.put("farm_mean_synthesis_batch", meanBatch, "frames");
            Double pytorchBest = results.values().get("pytorch_best_fps");
            if (pytorchBest != null) {
                results.put("farm_vs_pytorch_ratio", farmFps / pytorchBest, "ratio");
                results.put("farm_vs_pytorch_batch1_ratio", farmFps / results.values().get("pytorch_batch1_fps"),
                        "ratio");
            }

            int rssJobs = Integer.parseInt(opts.getOrDefault("--rss-jobs", "1000"));
            if (recorded && rssJobs >= 100) {
                long[] rss = new long[2];
                int mark = rssJobs / 10;
                long rssStart = System.nanoTime();
                throughput.run(FarmThroughput.requests(manifest.name(), rssJobs, 10_000, 2, 1), Duration.ofMinutes(60), done -> {
                    if (done == mark) {
                        rss[0] = FarmThroughput.residentBytes();
                    } else if (done == rssJobs) {
                        rss[1] = FarmThroughput.residentBytes();
                    }
                });
                double drift = 100.0 * (rss[1] - rss[0]) / rss[0];
                System.out.printf("worker RSS over %d jobs (2 frames each, %.0f s): %.0f MiB after %d, %.0f MiB after "
                        + "%d: drift %.2f %%%n", rssJobs, (System.nanoTime() - rssStart) / 1e9, rss[0] / 1048576.0,
                        mark, rss[1] / 1048576.0, rssJobs, drift);
                results.put("worker_rss_drift_pct", drift, "%");
                results.put("worker_rss_mib", rss[1] / 1048576.0, "MiB");
            }
        }
    }

    /** CPU time of the job API's process so far (0 where the OS does not say). */
    private static long apiCpuNanos(Farm farm) {
        return ProcessHandle.of(farm.jobApi().pid()).flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toNanos).orElse(0L);
    }

    private void printShares(String what, RenderStats s) {
        double total = seconds(s.total());
        System.out.printf("%s time shares: mapping %.1f %%, synthesis %.1f %%, render %.1f %%, super-resolution "
                + "%.1f %%%n", what, 100 * seconds(s.mapping()) / total, 100 * seconds(s.synthesis()) / total,
                100 * seconds(s.render()) / total, 100 * seconds(s.superResolution()) / total);
    }

    /** Runs {@code /usr/bin/python3 ARGS} in model/python and parses the JSON it prints last. */
    private static JsonNode python(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        command.addAll(args);
        Path out = Files.createTempFile("pv3d-bench", ".json");
        Process process = new ProcessBuilder(command).directory(Path.of("model/python").toFile())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return JSON.readTree(text.substring(text.indexOf('{')));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double ms(Duration d, int items) {
        return d.toNanos() / 1e6 / items;
    }
}
