package org.pv3dfarm.worker.mesh;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An indexed triangle mesh: {@code positions} holds x, y, z per vertex, {@code triangles} three vertex indices per
 * triangle, counter-clockwise seen from outside (the normal {@code (b − a) × (c − a)} points out of the solid).
 *
 * <p>Measures: {@link #area()} = Σ |(b − a) × (c − a)| / 2; {@link #volume()} = Σ a · (b × c) / 6 (divergence
 * theorem: the enclosed volume when the mesh is closed and outward-facing, negative when it faces inward);
 * {@link #eulerCharacteristic()} = V − E + F (2 per sphere-like closed component, 0 per torus).
 *
 * @param positions 3 floats per vertex; kept, do not change it
 * @param triangles 3 indices per triangle; kept, do not change it
 */
public record TriangleMesh(float[] positions, int[] triangles) {

    public TriangleMesh {
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(triangles, "triangles");
        if (positions.length % 3 != 0 || triangles.length % 3 != 0) {
            throw new IllegalArgumentException("positions and triangles must come in threes");
        }
        int vertices = positions.length / 3;
        for (int index : triangles) {
            if (index < 0 || index >= vertices) {
                throw new IllegalArgumentException("triangle index " + index + " outside 0.." + (vertices - 1));
            }
        }
    }

    public int vertexCount() {
        return positions.length / 3;
    }

    public int triangleCount() {
        return triangles.length / 3;
    }

    public boolean isEmpty() {
        return triangles.length == 0;
    }

    public double area() {
        double sum = 0;
        for (int t = 0; t < triangles.length; t += 3) {
            double[] n = cross(t);
            sum += Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) / 2;
        }
        return sum;
    }

    public double volume() {
        double sum = 0;
        for (int t = 0; t < triangles.length; t += 3) {
            int a = triangles[t] * 3;
            int b = triangles[t + 1] * 3;
            int c = triangles[t + 2] * 3;
            double bcx = (double) positions[b + 1] * positions[c + 2] - (double) positions[b + 2] * positions[c + 1];
            double bcy = (double) positions[b + 2] * positions[c] - (double) positions[b] * positions[c + 2];
            double bcz = (double) positions[b] * positions[c + 1] - (double) positions[b + 1] * positions[c];
            sum += positions[a] * bcx + positions[a + 1] * bcy + positions[a + 2] * bcz;
        }
        return sum / 6;
    }

    /**
     * Directed edges without exactly one opposite partner: 0 when the mesh is watertight (every edge shared by
     * exactly two triangles) and consistently oriented (the two traverse it in opposite directions).
     */
    public int unmatchedEdges() {
        Map<Long, Integer> directed = new HashMap<>();
        int vertices = vertexCount();
        for (int t = 0; t < triangles.length; t += 3) {
            for (int e = 0; e < 3; e++) {
                long key = (long) triangles[t + e] * vertices + triangles[t + (e + 1) % 3];
                directed.merge(key, 1, Integer::sum);
            }
        }
        int unmatched = 0;
        for (Map.Entry<Long, Integer> entry : directed.entrySet()) {
            long from = entry.getKey() / vertices;
            long to = entry.getKey() % vertices;
            Integer opposite = directed.get(to * vertices + from);
            if (entry.getValue() != 1 || opposite == null || opposite != 1) {
                unmatched++;
            }
        }
        return unmatched;
    }

    /** V − E + F over the vertices that triangles use. */
    public int eulerCharacteristic() {
        Set<Integer> used = new HashSet<>();
        Set<Long> edges = new HashSet<>();
        long vertices = vertexCount();
        for (int t = 0; t < triangles.length; t += 3) {
            for (int e = 0; e < 3; e++) {
                int a = triangles[t + e];
                int b = triangles[t + (e + 1) % 3];
                used.add(a);
                edges.add(Math.min(a, b) * vertices + Math.max(a, b));
            }
        }
        return used.size() - edges.size() + triangleCount();
    }

    /** Per-vertex unit normals: the area-weighted mean of the adjacent triangles' normals ((0, 0, 0) if none). */
    public float[] vertexNormals() {
        double[] sum = new double[positions.length];
        for (int t = 0; t < triangles.length; t += 3) {
            double[] n = cross(t); // its length is twice the area: the weighting
            for (int e = 0; e < 3; e++) {
                int v = triangles[t + e] * 3;
                sum[v] += n[0];
                sum[v + 1] += n[1];
                sum[v + 2] += n[2];
            }
        }
        float[] normals = new float[positions.length];
        for (int v = 0; v < sum.length; v += 3) {
            double length = Math.sqrt(sum[v] * sum[v] + sum[v + 1] * sum[v + 1] + sum[v + 2] * sum[v + 2]);
            if (length > 0) {
                normals[v] = (float) (sum[v] / length);
                normals[v + 1] = (float) (sum[v + 1] / length);
                normals[v + 2] = (float) (sum[v + 2] / length);
            }
        }
        return normals;
    }

    /** Per axis, the smallest and largest coordinate: {minX, minY, minZ, maxX, maxY, maxZ}; zeros when empty. */
    public float[] bounds() {
        if (positions.length == 0) {
            return new float[6];
        }
        float[] b = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE,
            -Float.MAX_VALUE};
        for (int v = 0; v < positions.length; v += 3) {
            for (int axis = 0; axis < 3; axis++) {
                b[axis] = Math.min(b[axis], positions[v + axis]);
                b[axis + 3] = Math.max(b[axis + 3], positions[v + axis]);
            }
        }
        return b;
    }

    /** (b − a) × (c − a) of the triangle starting at {@code t} in {@code triangles}. */
    private double[] cross(int t) {
        int a = triangles[t] * 3;
        int b = triangles[t + 1] * 3;
        int c = triangles[t + 2] * 3;
        double ux = positions[b] - positions[a];
        double uy = positions[b + 1] - positions[a + 1];
        double uz = positions[b + 2] - positions[a + 2];
        double vx = positions[c] - positions[a];
        double vy = positions[c + 1] - positions[a + 1];
        double vz = positions[c + 2] - positions[a + 2];
        return new double[] {uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx};
    }
}
