package org.pv3dfarm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exporter's reference tensors: {@code references/NAME/index.json} with, per forward role and per gradient
 * graph (keyed by its file name without {@code .onnx}), the input and PyTorch output {@code .npy} files, and the
 * Python cameras. The directory comes from the system property {@code pv3d.references.dir} (set by the pom).
 */
final class References {

    /** Inputs and PyTorch outputs of one graph. */
    record Case(String key, Map<String, FloatTensor> inputs, Map<String, FloatTensor> outputs) {
    }

    /** A camera computed in Python. */
    record PythonCamera(double yaw, double pitch, double radius, double[] pivot, double focal, float[] camera) {
    }

    final Path dir;
    private final JsonNode index;

    private References(Path dir) {
        this.dir = dir;
        try {
            this.index = new ObjectMapper().readTree(dir.resolve("index.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference index " + dir.resolve("index.json"), e);
        }
    }

    /** The references of a committed model, e.g. {@code tiny}. */
    static References of(String model) {
        String root = System.getProperty("pv3d.references.dir");
        if (root == null) {
            throw new IllegalStateException("system property pv3d.references.dir is not set (the pom sets it)");
        }
        Path dir = Path.of(root, model);
        if (!Files.isRegularFile(dir.resolve("index.json"))) {
            throw new IllegalStateException("no reference index at " + dir.resolve("index.json")
                    + "; regenerate with model/python: python3 -m pv3d.export --references");
        }
        return new References(dir);
    }

    Case forward(GraphRole role) {
        return read(role.key(), index.path("graphs").get(role.key()));
    }

    /** The reference case of a gradient graph, found by the graph's file name. */
    Case gradient(GradientGraphSpec spec) {
        String key = spec.graph().file().replaceFirst("\\.onnx$", "");
        return read(key, index.path("gradients").get(key));
    }

    List<PythonCamera> cameras() {
        List<PythonCamera> list = new ArrayList<>();
        for (JsonNode c : index.path("cameras")) {
            double[] pivot = new double[3];
            for (int i = 0; i < 3; i++) {
                pivot[i] = c.get("pivot").get(i).asDouble();
            }
            float[] camera = new float[c.get("camera").size()];
            for (int i = 0; i < camera.length; i++) {
                camera[i] = (float) c.get("camera").get(i).asDouble();
            }
            list.add(new PythonCamera(c.get("yaw").asDouble(), c.get("pitch").asDouble(), c.get("radius").asDouble(),
                    pivot, c.get("focal").asDouble(), camera));
        }
        return list;
    }

    private Case read(String key, JsonNode entry) {
        if (entry == null) {
            throw new IllegalStateException("reference index " + dir.resolve("index.json") + " has no entry '" + key + "'");
        }
        return new Case(key, tensors(entry.get("inputs")), tensors(entry.get("outputs")));
    }

    private Map<String, FloatTensor> tensors(JsonNode files) {
        Map<String, FloatTensor> map = new LinkedHashMap<>();
        files.fields().forEachRemaining(e -> {
            try {
                map.put(e.getKey(), NpyReader.read(dir.resolve(e.getValue().asText())));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        return map;
    }
}
