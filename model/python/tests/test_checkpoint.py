"""Tests of the PV3D checkpoint converter (pv3d.checkpoint).

Run: /usr/bin/python3 -m pytest model/python/tests   (from the repository root)

Their checkpoints cannot be downloaded here, so every test builds tensors with THEIR names and shapes from the name
map (random values) and checks where each lands, the way back, the errors, the file formats and the export.
"""
from __future__ import annotations

import dataclasses
import io
import json
import os
import pickle
import subprocess
import sys
import types

import numpy as np
import pytest
import torch
import torch.nn.functional as F

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PYTHON_DIR)

from pv3d import checkpoint as ck  # noqa: E402
from pv3d import config  # noqa: E402
from pv3d.generator import Pv3dGenerator  # noqa: E402
from pv3d.layers import Resize  # noqa: E402

CONFIGS = {"tiny": config.TINY, "full": config.FULL}


def their_state(cfg, seed=0, filters=True):
    """A state dict as PV3D's TriPlaneGenerator would hold it: their names and shapes, random values."""
    gen = torch.Generator().manual_seed(seed)
    state = {e.theirs: torch.randn(e.shape, generator=gen) for e in ck.name_map(cfg)}
    if filters:
        state.update({name: ck.fir_filter() for name in ck.resample_filter_names(cfg)})
    return state


@pytest.fixture(scope="module", params=["tiny", "full"])
def cfg(request):
    return CONFIGS[request.param]


def test_name_map_covers_every_tensor_of_our_generator_with_its_shape(cfg):
    ours = Pv3dGenerator(cfg).state_dict()
    mapped = {key: e.shape for e in ck.name_map(cfg) for key in e.ours}
    assert set(mapped) == set(ours)
    assert {k: tuple(v.shape) for k, v in ours.items()} == mapped
    theirs = [e.theirs for e in ck.name_map(cfg)]
    assert len(theirs) == len(set(theirs))
    printed = io.StringIO()
    ck.print_map(cfg, printed)
    lines = printed.getvalue().splitlines()
    assert len(lines) == len(theirs) + len(ck.resample_filter_names(cfg)) + 1
    assert "backbone.synthesis.b8.conv0.weight\tbackbone.blocks.1.conv0.weight\t" in printed.getvalue()


def test_converted_state_loads_strictly_and_values_land_where_expected(cfg):
    theirs = their_state(cfg)
    notes = []
    ours = ck.convert_state_dict(theirs, cfg, notes=notes)
    g = Pv3dGenerator(cfg)
    g.load_state_dict(ours, strict=True)
    loaded = g.state_dict()
    for e in ck.name_map(cfg):
        expected = theirs[e.theirs].flip([2, 3]) if e.flip else theirs[e.theirs]
        for key in e.ours:
            assert torch.equal(loaded[key], expected), key
    # Spot checks written out by hand, independent of the map's own bookkeeping.
    last = len(cfg.block_resolutions()) - 1
    r = cfg.plane_resolution
    assert torch.equal(loaded["mapping.layers.1.weight"], theirs["backbone.mapping.fc1.weight"])
    assert torch.equal(loaded["mapping.w_avg"], theirs["backbone.mapping.w_avg"])
    assert torch.equal(loaded["backbone.blocks.0.const"], theirs["backbone.synthesis.b4.const"])
    assert torch.equal(loaded["backbone.blocks.1.conv0.weight"],
                       theirs["backbone.synthesis.b8.conv0.weight"].flip([2, 3]))
    assert torch.equal(loaded["backbone.blocks.1.conv1.weight"], theirs["backbone.synthesis.b8.conv1.weight"])
    assert torch.equal(loaded[f"backbone.blocks.{last}.torgb.weight"],
                       theirs[f"backbone.synthesis.b{r}.torgb.weight"])
    assert torch.equal(loaded["backbone.blocks.3.motion.embed.weight"],
                       theirs["backbone.synthesis.b32.motion_time_fuser.affine.weight"])
    assert torch.equal(loaded["backbone.blocks.0.motion.mlp1.bias"],
                       theirs["backbone.synthesis.b4.motion_time_fuser.motion_mlp.1.bias"])
    assert torch.equal(loaded["backbone.blocks.2.motion.conv.noise_const"],
                       theirs["backbone.synthesis.b16.motion_time_fuser.conv.noise_const"])
    assert torch.equal(loaded["renderer.decoder.fc1.weight"], theirs["decoder.net.2.weight"])
    assert torch.equal(loaded["decoder.fc0.bias"], theirs["decoder.net.0.bias"])
    assert torch.equal(loaded["torgb.affine.weight"], theirs["to_img_raw.affine.weight"])
    assert torch.equal(loaded["superresolution.block1.conv0.weight"],
                       theirs["superresolution.block1.conv0.weight"].flip([2, 3]))
    assert torch.equal(loaded["superresolution.block0.torgb.bias"], theirs["superresolution.block0.torgb.bias"])
    assert any("resample_filter" in n or "filter" in n for n in notes)
    assert len([e for e in ck.name_map(cfg) if e.flip]) == len(cfg.block_resolutions()) - 1 + 2


