package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {

    @TempDir
    Path dir;

    @Test
    void loadsAValidManifest() throws IOException {
        new SyntheticModelDir(dir);
        ModelManifest m = ModelManifest.load(dir);
        assertEquals("synthetic", m.name());
        assertEquals(8, m.config().zDim());
        assertEquals(3, m.config().numWs());
        assertEquals(2.25, m.config().rayStart());
        assertEquals(16, m.conventions().time().clipFrames());
        assertEquals(5, m.graphs().size());
        assertEquals("render.onnx", m.graph(GraphRole.RENDER).file());
        assertEquals(List.of(1), m.gradientGraphs(GradientKind.INVERSION).stream().map(GradientGraphSpec::size).toList());
        assertTrue(m.gradientGraph(GradientKind.RECONSTRUCTION, 2).isPresent());
        assertTrue(m.gradientGraph(GradientKind.RECONSTRUCTION, 3).isEmpty());
        assertEquals(7, m.allGraphs().size());
        assertEquals(8, m.allFiles().size());
        assertEquals(8, m.latentDistribution().z().dim());
        // No canonical camera in this manifest: it is derived from the convention, frontal.
        assertArrayEquals(Cameras.lookAt(Math.PI / 2, Math.PI / 2, 2.7, new double[] {0, 0, 0.2}, 4.2647),
                m.conventions().camera().canonical());
        TensorSpec z = m.graph(GraphRole.MAPPING).input("z").orElseThrow();
        assertEquals("batch", z.shape().get(0).symbol());
        assertEquals(8, z.shape().get(1).size());
    }

    @Test
    void missingManifestNamesTheFile() {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelManifest.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("model.json").toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void missingGraphFileNamesTheFileAndRole() throws IOException {
        new SyntheticModelDir(dir);
        Files.delete(dir.resolve("density.onnx"));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelManifest.load(dir));
        assertTrue(e.getMessage().contains("density.onnx") && e.getMessage().contains("(graphs.density)")
                && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void checksumMismatchNamesTheFile() throws IOException {
        new SyntheticModelDir(dir);
        Files.writeString(dir.resolve("inversion_b1.onnx"), "tampered");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelManifest.load(dir));
        assertTrue(e.getMessage().contains("inversion_b1.onnx") && e.getMessage().contains("gradients.inversion[0]")
                && e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void sharedWeightsFileIsVerifiedToo() throws IOException {
        new SyntheticModelDir(dir);
        assertEquals(List.of(new ModelFile("weights", "weights.bin", SyntheticModelDir.sha(dir.resolve("weights.bin")))),
                ModelManifest.load(dir).dataFiles());
        Files.write(dir.resolve("weights.bin"), new byte[] {9});
        assertLoadFails("model file " + dir.resolve("weights.bin") + " (weights) has sha256");
        Files.delete(dir.resolve("weights.bin"));
        assertLoadFails("model file " + dir.resolve("weights.bin") + " (weights) does not exist");
    }

    @Test
    void namedTrajectoriesReadTheirParameters() throws IOException {
        new SyntheticModelDir(dir);
        ModelManifest m = ModelManifest.load(dir);
        List<ViewAngle> orbit = Trajectories.named(m, "orbit", 4);
        assertEquals(Math.PI / 2 + 0.3, orbit.get(1).yaw(), 1e-12);          // from the manifest
        assertEquals(Math.PI / 2 - 0.05 + 0.25, orbit.get(0).pitch(), 1e-12); // defaults
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trajectories.named(m, "spiral", 4));
        assertTrue(e.getMessage().contains("declares no trajectory 'spiral'"), e.getMessage());
    }

    @Test
    void wrongFormatIsRejected() throws IOException {
        SyntheticModelDir m = new SyntheticModelDir(dir);
        m.json.put("format", "pv3d-farm-model/2");
        m.write();
        assertLoadFails("format is 'pv3d-farm-model/2' but this runtime reads 'pv3d-farm-model/1'");
    }

    @Test
    void invalidJsonIsRejected() throws IOException {
        Files.writeString(dir.resolve("model.json"), "{\"format\": ");
        assertLoadFails("is not valid JSON");
    }

    @Test
    void missingRoleIsRejected() throws IOException {
        SyntheticModelDir m = new SyntheticModelDir(dir);
        ((ObjectNode) m.json.get("graphs")).remove("superres");
        m.write();
        assertLoadFails("graphs.superres is missing");
    }

    @Test
    void inputsThatBreakTheContractAreRejected() throws IOException {
        SyntheticModelDir m = new SyntheticModelDir(dir);
        ((ObjectNode) ((ArrayNode) m.graphNode(GraphRole.MAPPING).get("inputs")).get(2)).put("name", "psi");
        m.write();
        assertLoadFails("graphs.mapping.inputs are [z, c, psi] but the model contract requires [z, c, truncation_psi]");
    }

    @Test
    void missingOutputIsRejected() throws IOException {
        SyntheticModelDir m = new SyntheticModelDir(dir);
        ((ArrayNode) m.graphNode(GraphRole.RENDER).get("outputs")).remove(2);
        m.write();
        assertLoadFails("graphs.render.outputs are [features, raw_rgb]");
    }

    @Test
    void missingOrInvalidFieldsAreNamed() throws IOException {
        SyntheticModelDir m = new SyntheticModelDir(dir);
        ((ObjectNode) m.json.get("config")).remove("w_dim");
        m.write();
        assertLoadFails("config.w_dim is missing");

        m = new SyntheticModelDir(dir);
        m.graphNode(GraphRole.SYNTHESIS).put("sha256", "abc");
        m.write();
        assertLoadFails("graphs.synthesis.sha256 'abc' is not 64 hex digits");

        m = new SyntheticModelDir(dir);
        ((ArrayNode) m.json.get("latent_distribution").get("z").get("mean")).remove(0);
        m.write();
        assertLoadFails("latent_distribution.z.mean must be a list of 8 numbers, has 7");

        m = new SyntheticModelDir(dir);
        m.graphNode(GraphRole.DENSITY).put("file", "../escape.onnx");
        m.write();
        assertLoadFails("graphs.density.file '../escape.onnx' must be a plain name");

        m = new SyntheticModelDir(dir);
        ((ObjectNode) ((ArrayNode) m.graphNode(GraphRole.DENSITY).get("inputs")).get(0)).put("dtype", "float16");
        m.write();
        assertLoadFails("graphs.density.inputs[0].dtype is 'float16'");
    }

    @Test
    void duplicateGradientSizesAreRejected() throws IOException {
        SyntheticModelDir m = new SyntheticModelDir(dir);
        ArrayNode inv = (ArrayNode) m.json.get("gradients").get("inversion");
        inv.add(inv.get(0).deepCopy());
        m.write();
        assertLoadFails("gradients.inversion[1]: a second graph for batch 1");
    }

    private void assertLoadFails(String expected) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelManifest.load(dir));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
