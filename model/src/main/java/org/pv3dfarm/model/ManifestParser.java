package org.pv3dfarm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the JSON tree of model.json into a {@link ModelManifest}. Every error is an
 * {@link IllegalArgumentException} whose message starts with the JSON path of the offending field.
 */
final class ManifestParser {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    ModelManifest manifest(JsonNode root, Path dir) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("the manifest must be a JSON object");
        }
        String format = text(root, "format", "format");
        if (!ModelManifest.FORMAT.equals(format)) {
            throw new IllegalArgumentException("format is '" + format + "' but this runtime reads '"
                    + ModelManifest.FORMAT + "'");
        }
        ModelConfig config = config(object(root, "config", "config"));
        Conventions conventions = conventions(object(root, "conventions", "conventions"));
        LatentDistribution latents = latents(object(root, "latent_distribution", "latent_distribution"), config);
        Map<String, Map<String, Object>> trajectories = new LinkedHashMap<>();
        JsonNode traj = root.get("trajectories");
        if (traj != null && !traj.isNull()) {
            if (!traj.isObject()) {
                throw new IllegalArgumentException("trajectories must be an object");
            }
            traj.fields().forEachRemaining(e -> trajectories.put(e.getKey(), untyped(e.getValue())));
        }
        JsonNode graphsNode = object(root, "graphs", "graphs");
        Map<GraphRole, GraphSpec> graphs = new EnumMap<>(GraphRole.class);
        for (GraphRole role : GraphRole.values()) {
            String path = "graphs." + role.key();
            JsonNode node = graphsNode.get(role.key());
            if (node == null || node.isNull()) {
                throw new IllegalArgumentException(path + " is missing: every model needs the roles "
                        + List.of(GraphRole.values()).stream().map(GraphRole::key).toList());
            }
            graphs.put(role, graph(node, path, role.requiredInputs(), role.requiredOutputs()));
        }
        Map<GradientKind, List<GradientGraphSpec>> gradients = new EnumMap<>(GradientKind.class);
        JsonNode gradNode = root.get("gradients");
        if (gradNode != null && !gradNode.isNull()) {
            if (!gradNode.isObject()) {
                throw new IllegalArgumentException("gradients must be an object");
            }
            for (GradientKind kind : GradientKind.values()) {
                gradients.put(kind, gradientList(gradNode.get(kind.key()), kind));
            }
        }
        List<ModelFile> dataFiles = dataFiles(root.get("weights"));
        JsonNode sourceNode = root.get("source");
        Map<String, Object> source = sourceNode == null || !sourceNode.isObject() ? Map.of() : untyped(sourceNode);
        checkDistinctFiles(graphs, gradients);
        return new ModelManifest(dir, format, text(root, "name", "name"), text(root, "version", "version"),
                optionalText(root, "description"), config, conventions, latents, source, trajectories, dataFiles, graphs,
                gradients);
    }

    /** {@code weights}: absent, one {file, sha256} object, or a list of them. */
    private List<ModelFile> dataFiles(JsonNode node) {
        List<ModelFile> files = new ArrayList<>();
        if (node == null || node.isNull()) {
            return files;
        }
        List<JsonNode> entries = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(entries::add);
        } else {
            entries.add(node);
        }
        for (int i = 0; i < entries.size(); i++) {
            String path = node.isArray() ? "weights[" + i + "]" : "weights";
            JsonNode entry = entries.get(i);
            if (!entry.isObject()) {
                throw new IllegalArgumentException(path + " must be an object {file, sha256}");
            }
            files.add(new ModelFile(path, fileName(entry, path), sha256(entry, path)));
        }
        return files;
    }

    private ModelConfig config(JsonNode node) {
        Map<String, Object> entries = untyped(node);
        return new ModelConfig(positive(node, "z_dim"), positive(node, "w_dim"), positive(node, "c_dim"),
                positive(node, "motion_dim"), positive(node, "num_ws"), positive(node, "plane_resolution"),
                positive(node, "plane_channels"), positive(node, "neural_resolution"),
                positive(node, "output_resolution"), positive(node, "feature_channels"),
                positive(node, "samples_uniform"), nonNegative(node, "samples_importance"),
                number(node, "ray_start", "config.ray_start"), number(node, "ray_end", "config.ray_end"),
                number(node, "box_warp", "config.box_warp"), entries);
    }

    private Conventions conventions(JsonNode node) {
        JsonNode cam = object(node, "camera", "conventions.camera");
        double radius = number(cam, "radius", "conventions.camera.radius");
        double[] pivot = doubles(cam, "pivot", "conventions.camera.pivot", 3);
        double focal = number(cam, "focal", "conventions.camera.focal");
        float[] canonical = cam.has("canonical")
                ? floats(cam.get("canonical"), "conventions.camera.canonical", Cameras.CAMERA_SIZE)
                : Cameras.lookAt(Math.PI / 2, Math.PI / 2, radius, pivot, focal);
        CameraConvention camera = new CameraConvention(optionalText(cam, "layout"), radius, pivot, focal, canonical);
        JsonNode time = object(node, "time", "conventions.time");
        TimeConvention timeConvention = new TimeConvention(positive(time, "clip_frames", "conventions.time.clip_frames"),
                number(time, "fps", "conventions.time.fps"), optionalText(time, "t"));
        return new Conventions(camera, timeConvention, optionalText(node, "image"), optionalText(node, "depth"));
    }

    private LatentDistribution latents(JsonNode node, ModelConfig config) {
        return new LatentDistribution(gaussian(node, "z", config.zDim()),
                gaussian(node, "z_motion", config.motionDim()));
    }

    private GaussianLatent gaussian(JsonNode parent, String key, int dim) {
        String path = "latent_distribution." + key;
        JsonNode node = object(parent, key, path);
        return new GaussianLatent(floats(node.get("mean"), path + ".mean", dim),
                floats(node.get("std"), path + ".std", dim));
    }

    private List<GradientGraphSpec> gradientList(JsonNode node, GradientKind kind) {
        String base = "gradients." + kind.key();
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<JsonNode> entries = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(entries::add);
        } else if (node.isObject()) {
            entries.add(node);
        } else {
            throw new IllegalArgumentException(base + " must be a list of graphs");
        }
        List<GradientGraphSpec> list = new ArrayList<>();
        Set<Integer> sizes = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = base + "[" + i + "]";
            JsonNode entry = entries.get(i);
            int size = positive(entry, kind.sizeField(), path + "." + kind.sizeField());
            if (!sizes.add(size)) {
                throw new IllegalArgumentException(path + ": a second graph for " + kind.sizeField() + " " + size);
            }
            double fidelity = entry.hasNonNull("fidelity_db") ? number(entry, "fidelity_db", path + ".fidelity_db")
                    : Double.NaN;
            list.add(new GradientGraphSpec(size, graph(entry, path, kind.requiredInputs(), kind.requiredOutputs()),
                    fidelity));
        }
        list.sort(Comparator.comparingInt(GradientGraphSpec::size));
        return list;
    }

    private GraphSpec graph(JsonNode node, String path, List<String> requiredInputs, List<String> requiredOutputs) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        String file = fileName(node, path);
        String sha = sha256(node, path);
        List<TensorSpec> inputs = tensors(node, "inputs", path);
        List<TensorSpec> outputs = tensors(node, "outputs", path);
        List<String> inputNames = inputs.stream().map(TensorSpec::name).toList();
        if (!new HashSet<>(inputNames).equals(new HashSet<>(requiredInputs)) || inputNames.size() != requiredInputs.size()) {
            throw new IllegalArgumentException(path + ".inputs are " + inputNames + " but the model contract requires "
                    + requiredInputs);
        }
        List<String> outputNames = outputs.stream().map(TensorSpec::name).toList();
        if (!outputNames.containsAll(requiredOutputs)) {
            throw new IllegalArgumentException(path + ".outputs are " + outputNames + " but the model contract requires "
                    + requiredOutputs);
        }
        return new GraphSpec(path, file, sha, inputs, outputs);
    }

    private static String fileName(JsonNode node, String path) {
        String file = text(node, "file", path + ".file");
        if (file.contains("..") || file.contains("/") || file.contains("\\") || Path.of(file).isAbsolute()) {
            throw new IllegalArgumentException(path + ".file '" + file + "' must be a plain name inside the model directory");
        }
        return file;
    }

    private static String sha256(JsonNode node, String path) {
        String sha = text(node, "sha256", path + ".sha256");
        if (!SHA256.matcher(sha).matches()) {
            throw new IllegalArgumentException(path + ".sha256 '" + sha + "' is not 64 hex digits");
        }
        return sha.toLowerCase(java.util.Locale.ROOT);
    }

    private List<TensorSpec> tensors(JsonNode graph, String key, String graphPath) {
        String path = graphPath + "." + key;
        JsonNode list = graph.get(key);
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(path + " must be a list of {name, shape, dtype}");
        }
        List<TensorSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String p = path + "[" + i + "]";
            JsonNode t = list.get(i);
            String name = text(t, "name", p + ".name");
            if (!names.add(name)) {
                throw new IllegalArgumentException(p + ": duplicate tensor name '" + name + "'");
            }
            String dtype = t.has("dtype") ? text(t, "dtype", p + ".dtype") : "float32";
            if (!dtype.equals("float32")) {
                throw new IllegalArgumentException(p + ".dtype is '" + dtype + "'; the model contract only uses float32");
            }
            JsonNode shape = t.get("shape");
            if (shape == null || !shape.isArray()) {
                throw new IllegalArgumentException(p + ".shape must be a list of sizes and symbols");
            }
            List<TensorSpec.Dim> dims = new ArrayList<>();
            for (JsonNode d : shape) {
                if (d.isIntegralNumber() && d.asLong() >= 0) {
                    dims.add(TensorSpec.Dim.fixed(d.asLong()));
                } else if (d.isTextual() && !d.asText().isBlank()) {
                    dims.add(TensorSpec.Dim.symbolic(d.asText()));
                } else if (d.isNull() || (d.isIntegralNumber() && d.asLong() < 0)) {
                    dims.add(TensorSpec.Dim.symbolic(ShapeCheck.ANY));
                } else {
                    throw new IllegalArgumentException(p + ".shape has an invalid dimension " + d);
                }
            }
            specs.add(new TensorSpec(name, dims, dtype));
        }
        return specs;
    }

    private void checkDistinctFiles(Map<GraphRole, GraphSpec> graphs, Map<GradientKind, List<GradientGraphSpec>> gradients) {
        Map<String, String> seen = new LinkedHashMap<>();
        List<GraphSpec> all = new ArrayList<>(graphs.values());
        gradients.values().forEach(l -> l.forEach(g -> all.add(g.graph())));
        for (GraphSpec g : all) {
            String previous = seen.putIfAbsent(g.file(), g.key());
            if (previous != null && !previous.equals(g.key())) {
                // Allowed (two roles may share a file), but both entries must agree on the checksum.
                GraphSpec first = all.stream().filter(x -> x.key().equals(previous)).findFirst().orElseThrow();
                if (!first.sha256().equals(g.sha256())) {
                    throw new IllegalArgumentException(g.key() + " and " + previous + " name the same file '" + g.file()
                            + "' with different sha256");
                }
            }
        }
    }

    // --- small typed accessors; every message starts with the JSON path ---

    private static JsonNode object(JsonNode parent, String key, String path) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(path + " is missing");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String key, String path) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(path + " is missing");
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new IllegalArgumentException(path + " must be a non-empty string, was " + node);
        }
        return node.asText();
    }

    private static String optionalText(JsonNode parent, String key) {
        JsonNode node = parent.get(key);
        return node == null || node.isNull() ? "" : node.isTextual() ? node.asText() : node.toString();
    }

    private static double number(JsonNode parent, String key, String path) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(path + " is missing");
        }
        if (!node.isNumber()) {
            throw new IllegalArgumentException(path + " must be a number, was " + node);
        }
        return node.asDouble();
    }

    private static int positive(JsonNode parent, String key) {
        return positive(parent, key, "config." + key);
    }

    private static int positive(JsonNode parent, String key, String path) {
        int v = integer(parent, key, path);
        if (v <= 0) {
            throw new IllegalArgumentException(path + " must be positive, was " + v);
        }
        return v;
    }

    private static int nonNegative(JsonNode parent, String key) {
        int v = integer(parent, key, "config." + key);
        if (v < 0) {
            throw new IllegalArgumentException("config." + key + " must not be negative, was " + v);
        }
        return v;
    }

    private static int integer(JsonNode parent, String key, String path) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(path + " is missing");
        }
        if (!node.canConvertToInt() || !(node.isIntegralNumber() || node.asDouble() == Math.rint(node.asDouble()))) {
            throw new IllegalArgumentException(path + " must be an integer, was " + node);
        }
        return node.asInt();
    }

    private static double[] doubles(JsonNode parent, String key, String path, int length) {
        JsonNode node = parent.get(key);
        if (node == null || !node.isArray() || node.size() != length) {
            throw new IllegalArgumentException(path + " must be a list of " + length + " numbers");
        }
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            if (!node.get(i).isNumber()) {
                throw new IllegalArgumentException(path + "[" + i + "] must be a number, was " + node.get(i));
            }
            values[i] = node.get(i).asDouble();
        }
        return values;
    }

    private static float[] floats(JsonNode node, String path, int length) {
        if (node == null || !node.isArray() || node.size() != length) {
            throw new IllegalArgumentException(path + " must be a list of " + length + " numbers"
                    + (node != null && node.isArray() ? ", has " + node.size() : ""));
        }
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            if (!node.get(i).isNumber()) {
                throw new IllegalArgumentException(path + "[" + i + "] must be a number, was " + node.get(i));
            }
            values[i] = (float) node.get(i).asDouble();
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> untyped(JsonNode node) {
        if (!node.isObject()) {
            return Map.of("value", JSON.convertValue(node, Object.class));
        }
        Map<String, Object> map = new LinkedHashMap<>(JSON.convertValue(node, Map.class));
        map.values().removeIf(java.util.Objects::isNull);
        return map;
    }
}
