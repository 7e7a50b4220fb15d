package org.pv3dfarm.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One ONNX graph file of an exported model, as the manifest declares it.
 *
 * @param key where the manifest declares it, e.g. {@code graphs.render} or {@code gradients.inversion[0]}
 * @param file the ONNX file name, relative to the model directory
 * @param sha256 the lowercase hex SHA-256 of the file
 * @param inputs the graph inputs in order
 * @param outputs the graph outputs in order
 */
public record GraphSpec(String key, String file, String sha256, List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public GraphSpec {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public List<String> inputNames() {
        return inputs.stream().map(TensorSpec::name).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(TensorSpec::name).toList();
    }

    /** The file's location inside a model directory. */
    public Path path(Path modelDirectory) {
        return modelDirectory.resolve(file);
    }
}
