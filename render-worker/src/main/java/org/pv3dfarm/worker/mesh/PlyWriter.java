package org.pv3dfarm.worker.mesh;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Binary little-endian PLY 1.0: an ASCII header ({@code element vertex N} with float x, y, z, nx, ny, nz;
 * {@code element face M} with a {@code uchar}-counted {@code int} index list), then the data. Triangles keep
 * the mesh's counter-clockwise-from-outside order.
 */
public final class PlyWriter {

    public static final String CONTENT_TYPE = "application/octet-stream";

    private PlyWriter() {
    }

    /** The file's bytes; {@code comment} lines (no line breaks) go into the header. */
    public static byte[] write(TriangleMesh mesh, String... comments) {
        Objects.requireNonNull(mesh, "mesh");
        StringBuilder header = new StringBuilder("ply\nformat binary_little_endian 1.0\n");
        for (String comment : comments) {
            if (comment.indexOf('\n') >= 0 || comment.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a PLY comment must be one line");
            }
            header.append("comment ").append(comment).append('\n');
        }
        header.append("element vertex ").append(mesh.vertexCount()).append('\n')
                .append("property float x\nproperty float y\nproperty float z\n")
                .append("property float nx\nproperty float ny\nproperty float nz\n")
                .append("element face ").append(mesh.triangleCount()).append('\n')
                .append("property list uchar int vertex_indices\n")
                .append("end_header\n");
        byte[] head = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer data = ByteBuffer.allocate(mesh.vertexCount() * 24 + mesh.triangleCount() * 13)
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] positions = mesh.positions();
        float[] normals = mesh.vertexNormals();
        for (int v = 0; v < positions.length; v += 3) {
            data.putFloat(positions[v]).putFloat(positions[v + 1]).putFloat(positions[v + 2]);
            data.putFloat(normals[v]).putFloat(normals[v + 1]).putFloat(normals[v + 2]);
        }
        int[] triangles = mesh.triangles();
        for (int t = 0; t < triangles.length; t += 3) {
            data.put((byte) 3).putInt(triangles[t]).putInt(triangles[t + 1]).putInt(triangles[t + 2]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + data.capacity());
        out.writeBytes(head);
        out.writeBytes(data.array());
        return out.toByteArray();
    }
}
