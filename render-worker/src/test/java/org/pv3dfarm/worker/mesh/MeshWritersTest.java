package org.pv3dfarm.worker.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MeshWritersTest {

    /** A tetrahedron with outward-facing triangles. */
    static TriangleMesh tetrahedron() {
        float[] positions = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
        int[] triangles = {0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3};
        return new TriangleMesh(positions, triangles);
    }

    @Test
    void theTetrahedronFixtureIsClosedAndOutward() {
        TriangleMesh mesh = tetrahedron();
        assertEquals(1.0 / 6, mesh.volume(), 1e-7);
        assertEquals(0, mesh.unmatchedEdges());
        assertEquals(2, mesh.eulerCharacteristic());
        TriangleMesh flipped = new TriangleMesh(mesh.positions(), new int[] {0, 1, 2, 0, 1, 3, 0, 3, 2, 1, 2, 3});
        assertTrue(flipped.unmatchedEdges() > 0, "one flipped triangle breaks the orientation");
    }

    @Test
    void plyHasItsHeaderAndLittleEndianData() {
        byte[] ply = PlyWriter.write(tetrahedron(), "pv3d job 1 frame 0");
        String text = new String(ply, StandardCharsets.US_ASCII);
        int end = text.indexOf("end_header\n") + "end_header\n".length();
        String header = text.substring(0, end);
        assertTrue(header.startsWith("ply\nformat binary_little_endian 1.0\ncomment pv3d job 1 frame 0\n"), header);
        assertTrue(header.contains("element vertex 4\n") && header.contains("element face 4\n"), header);
        assertEquals(end + 4 * 24 + 4 * 13, ply.length);
        ByteBuffer data = ByteBuffer.wrap(ply, end, ply.length - end).order(ByteOrder.LITTLE_ENDIAN);
        data.position(end + 24); // the second vertex
        assertEquals(1f, data.getFloat());
        data.position(end + 4 * 24);
        assertEquals(3, data.get());
        assertEquals(0, data.getInt());
        assertEquals(2, data.getInt());
        assertEquals(1, data.getInt());
        assertThrows(IllegalArgumentException.class, () -> PlyWriter.write(tetrahedron(), "two\nlines"));
    }

    @Test
    void glbHasAlignedChunksAndAccessorsThatReadBackTheMesh() throws Exception {
        TriangleMesh mesh = tetrahedron();
        byte[] glb = GlbWriter.write(mesh, "pv3d-farm");
        ByteBuffer in = ByteBuffer.wrap(glb).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(GlbWriter.MAGIC, in.getInt());
        assertEquals(2, in.getInt());
        assertEquals(glb.length, in.getInt());
        int jsonLength = in.getInt();
        assertEquals(GlbWriter.CHUNK_JSON, in.getInt());
        assertEquals(0, jsonLength % 4);
        JsonNode json = new ObjectMapper().readTree(new String(glb, 20, jsonLength, StandardCharsets.UTF_8).trim());
        in.position(20 + jsonLength);
        int binLength = in.getInt();
        assertEquals(GlbWriter.CHUNK_BIN, in.getInt());
        assertEquals(0, binLength % 4);
        int bin = in.position();
        assertEquals(glb.length, bin + binLength);

        assertEquals("2.0", json.at("/asset/version").asText());
        JsonNode primitive = json.at("/meshes/0/primitives/0");
        assertEquals(4, primitive.path("mode").asInt());
        JsonNode position = json.at("/accessors/" + primitive.at("/attributes/POSITION").asInt());
        assertEquals(4, position.path("count").asInt());
        assertEquals("[0.0,0.0,0.0]", position.path("min").toString());
        assertEquals("[1.0,1.0,1.0]", position.path("max").toString());
        JsonNode indices = json.at("/accessors/" + primitive.path("indices").asInt());
        assertEquals(12, indices.path("count").asInt());
        assertEquals(5125, indices.path("componentType").asInt());
        JsonNode indexView = json.at("/bufferViews/" + indices.path("bufferView").asInt());
        in.position(bin + indexView.path("byteOffset").asInt());
        int[] read = new int[12];
        for (int i = 0; i < 12; i++) {
            read[i] = in.getInt();
        }
        assertEquals(Arrays.toString(mesh.triangles()), Arrays.toString(read));
        JsonNode positionView = json.at("/bufferViews/" + position.path("bufferView").asInt());
        in.position(bin + positionView.path("byteOffset").asInt() + 12);
        assertEquals(1f, in.getFloat(), "vertex 1 x");
        assertEquals(json.at("/buffers/0/byteLength").asInt(), binLength);
    }

    @Test
    void anEmptyMeshIsAValidGlbWithAnEmptyScene() throws Exception {
        byte[] glb = GlbWriter.write(new TriangleMesh(new float[0], new int[0]), "pv3d-farm");
        ByteBuffer in = ByteBuffer.wrap(glb).order(ByteOrder.LITTLE_ENDIAN);
        in.position(12);
        int jsonLength = in.getInt();
        assertEquals(glb.length, 20 + jsonLength, "no BIN chunk");
        JsonNode json = new ObjectMapper().readTree(new String(glb, 20, jsonLength, StandardCharsets.UTF_8).trim());
        assertEquals(0, json.at("/scenes/0/nodes").size());
        assertFalse(json.has("accessors"));
        assertTrue(new String(PlyWriter.write(new TriangleMesh(new float[0], new int[0])), StandardCharsets.US_ASCII)
                .contains("element face 0\n"));
    }
}
