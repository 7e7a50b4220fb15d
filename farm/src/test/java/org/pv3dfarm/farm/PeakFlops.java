package org.pv3dfarm.farm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The FLOP/s ONNX Runtime reaches on this machine for one dense graph (a large matrix product or convolution,
 * written by {@code pv3d.flops --peak-graphs}): the best of several timed runs after a warm-up, with the same
 * thread settings as the model's sessions (intra-op threads, spinning off).
 */
final class PeakFlops {

    private PeakFlops() {
    }

    /** FLOP/s of the graph at {@code file}, which performs {@code flops} FLOPs per run. */
    static double measure(Path file, long flops, int intraOpThreads, int runs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession session = env.createSession(file.toString(), options)) {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                SplittableRandom random = new SplittableRandom(3);
                try {
                    for (var entry : session.getInputInfo().entrySet()) {
                        long[] shape = ((ai.onnxruntime.TensorInfo) entry.getValue().getInfo()).getShape();
                        int size = 1;
                        for (long d : shape) {
                            size *= (int) d;
                        }
                        float[] data = new float[size];
                        for (int i = 0; i < size; i++) {
                            data[i] = (float) random.nextDouble(-1, 1);
                        }
                        inputs.put(entry.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape));
                    }
                    session.run(inputs).close(); // warm-up
                    long best = Long.MAX_VALUE;
                    for (int i = 0; i < runs; i++) {
                        long start = System.nanoTime();
                        session.run(inputs).close();
                        best = Math.min(best, System.nanoTime() - start);
                    }
                    return flops / (best / 1e9);
                } finally {
                    inputs.values().forEach(OnnxTensor::close);
                }
            }
        }
    }
}
