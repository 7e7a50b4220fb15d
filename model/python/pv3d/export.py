"""Export a PV3D model for the farm: split forward graphs, gradient graphs, shared weights, model.json.

    python3 -m pv3d.export --config tiny --out ../exported/tiny [--weights state.pt] [--references DIR]

The worker learns a model only from the manifest this writes.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import os
import sys
import warnings

import numpy as np
import onnx
import torch

from . import cameras, config as configs, gradients, onnx_tools
from .generator import Pv3dGenerator, build
from .graphs import FORWARD_GRAPHS

OPSET = 17
FORMAT = "pv3d-farm-model/1"
MANIFEST_VERSION = "0.1.0"
INVERSION_BATCHES = (1,)
RECONSTRUCTION_FRAMES = (4,)


def example_forward_inputs(g: Pv3dGenerator, batch: int, seed: int):
    """Deterministic inputs for every forward role (also the references' inputs)."""
    cfg = g.cfg
    gen = torch.Generator().manual_seed(seed)
    z = torch.randn([batch, cfg.z_dim], generator=gen)
    yaw = torch.linspace(-0.3, 0.3, batch).tolist()
    cam = torch.from_numpy(np.stack([cameras.camera_at(cfg, y, -0.5 * y) for y in yaw]))
    psi = torch.full([batch], 0.7)
    with torch.no_grad():
        ws = g.map(z, cam, psi)
        z_motion = torch.randn([batch, cfg.motion_dim], generator=gen)
        t = torch.linspace(0.0, 1.0, batch)
        planes = g.synthesize(ws, z_motion, t)
        features, raw_rgb, _, _ = g.render(planes, ws, cam)
    points = (torch.rand([batch, 200, 3], generator=gen) - 0.5) * cfg.box_warp
    return {
        "mapping": (z, cam, psi),
        "synthesis": (ws, z_motion, t),
        "render": (planes, ws, cam),
        "superres": (features, raw_rgb, ws),
        "density": (planes, points),
    }


def example_gradient_inputs(g: Pv3dGenerator, kind: str, n: int, seed: int):
    cfg = g.cfg
    gen = torch.Generator().manual_seed(seed)
    o = cfg.output_resolution
    yaws = torch.linspace(-0.25, 0.25, n).tolist()
    cams = torch.from_numpy(np.stack([cameras.camera_at(cfg, y, 0.0) for y in yaws]))
    with torch.no_grad():
        target_z = torch.randn([1, cfg.z_dim], generator=gen)
        target_ws = g.map(target_z, cams[:1], torch.ones(1)).expand(n, -1, -1)
        zm_target = torch.randn([1, cfg.motion_dim], generator=gen)
        t_target = torch.linspace(0.0, 1.0, n)
        targets = g.image(target_ws, zm_target.expand(n, -1), t_target, cams)[0]
        w_start = g.mapping.w_avg.unsqueeze(0) + 0.3 * torch.randn([1, cfg.w_dim], generator=gen)
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, o), torch.linspace(-1, 1, o), indexing="ij")
    mask = ((xx.square() + yy.square()) < 0.9).float().reshape(1, 1, o, o).expand(n, -1, -1, -1).contiguous()
    zm = zm_target + 0.5 * torch.randn([1, cfg.motion_dim], generator=gen)
    t = (t_target + 0.1).clamp(0, 1)
    if kind != "reconstruction":  # both inversion graphs
        return (w_start.expand(n, -1).contiguous(), zm.expand(n, -1).contiguous(), t, cams, targets, mask)
    return (w_start, zm, t, cams, targets, mask)


GRADIENT_IO = {
    "inversion": (("w", "z_motion", "t", "camera", "target", "mask"), ("loss", "grad_w")),
    "inversion_coarse": (("w", "z_motion", "t", "camera", "target", "mask"), ("loss", "grad_w")),
    "reconstruction": (("w", "z_motion", "t", "cameras", "targets", "masks"),
                       ("loss", "grad_w", "grad_z_motion", "grad_t")),
}


def _io_spec(names, tensors, dynamic: dict):
    specs = []
    for name, tensor in zip(names, tensors):
        shape = list(tensor.shape)
        for axis, label in dynamic.get(name, {}).items():
            shape[axis] = label
        specs.append({"name": name, "shape": shape, "dtype": "float32"})
    return specs


