package org.pv3dfarm.model;

/** Which ONNX Runtime execution provider a model should run on. */
public enum ExecutionProvider {
    /** CUDA when the CUDA provider attaches (the onnxruntime_gpu build on a machine with a GPU), else CPU. */
    AUTO,
    /** CPU only. */
    CPU,
    /** CUDA asked for explicitly; still falls back to CPU, with a warning, when the provider cannot attach. */
    CUDA
}
