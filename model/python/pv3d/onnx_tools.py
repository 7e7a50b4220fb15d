"""Post-processing of exported ONNX graphs."""
from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper


def compact_uniform_constants(model: onnx.ModelProto, min_elements: int = 256) -> int:
    """Replace large Constant tensors whose elements are all equal (the zeros of traced gradient buffers)
    by ConstantOfShape, so that fixed-shape gradient graphs do not carry megabytes of zeros. Returns count."""
    graph = model.graph
    replaced = 0
    new_nodes = []
    for node in graph.node:
        if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
            array = numpy_helper.to_array(node.attribute[0].t)
            if array.size >= min_elements and np.all(array == array.flat[0]):
                shape_name = node.output[0] + "_shape"
                new_nodes.append(helper.make_node("Constant", [], [shape_name], value=numpy_helper.from_array(
                    np.asarray(array.shape, dtype=np.int64), shape_name)))
                new_nodes.append(helper.make_node("ConstantOfShape", [shape_name], list(node.output),
                                                  value=numpy_helper.from_array(array.flat[:1].copy())))
                replaced += 1
                continue
        new_nodes.append(node)
    del graph.node[:]
    graph.node.extend(new_nodes)
    return replaced


def op_types(model: onnx.ModelProto):
    return sorted({n.op_type for n in model.graph.node})


def externalize_shared_weights(models: dict, directory, filename: str = "weights.bin",
                               min_bytes: int = 1024) -> int:
    """Move every initializer of at least `min_bytes` into one external file, storing identical tensors once.

    Graphs of one model share most of their weights (synthesis appears in the synthesis graph and in every
    gradient graph); deduplicating by content keeps the committed tiny model small and the full-size model
    far from protobuf's 2 GB limit. ONNX Runtime resolves `location` relative to the model file.
    Returns the size of the weights file in bytes.
    """
    import hashlib
    import os

    offsets = {}
    path = os.path.join(directory, filename)
    with open(path, "wb") as out:
        for model in models.values():
            for tensor in model.graph.initializer:
                if not tensor.HasField("raw_data"):
                    tensor.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(tensor), tensor.name))
                data = tensor.raw_data
                if len(data) < min_bytes:
                    continue
                key = hashlib.sha256(data).hexdigest()
                if key not in offsets:
                    pad = (-out.tell()) % 64
                    out.write(b"\0" * pad)
                    offsets[key] = out.tell()
                    out.write(data)
                tensor.ClearField("raw_data")
                tensor.data_location = onnx.TensorProto.EXTERNAL
                del tensor.external_data[:]
                for k, v in (("location", filename), ("offset", str(offsets[key])), ("length", str(len(data)))):
                    entry = tensor.external_data.add()
                    entry.key, entry.value = k, v
        return out.tell()