def export_forward(g: Pv3dGenerator, role: str, inputs, path: str):
    module = FORWARD_GRAPHS[role](g).eval()
    with torch.no_grad():
        outputs = module(*inputs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    dynamic = {name: {0: "batch"} for name in module.inputs + module.outputs}
    if role == "density":
        dynamic["points"][1] = dynamic["sigma"][1] = "points"
    # The references above come from eager PyTorch (grid_sample, softplus); the graph is traced in the equivalent
    # form that ONNX Runtime's CPU kernels run faster (renderer.ort_form), so parity tests check one against the other.
    g.renderer.ort_form = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(module, tuple(inputs), path, input_names=list(module.inputs),
                              output_names=list(module.outputs), dynamic_axes=dynamic, opset_version=OPSET,
                              do_constant_folding=False)
    finally:
        g.renderer.ort_form = False
    spec = {"inputs": _io_spec(module.inputs, inputs, dynamic), "outputs": _io_spec(module.outputs, outputs, dynamic)}
    return spec, outputs


GRADIENT_FUNCTIONS = {
    "inversion": gradients.inversion_fn,
    # The cheap graph for most inversion steps (Inverter's coarse-to-fine schedule; docs/inversion.md).
    "inversion_coarse": gradients.coarse_inversion_fn,
    "reconstruction": gradients.reconstruction_fn,
}
# Gradient graph kind → (sizes exported, the size's letter in the file name).
GRADIENT_SIZES = {"inversion": (INVERSION_BATCHES, "b"), "inversion_coarse": (INVERSION_BATCHES, "b"),
                  "reconstruction": (RECONSTRUCTION_FRAMES, "f")}


def export_gradient(g: Pv3dGenerator, kind: str, inputs, path: str, float64_outputs: bool):
    make_fn = GRADIENT_FUNCTIONS[kind]
    # Traced in the ORT-friendly render form (as the forward graphs): its row Gather's backward is one scatter
    # where the four-gather lookup needs four (docs/benchmarks.md, issue 6); the references stay eager PyTorch.
    g.renderer.ort_form = True
    try:
        gm = gradients.trace(make_fn(g), inputs)
    finally:
        g.renderer.ort_form = False
    if float64_outputs:
        # Reference values in float64: eager float32 PyTorch was measured 0.4 % off on one frame of a batched
        # reconstruction gradient (its batched conv path), while float64 and ONNX Runtime agree to ~1e-6.
        # Twice the memory of the float32 trace: the full model's 4-frame reconstruction needs more than 24 GB.
        g64 = copy.deepcopy(g).double()
        outputs = tuple(o.float() for o in make_fn(g64)(*(x.double() for x in inputs)))
    else:
        outputs = tuple(gm(*inputs))
    names_in, names_out = GRADIENT_IO[kind]
    gradients.register_symbolics(OPSET)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(gm, tuple(inputs), path, input_names=list(names_in), output_names=list(names_out),
                          opset_version=OPSET)
    spec = {"inputs": _io_spec(names_in, inputs, {}), "outputs": _io_spec(names_out, outputs, {})}
    if kind == "inversion_coarse":
        spec["fidelity_db"] = coarse_fidelity_db(g, inputs)
    return spec, outputs


def coarse_fidelity_db(g: Pv3dGenerator, inputs) -> float:
    """PSNR (peak-to-peak 2) of the coarse inversion graph's image against the full image at the example inputs' w
    and camera: how far the coarse optimum can be trusted. The worker skips a coarse graph below its threshold (a
    fitted model's detail lives in the neural render: the demo model's coarse image is ~20 dB off, tiny's ~35 dB)."""
    w, z_motion, t, camera = inputs[:4]
    with torch.no_grad():
        ws = w.unsqueeze(1).repeat(1, g.cfg.num_ws, 1)
        full = g.image(ws, z_motion, t, camera)[0]
        coarse = gradients.coarse_image(g)(ws, z_motion, t, camera)
        mse = float((coarse - full).square().mean())
    return round(10 * math.log10(4.0 / max(mse, 1e-12)), 2)


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_npy(directory, name, tensor, written: dict) -> str:
    """Write a float32 C-order .npy once per distinct content (render and density share their planes)."""
    array = np.ascontiguousarray(tensor.detach().numpy().astype(np.float32))
    key = (array.shape, hashlib.sha256(array.tobytes()).hexdigest())
    if key not in written:
        written[key] = f"{name}.npy"
        np.save(os.path.join(directory, written[key]), array)
    return written[key]


def latent_distribution(cfg, stats=None):
    if stats is not None:
        return stats
    return {"z": {"mean": [0.0] * cfg.z_dim, "std": [1.0] * cfg.z_dim},
            "z_motion": {"mean": [0.0] * cfg.motion_dim, "std": [1.0] * cfg.motion_dim}}


def trajectories():
    half_pi = math.pi / 2
    return {
        "orbit": {"yaw_center": half_pi, "yaw_amplitude": 0.35, "pitch_center": half_pi - 0.05,
                  "pitch_amplitude": 0.25, "frames": 120,
                  "formula": "yaw = yaw_center + yaw_amplitude*sin(2*pi*i/n); "
                             "pitch = pitch_center + pitch_amplitude*cos(2*pi*i/n)"},
        "yaw_sweep": {"amplitude": 0.5, "formula": "yaw = pi/2 + amplitude*sin(2*pi*i/n), pitch = pi/2"},
        "pitch_sweep": {"amplitude": 0.25, "formula": "pitch = pi/2 + amplitude*sin(2*pi*i/n), yaw = pi/2"},
    }


def export(cfg, out_dir, seed=0, weights=None, references=None, description=None, latent_stats=None,
           version=MANIFEST_VERSION, gradient_graphs=True):
    os.makedirs(out_dir, exist_ok=True)
    state = torch.load(weights, map_location="cpu", weights_only=False) if weights else None  # our fit's state.pt
    if state is not None and "config" in state:
        cfg = configs.Pv3dConfig.from_json(state["config"])  # a fitted model carries its own configuration
    g = build(cfg, seed)
    if state is not None:
        g.load_state_dict(state.get("generator", state))
        latent_stats = latent_stats or state.get("latent_distribution")
    for p in g.parameters():
        p.requires_grad_(False)

    models, graph_specs, grad_specs, refs = {}, {}, {kind: [] for kind in GRADIENT_SIZES}, {}
    grad_kinds = {}
    forward_inputs = example_forward_inputs(g, batch=2, seed=seed + 1)
    for role in FORWARD_GRAPHS:
        path = os.path.join(out_dir, f"{role}.onnx")
        spec, outputs = export_forward(g, role, forward_inputs[role], path)
        models[role] = (path, spec)
        refs[role] = (FORWARD_GRAPHS[role].inputs, forward_inputs[role],
                      FORWARD_GRAPHS[role].outputs, outputs)

    g.renderer.sampler = "gather"  # the same bilinear lookup, with a scatter-add gradient
    for kind, (sizes, letter) in GRADIENT_SIZES.items() if gradient_graphs else ():
        for n in sizes:
            key = f"{kind}_{letter}{n}"
            path = os.path.join(out_dir, f"{key}.onnx")
            inputs = example_gradient_inputs(g, kind, n, seed + 2)
            spec, outputs = export_gradient(g, kind, inputs, path, float64_outputs=references is not None)
            spec["frames" if kind == "reconstruction" else "batch"] = n
            models[key] = (path, spec)
            grad_kinds[key] = kind
            refs[key] = (GRADIENT_IO[kind][0], inputs, GRADIENT_IO[kind][1], outputs)
    g.renderer.sampler = "grid"

    protos = {}
    for key, (path, _) in models.items():
        model = onnx.load(path)
        onnx_tools.compact_uniform_constants(model)
        model.producer_name = "pv3d-farm"
        protos[key] = model
    onnx_tools.externalize_shared_weights(protos, out_dir)
    for key, (path, spec) in models.items():
        onnx.save(protos[key], path)
        onnx.checker.check_model(path)
        spec.update({"file": os.path.basename(path), "sha256": sha256(path)})
        if key in FORWARD_GRAPHS:
            graph_specs[key] = {"file": spec.pop("file"), "sha256": spec.pop("sha256"), **spec}
        else:
            kind = grad_kinds[key]
            grad_specs[kind].append({"file": spec.pop("file"), "sha256": spec.pop("sha256"), **spec})

    manifest = {
        "format": FORMAT,
        "name": cfg.name,
        "version": version,
        "description": description or (
            f"{cfg.name}: the PV3D architecture with weights from {os.path.basename(weights)}" if weights else
            f"{cfg.name}: the PV3D architecture with seeded random weights (seed {seed}); renders noise, "
            f"for tests of the graph contract."),
        "config": cfg.to_json(),
        "source": {"seed": seed, "weights": os.path.basename(weights) if weights else None,
                   "exporter": "model/python/pv3d/export.py", "torch": torch.__version__},
        "opset": OPSET,
        "conventions": {
            "camera": {"layout": "16 floats cam2world (row-major 4x4; OpenCV camera axes x right, y down, "
                                 "z forward; world y up) then 9 floats normalized intrinsics (row-major 3x3)",
                       "radius": cfg.camera_radius, "pivot": list(cfg.pivot), "focal": cfg.focal,
                       "frontal": {"yaw": math.pi / 2, "pitch": math.pi / 2},
                       "canonical": cameras.canonical_camera(cfg).tolist()},
            "time": {"clip_frames": cfg.clip_frames, "fps": cfg.fps,
                     "t": "t_i = (i mod clip_frames)/(clip_frames-1); longer videos cycle"},
            "image": "NCHW float32 RGB in [-1, 1]",
            "depth": "expected distance along the unit ray from the camera origin, world units, "
                     "clamped to [ray_start, ray_end]",
            "opacity": "accumulated alpha along the ray, in [0, 1]",
            "loss": "per-sample masked pixel MSE: sum(mask*(rgb-target)^2)/(3*sum(mask)+1e-8)",
        },
        "latent_distribution": latent_distribution(cfg, latent_stats),
        "trajectories": trajectories(),
        "weights": {"file": "weights.bin", "sha256": sha256(os.path.join(out_dir, "weights.bin"))},
        "graphs": graph_specs,
        "gradients": grad_specs,
    }
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if references:
        write_references(cfg, references, refs)
    return manifest


def write_references(cfg, directory, refs):
    os.makedirs(directory, exist_ok=True)
    index = {"graphs": {}, "gradients": {}, "cameras": []}
    written = {}
    for key, (in_names, inputs, out_names, outputs) in refs.items():
        entry = {"inputs": {n: save_npy(directory, f"{key}.in.{n}", t, written) for n, t in zip(in_names, inputs)},
                 "outputs": {n: save_npy(directory, f"{key}.out.{n}", t, written)
                             for n, t in zip(out_names, outputs)}}
        (index["graphs"] if key in FORWARD_GRAPHS else index["gradients"])[key] = entry
    for yaw, pitch in ((math.pi / 2, math.pi / 2), (math.pi / 2 + 0.5236, math.pi / 2), (1.2, 1.7), (2.0, 1.3)):
        index["cameras"].append({"yaw": yaw, "pitch": pitch, "radius": cfg.camera_radius, "pivot": list(cfg.pivot),
                                 "focal": cfg.focal,
                                 "camera": cameras.look_at(yaw, pitch, cfg.camera_radius, cfg.pivot,
                                                           cfg.focal).tolist()})
    with open(os.path.join(directory, "index.json"), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="tiny", help="preset: tiny or full")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--weights", help="a state dict (ours, or converted from a PV3D checkpoint)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--references", help="also write reference inputs and PyTorch outputs here")
    ap.add_argument("--description", help="what the model is, plainly (goes into model.json)")
    ap.add_argument("--version", default=MANIFEST_VERSION)
    ap.add_argument("--no-gradients", action="store_true",
                    help="forward graphs only (a render-only deployment; the full model's gradient graphs take "
                         "minutes and over 16 GB to trace on a CPU)")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    manifest = export(configs.preset(args.config), args.out, args.seed, args.weights, args.references,
                      description=args.description, version=args.version, gradient_graphs=not args.no_gradients)
    print(json.dumps({k: v["file"] for k, v in manifest["graphs"].items()}))


if __name__ == "__main__":
    sys.exit(main())
