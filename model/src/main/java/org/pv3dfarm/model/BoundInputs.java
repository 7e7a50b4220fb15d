package org.pv3dfarm.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gradient graph with its constant inputs (targets, masks, cameras) converted to ORT tensors once, and its
 * optimised inputs (w, z_motion, t) held in direct buffers that ORT reads in place: an optimiser loop then
 * copies only the parameters per step. Shapes are checked once, at creation. Not thread-safe; close it.
 */
final class BoundInputs implements AutoCloseable {

    private final GraphSession session;
    private final List<OnnxTensor> owned = new ArrayList<>();
    private final Map<String, OnnxTensor> feed = new HashMap<>();
    private final Map<String, FloatBuffer> buffers = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param fixed the inputs that stay constant, by name
     * @param variableShapes the shapes of the inputs given to each {@link #run}, by name
     */
    BoundInputs(GraphSession session, Map<String, FloatTensor> fixed, Map<String, long[]> variableShapes) {
        this.session = session;
        Map<String, long[]> shapes = new HashMap<>(variableShapes);
        fixed.forEach((k, v) -> shapes.put(k, v.shape()));
        session.checkShapes(shapes);
        try {
            for (Map.Entry<String, FloatTensor> e : fixed.entrySet()) {
                add(e.getKey(), session.toOrt(e.getValue()));
            }
            for (Map.Entry<String, long[]> e : variableShapes.entrySet()) {
                int count = (int) FloatTensor.elementCount(e.getValue());
                FloatBuffer buffer = ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                buffers.put(e.getKey(), buffer);
                add(e.getKey(), session.direct(buffer, e.getValue()));
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e instanceof RuntimeException r ? r
                    : new ModelRunException(session.spec().key() + ": cannot create input tensors: " + e.getMessage(), e);
        }
    }

    private void add(String name, OnnxTensor tensor) {
        owned.add(tensor);
        feed.put(name, tensor);
    }

    /** Writes the variable inputs into their buffers and runs the graph. */
    Map<String, FloatTensor> run(Map<String, float[]> variable) {
        if (closed) {
            throw new IllegalStateException(session.spec().key() + ": bound inputs are closed");
        }
        for (Map.Entry<String, FloatBuffer> e : buffers.entrySet()) {
            float[] values = variable.get(e.getKey());
            if (values == null) {
                throw new IllegalArgumentException(session.spec().key() + ": input '" + e.getKey() + "' is missing");
            }
            if (values.length != e.getValue().capacity()) {
                throw new IllegalArgumentException(session.spec().key() + ": input '" + e.getKey() + "' needs "
                        + e.getValue().capacity() + " values, got " + values.length);
            }
            e.getValue().put(0, values); // absolute put: the tensor reads from the buffer's start
        }
        try {
            return session.runOrt(feed);
        } catch (OrtException e) {
            throw new ModelRunException(session.spec().key() + " (" + session.spec().file() + ") failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owned.forEach(OnnxTensor::close);
        }
    }
}
