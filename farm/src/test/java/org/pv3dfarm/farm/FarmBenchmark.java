package org.pv3dfarm.farm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.ViewSpec;
import org.pv3dfarm.worker.BatchingGeneratorGraphs;
import org.pv3dfarm.worker.CameraPlanner;
import org.pv3dfarm.worker.DynamicBatcher;
import org.pv3dfarm.worker.FrameRenderer;
import org.pv3dfarm.worker.GeneratorGraphs;
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
 * [--rss-jobs 1000] [--skip-pytorch] [--skip-farm] [--record]}; with {@code --record} the figures are merged into
 * {@code bench/results.json}.
 */
public final class FarmBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] BATCHES = {1, 2, 4, 8, 16};

    private final Map<String, String> opts;
    private final BenchResults results = new BenchResults();
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
        ModelOptions chosen = sessionSettings();
        RenderStats[] scaling = new RenderStats[BATCHES.length];
        double rawFps;
        double bestStageFps = 0;
        int bestBatch = 1;
        try (Pv3dModel model = Pv3dModel.open(manifest, chosen)) {
            renderLoop(model, 1, 1, 1); // warm-up of every graph
            System.out.println("\nbatch-size scaling, raw ONNX Runtime loop (1 view; ms per frame):");
            System.out.println("| batch | synthesis | render | super-resolution | total | frames/s |");
            System.out.println("| --- | --- | --- | --- | --- | --- |");
            for (int i = 0; i < BATCHES.length; i++) {
                scaling[i] = renderLoop(model, Math.max(4, jobs / 4), 1, BATCHES[i]);
                RenderStats s = scaling[i];
                int n = Math.max(4, jobs / 4) * frames;
                double fps = n / seconds(s.total());
                System.out.printf("| %d | %.2f | %.2f | %.2f | %.2f | %.1f |%n", BATCHES[i], ms(s.synthesis(), n),
                        ms(s.render(), n), ms(s.superResolution(), n), ms(s.total(), n), fps);
                results.put("ort_loop_b" + BATCHES[i] + "_fps", fps, "frames/s");
                if (fps > bestStageFps) {
                    bestStageFps = fps;
                    bestBatch = BATCHES[i];
                }
            }
            results.put("ort_loop_best_batch", bestBatch, "frames");

            // The farm's baseline: the same graphs at the worker's batch size, on as many frames as the farm gets.
            int workerBatch = workerDefaults.batchFrames();
            RenderStats raw = renderLoop(model, jobs, 1, workerBatch);
            rawFps = jobs * frames / seconds(raw.total());
            results.put("raw_ort_fps", rawFps, "frames/s");
            System.out.printf("%nraw ONNX Runtime loop at the worker's batch %d: %.1f frames/s%n", workerBatch, rawFps);
            printShares("raw loop", raw);

            extraViews(model, workerBatch);
            flopUtilization(chosen, scaling);
        }
        if (!opts.containsKey("--skip-pytorch")) {
            pytorch(bestStageFps);
        }
        if (!opts.containsKey("--skip-farm")) {
            farm(rawFps, chosen);
        }
        System.out.println("\nresults: " + results.values());
    }

    /** Item 7: intra-op threads × memory arena, timed on the inference loop; the fastest is used from here on. */
    private ModelOptions sessionSettings() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> threadCounts = cores > 1 ? List.of(1, cores) : List.of(1);
        System.out.println("\nONNX Runtime session settings (batch 4, 1 view, ms per frame):");
        System.out.println("| intra-op threads | memory arena | ms per frame |");
        System.out.println("| --- | --- | --- |");
        ModelOptions best = null;
        double bestMs = Double.MAX_VALUE;
        for (int threads : threadCounts) {
            for (boolean arena : new boolean[] {true, false}) {
                ModelOptions options = ModelOptions.builder().executionProvider(ExecutionProvider.CPU)
                        .intraOpThreads(threads).memoryArena(arena).build();
                try (Pv3dModel model = Pv3dModel.open(manifest, options)) {
                    renderLoop(model, 1, 1, 4);
                    int clips = Math.max(2, jobs / 6);
                    double msPerFrame = seconds(renderLoop(model, clips, 1, 4).total()) * 1000 / (clips * frames);
                    System.out.printf("| %d | %s | %.2f |%n", threads, arena ? "on" : "off", msPerFrame);
                    results.put("ort_settings_t" + threads + (arena ? "_arena" : "_noarena") + "_frame_ms",
                            msPerFrame, "ms");
                    if (msPerFrame < bestMs) {
                        bestMs = msPerFrame;
                        best = options;
                    }
                }
            }
        }
        System.out.printf("chosen: %d intra-op threads, arena %s (inter-op threads only act in ORT's parallel "
                + "execution mode, which the sequential graphs do not use)%n", best.intraOpThreads(),
                best.memoryArena() ? "on" : "off");
        return best;
    }

    /** The worker's inference loop on the model's own graphs, over {@code clips} clips; no encoding. */
    private RenderStats renderLoop(Pv3dModel model, int clips, int views, int batch) throws Exception {
        return renderLoop(GeneratorGraphs.of(model), clips, views, batch);
    }

    private RenderStats renderLoop(GeneratorGraphs graphs, int clips, int views, int batch) throws Exception {
        FrameRenderer renderer = new FrameRenderer(graphs, batch);
        LatentSampler sampler = new LatentSampler(manifest);
        CameraPlanner planner = new CameraPlanner(manifest);
        Duration mapping = Duration.ZERO;
        Duration synthesis = Duration.ZERO;
        Duration render = Duration.ZERO;
        Duration superResolution = Duration.ZERO;
        int batches = 0;
        for (int clip = 0; clip < clips; clip++) {
            ViewSpec[] specs = new ViewSpec[views];
            for (int v = 0; v < views; v++) {
                specs[v] = ViewSpec.fixed(Math.PI / 2 + (views == 1 ? 0 : -0.4 + 0.8 * v / (views - 1)), Math.PI / 2);
            }
            GenerateRequest request = GenerateRequest.builder().jobId(UUID.randomUUID()).seed(100L + clip)
                    .frames(frames).views(specs).outputs(OutputOptions.MP4_ONLY).build();
            RenderStats s = renderer.render(sampler.sample(request), planner.plan(request), false, b -> { });
            mapping = mapping.plus(s.mapping());
            synthesis = synthesis.plus(s.synthesis());
            render = render.plus(s.render());
            superResolution = superResolution.plus(s.superResolution());
            batches += s.batches();
        }
        return new RenderStats(mapping, synthesis, render, superResolution, batches);
    }

    /** extra_view_overhead_ratio: what each view beyond the first adds, over that view's render + SR alone. */
    private void extraViews(Pv3dModel model, int batch) throws Exception {
        int clips = Math.max(4, jobs / 4);
        RenderStats one = renderLoop(model, clips, 1, batch);
        RenderStats four = renderLoop(model, clips, 4, batch);
        int n = clips * frames;
        double oneMs = ms(one.total(), n);
        double fourMs = ms(four.total(), n);
        double aloneMs = ms(one.render().plus(one.superResolution()), n);
        double extraMs = (fourMs - oneMs) / 3;
        System.out.printf("%nviews (batch %d, ms per frame): 1 view %.2f (render + SR %.2f), 4 views %.2f; each extra "
                + "view adds %.2f ms = %.3f x its own render + SR%n", batch, oneMs, aloneMs, fourMs, extraMs,
                extraMs / aloneMs);
        results.put("extra_view_overhead_ratio", extraMs / aloneMs, "ratio");
        results.put("ort_loop_4views_fps", 4 * n / seconds(four.total()), "view-frames/s");
    }

    /** cpu_flops_utilization: achieved FLOP/s of synthesis and SR over ORT's peak on a big MatMul / Conv. */
    private void flopUtilization(ModelOptions options, RenderStats[] scaling) throws Exception {
        Path peakDir = Files.createTempDirectory("pv3d-peak");
        JsonNode flops = python(List.of("-m", "pv3d.flops", "--model-dir", modelDir.toString(), "--peak-graphs",
                peakDir.toString()));
        long synthesisFlops = flops.path("synthesis").path("flops").asLong();
        long renderFlops = flops.path("render").path("flops").asLong();
        long srFlops = flops.path("superres").path("flops").asLong();
        int threads = options.intraOpThreads();
        double matmul = PeakFlops.measure(Path.of(flops.path("peak_graphs").path("matmul").path("file").asText()),
                flops.path("peak_graphs").path("matmul").path("flops").asLong(), threads, 5);
        double conv = PeakFlops.measure(Path.of(flops.path("peak_graphs").path("conv").path("file").asText()),
                flops.path("peak_graphs").path("conv").path("flops").asLong(), threads, 5);
        double peak = Math.max(matmul, conv);
        // Achieved: the best batch of the scaling table for each stage.
        double bestSynthesis = Double.MAX_VALUE;
        double bestSr = Double.MAX_VALUE;
        int n = Math.max(4, jobs / 4) * frames;
        for (RenderStats s : scaling) {
            bestSynthesis = Math.min(bestSynthesis, seconds(s.synthesis()) / n);
            bestSr = Math.min(bestSr, seconds(s.superResolution()) / n);
        }
        double achieved = (synthesisFlops + srFlops) / (bestSynthesis + bestSr);
        System.out.printf("%nFLOPs per frame (exact, MatMul/Conv): synthesis %.1f M, render %.1f M, super-resolution "
                + "%.1f M%n", synthesisFlops / 1e6, renderFlops / 1e6, srFlops / 1e6);
        System.out.printf("peak ORT: MatMul 2048^3 %.1f GFLOP/s, Conv 3x3 128->128 %.1f GFLOP/s%n", matmul / 1e9,
                conv / 1e9);
        System.out.printf("achieved: synthesis %.1f GFLOP/s, super-resolution %.1f GFLOP/s, together %.1f GFLOP/s "
                + "= %.3f of peak%n", synthesisFlops / bestSynthesis / 1e9, srFlops / bestSr / 1e9, achieved / 1e9,
                achieved / peak);
        results.put("flops_synthesis_per_frame", synthesisFlops, "FLOP");
        results.put("flops_render_per_view", renderFlops, "FLOP");
        results.put("flops_superres_per_view", srFlops, "FLOP");
        results.put("ort_peak_matmul_gflops", matmul / 1e9, "GFLOP/s");
        results.put("ort_peak_conv_gflops", conv / 1e9, "GFLOP/s");
        results.put("synthesis_gflops", synthesisFlops / bestSynthesis / 1e9, "GFLOP/s");
        results.put("superres_gflops", srFlops / bestSr / 1e9, "GFLOP/s");
        results.put("cpu_flops_utilization", achieved / peak, "ratio");
    }

    /** Eager PyTorch on the same CPU, best batch and thread count, and batch 1 (pv3d.bench). */
    private void pytorch(double ortBestFps) throws Exception {
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
        results.put("pytorch_best_fps", best, "frames/s");
        results.put("pytorch_batch1_fps", batch1, "frames/s");
        results.put("ort_loop_vs_pytorch_ratio", ortBestFps / best, "ratio");
    }

    /** The farm end to end, then the worker's resident memory over many small jobs. */
    private void farm(double rawFps, ModelOptions chosen) throws Exception {
        // The farm's worker runs with the session settings the raw loop was timed with.
        System.setProperty(WorkerConfig.Setting.INTRA_OP_THREADS.property(), String.valueOf(chosen.intraOpThreads()));
        System.setProperty(WorkerConfig.Setting.MEMORY_ARENA.property(), String.valueOf(chosen.memoryArena()));
        if (opts.containsKey("--model-dir")) {
            System.setProperty(WorkerConfig.Setting.MODEL_DIR.property(), modelDir.toString());
        }
        Path dataDir = Files.createTempDirectory("pv3d-bench-farm");
        FarmOptions options = FarmOptions.builder().dataDir(dataDir).apiPort(PortRequest.exactly(0))
                .kafkaPort(PortRequest.exactly(0)).s3Port(PortRequest.exactly(0)).build();
        try (Farm farm = Farm.start(options); FarmThroughput throughput = new FarmThroughput(farm)) {
            throughput.run(FarmThroughput.requests(3, 1, frames, 1), Duration.ofMinutes(5), done -> { });
            BatchingGeneratorGraphs graphs = farm.worker().graphs();
            DynamicBatcher.Stats before = graphs.synthesisStats();
            double seconds = throughput.run(FarmThroughput.requests(jobs, 1000, frames, 1), Duration.ofMinutes(30),
                    done -> { });
            double farmFps = jobs * frames / seconds;
            DynamicBatcher.Stats after = graphs.synthesisStats();
            double meanBatch = (double) (after.items() - before.items()) / Math.max(1, after.runs() - before.runs());
            System.out.printf("%nfarm end to end (HTTP -> Kafka -> worker -> MP4 -> S3 -> event): %d jobs x %d frames "
                    + "in %.2f s = %.1f frames/s; mean synthesis run %.1f frames; raw ORT loop %.1f frames/s; "
                    + "ratio %.3f%n", jobs, frames, seconds, farmFps, meanBatch, rawFps, farmFps / rawFps);
            results.put("farm_fps", farmFps, "frames/s");
            results.put("farm_vs_raw_ort_ratio", farmFps / rawFps, "ratio");
            results.put("farm_mean_synthesis_batch", meanBatch, "frames");
            Double pytorchBest = results.values().get("pytorch_best_fps");
            if (pytorchBest != null) {
                results.put("farm_vs_pytorch_ratio", farmFps / pytorchBest, "ratio");
                results.put("farm_vs_pytorch_batch1_ratio", farmFps / results.values().get("pytorch_batch1_fps"),
                        "ratio");
            }

            int rssJobs = Integer.parseInt(opts.getOrDefault("--rss-jobs", "1000"));
            if (rssJobs >= 100) {
                long[] rss = new long[2];
                int mark = rssJobs / 10;
                long rssStart = System.nanoTime();
                throughput.run(FarmThroughput.requests(rssJobs, 10_000, 2, 1), Duration.ofMinutes(60), done -> {
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