def test_round_trip_back_to_their_names_equals_the_original(cfg):
    theirs = their_state(cfg, seed=3)
    back = ck.to_pv3d_names(ck.convert_state_dict(theirs, cfg), cfg)
    assert set(back) == set(theirs)
    for name, value in theirs.items():
        assert torch.equal(back[name], value), name


def test_missing_extra_and_misshaped_tensors_are_named_in_one_error():
    cfg = config.TINY
    theirs = their_state(cfg)
    del theirs["backbone.synthesis.b16.motion_time_fuser.motion_mlp.0.weight"]
    theirs["backbone.synthesis.b16.some_new_layer.weight"] = torch.zeros(3)
    theirs["to_img_raw.bias"] = torch.zeros(4)
    with pytest.raises(ck.CheckpointMismatch) as err:
        ck.convert_state_dict(theirs, cfg)
    message = str(err.value)
    assert "backbone.synthesis.b16.motion_time_fuser.motion_mlp.0.weight" in message
    assert "backbone.synthesis.b16.some_new_layer.weight" in message
    assert "to_img_raw.bias (4,) (expected (3,))" in message
    assert err.value.missing == ["backbone.synthesis.b16.motion_time_fuser.motion_mlp.0.weight"]
    assert err.value.unexpected == ["backbone.synthesis.b16.some_new_layer.weight"]


def test_a_full_checkpoint_does_not_fit_the_tiny_config():
    with pytest.raises(ck.CheckpointMismatch) as err:
        ck.convert_state_dict(their_state(config.FULL, filters=False), config.TINY)
    assert "backbone.synthesis.b128.conv0.weight" in err.value.unexpected
    assert any(s.startswith("backbone.mapping.fc0.weight (512, 1024)") for s in err.value.wrong_shape)


def test_reverse_conversion_rejects_foreign_or_inconsistent_state():
    cfg = config.TINY
    ours = ck.convert_state_dict(their_state(cfg), cfg)
    with pytest.raises(ck.CheckpointMismatch, match="extra.weight"):
        ck.to_pv3d_names({**ours, "extra.weight": torch.zeros(1)}, cfg)
    ours["renderer.decoder.fc0.bias"] = ours["renderer.decoder.fc0.bias"] + 1
    with pytest.raises(ValueError, match="one module"):
        ck.to_pv3d_names(ours, cfg)


def test_ignored_buffers_are_dropped_with_a_note_and_the_filter_is_checked():
    cfg = config.TINY
    theirs = their_state(cfg)
    theirs["dataset_label_std"] = torch.rand(25)
    notes = []
    ck.convert_state_dict(theirs, cfg, notes=notes)
    assert any("dataset_label_std" not in n and "EG3D training-loop buffer" in n for n in notes)
    theirs["superresolution.block0.conv0.resample_filter"] = torch.ones(4, 4) / 16
    with pytest.raises(ck.CheckpointMismatch, match="superresolution.block0.conv0.resample_filter"):
        ck.convert_state_dict(theirs, cfg)


def test_camera_scale_and_learning_rate_gains_are_folded_into_the_weights():
    cfg = config.TINY
    theirs = their_state(cfg)
    plain = Pv3dGenerator(cfg).eval()
    plain.load_state_dict(ck.convert_state_dict(theirs, cfg))
    options = ck.ConversionOptions(c_scale=2.5, mapping_lr_multiplier=0.02, decoder_lr_multiplier=0.5)
    folded_state = ck.convert_state_dict(theirs, cfg, options)
    folded = Pv3dGenerator(cfg).eval()
    folded.load_state_dict(folded_state)
    assert torch.allclose(folded_state["decoder.fc1.weight"], theirs["decoder.net.2.weight"] * 0.5)
    assert torch.allclose(folded_state["mapping.layers.0.bias"], theirs["backbone.mapping.fc0.bias"] * 2.0)
    # Their mapping sees c * c_scale: our folded embedding on c must equal the plain one on 2.5 c.
    c = torch.randn(3, cfg.c_dim)
    assert torch.allclose(folded.mapping.embed(c), plain.mapping.embed(c * 2.5), atol=1e-5)
    back = ck.to_pv3d_names(folded_state, cfg, options)
    for name, value in theirs.items():
        assert torch.allclose(back[name], value, atol=1e-6), name
    zeroed = ck.convert_state_dict(theirs, cfg, ck.ConversionOptions(c_zero=True))
    assert not zeroed["mapping.embed.weight"].any()
    with pytest.raises(ValueError, match="zero gain"):
        ck.to_pv3d_names(zeroed, cfg, ck.ConversionOptions(c_zero=True))
    with pytest.raises(ValueError, match="finite"):
        ck.ConversionOptions(c_scale=float("nan"))


