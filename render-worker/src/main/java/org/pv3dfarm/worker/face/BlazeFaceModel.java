package org.pv3dfarm.worker.face;

import java.util.List;

/**
 * The two committed BlazeFace ONNX models (resources of this package; see NOTICE there) and what their graphs
 * look like: input {@code input:0} float {@code [1, S, S, 3]} (NHWC, RGB in [-1, 1]); outputs, for the 16×16-cell
 * layer (512 anchors) then the 8×8-cell layers (384 anchors), logits {@code Identity:0 [1, 512, 1]},
 * {@code Identity_1:0 [1, 384, 1]} and raw boxes {@code Identity_2:0 [1, 512, 16]}, {@code Identity_3:0
 * [1, 384, 16]}; concatenated they follow {@link SsdAnchors} order. Logits are unbounded (a sigmoid gives the
 * score); box values are offsets in input pixels (see {@code BlazeFaceDecoder}). Both graphs are tf2onnx exports
 * (opset 12) with no normalisation node in front, so the caller scales RGB to [-1, 1] as MediaPipe does; on the
 * astronaut portrait that range scores 0.92 against 0.90 for [0, 1] (and 0.80 against 0.75 on a procedural head).
 */
public enum BlazeFaceModel {

    /** MediaPipe's front (selfie) model: faces that fill much of the frame, 128×128 input. */
    FRONT_128("face_detection_front_128x128_barracuda.onnx", SsdAnchors.Options.blazeFaceFront()),
    /** MediaPipe's back (rear camera) model: smaller faces farther away, 256×256 input. */
    BACK_256("face_detection_back_256x256_barracuda.onnx", SsdAnchors.Options.blazeFaceBack());

    static final String INPUT = "input:0";
    static final List<String> SCORES = List.of("Identity:0", "Identity_1:0");
    static final List<String> BOXES = List.of("Identity_2:0", "Identity_3:0");
    static final List<Integer> ANCHORS_PER_OUTPUT = List.of(512, 384);

    private final String resource;
    private final SsdAnchors.Options anchors;

    BlazeFaceModel(String resource, SsdAnchors.Options anchors) {
        this.resource = resource;
        this.anchors = anchors;
    }

    /** The ONNX file's name, a resource of this package. */
    public String resource() {
        return resource;
    }

    public SsdAnchors.Options anchorOptions() {
        return anchors;
    }

    /** Side of the square input in pixels. */
    public int inputSize() {
        return anchors.inputSize();
    }
}
