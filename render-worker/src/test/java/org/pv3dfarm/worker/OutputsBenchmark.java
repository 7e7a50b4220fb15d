package org.pv3dfarm.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.MeshOptions;
import org.pv3dfarm.protocol.OutputOptions;
import org.pv3dfarm.protocol.PreviewFormat;
import org.pv3dfarm.protocol.ViewSpec;
import org.pv3dfarm.worker.mesh.MarchingCubes;
import org.pv3dfarm.worker.mesh.ScalarGrid;

/**
 * What each optional output adds to a generate job of the committed tiny model (16 frames, 2 views, CPU, outputs
 * into memory): the median job time with only that output, minus the median with MP4s only, and the meshes'
 * cost at 64³ and 128³ (the manifest's {@code meshes.time_ms}) with the marching cubes alone timed on a sphere of
 * the same grid. Cases are interleaved round by round; medians of {@value #REPEATS} rounds after a warm-up. Not a test: run
 * {@code bench/output-benchmarks} on a quiet machine; {@code --record} merges the figures into bench/results.json
 * as {@code outputs_tiny_<what>}.
 */
public final class OutputsBenchmark {

    private static final int REPEATS = 5;

    public static void main(String[] args) throws Exception {
        boolean record = Arrays.asList(args).contains("--record");
        Map<String, double[]> figures = new LinkedHashMap<>(); // name -> {value, unit index}
        Path work = Files.createTempDirectory("pv3d-outputs-bench");
        try (Pv3dModel model = Pv3dModel.open(ModelLocator.loadDefault(),
                ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build())) {
            InMemoryObjectUploader store = new InMemoryObjectUploader("bench");
            GenerateJobHandler handler = new GenerateJobHandler(GeneratorGraphs.of(model), DensityGraph.of(model),
                    model.manifest(), "CPU", store, work, 4, GenerateJobHandler.DEFAULT_PIPELINE_DEPTH);
            GenerateRequest base = GenerateRequest.builder().seed(5L).frames(16)
                    .views(ViewSpec.orbit(), ViewSpec.yawSweep()).build();
            Map<String, OutputOptions> cases = new LinkedHashMap<>();
            cases.put("mp4_only", OutputOptions.MP4_ONLY);
            cases.put("png_frames", new OutputOptions(true, false));
            cases.put("depth", new OutputOptions(false, true));
            cases.put("grid", OutputOptions.MP4_ONLY.withGrid(true));
            cases.put("preview_gif", OutputOptions.MP4_ONLY.withPreview(PreviewFormat.GIF));
            cases.put("preview_webp", OutputOptions.MP4_ONLY.withPreview(PreviewFormat.WEBP));
            cases.put("mesh_64", OutputOptions.MP4_ONLY.withMesh(new MeshOptions(List.of(0), 64, 0.0, null)));
            cases.put("mesh_128", OutputOptions.MP4_ONLY.withMesh(new MeshOptions(List.of(0), 128, 0.0, null)));
            // rounds interleave the cases, so that drift in the machine's load hits every case alike
            Map<String, double[]> times = new LinkedHashMap<>();
            Map<String, double[]> meshTimes = new LinkedHashMap<>();
            cases.keySet().forEach(name -> times.put(name, new double[REPEATS]));
            for (int round = -1; round < REPEATS; round++) { // round -1 warms up
                for (Map.Entry<String, OutputOptions> c : cases.entrySet()) {
                    GenerateRequest job = base.toBuilder().outputs(c.getValue()).jobId(UUID.randomUUID()).build();
                    long start = System.nanoTime();
                    var keys = handler.handle(new JobContext(job, "bench", 1, "bench", (d, t) -> { }, () -> false));
                    if (round >= 0) {
                        times.get(c.getKey())[round] = (System.nanoTime() - start) / 1e6;
                        JsonNode manifest = new ObjectMapper().readTree(store.get(keys.manifestKey()).orElseThrow()
                                .bytes());
                        if (manifest.has("meshes")) {
                            meshTimes.computeIfAbsent(c.getKey(), k -> new double[REPEATS])[round] =
                                    manifest.at("/meshes/time_ms").asDouble();
                        }
                    }
                }
            }
            double baseline = median(times.get("mp4_only"));
            figures.put("job_ms_mp4_only", new double[] {baseline});
            for (Map.Entry<String, double[]> c : times.entrySet()) {
                double ms = median(c.getValue());
                if (!c.getKey().equals("mp4_only")) {
                    figures.put("added_ms_" + c.getKey(), new double[] {ms - baseline});
                }
                System.out.printf("%-14s %8.1f ms per job (16 frames x 2 views)%n", c.getKey(), ms);
            }
            for (Map.Entry<String, double[]> m : meshTimes.entrySet()) {
                figures.put(m.getKey() + "_ms_per_mesh", new double[] {median(m.getValue())});
                System.out.printf("%-14s %8.1f ms for the mesh itself (planes, density, marching cubes, files)%n",
                        m.getKey(), median(m.getValue()));
            }
        }
        for (int n : new int[] {64, 128}) {
            double[] times = new double[REPEATS];
            ScalarGrid sphere = sphere(n);
            for (int r = 0; r < REPEATS; r++) {
                long start = System.nanoTime();
                MarchingCubes.extract(sphere, 0);
                times[r] = (System.nanoTime() - start) / 1e6;
            }
            figures.put("marching_cubes_ms_" + n, new double[] {median(times)});
            System.out.printf("marching cubes alone, sphere on %d^3: %.1f ms%n", n, median(times));
        }
        if (record) {
            record(figures, "bench/output-benchmarks  (java ... OutputsBenchmark " + String.join(" ", args) + ")");
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static ScalarGrid sphere(int n) {
        double[] points = ScalarGrid.cubePoints(n, 0.5);
        float[] values = new float[n * n * n];
        for (int p = 0; p < values.length; p++) {
            double x = points[3 * p];
            double y = points[3 * p + 1];
            double z = points[3 * p + 2];
            values[p] = (float) (0.3 - Math.sqrt(x * x + y * y + z * z));
        }
        return ScalarGrid.cube(n, 0.5, values);
    }

    private static void record(Map<String, double[]> figures, String command) throws Exception {
        Path file = Path.of("bench", "results.json");
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode existing = Files.exists(file) ? mapper.readTree(file.toFile()) : mapper.createObjectNode();
        ObjectNode results = (ObjectNode) existing;
        String today = LocalDate.now().toString();
        for (Map.Entry<String, double[]> figure : figures.entrySet()) {
            ObjectNode row = results.putObject("outputs_tiny_" + figure.getKey());
            row.put("value", Math.round(figure.getValue()[0] * 10) / 10.0);
            row.put("unit", "ms");
            row.put("command", command);
            row.put("date", today);
        }
        mapper.writeValue(file.toFile(), results);
    }
}
