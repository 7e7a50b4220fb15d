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
 * The FLOP/s ONNX Runtime reaches on one core of this machine for one dense graph (a large matrix product or
 * convolution, written by {@code pv3d.flops --peak-graphs}): the best of several runs after a warm-up, timed in CPU
 * time of the calling thread. With one intra-op thread ORT computes on the caller's thread, so this is the work of
 * one core, whatever else the machine runs (wall time on a shared machine measures the neighbours).
 */
final class PeakFlops {

    private PeakFlops() {
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the calling thread. */
    static long threadCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** FLOP per CPU-second of the graph at {@code file}, which performs {@code flops} FLOPs per run. */
    static double measure(Path file, long flops, int runs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
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
                    long processStart = processCpuNanos();
                    for (int i = 0; i < runs; i++) {
                        long start = threadCpuNanos();
                        session.run(inputs).close();
                        best = Math.min(best, threadCpuNanos() - start);
                    }
                    // Check that ORT computed on this thread: the whole process used no more CPU than it did.
                    double processPerRun = (processCpuNanos() - processStart) / (double) runs;
                    System.out.printf("  %s: best %.1f ms CPU on the calling thread, %.1f ms process CPU per run%n",
                            file.getFileName(), best / 1e6, processPerRun / 1e6);
                    return flops / (best / 1e9);
                } finally {
                    inputs.values().forEach(OnnxTensor::close);
                }
            }
        }
    }
}
