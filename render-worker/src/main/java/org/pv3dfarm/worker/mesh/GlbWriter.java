package org.pv3dfarm.worker.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Binary glTF 2.0 (GLB): a 12-byte header ({@code glTF}, version 2, total length), a JSON chunk and a BIN chunk,
 * each 4-byte aligned (JSON padded with spaces, BIN with zeros). One buffer holds positions (VEC3 float, with
 * the min/max glTF requires), normals (VEC3 float) and 32-bit indices; one mesh with one triangle primitive in
 * one node of one scene. glTF's triangles are counter-clockwise front faces, as {@link TriangleMesh}'s are. An
 * empty mesh gives a valid file with an empty scene (glTF forbids zero-length accessors).
 */
public final class GlbWriter {

    public static final String CONTENT_TYPE = "model/gltf-binary";
    public static final int MAGIC = 0x46546C67; // "glTF"
    public static final int CHUNK_JSON = 0x4E4F534A;
    public static final int CHUNK_BIN = 0x004E4942;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FLOAT = 5126;
    private static final int UNSIGNED_INT = 5125;
    private static final int ARRAY_BUFFER = 34962;
    private static final int ELEMENT_ARRAY_BUFFER = 34963;

    private GlbWriter() {
    }

    /** The file's bytes; {@code generator} goes into {@code asset.generator}. */
    public static byte[] write(TriangleMesh mesh, String generator) {
        Objects.requireNonNull(mesh, "mesh");
        ObjectNode root = JSON.createObjectNode();
        root.putObject("asset").put("version", "2.0").put("generator", generator);
        root.put("scene", 0);
        ArrayNode scenes = root.putArray("scenes");
        byte[] bin = new byte[0];
        if (mesh.isEmpty()) {
            scenes.addObject().putArray("nodes");
        } else {
            int vertices = mesh.vertexCount();
            int positionBytes = vertices * 12;
            int indexBytes = mesh.triangles().length * 4;
            ByteBuffer data = ByteBuffer.allocate(2 * positionBytes + indexBytes).order(ByteOrder.LITTLE_ENDIAN);
            for (float p : mesh.positions()) {
                data.putFloat(p);
            }
            for (float n : mesh.vertexNormals()) {
                data.putFloat(n);
            }
            for (int index : mesh.triangles()) {
                data.putInt(index);
            }
            bin = data.array();

            scenes.addObject().putArray("nodes").add(0);
            root.putArray("nodes").addObject().put("mesh", 0);
            ObjectNode primitive = root.putArray("meshes").addObject().putArray("primitives").addObject();
            primitive.putObject("attributes").put("POSITION", 0).put("NORMAL", 1);
            primitive.put("indices", 2).put("mode", 4);
            root.putArray("buffers").addObject().put("byteLength", bin.length);
            ArrayNode views = root.putArray("bufferViews");
            bufferView(views, 0, positionBytes, ARRAY_BUFFER);
            bufferView(views, positionBytes, positionBytes, ARRAY_BUFFER);
            bufferView(views, 2 * positionBytes, indexBytes, ELEMENT_ARRAY_BUFFER);
            ArrayNode accessors = root.putArray("accessors");
            float[] bounds = mesh.bounds();
            ObjectNode position = accessor(accessors, 0, FLOAT, vertices, "VEC3");
            ArrayNode min = position.putArray("min");
            ArrayNode max = position.putArray("max");
            for (int axis = 0; axis < 3; axis++) {
                min.add(bounds[axis]);
                max.add(bounds[axis + 3]);
            }
            accessor(accessors, 1, FLOAT, vertices, "VEC3");
            accessor(accessors, 2, UNSIGNED_INT, mesh.triangles().length, "SCALAR");
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int jsonLength = align4(json.length);
        int binLength = align4(bin.length);
        int total = 12 + 8 + jsonLength + (bin.length > 0 ? 8 + binLength : 0);
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(2).putInt(total);
        out.putInt(jsonLength).putInt(CHUNK_JSON).put(json);
        for (int i = json.length; i < jsonLength; i++) {
            out.put((byte) ' ');
        }
        if (bin.length > 0) {
            out.putInt(binLength).putInt(CHUNK_BIN).put(bin);
            // the rest of the buffer is already zero: the BIN chunk's padding
        }
        return out.array();
    }

    private static void bufferView(ArrayNode views, int offset, int length, int target) {
        views.addObject().put("buffer", 0).put("byteOffset", offset).put("byteLength", length).put("target", target);
    }

    private static ObjectNode accessor(ArrayNode accessors, int view, int componentType, int count, String type) {
        return accessors.addObject().put("bufferView", view).put("componentType", componentType).put("count", count)
                .put("type", type);
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}
