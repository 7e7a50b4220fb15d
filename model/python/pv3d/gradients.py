"""Loss-and-gradient functions for inversion and video reconstruction, traced to plain ONNX ops.

The standard ONNX Runtime build has no training support, so the gradients are exported as ordinary forward
graphs: `make_fx` traces a function that calls `torch.autograd.grad` down to ATen ops, our decompositions
rewrite the backward ops the ONNX exporter cannot emit (convolution, slice and select backward) into
exportable forward ops, a clean-up pass renames what the exporter knows under another name, and
`torch.onnx.export` writes the result. Fixed batch sizes (torch 1.13's make_fx is not symbolic).
"""
from __future__ import annotations

import dataclasses

import torch
import torch.nn.functional as F
from torch.fx.experimental.proxy_tensor import make_fx

from .generator import Pv3dGenerator
from .layers import Resize
from .renderer import TriplaneRenderer

aten = torch.ops.aten


def masked_mse(rgb, target, mask):
    """Per-sample Σ mask·(rgb − target)² / (3·Σ mask): pixel L2 over the masked region."""
    return ((rgb - target).square() * mask).sum(dim=[1, 2, 3]) / (3.0 * mask.sum(dim=[1, 2, 3]) + 1e-8)


def inversion_fn(g: Pv3dGenerator, image=None):
    """Loss and grad_w of the masked MSE of `image(ws, z_motion, t, camera)` (default: the full `g.image`)."""
    num_ws = g.cfg.num_ws
    image = image or (lambda ws, z_motion, t, camera: g.image(ws, z_motion, t, camera)[0])

    def fn(w, z_motion, t, camera, target, mask):
        w = w.detach().requires_grad_(True)
        ws = w.unsqueeze(1).repeat(1, num_ws, 1)
        rgb = image(ws, z_motion, t, camera)
        loss = masked_mse(rgb, target, mask)
        (grad_w,) = torch.autograd.grad(loss.sum(), [w])
        return loss, grad_w

    return fn