def test_a_plain_eg3d_generator_converts_to_a_static_model_only_when_asked():
    cfg = config.TINY
    theirs = {k: v for k, v in their_state(cfg).items()
              if ".motion_time_fuser." not in k and not k.startswith("to_img_raw.")}
    with pytest.raises(ck.CheckpointMismatch) as err:
        ck.convert_state_dict(theirs, cfg)
    assert "to_img_raw.weight" in err.value.missing
    assert "backbone.synthesis.b4.motion_time_fuser.affine.weight" in err.value.missing
    options = ck.ConversionOptions(eg3d_static=True)
    g = Pv3dGenerator(cfg).eval()
    g.load_state_dict(ck.convert_state_dict(theirs, cfg, options), strict=True)
    ws = torch.randn(2, cfg.num_ws, cfg.w_dim)
    with torch.no_grad():
        planes_t0 = g.synthesize(ws, torch.randn(2, cfg.motion_dim), torch.zeros(2))
        planes_t1 = g.synthesize(ws, torch.randn(2, cfg.motion_dim), torch.ones(2))
        features = torch.randn(2, cfg.feature_channels, 8, 8)
        raw = g.torgb(features, ws[:, 0])
    assert torch.equal(planes_t0, planes_t1)  # the motion residual is exactly zero
    assert torch.allclose(raw, features[:, :3], atol=1e-6)  # EG3D's raw image: the first three features
    back = ck.to_pv3d_names(ck.convert_state_dict(theirs, cfg, options), cfg, options)
    assert set(back) == set(theirs)
    with pytest.raises(ck.CheckpointMismatch, match="without eg3d_static"):
        ck.convert_state_dict(their_state(cfg), cfg, options)


# --- Why conv0 kernels are flipped, and what the bilinear upsampling changes -------------------------------------
# StyleGAN2's documented resampling (upfirdn2d): insert zeros, pad with zeros, convolve with the FIR filter
# [1,3,3,1]/8 (gain 2 per axis). An upsampling conv pads once for the whole chain (3 before, 2 after), filters and
# then runs a *true* convolution (flip_weight=False for up=2); the skip image upsample pads 2 before, 1 after.

def _zero_insert_fir(x, pad0, pad1):
    b, c, h, w = x.shape
    u = torch.zeros(b, c, 2 * h, 2 * w)
    u[:, :, ::2, ::2] = x
    u = F.pad(u, (pad0, pad1, pad0, pad1))
    taps = torch.tensor([1.0, 3.0, 3.0, 1.0]) / 8 * 2
    kernel = torch.outer(taps, taps)[None, None].repeat(c, 1, 1, 1)
    return F.conv2d(u, kernel, groups=c)


def test_flipped_kernels_reproduce_stylegan_upsampling_convs_inside_the_image():
    torch.manual_seed(0)
    x = torch.randn(2, 4, 8, 8)
    w_theirs = torch.randn(5, 4, 3, 3)
    reference = F.conv2d(_zero_insert_fir(x, 3, 2), w_theirs.flip([2, 3]))  # true convolution, valid
    ours = F.conv2d(Resize(8, 16)(x), w_theirs.flip([2, 3]), padding=1)  # what our conv0 computes after conversion
    unflipped = F.conv2d(Resize(8, 16)(x), w_theirs, padding=1)
    inside = (slice(None), slice(None), slice(2, -2), slice(2, -2))
    assert torch.allclose(ours[inside], reference[inside], atol=1e-5)
    assert not torch.allclose(unflipped[inside], reference[inside], atol=1e-1)
    skip_reference = _zero_insert_fir(x, 2, 1)
    skip_ours = Resize(8, 16)(x)
    assert torch.allclose(skip_ours[..., 1:-1, 1:-1], skip_reference[..., 1:-1, 1:-1], atol=1e-6)


