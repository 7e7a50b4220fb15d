package org.pv3dfarm.model;

/** ONNX Runtime's graph optimisation levels (constant folding, node fusion, layout changes). */
public enum GraphOptimization {
    NONE,
    BASIC,
    EXTENDED,
    ALL
}
