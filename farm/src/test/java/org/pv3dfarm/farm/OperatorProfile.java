package org.pv3dfarm.farm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.GraphRole;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.ModelOptions;

/**
 * Where one graph spends its time: ONNX Runtime's own profiler on a session of that graph (same thread settings
 * as the model's), kernel time summed by operator type over several runs on real inputs. The shares of the
 * slowest operators are what a faster graph has to attack.
 */
final class OperatorProfile {

    private OperatorProfile() {
    }

    /** Kernel microseconds by operator type, largest first, over {@code runs} runs of the graph on {@code inputs}. */
    static Map<String, Long> measure(ModelManifest manifest, GraphRole role, ModelOptions options,
            Map<String, FloatTensor> inputs, int runs) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path dir = Files.createTempDirectory("pv3d-profile");
        Path profileFile;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setCPUArenaAllocator(options.memoryArena());
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            so.enableProfiling(dir.resolve("profile").toString());
            try (OrtSession session = env.createSession(manifest.graph(role).path(manifest.directory()).toString(),
                    so)) {
                Map<String, OnnxTensor> feed = new HashMap<>();
                try {
                    for (Map.Entry<String, FloatTensor> e : inputs.entrySet()) {
                        feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().data()),
                                e.getValue().shape()));
                    }
                    for (int i = 0; i < runs; i++) {
                        session.run(feed).close();
                    }
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
                profileFile = Path.of(session.endProfiling());
            }
        }
        Map<String, Long> byOp = new HashMap<>();
        for (JsonNode event : new ObjectMapper().readTree(profileFile.toFile())) {
            if ("Node".equals(event.path("cat").asText()) && event.path("name").asText().endsWith("_kernel_time")) {
                byOp.merge(event.path("args").path("op_name").asText(), event.path("dur").asLong(), Long::sum);
            }
        }
        Files.deleteIfExists(profileFile);
        Map<String, Long> sorted = new LinkedHashMap<>();
        byOp.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** "GridSample 41 %, Softplus 25 %, ..." for the operators above 2 % of the kernel time. */
    static String shares(Map<String, Long> byOp) {
        long total = byOp.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder();
        byOp.forEach((op, us) -> {
            if (us * 50 >= total) {
                out.append(out.isEmpty() ? "" : ", ").append(op).append(String.format(" %.0f %%", 100.0 * us / total));
            }
        });
        return out.toString();
    }
}
