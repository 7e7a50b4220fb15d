package org.pv3dfarm.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model directory that satisfies the manifest contract but whose "graph files" are placeholder bytes: enough
 * for manifest and locator tests, which never run a graph. Tests edit {@link #json} and call {@link #write}.
 */
final class SyntheticModelDir {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final ObjectNode json;

    SyntheticModelDir(Path dir) throws IOException {
        this.dir = dir;
        this.json = JSON.createObjectNode();
        json.put("format", ModelManifest.FORMAT).put("name", "synthetic").put("version", "0")
                .put("description", "test fixture");
        ObjectNode config = json.putObject("config");
        config.put("z_dim", 8).put("w_dim", 8).put("c_dim", 25).put("motion_dim", 4).put("num_ws", 3)
                .put("plane_resolution", 8).put("plane_channels", 2).put("neural_resolution", 4)
                .put("output_resolution", 8).put("feature_channels", 2).put("samples_uniform", 4)
                .put("samples_importance", 4).put("ray_start", 2.25).put("ray_end", 3.3).put("box_warp", 1.0);
        ObjectNode conv = json.putObject("conventions");
        ObjectNode cam = conv.putObject("camera");
        cam.put("layout", "25 floats").put("radius", 2.7).put("focal", 4.2647);
        cam.putArray("pivot").add(0).add(0).add(0.2);
        conv.putObject("time").put("clip_frames", 16).put("fps", 25).put("t", "i/(n-1)");
        ObjectNode latent = json.putObject("latent_distribution");
        gaussian(latent.putObject("z"), 8);
        gaussian(latent.putObject("z_motion"), 4);
        ObjectNode graphs = json.putObject("graphs");
        for (GraphRole role : GraphRole.values()) {
            graph(graphs.putObject(role.key()), role.key() + ".onnx", role.requiredInputs(), role.requiredOutputs());
        }
        ObjectNode gradients = json.putObject("gradients");
        graph(gradients.putArray("inversion").addObject().put("batch", 1), "inversion_b1.onnx",
                GradientKind.INVERSION.requiredInputs(), GradientKind.INVERSION.requiredOutputs());
        graph(gradients.putArray("reconstruction").addObject().put("frames", 2), "reconstruction_f2.onnx",
                GradientKind.RECONSTRUCTION.requiredInputs(), GradientKind.RECONSTRUCTION.requiredOutputs());
        Files.write(dir.resolve("weights.bin"), new byte[] {1, 2, 3, 4});
        json.putObject("weights").put("file", "weights.bin").put("sha256", sha(dir.resolve("weights.bin")));
        json.putObject("trajectories").putObject("orbit").put("yaw_amplitude", 0.3);
        write();
    }

    private static void gaussian(ObjectNode node, int dim) {
        ArrayNode mean = node.putArray("mean");
        ArrayNode std = node.putArray("std");
        for (int i = 0; i < dim; i++) {
            mean.add(0.0);
            std.add(1.0);
        }
    }

    private void graph(ObjectNode node, String file, List<String> inputs, List<String> outputs) throws IOException {
        byte[] content = ("placeholder for " + file).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(file), content);
        node.put("file", file).put("sha256", sha(dir.resolve(file)));
        ArrayNode in = node.putArray("inputs");
        for (String name : inputs) {
            in.addObject().put("name", name).put("dtype", "float32").putArray("shape").add("batch").add(8);
        }
        ArrayNode out = node.putArray("outputs");
        for (String name : outputs) {
            out.addObject().put("name", name).put("dtype", "float32").putArray("shape").add("batch").add(8);
        }
    }

    static String sha(Path file) {
        return ModelManifest.sha256(file);
    }

    ObjectNode graphNode(GraphRole role) {
        return (ObjectNode) json.get("graphs").get(role.key());
    }

    SyntheticModelDir write() throws IOException {
        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        return this;
    }
}
