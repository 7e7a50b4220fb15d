package org.pv3dfarm.model;

/**
 * A file of an exported model with its checksum: a graph, or external data the graphs share (the exporter stores
 * all initializers once in {@code weights.bin}; ONNX Runtime finds it next to the graph file it loads).
 *
 * @param key where the manifest declares it, e.g. {@code graphs.render} or {@code weights}
 * @param file the file name, relative to the model directory
 * @param sha256 the lowercase hex SHA-256 of the file
 */
public record ModelFile(String key, String file, String sha256) {
}
