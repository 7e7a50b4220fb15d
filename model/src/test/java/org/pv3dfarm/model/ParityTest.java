package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every committed graph run in ONNX Runtime Java on the exporter's reference inputs matches the PyTorch outputs:
 * forward outputs within 1e-4 absolute, gradients within 1e-3 relative (‖java − torch‖ / ‖torch‖), and the Java
 * cameras equal the Python ones.
 */
class ParityTest {

    static final double FORWARD_MAX_ABS = 1e-4;
    static final double GRADIENT_MAX_REL = 1e-3;
    static final double GRADIENT_OUTPUT_MAX_REL = 5e-3;

    static ModelManifest manifest;
    static Pv3dModel model;
    static References refs;

    @BeforeAll
    static void open() {
        manifest = ModelLocator.loadDefault();
        model = Pv3dModel.open(manifest, ModelOptions.builder().executionProvider(ExecutionProvider.CPU).build());
        refs = References.of("tiny");
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @ParameterizedTest
    @EnumSource(GraphRole.class)
    void forwardGraphMatchesPyTorch(GraphRole role) {
        References.Case c = refs.forward(role);
        Map<String, FloatTensor> out = model.run(role, c.inputs());
        assertEquals(c.outputs().keySet(), out.keySet(), role + " outputs");
        for (Map.Entry<String, FloatTensor> e : c.outputs().entrySet()) {
            FloatTensor actual = out.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), actual.shape(), role + "." + e.getKey() + " shape");
            double err = TensorMath.maxAbsDiff(actual, e.getValue());
            System.out.printf("parity %s.%s max abs %.2e%n", role.key(), e.getKey(), err);
            assertTrue(err <= FORWARD_MAX_ABS, role + "." + e.getKey() + ": max abs error " + err + " > " + FORWARD_MAX_ABS);
        }
    }

    /**
     * The gradient of each gradient graph, i.e. the vector of all its gradient outputs concatenated (the derivative
     * of the loss with respect to every optimised input), is within 1e-3 relative of PyTorch's, and so is the loss.
     *
     * <p>Each output separately must be within 5e-3: the exporter measured that PyTorch float32 itself differs
     * from PyTorch float64 by 3.3e-3 relative on the reconstruction graph's grad_t (4.3e-4 on grad_w, 7.9e-4 on
     * grad_z_motion): dL/dt sums many cancelling per-pixel terms of a random-weight model, so no float32 run can
     * match a float32 reference closer than that on this small component. ORT Java measures 3.3e-3 there.
     */
    @Test
    void gradientGraphsMatchPyTorch() {
        for (GradientKind kind : GradientKind.values()) {
            assertFalse(manifest.gradientGraphs(kind).isEmpty(), "the tiny model exports a " + kind.key() + " graph");
            for (GradientGraphSpec spec : manifest.gradientGraphs(kind)) {
                References.Case c = refs.gradient(spec);
                Map<String, FloatTensor> out = model.runGradient(kind, spec.size(), c.inputs());
                double diff2 = 0;
                double ref2 = 0;
                for (Map.Entry<String, FloatTensor> e : c.outputs().entrySet()) {
                    String what = c.key() + "." + e.getKey();
                    FloatTensor actual = out.get(e.getKey());
                    assertArrayEquals(declaredShape(spec.graph(), e.getKey()), actual.shape(),
                            what + ": ONNX Runtime's shape vs the manifest's");
                    FloatTensor expected = sameShapeModuloSingletons(e.getValue(), actual, what);
                    double rel = TensorMath.relativeError(actual, expected);
                    System.out.printf("parity %s rel %.2e (max abs %.2e, |ref| %.3e)%n", what, rel,
                            TensorMath.maxAbsDiff(actual, expected), TensorMath.norm(expected.data()));
                    if (e.getKey().equals("loss")) {
                        assertTrue(rel <= GRADIENT_MAX_REL, what + ": relative error " + rel);
                    } else {
                        assertTrue(rel <= GRADIENT_OUTPUT_MAX_REL, what + ": relative error " + rel);
                        double n = TensorMath.norm(expected.data());
                        diff2 += Math.pow(rel * n, 2);
                        ref2 += n * n;
                    }
                }
                double rel = Math.sqrt(diff2 / ref2);
                System.out.printf("parity %s gradient vector rel %.2e%n", c.key(), rel);
                assertTrue(rel <= GRADIENT_MAX_REL, c.key() + ": gradient relative error " + rel + " > " + GRADIENT_MAX_REL);
            }
        }
    }

    /** The fixed shape a gradient graph's manifest entry declares for an output. */
    static long[] declaredShape(GraphSpec graph, String output) {
        return graph.output(output).orElseThrow().shape().stream().mapToLong(d -> {
            assertTrue(d.isFixed(), graph.key() + "." + output + " of a gradient graph has fixed dimensions");
            return d.size();
        }).toArray();
    }

    /**
     * The reference viewed in the actual shape when the two differ only by size-1 dimensions (the exporter saves
     * the scalar reconstruction loss as shape (1,) while the graph returns shape ()); anything else fails.
     */
    static FloatTensor sameShapeModuloSingletons(FloatTensor reference, FloatTensor actual, String what) {
        long[] a = Arrays.stream(reference.shape()).filter(d -> d != 1).toArray();
        long[] b = Arrays.stream(actual.shape()).filter(d -> d != 1).toArray();
        assertArrayEquals(a, b, what + ": reference shape " + Arrays.toString(reference.shape()) + " vs "
                + Arrays.toString(actual.shape()));
        return reference.reshape(actual.shape());
    }

    @Test
    void javaCamerasEqualPythonCameras() {
        List<References.PythonCamera> cameras = refs.cameras();
        assertTrue(cameras.size() >= 3, "the references record several cameras");
        for (References.PythonCamera p : cameras) {
            float[] java = Cameras.lookAt(p.yaw(), p.pitch(), p.radius(), p.pivot(), p.focal());
            for (int i = 0; i < Cameras.CAMERA_SIZE; i++) {
                assertEquals(p.camera()[i], java[i], 1e-6, "camera (" + p.yaw() + ", " + p.pitch() + ") element " + i
                        + ": " + Arrays.toString(java));
            }
        }
        float[] canonical = Cameras.canonical(manifest);
        float[] frontal = Cameras.lookAt(ViewAngle.FRONTAL, manifest.conventions().camera());
        for (int i = 0; i < Cameras.CAMERA_SIZE; i++) {
            assertEquals(canonical[i], frontal[i], 1e-6, "canonical camera element " + i);
        }
    }
}
