package org.pv3dfarm.worker.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class MarchingCubesTest {

    /** Samples {@code f} on an n³ cube over [-half, half]³. */
    private static ScalarGrid sample(int n, double half, ToDoubleFunction<double[]> f) {
        double[] points = ScalarGrid.cubePoints(n, half);
        float[] values = new float[n * n * n];
        for (int p = 0; p < values.length; p++) {
            values[p] = (float) f.applyAsDouble(new double[] {points[3 * p], points[3 * p + 1], points[3 * p + 2]});
        }
        return ScalarGrid.cube(n, half, values);
    }

    private static double length(double[] p, double cx) {
        double x = p[0] - cx;
        return Math.sqrt(x * x + p[1] * p[1] + p[2] * p[2]);
    }

    @Test
    void aSphereDensityGivesTheSpheresAreaAndVolumeAsOneClosedOutwardSurface() {
        double r = 0.6;
        // a density like the model's: high inside, falling through the level 10 at radius r
        TriangleMesh mesh = MarchingCubes.extract(sample(64, 1.0, p -> 10 + 40 * (r - length(p, 0))), 10);

        assertEquals(4 * Math.PI * r * r, mesh.area(), 0.01 * 4 * Math.PI * r * r);
        assertEquals(4.0 / 3 * Math.PI * r * r * r, mesh.volume(), 0.01 * 4.0 / 3 * Math.PI * r * r * r,
                "positive: triangles face out of the solid");
        assertEquals(0, mesh.unmatchedEdges(), "watertight and consistently oriented");
        assertEquals(2, mesh.eulerCharacteristic(), "one sphere-like surface");
        float[] bounds = mesh.bounds();
        for (int axis = 0; axis < 3; axis++) {
            assertEquals(-r, bounds[axis], 0.01);
            assertEquals(r, bounds[axis + 3], 0.01);
        }
        float[] normals = mesh.vertexNormals();
        float[] positions = mesh.positions();
        for (int v = 0; v < positions.length; v += 3) {
            double dot = (positions[v] * normals[v] + positions[v + 1] * normals[v + 1]
                    + positions[v + 2] * normals[v + 2]) / r;
            assertTrue(dot > 0.95, "normals point away from the centre");
        }
    }

    @Test
    void theAreaConvergesAsTheGridRefines() {
        double r = 0.5;
        double exact = 4 * Math.PI * r * r;
        double coarse = Math.abs(MarchingCubes.extract(sample(12, 1.0, p -> r - length(p, 0)), 0).area() - exact);
        double fine = Math.abs(MarchingCubes.extract(sample(48, 1.0, p -> r - length(p, 0)), 0).area() - exact);
        assertTrue(fine < coarse / 4, "error " + coarse + " at 12³, " + fine + " at 48³");
    }

    @Test
    void twoSpheresAndATorusHaveTheirTopology() {
        TriangleMesh two = MarchingCubes.extract(sample(48, 1.0,
                p -> Math.max(0.3 - length(p, -0.5), 0.3 - length(p, 0.5))), 0);
        assertEquals(4, two.eulerCharacteristic(), "two spheres");
        assertEquals(2 * 4.0 / 3 * Math.PI * 0.027, two.volume(), 0.03 * 2 * 4.0 / 3 * Math.PI * 0.027);
        assertEquals(0, two.unmatchedEdges());

        double big = 0.55;
        double small = 0.2;
        TriangleMesh torus = MarchingCubes.extract(sample(56, 1.0, p -> {
            double ring = Math.sqrt(p[0] * p[0] + p[2] * p[2]) - big;
            return small - Math.sqrt(ring * ring + p[1] * p[1]);
        }), 0);
        assertEquals(0, torus.eulerCharacteristic(), "genus one");
        assertEquals(2 * Math.PI * Math.PI * big * small * small, torus.volume(),
                0.03 * 2 * Math.PI * Math.PI * big * small * small);
        assertEquals(0, torus.unmatchedEdges());
    }

    @Test
    void randomFieldsFullOfAmbiguousFacesStayWatertight() {
        Random random = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            int n = 10 + trial;
            float[] values = new float[n * n * n];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            TriangleMesh mesh = MarchingCubes.extract(ScalarGrid.cube(n, 1.0, values), 0.1);
            assertTrue(mesh.triangleCount() > 100);
            assertEquals(0, mesh.unmatchedEdges(), "trial " + trial);
            assertTrue(mesh.volume() > 0, "the solid's volume is positive");
            assertEquals(0, mesh.eulerCharacteristic() % 2, "closed surfaces have an even characteristic");
        }
    }

    @Test
    void aSolidThatFillsTheGridIsClosedAtItsBorder() {
        TriangleMesh box = MarchingCubes.extract(sample(9, 1.0, p -> 1), 0);
        assertEquals(0, box.unmatchedEdges());
        assertEquals(2, box.eulerCharacteristic());
        // the closing faces lie half way to the (virtual) outside samples a cell beyond the border; edges and
        // corners are chamfered, so the volume lies between the grid's cube and that bigger one
        double side = 2.0 + 2 * 0.25 * 0.5;
        assertTrue(box.volume() > 8 && box.volume() < side * side * side, "volume " + box.volume());
    }

    @Test
    void emptyAndFullLevelsGiveNoSurface() {
        ScalarGrid grid = sample(8, 1.0, p -> p[0]);
        assertTrue(MarchingCubes.extract(grid, 5).isEmpty(), "nothing above the level");
        assertEquals(0, MarchingCubes.extract(grid, 0).unmatchedEdges());
        assertThrows(IllegalArgumentException.class, () -> MarchingCubes.extract(grid, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ScalarGrid.cube(2, 1.0, new float[] {0, 0, 0, 0, 0, 0, 0,
            Float.NaN}));
    }
}