def coarse_config(cfg):
    """The cheap render of the coarse inversion graph: half the neural resolution, a third of the samples per ray
    (tiny: 16² rays, 8 + 8 samples; 35 dB from the full image, against 41 dB with 12 + 12 for 8 % more CPU)."""
    return dataclasses.replace(cfg, neural_resolution=max(1, cfg.neural_resolution // 2),
                               samples_uniform=max(2, cfg.samples_uniform // 3),
                               samples_importance=max(1, cfg.samples_importance // 3))


def coarse_image(g: Pv3dGenerator):
    """G's image with the rays of `coarse_config` (a quarter of the rays, a third of the samples): their features are
    resized bilinearly to the super-resolution's input, which then runs in full, so the output keeps the full
    resolution and stays close to `g.image` (35 dB PSNR on the tiny model; docs/inversion.md)."""
    cfg = g.cfg
    renderer = TriplaneRenderer(coarse_config(cfg), g.decoder)
    resize = Resize(renderer.cfg.neural_resolution, cfg.neural_resolution)

    def image(ws, z_motion, t, camera):
        # Follows the generator's forms (the exporter sets them around tracing and for the references).
        renderer.sampler, renderer.ort_form = g.renderer.sampler, g.renderer.ort_form
        renderer.to(ws.dtype), resize.to(ws.dtype)  # their constant buffers follow a float64 copy of g
        planes = g.synthesize(ws, z_motion, t)
        features = resize(renderer(planes, camera)[0])
        return g.upsample(features, g.torgb(features, ws[:, 0]), ws)

    return image


def coarse_inversion_fn(g: Pv3dGenerator):
    return inversion_fn(g, coarse_image(g))


def reconstruction_fn(g: Pv3dGenerator):
    num_ws = g.cfg.num_ws

    def fn(w, z_motion, t, cameras, targets, masks):
        w = w.detach().requires_grad_(True)
        z_motion = z_motion.detach().requires_grad_(True)
        t = t.detach().requires_grad_(True)
        frames = t.shape[0]
        ws = w.unsqueeze(1).repeat(frames, num_ws, 1)
        rgb = g.image(ws, z_motion.expand(frames, -1), t, cameras)[0]
        loss = masked_mse(rgb, targets, masks).mean()
        grad_w, grad_zm, grad_t = torch.autograd.grad(loss, [w, z_motion, t])
        return loss, grad_w, grad_zm, grad_t

    return fn


# --- decompositions of the backward ops the ONNX exporter cannot emit -------------------------------------

def _convolution_backward(grad_out, inp, weight, bias_sizes, stride, padding, dilation, transposed,
                          output_padding, groups, output_mask):
    assert not transposed and all(s == 1 for s in stride) and all(d == 1 for d in dilation)
    grad_input = grad_weight = grad_bias = None
    if output_mask[0]:
        # The input gradient of a stride-1 conv is a transposed conv with the same weight, i.e. a plain conv with
        # the kernel flipped and its in/out channels swapped per group, padded k−1−p: ORT's Conv runs it faster
        # than its ConvTranspose (docs/benchmarks.md, issue 6), and the frozen weight's rearrangement folds away.
        out_ch, in_per_group, kh, kw = weight.shape
        flipped = weight.reshape(groups, out_ch // groups, in_per_group, kh, kw).transpose(1, 2) \
            .reshape(groups * in_per_group, out_ch // groups, kh, kw).flip([2, 3])
        grad_input = aten.convolution(grad_out, flipped, None, stride, [kh - 1 - padding[0], kw - 1 - padding[1]],
                                      dilation, False, [0] * len(padding), groups)
    if output_mask[1]:
        raise NotImplementedError("weight gradients are not exported: the generator is frozen")
    if output_mask[2]:
        grad_bias = grad_out.sum(dim=[0, 2, 3])
    return grad_input, grad_weight, grad_bias


def _slice_backward(grad, input_sizes, dim, start, end, step):
    size = input_sizes[dim]
    dim = dim % len(input_sizes)
    start = start + size if start < 0 else min(start, size)
    end = end + size if end < 0 else min(end, size)
    if step != 1:
        raise NotImplementedError("strided slice backward")
    pad = [0, 0] * (len(input_sizes) - 1 - dim) + [start, size - end]
    return F.pad(grad, pad)


def _select_backward(grad, input_sizes, dim, index):
    dim = dim % len(input_sizes)
    index = index + input_sizes[dim] if index < 0 else index
    return _slice_backward(grad.unsqueeze(dim), input_sizes, dim, index, index + 1, 1)


def _decomposition_table():
    from torch._decomp import get_decompositions
    table = get_decompositions([
        aten.softplus_backward, aten.sigmoid_backward, aten.leaky_relu_backward, aten.threshold_backward,
        aten.tanh_backward, aten._softmax_backward_data, aten.mse_loss_backward,
    ])
    table[aten.convolution_backward.default] = _convolution_backward
    table[aten.slice_backward.default] = _slice_backward
    table[aten.select_backward.default] = _select_backward
    return table


# --- clean-up: rename ops into the names the TorchScript-based exporter knows -----------------------------

def _cleanup(gm: torch.fx.GraphModule) -> torch.fx.GraphModule:
    """Rename ATen ops into those the TorchScript-based exporter has symbolics for; drop no-op aliases."""
    to_reshape = {aten._reshape_alias.default, aten._unsafe_view.default, aten.view.default}
    for node in list(gm.graph.nodes):
        if node.op != "call_function":
            continue
        if node.target in (aten.lift_fresh_copy.default, aten.detach.default, aten.alias.default):
            node.replace_all_uses_with(node.args[0])
            gm.graph.erase_node(node)
        elif node.target in to_reshape:
            node.target, node.args = aten.reshape.default, node.args[:2]
        elif node.target == aten.grid_sampler_2d.default:
            node.target = aten.grid_sampler.default
        elif node.target == aten.sgn.default:  # abs backward (the ORT-form softplus); Sign is sgn on reals
            node.target = aten.sign.default
        elif node.target == aten.bitwise_and.Tensor:
            node.target = aten.logical_and.default
        elif node.target == aten._to_copy.default:
            node.target, node.args, node.kwargs = aten.to.dtype, (node.args[0], node.kwargs["dtype"]), {}
    gm.graph.lint()
    gm.recompile()
    return gm


def _scatter_add_symbolic(g, self, dim, index, src):
    # torch 1.13 refuses when shape inference lost src's sizes; ours always equal index's (gather backward).
    return g.op("ScatterElements", self, index, src, axis_i=dim, reduction_s="add")


def _index_put_symbolic(g, self, indices, values, accumulate):
    # The backward of a row lookup `table[index]` (the ORT-form tri-plane lookup and depth sort) is an accumulating
    # index_put. torch 1.13 exports it as ScatterND of (gathered + values), which keeps one of repeated rows instead
    # of their sum; ScatterND's reduction "add" (opset 16) sums whole rows.
    from torch.onnx import symbolic_helper
    index = symbolic_helper._unpack_list(indices)
    if len(index) != 1 or not symbolic_helper._parse_arg(accumulate, "b"):
        raise NotImplementedError("only the accumulating index_put of a row lookup is exported")
    rows = g.op("Unsqueeze", index[0], g.op("Constant", value_t=torch.tensor([-1], dtype=torch.int64)))
    return g.op("ScatterND", self, rows, values, reduction_s="add")


def register_symbolics(opset: int):
    from torch.onnx import register_custom_op_symbolic, symbolic_helper
    register_custom_op_symbolic("aten::scatter_add",
                                symbolic_helper.parse_args("v", "i", "v", "v")(_scatter_add_symbolic), opset)
    register_custom_op_symbolic("aten::index_put", _index_put_symbolic, opset)


def trace(fn, example_inputs) -> torch.fx.GraphModule:
    gm = make_fx(fn, decomposition_table=_decomposition_table())(*example_inputs)
    return _cleanup(gm)


def aten_ops(gm: torch.fx.GraphModule):
    return sorted({str(n.target) for n in gm.graph.nodes if n.op == "call_function"})
