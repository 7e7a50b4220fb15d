package org.pv3dfarm.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An exported model's {@code model.json}: what the worker knows about a model, and all it knows.
 *
 * <p>{@link #load(Path)} reads and validates a model directory: the format string, the required sizes and
 * conventions, every forward role with its contract inputs and outputs, every graph file present with a matching
 * SHA-256. Problems raise {@link InvalidModelException} naming the directory or file and the field.
 *
 * @param directory the model directory the graph files are relative to
 * @param format always {@value #FORMAT}
 * @param name model name, e.g. {@code pv3d-tiny}
 * @param version model version
 * @param description free text
 * @param config architecture sizes
 * @param conventions camera, time, image and depth conventions
 * @param latentDistribution where to sample z and z_motion
 * @param source how the export was made ({@code source} in model.json: seed, weights file, exporter), untyped;
 *               empty when absent
 * @param trajectories the default camera trajectories, by name, as declared (parameters untyped)
 * @param dataFiles external data files the graphs reference (model.json's {@code weights}), verified like graphs
 * @param graphs the forward graphs by role (all roles present)
 * @param gradients the gradient graphs by kind, each list sorted by size (a kind may be absent: empty list)
 */
public record ModelManifest(Path directory, String format, String name, String version, String description,
                            ModelConfig config, Conventions conventions, LatentDistribution latentDistribution,
                            Map<String, Object> source, Map<String, Map<String, Object>> trajectories, List<ModelFile> dataFiles,
                            Map<GraphRole, GraphSpec> graphs,
                            Map<GradientKind, List<GradientGraphSpec>> gradients) {

    /** The only manifest format this runtime reads. */
    public static final String FORMAT = "pv3d-farm-model/1";
    /** The manifest's file name inside a model directory. */
    public static final String FILE_NAME = "model.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelManifest {
        source = Collections.unmodifiableMap(new LinkedHashMap<>(source));
        trajectories = Collections.unmodifiableMap(new LinkedHashMap<>(trajectories));
        dataFiles = List.copyOf(dataFiles);
        graphs = Collections.unmodifiableMap(new EnumMap<>(graphs));
        EnumMap<GradientKind, List<GradientGraphSpec>> copy = new EnumMap<>(GradientKind.class);
        for (GradientKind kind : GradientKind.values()) {
            copy.put(kind, List.copyOf(gradients.getOrDefault(kind, List.of())));
        }
        gradients = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads {@code dir/model.json}, checks it against the contract and checks every graph file's SHA-256.
     *
     * @throws InvalidModelException when anything is missing, malformed or does not match
     */
    public static ModelManifest load(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidModelException("model manifest " + file + " does not exist", e);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read model manifest " + file + ": " + e.getMessage(), e);
        }
        ModelManifest manifest = parse(bytes, dir);
        manifest.verifyFiles();
        return manifest;
    }

    /**
     * Parses and validates manifest JSON without touching the graph files (see {@link #verifyFiles()}).
     *
     * @param json the bytes of model.json
     * @param dir the directory the graph files are relative to (used in messages and {@link GraphSpec#path})
     */
    public static ModelManifest parse(byte[] json, Path dir) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidModelException(dir.resolve(FILE_NAME) + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
        try {
            return new ManifestParser().manifest(root, dir);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** Checks that every graph and data file exists and has the declared SHA-256. */
    public void verifyFiles() {
        for (ModelFile file : allFiles()) {
            Path path = directory.resolve(file.file());
            if (!Files.isRegularFile(path)) {
                throw new InvalidModelException("model file " + path + " (" + file.key() + ") does not exist");
            }
            String actual = sha256(path);
            if (!actual.equalsIgnoreCase(file.sha256())) {
                throw new InvalidModelException("model file " + path + " (" + file.key() + ") has sha256 " + actual
                        + " but " + FILE_NAME + " declares " + file.sha256()
                        + ": the file was modified or belongs to another export");
            }
        }
    }

    /** Every file of the model but model.json: graphs (forward, then gradient), then data files. */
    public List<ModelFile> allFiles() {
        List<ModelFile> files = new ArrayList<>();
        allGraphs().forEach(g -> files.add(new ModelFile(g.key(), g.file(), g.sha256())));
        files.addAll(dataFiles);
        return files;
    }

    /**
     * Whether the export carries trained weights ({@code source.weights} names a weights file) rather than the
     * seeded random initialisation, which renders coloured fog: fine for contract tests, not for pictures.
     */
    public boolean hasTrainedWeights() {
        Object weights = source.get("weights");
        return weights instanceof String s && !s.isBlank();
    }

    /** The forward graph of a role (always present in a validated manifest). */
    public GraphSpec graph(GraphRole role) {
        return graphs.get(role);
    }

    /** The gradient graphs of a kind, sorted by size; empty when the export has none. */
    public List<GradientGraphSpec> gradientGraphs(GradientKind kind) {
        return gradients.get(kind);
    }

    /** The gradient graph of a kind exported for exactly {@code size} (batch or frames). */
    public Optional<GradientGraphSpec> gradientGraph(GradientKind kind, int size) {
        return gradients.get(kind).stream().filter(g -> g.size() == size).findFirst();
    }

    /** Every graph file of the model: forward roles first, then gradient graphs. */
    public List<GraphSpec> allGraphs() {
        List<GraphSpec> all = new ArrayList<>(graphs.values());
        gradients.values().forEach(list -> list.forEach(g -> all.add(g.graph())));
        return all;
    }

    /** The lowercase hex SHA-256 of a file. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new InvalidModelException("cannot read graph file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
