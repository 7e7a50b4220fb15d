package org.pv3dfarm.worker.mesh;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Marching cubes: the surface {@code value = level} of a {@link ScalarGrid}, with the solid where
 * {@code value > level} (density above the threshold), as a watertight, outward-facing {@link TriangleMesh}.
 *
 * <p>Instead of Lorensen and Cline's 256-case table, each cube's polygons are traced from its faces, which makes
 * the result watertight by construction:
 * <ol>
 *   <li>every cube edge whose ends lie on different sides of the level holds one vertex, linearly interpolated
 *       ({@code t = (level − a) / (b − a)}), shared with every cube that has the edge;</li>
 *   <li>on each face, walked counter-clockwise about its outward normal, a crossing from outside to inside is
 *       joined to the next crossing from inside to outside. On an ambiguous face (inside corners diagonal) this
 *       cuts off each inside corner on its own; the rule depends only on the face's four corners, so the two cubes
 *       sharing a face draw the same segments, in opposite directions;</li>
 *   <li>the directed segments of a cube close into loops (each crossing starts one segment and ends another),
 *       and each loop becomes a triangle fan (see {@code triangulate}: no fan diagonal lies on a cube face, so
 *       every edge has exactly two triangles). A loop's direction makes its triangles face away from the
 *       solid.</li>
 * </ol>
 * Samples beyond the grid count as outside, so surfaces that reach the grid's border are closed there. Values equal
 * to the level count as outside. Thread-safe (no state).
 */
public final class MarchingCubes {

