"""Exact multiply-add FLOPs of each forward graph role of a model, per item (one frame or one view).

    /usr/bin/python3 -m pv3d.flops --model-dir ../exported/tiny [--peak-graphs DIR]
        → JSON {role: {"flops": …, "by_op": {…}}, "peak_graphs": {name: {"file": …, "flops": …}}}

Runs our PyTorch implementation (the code the ONNX graphs are exported from) on one item with the model's
config and counts, through a TorchFunctionMode, 2 FLOPs per multiply-add of every matrix product
(matmul, linear, bmm) and convolution (conv2d with its groups, conv_transpose2d) from the real argument shapes.
Elementwise operators, grid sampling and reductions are not counted: they are memory-bound, and the figure is
compared with the peak FLOP/s of a large matrix product. Weights do not matter (the shapes do), so none are loaded.

--peak-graphs writes two ONNX graphs for measuring the peak FLOP/s ONNX Runtime reaches on a machine: a 2048³
matrix product and a 3×3 convolution of 128 → 128 channels on [4, 128, 64, 64], both operands as inputs.
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from . import cameras
from .config import Pv3dConfig
from .generator import build


def _matmul_flops(a, b, out):
    k = a.shape[-1]
    return 2 * out.numel() * k


class FlopCounter(TorchFunctionMode):
    """Counts the FLOPs of matrix products and convolutions run inside it."""

    def __init__(self):
        super().__init__()
        self.by_op = collections.Counter()

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = getattr(func, "__name__", str(func))
        if func in (torch.matmul, torch.Tensor.matmul, torch.Tensor.__matmul__, torch.bmm, torch.mm):
            self.by_op["matmul"] += _matmul_flops(args[0], args[1], out)
        elif func is F.linear:
            self.by_op["linear"] += 2 * out.numel() * args[0].shape[-1]
        elif func is F.conv2d:
            weight = args[1] if len(args) > 1 else kwargs["weight"]
            # weight [C_out, C_in/groups, kh, kw]: each output element sums C_in/groups·kh·kw products.
            self.by_op["conv2d"] += 2 * out.numel() * math.prod(weight.shape[1:])
        elif func is F.conv_transpose2d:
            x = args[0]
            weight = args[1] if len(args) > 1 else kwargs["weight"]
            # weight [C_in, C_out/groups, kh, kw]: each input element scatters C_out/groups·kh·kw products.
            self.by_op["conv_transpose2d"] += 2 * x.numel() * math.prod(weight.shape[1:])
        elif name in ("einsum", "addmm", "baddbmm", "addbmm", "conv1d", "conv3d"):
            raise NotImplementedError(f"add a FLOP rule for {name}")
        return out

    @property
    def total(self):
        return sum(self.by_op.values())


def count(cfg: Pv3dConfig) -> dict:
    g = build(cfg).eval()
    z = torch.randn([1, cfg.z_dim])
    c = torch.from_numpy(cameras.canonical_camera(cfg)).unsqueeze(0)
    z_motion = torch.randn([1, cfg.motion_dim])
    t = torch.zeros([1])
    out = {}
    with torch.no_grad():
        steps = {
            "mapping": lambda: g.map(z, c, torch.ones(1)),
        }
        ws = g.map(z, c, torch.ones(1))
        planes = g.synthesize(ws, z_motion, t)
        features, raw_rgb, _, _ = g.render(planes, ws, c)
        steps["synthesis"] = lambda: g.synthesize(ws, z_motion, t)
        steps["render"] = lambda: g.render(planes, ws, c)
        steps["superres"] = lambda: g.upsample(features, raw_rgb, ws)
        for role, step in steps.items():
            counter = FlopCounter()
            with counter:
                step()
            out[role] = {"flops": int(counter.total), "by_op": {k: int(v) for k, v in counter.by_op.items()}}
    return out


def peak_graphs(out_dir: str) -> dict:
    import onnx
    from onnx import TensorProto, helper

    os.makedirs(out_dir, exist_ok=True)
    n = 2048
    matmul = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["y"])], "peak_matmul",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n]),
         helper.make_tensor_value_info("b", TensorProto.FLOAT, [n, n])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [n, n])])
    x_shape, w_shape = [4, 128, 64, 64], [128, 128, 3, 3]
    conv = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1])], "peak_conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape),
         helper.make_tensor_value_info("w", TensorProto.FLOAT, w_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 128, 64, 64])])
    out = {}
    for name, graph, flops in (("matmul", matmul, 2 * n ** 3),
                               ("conv", conv, 2 * math.prod([4, 128, 64, 64]) * math.prod(w_shape[1:]))):
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        path = os.path.join(out_dir, f"peak_{name}.onnx")
        onnx.save(model, path)
        out[name] = {"file": os.path.abspath(path), "flops": flops}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--peak-graphs", help="also write the peak-FLOP/s graphs into this directory")
    args = ap.parse_args(argv)
    with open(os.path.join(args.model_dir, "model.json")) as f:
        cfg = Pv3dConfig.from_json(json.load(f)["config"])
    report = count(cfg)
    if args.peak_graphs:
        report["peak_graphs"] = peak_graphs(args.peak_graphs)
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    sys.exit(main())