# --- Reading checkpoint files without their code -----------------------------------------------------------------

def _module_tree(state, persistent_reduce=None):
    """nn.Modules holding `state` under dotted names, as their module tree would (modules made on the fly)."""
    root = torch.nn.Module()
    for name, value in state.items():
        *path, leaf = name.split(".")
        module = root
        for part in path:
            if part not in module._modules:
                module.add_module(part, torch.nn.Module())
            module = module._modules[part]
        if leaf in ("w_avg", "noise_const", "resample_filter", "dataset_label_std"):
            module.register_buffer(leaf, value.clone())
        else:
            module.register_parameter(leaf, torch.nn.Parameter(value.clone(), requires_grad=False))
    return root


class _Marker:
    """Would run a shell command when unpickled by a plain unpickler."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def _fake_modules(monkeypatch):
    """Temporary modules standing in for their code: torch_utils.persistence and a class of theirs."""
    persistence = types.ModuleType("torch_utils.persistence")

    def _reconstruct_persistent_obj(meta):  # never called by our reader
        raise AssertionError("their code must not run")

    _reconstruct_persistent_obj.__module__ = persistence.__name__
    _reconstruct_persistent_obj.__qualname__ = "_reconstruct_persistent_obj"
    persistence._reconstruct_persistent_obj = _reconstruct_persistent_obj
    theirs = types.ModuleType("training.triplane")

    class Scheduler:
        def __init__(self):
            self.milestones = [40000, 80000]

    Scheduler.__module__ = theirs.__name__
    Scheduler.__qualname__ = "Scheduler"
    theirs.Scheduler = Scheduler
    for name, module in (("torch_utils", types.ModuleType("torch_utils")), (persistence.__name__, persistence),
                         ("training", types.ModuleType("training")), (theirs.__name__, theirs)):
        monkeypatch.setitem(sys.modules, name, module)
    return persistence, theirs


def test_an_eg3d_style_network_pickle_is_read_without_their_code(tmp_path, monkeypatch):
    cfg = config.TINY
    theirs = their_state(cfg)
    theirs["dataset_label_std"] = torch.rand(25)
    persistence, _ = _fake_modules(monkeypatch)
    tree = _module_tree(theirs)
    tree.rendering_kwargs = {"c_scale": 1.0, "depth_resolution": 48, "superresolution_module":
                             "training.superresolution.SuperresolutionHybrid8XDC"}

    class TriPlaneGenerator(torch.nn.Module):  # pickles like a persistent_class: source + class name + state
        def __reduce__(self):
            meta = dict(type="class", version=6, module_src="# (source omitted)", class_name="TriPlaneGenerator",
                        state=dict(self.__dict__))
            return (persistence._reconstruct_persistent_obj, (meta,), None)

    g_ema = TriPlaneGenerator()
    g_ema.__dict__.update(tree.__dict__)
    marker = tmp_path / "executed"
    path = tmp_path / "network-snapshot.pkl"
    with open(path, "wb") as f:
        pickle.dump({"G_ema": g_ema, "D": torch.nn.Linear(2, 2), "augment_pipe": _Marker(marker),
                     "training_set_kwargs": {"path": "x"}}, f)
    for name in ("torch_utils", "torch_utils.persistence", "training", "training.triplane"):
        monkeypatch.delitem(sys.modules, name)
    result = ck.convert_file(str(path), cfg)
    assert not marker.exists()  # nothing of the pickle's was executed
    g = Pv3dGenerator(cfg)
    g.load_state_dict(result["generator"], strict=True)
    assert torch.equal(g.state_dict()["superresolution.block0.conv1.affine.weight"],
                       theirs["superresolution.block0.conv1.affine.weight"])
    assert "network pickle G_ema (TriPlaneGenerator)" in result["source"]["read_as"]
    assert any("depth_resolution=48" in n for n in result["notes"])
    assert any("EG3D training-loop buffer" in n for n in result["notes"])


def _trainer_checkpoint(cfg, path, monkeypatch, c_scale=1.0):
    """A PV3D trainer checkpoint as lib/utils/checkpoint.py saves it (torch.save zip with "model" and "config")."""
    _, theirs_module = _fake_modules(monkeypatch)
    ema = their_state(cfg, seed=1)
    model = {f"generator_ema.{k}": v for k, v in ema.items()}
    model.update({f"generator.{k}": v if k.endswith("resample_filter") else torch.zeros_like(v)
                  for k, v in ema.items()})
    model.update({"img_discriminator.b4.conv0.weight": torch.zeros(2), "pl_mean": torch.zeros([])})
    torch.save({"model": model, "optimizer": {"generator": {"state": {}, "param_groups": []}},
                "lr_scheduler": theirs_module.Scheduler(), "current_iteration": 6000,
                "config": {"model_config": {"pv3d": {"generator": {
                    "mapping_kwargs": {"num_layers": 2},
                    "rendering_kwargs": {"c_scale": c_scale, "decoder_lr_mul": 1.0, "depth_resolution": 48,
                                         "depth_resolution_importance": 48, "ray_start": 2.25, "ray_end": 3.3,
                                         "box_warp": 1, "superresolution_module":
                                             "lib.models.videg3d.networks.superresolution.SuperresolutionHybrid8XDC"}}}},
                           "training": {"rendering_resolution": 64}}}, path)
    monkeypatch.delitem(sys.modules, "training.triplane")
    return ema


def test_a_pv3d_trainer_checkpoint_yields_its_ema_generator(tmp_path, monkeypatch):
    cfg = config.TINY
    path = tmp_path / "model_6000.ckpt"
    ema = _trainer_checkpoint(cfg, path, monkeypatch, c_scale=2.0)
    result = ck.convert_file(str(path), cfg)
    assert torch.equal(result["generator"]["backbone.blocks.2.motion.mlp0.weight"],
                       ema["backbone.synthesis.b16.motion_time_fuser.motion_mlp.0.weight"])
    assert torch.allclose(result["generator"]["mapping.embed.weight"], ema["backbone.mapping.embed.weight"] * 2.0)
    assert result["source"]["options"]["c_scale"] == 2.0
    assert "prefix 'generator_ema.'" in result["source"]["read_as"]
    notes = " | ".join(result["notes"])
    assert "depth_resolution=48" in notes and "neural rendering resolution 64" in notes
    explicit = ck.convert_file(str(path), cfg, prefix="generator.", c_scale=1.0)
    assert not explicit["generator"]["backbone.blocks.0.const"].any()


def test_cli_converts_a_checkpoint_that_the_exporter_accepts(tmp_path, monkeypatch):
    cfg = config.TINY
    path = tmp_path / "pv3d.ckpt"
    _trainer_checkpoint(cfg, path, monkeypatch)
    out = tmp_path / "state.pt"
    run = subprocess.run([sys.executable, "-m", "pv3d.checkpoint", "--pkl", str(path), "--config", "tiny",
                          "--out", str(out)], cwd=PYTHON_DIR, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["tensors"] == len(Pv3dGenerator(cfg).state_dict())
    assert "flipped the 3x3 kernels" in run.stderr
    wrong = subprocess.run([sys.executable, "-m", "pv3d.checkpoint", "--pkl", str(path), "--config", "full",
                            "--out", str(tmp_path / "no.pt")], cwd=PYTHON_DIR, capture_output=True, text=True,
                           timeout=300)
    assert wrong.returncode == 2
    assert "wrong shape" in wrong.stderr and "backbone.mapping.fc0.weight" in wrong.stderr
    assert not (tmp_path / "no.pt").exists()

    from pv3d import export
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    export.export(cfg, str(tmp_path / "model"), weights=str(out), references=str(tmp_path / "refs"))
    manifest = json.loads((tmp_path / "model" / "model.json").read_text())
    assert set(manifest["graphs"]) == {"mapping", "synthesis", "render", "superres", "density"}
    # The exported references were computed with the converted weights, not the seeded ones.
    index = json.loads((tmp_path / "refs" / "index.json").read_text())["graphs"]
    load = lambda role, kind, name: torch.from_numpy(np.load(tmp_path / "refs" / index[role][kind][name]))
    g = Pv3dGenerator(cfg).eval()
    g.load_state_dict(torch.load(out)["generator"], strict=True)
    with torch.no_grad():
        ws = g.map(load("mapping", "inputs", "z"), load("mapping", "inputs", "c"),
                   load("mapping", "inputs", "truncation_psi"))
        planes = g.synthesize(*(load("synthesis", "inputs", n) for n in ("ws", "z_motion", "t")))
    assert torch.allclose(ws, load("mapping", "outputs", "ws"), atol=1e-5)
    assert torch.allclose(planes, load("synthesis", "outputs", "planes"), atol=1e-4)


def test_a_config_whose_super_resolution_is_not_pv3ds_has_no_name_map():
    cfg = dataclasses.replace(config.TINY, neural_resolution=64, sr_scale=2)
    with pytest.raises(ck.CheckpointMismatch, match="upsamples 4x"):
        ck.name_map(cfg)