    /** Cube corners c = x + 2y + 4z; each face's corners counter-clockwise seen from outside the cube. */
    private static final int[][] FACES = {
        {0, 4, 6, 2}, {1, 3, 7, 5}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 2, 3, 1}, {4, 5, 7, 6}};

    /** Per local edge (see {@code edge}), a bit per face of {@link #FACES} that contains it. */
    private static final int[] FACES_OF_EDGE = new int[12];

    static {
        for (int f = 0; f < FACES.length; f++) {
            for (int s = 0; s < 4; s++) {
                FACES_OF_EDGE[Extraction.edge(FACES[f][s], FACES[f][(s + 1) % 4])] |= 1 << f;
            }
        }
    }

    private MarchingCubes() {
    }

    /** The iso-surface of {@code grid} at {@code level} (finite). */
    public static TriangleMesh extract(ScalarGrid grid, double level) {
        Objects.requireNonNull(grid, "grid");
        if (!Double.isFinite(level)) {
            throw new IllegalArgumentException("level must be finite, was " + level);
        }
        return new Extraction(grid, level).run();
    }

    /** One extraction's growing vertex and triangle buffers. */
    private static final class Extraction {
        private final ScalarGrid grid;
        private final double level;
        /** What a sample beyond the grid reads as: below the level, so outside. */
        private final double outside;
        private final Map<Long, Integer> vertexOfEdge = new HashMap<>();
        private float[] positions = new float[3 * 1024];
        private int vertexCount;
        private int[] triangles = new int[3 * 2048];
        private int triangleIndexCount;

        // per-cube scratch
        private final double[] corner = new double[8];
        private final int[] next = new int[12];
        private final int[] vertex = new int[12];
        private final int[] loop = new int[12];
        private final int[] loopVertex = new int[12];

        Extraction(ScalarGrid grid, double level) {
            this.grid = grid;
            this.level = level;
            this.outside = level - 1;
        }

        TriangleMesh run() {
            // cells from -1 to n-1: the outer ring reads beyond-grid samples as outside and closes the surface
            for (int k = -1; k < grid.nz(); k++) {
                for (int j = -1; j < grid.ny(); j++) {
                    for (int i = -1; i < grid.nx(); i++) {
                        cube(i, j, k);
                    }
                }
            }
            return new TriangleMesh(Arrays.copyOf(positions, vertexCount * 3),
                    Arrays.copyOf(triangles, triangleIndexCount));
        }

        private double sample(int i, int j, int k) {
            if (i < 0 || j < 0 || k < 0 || i >= grid.nx() || j >= grid.ny() || k >= grid.nz()) {
                return outside;
            }
            return grid.value(i, j, k);
        }

        private void cube(int i, int j, int k) {
            int insideMask = 0;
            for (int c = 0; c < 8; c++) {
                corner[c] = sample(i + (c & 1), j + ((c >> 1) & 1), k + ((c >> 2) & 1));
                if (corner[c] > level) {
                    insideMask |= 1 << c;
                }
            }
            if (insideMask == 0 || insideMask == 0xFF) {
                return;
            }
            Arrays.fill(next, -1);
            for (int[] face : FACES) {
                for (int s = 0; s < 4; s++) {
                    int a = face[s];
                    int b = face[(s + 1) % 4];
                    boolean aIn = (insideMask >> a & 1) != 0;
                    boolean bIn = (insideMask >> b & 1) != 0;
                    if (aIn || !bIn) {
                        continue; // not an outside-to-inside crossing
                    }
                    // join it to the next inside-to-outside crossing counter-clockwise
                    for (int step = 1; step < 4; step++) {
                        int c = face[(s + step) % 4];
                        int d = face[(s + step + 1) % 4];
                        if ((insideMask >> c & 1) != 0 && (insideMask >> d & 1) == 0) {
                            next[edge(a, b)] = edge(c, d);
                            break;
                        }
                    }
                }
            }
            Arrays.fill(vertex, -1);
            for (int start = 0; start < 12; start++) {
                if (next[start] < 0) {
                    continue;
                }
                // collect the loop from `start`, consuming its segments
                int length = 0;
                int e = start;
                do {
                    loop[length++] = e;
                    int following = next[e];
                    if (following < 0) {
                        throw new IllegalStateException("open polygon in cube " + i + "," + j + "," + k);
                    }
                    next[e] = -1;
                    e = following;
                } while (e != start);
                triangulate(i, j, k, length);
            }
        }

        /**
         * Triangulates the loop {@code loop[0..length)}. A fan whose diagonals join two crossings on one cube face
         * could repeat an edge the neighbouring cube also draws (four triangles on one edge), so the fan starts
         * where no diagonal lies on a face; if there is no such start, the loop is fanned from its centroid.
         */
        private void triangulate(int i, int j, int k, int length) {
            for (int e = 0; e < length; e++) {
                loopVertex[e] = vertexOf(i, j, k, loop[e]);
            }
            for (int s = 0; s < length; s++) {
                boolean clear = true;
                for (int d = 2; d <= length - 2 && clear; d++) {
                    clear = (FACES_OF_EDGE[loop[s]] & FACES_OF_EDGE[loop[(s + d) % length]]) == 0;
                }
                if (clear) {
                    for (int d = 1; d < length - 1; d++) {
                        addTriangle(loopVertex[s], loopVertex[(s + d) % length], loopVertex[(s + d + 1) % length]);
                    }
                    return;
                }
            }
            double x = 0;
            double y = 0;
            double z = 0;
            for (int e = 0; e < length; e++) {
                x += positions[loopVertex[e] * 3];
                y += positions[loopVertex[e] * 3 + 1];
                z += positions[loopVertex[e] * 3 + 2];
            }
            int centre = addVertex(x / length, y / length, z / length);
            for (int e = 0; e < length; e++) {
                addTriangle(centre, loopVertex[e], loopVertex[(e + 1) % length]);
            }
        }

        /** Local edge id 0..11 of the cube edge between corners a and b (differing in one bit). */
        static int edge(int a, int b) {
            int low = Math.min(a, b);
            int axis = Integer.numberOfTrailingZeros(a ^ b);
            // the 4 edges along each axis are told apart by the other two bits of their low corner
            int others = switch (axis) {
                case 0 -> low >> 1;
                case 1 -> (low & 1) | ((low >> 2) << 1);
                default -> low & 3;
            };
            return axis * 4 + others;
        }

        /** The low corner (as a corner index) of local edge e. */
        private static int lowCorner(int e) {
            int axis = e / 4;
            int others = e % 4;
            return switch (axis) {
                case 0 -> others << 1;
                case 1 -> (others & 1) | ((others >> 1) << 2);
                default -> others;
            };
        }

        private int vertexOf(int i, int j, int k, int e) {
            if (vertex[e] >= 0) {
                return vertex[e];
            }
            int axis = e / 4;
            int low = lowCorner(e);
            int high = low | (1 << axis);
            int gi = i + (low & 1);
            int gj = j + ((low >> 1) & 1);
            int gk = k + ((low >> 2) & 1);
            // +1: cells start at -1; the key names the grid edge, shared by the four cubes around it
            long key = ((((long) (gk + 1) * (grid.ny() + 2) + (gj + 1)) * (grid.nx() + 2) + (gi + 1)) * 3) + axis;
            Integer known = vertexOfEdge.get(key);
            if (known == null) {
                double a = corner[low];
                double b = corner[high];
                double t = (level - a) / (b - a);
                double[] p = {gi, gj, gk};
                p[axis] += t;
                known = addVertex(grid.coordinate(0, p[0]), grid.coordinate(1, p[1]), grid.coordinate(2, p[2]));
                vertexOfEdge.put(key, known);
            }
            vertex[e] = known;
            return known;
        }

        private int addVertex(double x, double y, double z) {
            if (vertexCount * 3 + 3 > positions.length) {
                positions = Arrays.copyOf(positions, positions.length * 2);
            }
            positions[vertexCount * 3] = (float) x;
            positions[vertexCount * 3 + 1] = (float) y;
            positions[vertexCount * 3 + 2] = (float) z;
            return vertexCount++;
        }

        private void addTriangle(int a, int b, int c) {
            if (triangleIndexCount + 3 > triangles.length) {
                triangles = Arrays.copyOf(triangles, triangles.length * 2);
            }
            triangles[triangleIndexCount++] = a;
            triangles[triangleIndexCount++] = b;
            triangles[triangleIndexCount++] = c;
        }
    }
}
