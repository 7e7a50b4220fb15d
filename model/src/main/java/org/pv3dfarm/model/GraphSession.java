package org.pv3dfarm.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session for one graph of the manifest: checks input shapes against the manifest, converts
 * {@link FloatTensor}s to and from ORT tensors, and names the graph in every error. Thread-safe (ORT sessions
 * may be run concurrently).
 */
final class GraphSession implements AutoCloseable {

    private final OrtEnvironment env;
    private final GraphSpec spec;
    private final OrtSession session;

    GraphSession(OrtEnvironment env, GraphSpec spec, OrtSession session) {
        this.env = env;
        this.spec = spec;
        this.session = session;
        List<String> declared = spec.inputNames();
        Set<String> actualInputs = session.getInputNames();
        Set<String> actualOutputs = session.getOutputNames();
        String problem = null;
        if (!new HashSet<>(declared).equals(actualInputs)) {
            problem = "has inputs " + actualInputs + " but the manifest declares " + declared;
        } else if (!actualOutputs.containsAll(spec.outputNames())) {
            problem = "has outputs " + actualOutputs + " but the manifest declares " + spec.outputNames();
        }
        if (problem != null) {
            close();
            throw new InvalidModelException(spec.key() + ": the ONNX file " + spec.file() + " " + problem);
        }
    }

    GraphSpec spec() {
        return spec;
    }

    /** Checks shapes, runs the graph and returns every declared output, in manifest order. */
    Map<String, FloatTensor> run(Map<String, FloatTensor> inputs) {
        Map<String, long[]> shapes = new HashMap<>();
        inputs.forEach((k, v) -> shapes.put(k, v.shape()));
        ShapeCheck.check(spec, shapes);
        return runUnchecked(inputs, Map.of());
    }

    /**
     * Runs with some inputs already held as ORT tensors (reused across calls) and the rest given as
     * {@link FloatTensor}s. The caller has checked the shapes (see {@link #checkShapes}).
     */
    Map<String, FloatTensor> runUnchecked(Map<String, FloatTensor> inputs, Map<String, OnnxTensor> prebound) {
        List<OnnxTensor> created = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feed = new HashMap<>(prebound);
            for (Map.Entry<String, FloatTensor> e : inputs.entrySet()) {
                OnnxTensor t = toOrt(e.getValue());
                created.add(t);
                feed.put(e.getKey(), t);
            }
            return runOrt(feed);
        } catch (OrtException e) {
            throw new ModelRunException(spec.key() + " (" + spec.file() + ") failed: " + e.getMessage(), e);
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    /** Runs with every input held as an ORT tensor. */
    Map<String, FloatTensor> runOrt(Map<String, OnnxTensor> feed) throws OrtException {
        try (OrtSession.Result result = session.run(feed)) {
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            for (String name : spec.outputNames()) {
                OnnxValue value = result.get(name).orElseThrow(
                        () -> new IllegalStateException(spec.key() + ": ONNX Runtime returned no output '" + name + "'"));
                out.put(name, fromOrt(name, value));
            }
            return out;
        }
    }

    void checkShapes(Map<String, long[]> shapes) {
        ShapeCheck.check(spec, shapes);
    }

    OnnxTensor toOrt(FloatTensor tensor) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(tensor.data()), tensor.shape());
    }

    /** An ORT tensor over a direct buffer the caller rewrites between runs (no copy per run). */
    OnnxTensor direct(FloatBuffer directBuffer, long[] shape) {
        try {
            return OnnxTensor.createTensor(env, directBuffer, shape);
        } catch (OrtException e) {
            throw new ModelRunException(spec.key() + ": cannot create an input tensor: " + e.getMessage(), e);
        }
    }

    private FloatTensor fromOrt(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException(spec.key() + ": output '" + name + "' is not a tensor");
        }
        long[] shape = tensor.getInfo().getShape();
        FloatBuffer buffer = tensor.getFloatBuffer();
        if (buffer == null) {
            throw new IllegalStateException(spec.key() + ": output '" + name + "' is not float32");
        }
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return new FloatTensor(shape, data);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelRunException(spec.key() + ": closing the session failed", e);
        }
    }
}
