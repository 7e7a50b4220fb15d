"""Convert a public PV3D checkpoint (or an EG3D network pickle) into our Pv3dGenerator's state dict, and back.

    python3 -m pv3d.checkpoint --pkl vc_video_..._res64_reproduce.ckpt --config full --out state.pt
    python3 -m pv3d.export --config full --weights state.pt --out /data/models/pv3d-full

The parameter names and shapes were learned from the public PV3D code (bytedance/pv3d) and EG3D (NVlabs/eg3d),
read for facts only; docs/model.md "Converting a PV3D checkpoint" lists the map, where each fact came from and what
could not be verified without the real weights. Reading a checkpoint needs none of their code: a restricted
unpickler rebuilds tensors and turns every other class into an inert container (nothing of theirs is imported or run).

What the conversion does beyond renaming (every other tensor is copied unchanged, same shape):
- the 3x3 weights of the *upsampling* convolutions (conv0 of every block after 4 px, in the backbone and in the
  super-resolution) are flipped in both spatial axes: StyleGAN2 runs those as true convolutions (a transposed conv),
  our layers run F.conv2d (a correlation) after a separate upsampling;
- folds of their constant gains into our weights: the camera scale `c_scale` (and `c_gen_conditioning_zero`) into the
  mapping's camera embedding, and learning-rate multipliers that differ from ours (mapping, decoder) into the weights;
- their upfirdn2d `resample_filter` buffers (and EG3D's training-only `dataset_label_std`) are dropped, after checking
  the filter is the [1,3,3,1] one our bilinear upsampling stands for. Nothing else is ever dropped: a tensor of theirs
  we cannot place is an error that names it.
"""
from __future__ import annotations

import argparse
import collections
import copyreg
import dataclasses
import hashlib
import io
import json
import math
import os
import pickle
import re
import sys
import zipfile

import torch

from . import config as configs
from .config import Pv3dConfig

# StyleGAN2's low-pass filter for 2x resampling: upfirdn2d.setup_filter([1,3,3,1]) = outer([1,3,3,1])/64, a [4,4]
# buffer in every SynthesisLayer and SynthesisBlock. Our Resize is the same separable filter inside the image.
FIR_TAPS = (1.0, 3.0, 3.0, 1.0)

# What our generator does not hold, with the reason each may be dropped. Anything else unplaced is an error.
IGNORED = (
    (re.compile(r"(.+\.)?resample_filter"),
     "upfirdn2d [1,3,3,1] low-pass filter buffer; our layers upsample with constant bilinear matrices "
     "(value checked before it is dropped)"),
    (re.compile(r"dataset_label_std"),
     "EG3D training-loop buffer (std of the camera labels, for conditioning noise); unused at inference"),
)

# PV3D's released checkpoints (lib/utils/checkpoint.py Checkpoint.save) hold {"model": PV3D.state_dict(), ...}
# where the generator sits under these prefixes; the EMA copy is the one PV3D renders with.
GENERATOR_PREFIXES = ("generator_ema.", "generator.")
EXPECTED_SUPERRESOLUTION = "SuperresolutionHybrid8XDC"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One tensor of theirs and where it lands in ours.

    theirs: name relative to their TriPlaneGenerator; ours: our state_dict keys holding the same tensor (the plane
    decoder is registered twice, as `decoder` and `renderer.decoder`); shape: the shape on both sides;
    flip: spatially flipped kernel (their upsampling convolutions); scale: name of a constant gain folded in.
    """
    theirs: str
    ours: tuple
    shape: tuple
    flip: bool = False
    scale: str | None = None


@dataclasses.dataclass(frozen=True)
class ConversionOptions:
    """Their constants that get folded into our weights, and the EG3D fallback.

    c_scale / c_zero: rendering_kwargs c_scale and c_gen_conditioning_zero (their mapping sees c * c_scale, or zeros).
    mapping_lr_multiplier / decoder_lr_multiplier: their FullyConnectedLayer lr multipliers (equalized-lr gains).
    eg3d_static: the input is a plain EG3D generator (no motion layers, no raw-RGB layer): fill the motion layers so
    their residual is exactly zero and the raw-RGB layer so it passes the first three feature channels through, as
    EG3D does (`rgb_image = feature_image[:, :3]`).
    """
    c_scale: float = 1.0
    c_zero: bool = False
    mapping_lr_multiplier: float = 0.01
    decoder_lr_multiplier: float = 1.0
    eg3d_static: bool = False

    def __post_init__(self):
        for name in ("c_scale", "mapping_lr_multiplier", "decoder_lr_multiplier"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value!r}")
        if self.mapping_lr_multiplier <= 0 or self.decoder_lr_multiplier <= 0:
            raise ValueError("learning-rate multipliers must be > 0")

    def factors(self, cfg: Pv3dConfig) -> dict:
        return {
            "c": 0.0 if self.c_zero else float(self.c_scale),
            "mapping_lr": self.mapping_lr_multiplier / cfg.mapping_lr_multiplier,
            "decoder_lr": self.decoder_lr_multiplier / 1.0,
        }


class CheckpointMismatch(ValueError):
    """The checkpoint does not fit the config: names every missing, unexpected and mis-shaped tensor."""

    def __init__(self, what: str, missing=(), unexpected=(), wrong_shape=()):
        self.missing, self.unexpected, self.wrong_shape = sorted(missing), sorted(unexpected), sorted(wrong_shape)
        lines = [what]
        if self.missing:
            lines.append(f"missing ({len(self.missing)}): " + ", ".join(self.missing))
        if self.unexpected:
            lines.append(f"unexpected, cannot be placed ({len(self.unexpected)}): " + ", ".join(self.unexpected))
        if self.wrong_shape:
            lines.append(f"wrong shape ({len(self.wrong_shape)}): " + ", ".join(self.wrong_shape))
        super().__init__("\n".join(lines))


# ---------------------------------------------------------------------------------------------------------------
# The name map, generated from a config (their module tree mirrors ours block for block).

def _fc(theirs, ours, fan_in, fan_out, scale=None):
    """A FullyConnectedLayer. Learning-rate gains scale weight and bias; an input scale (c) only the weight."""
    ours = ours if isinstance(ours, tuple) else (ours,)
    bias_scale = None if scale == "c" else scale
    return [Entry(f"{theirs}.weight", tuple(f"{o}.weight" for o in ours), (fan_out, fan_in), scale=scale),
            Entry(f"{theirs}.bias", tuple(f"{o}.bias" for o in ours), (fan_out,), scale=bias_scale)]


def _synthesis_layer(theirs, ours, c_in, c_out, w_dim, resolution, up):
    return _fc(f"{theirs}.affine", f"{ours}.affine", w_dim, c_in) + [
        Entry(f"{theirs}.weight", (f"{ours}.weight",), (c_out, c_in, 3, 3), flip=up),
        Entry(f"{theirs}.bias", (f"{ours}.bias",), (c_out,)),
        Entry(f"{theirs}.noise_const", (f"{ours}.noise_const",), (resolution, resolution)),
        Entry(f"{theirs}.noise_strength", (f"{ours}.noise_strength",), ()),
    ]


def _torgb(theirs, ours, c_in, c_out, w_dim):
    return _fc(f"{theirs}.affine", f"{ours}.affine", w_dim, c_in) + [
        Entry(f"{theirs}.weight", (f"{ours}.weight",), (c_out, c_in, 1, 1)),
        Entry(f"{theirs}.bias", (f"{ours}.bias",), (c_out,)),
    ]


def _block(theirs, ours, c_in, c_out, w_dim, resolution, img_channels, motion_dim=None):
    entries = []
    if c_in == 0:
        entries.append(Entry(f"{theirs}.const", (f"{ours}.const",), (c_out, resolution, resolution)))
    else:
        entries += _synthesis_layer(f"{theirs}.conv0", f"{ours}.conv0", c_in, c_out, w_dim, resolution, up=True)
    entries += _synthesis_layer(f"{theirs}.conv1", f"{ours}.conv1", c_out, c_out, w_dim, resolution, up=False)
    entries += _torgb(f"{theirs}.torgb", f"{ours}.torgb", c_out, img_channels, w_dim)
    if motion_dim:
        fuser = f"{theirs}.motion_time_fuser"
        entries += _fc(f"{fuser}.affine", f"{ours}.motion.embed", motion_dim, w_dim)
        entries += _fc(f"{fuser}.motion_mlp.0", f"{ours}.motion.mlp0", w_dim, w_dim)
        entries += _fc(f"{fuser}.motion_mlp.1", f"{ours}.motion.mlp1", w_dim, w_dim)
        entries += _synthesis_layer(f"{fuser}.conv", f"{ours}.motion.conv", c_out, c_out, w_dim, resolution,
                                    up=False)
    return entries


def name_map(cfg: Pv3dConfig) -> list:
    """Every tensor of our generator with its name and shape in PV3D's TriPlaneGenerator, in module order."""
    if cfg.sr_scale != 4:
        raise CheckpointMismatch(f"{cfg.name}: PV3D's super-resolution upsamples 4x (sr_scale 4), not {cfg.sr_scale}x")
    w = cfg.w_dim
    entries = [Entry("backbone.mapping.w_avg", ("mapping.w_avg",), (w,))]
    entries += _fc("backbone.mapping.embed", "mapping.embed", cfg.c_dim, w, scale="c")
    dims = [cfg.z_dim + w] + [w] * cfg.mapping_layers
    for i in range(cfg.mapping_layers):
        entries += _fc(f"backbone.mapping.fc{i}", f"mapping.layers.{i}", dims[i], dims[i + 1], scale="mapping_lr")
    c_in = 0
    for i, res in enumerate(cfg.block_resolutions()):
        c_out = cfg.channels(res)
        motion = cfg.motion_dim if res in cfg.motion_resolutions else None
        entries += _block(f"backbone.synthesis.b{res}", f"backbone.blocks.{i}", c_in, c_out, w, res,
                          3 * cfg.plane_channels, motion)
        c_in = c_out
    decoder = ("decoder.fc{}", "renderer.decoder.fc{}")
    entries += _fc("decoder.net.0", tuple(d.format(0) for d in decoder), cfg.plane_channels, cfg.decoder_hidden,
                   scale="decoder_lr")
    entries += _fc("decoder.net.2", tuple(d.format(1) for d in decoder), cfg.decoder_hidden,
                   1 + cfg.feature_channels, scale="decoder_lr")
    entries += _torgb("to_img_raw", "torgb", cfg.feature_channels, 3, w)
    r = cfg.sr_input_resolution
    c0, c1 = cfg.sr_channels
    entries += _block("superresolution.block0", "superresolution.block0", cfg.feature_channels, c0, w, 2 * r, 3)
    entries += _block("superresolution.block1", "superresolution.block1", c0, c1, w, 4 * r, 3)
    return entries


def resample_filter_names(cfg: Pv3dConfig) -> list:
    """Their [4,4] filter buffers: one per SynthesisBlock and one per SynthesisLayer (motion convs included)."""
    names = []
    for res in cfg.block_resolutions():
        block = f"backbone.synthesis.b{res}"
        names.append(f"{block}.resample_filter")
        if res > 4:
            names.append(f"{block}.conv0.resample_filter")
        names.append(f"{block}.conv1.resample_filter")
        if res in cfg.motion_resolutions:
            names.append(f"{block}.motion_time_fuser.conv.resample_filter")
    for block in ("superresolution.block0", "superresolution.block1"):
        names += [f"{block}.resample_filter", f"{block}.conv0.resample_filter", f"{block}.conv1.resample_filter"]
    return names


def fir_filter() -> torch.Tensor:
    f = torch.tensor(FIR_TAPS)
    f = torch.outer(f, f)
    return f / f.sum()


def _is_eg3d_fill(entry: Entry) -> bool:
    """The tensors a plain EG3D generator lacks: PV3D's motion layers and its raw-RGB layer."""
    return ".motion_time_fuser." in entry.theirs or entry.theirs.startswith("to_img_raw.")


def _ignored_reason(name: str):
    for pattern, reason in IGNORED:
        if pattern.fullmatch(name):
            return reason
    return None


# ---------------------------------------------------------------------------------------------------------------
# Conversion in both directions.

def convert_state_dict(pv3d_state: dict, cfg: Pv3dConfig, options: ConversionOptions | None = None,
                       notes: list | None = None) -> dict:
    """Their generator state (names relative to TriPlaneGenerator) → our Pv3dGenerator state dict (strict-loadable).

    Raises CheckpointMismatch naming every missing, unplaceable or mis-shaped tensor. `notes` (a list) receives one
    line per thing dropped, folded or filled.
    """
    options = options or ConversionOptions()
    notes = notes if notes is not None else []
    factors = options.factors(cfg)
    entries = name_map(cfg)
    known = {e.theirs for e in entries}
    if options.eg3d_static:
        present = [e.theirs for e in entries if _is_eg3d_fill(e) and e.theirs in pv3d_state]
        if present:
            raise CheckpointMismatch("eg3d_static was asked for, but the checkpoint has PV3D's motion/raw-RGB "
                                     "layers: convert it without eg3d_static", unexpected=present)
    missing = [e.theirs for e in entries if e.theirs not in pv3d_state
               and not (options.eg3d_static and _is_eg3d_fill(e))]
    wrong_shape = [f"{e.theirs} {tuple(pv3d_state[e.theirs].shape)} (expected {e.shape})" for e in entries
                   if e.theirs in pv3d_state and tuple(pv3d_state[e.theirs].shape) != e.shape]
    unexpected, dropped = [], collections.defaultdict(list)
    for name in pv3d_state:
        if name in known:
            continue
        reason = _ignored_reason(name)
        if reason is None:
            unexpected.append(name)
        else:
            dropped[reason].append(name)
    if missing or unexpected or wrong_shape:
        raise CheckpointMismatch(f"the checkpoint does not fit config {cfg.name!r}",
                                 missing, unexpected, wrong_shape)
    expected_fir = fir_filter()
    odd = [n for n in dropped.get(IGNORED[0][1], ())
           if not torch.allclose(torch.as_tensor(pv3d_state[n]).float(), expected_fir, atol=1e-6)]
    if odd:
        raise CheckpointMismatch("resample_filter buffers that are not the [1,3,3,1] filter our upsampling "
                                 "assumes", wrong_shape=[f"{n} (values)" for n in odd])
    for reason, names in dropped.items():
        notes.append(f"dropped {len(names)} tensor(s): {reason}")

    ours = {}
    for e in entries:
        if e.theirs not in pv3d_state:
            value = _eg3d_fill(e, cfg)
        else:
            value = torch.as_tensor(pv3d_state[e.theirs]).detach().to(torch.float32).clone()
            if e.flip:
                value = value.flip([2, 3])
            if e.scale is not None and factors[e.scale] != 1.0:
                value = value * factors[e.scale]
        for key in e.ours:
            ours[key] = value.clone()
    if options.eg3d_static:
        notes.append("filled PV3D's motion layers with zeros (residual exactly 0: a static EG3D model) and the "
                     "raw-RGB layer with a pass-through of feature channels 0..2 (EG3D's raw image)")
    for name, factor in factors.items():
        if factor != 1.0:
            notes.append(f"folded constant gain {name} = {factor:g} into the weights")
    notes.append(f"flipped the 3x3 kernels of {sum(e.flip for e in entries)} upsampling convolution(s)")
    return ours


def _eg3d_fill(e: Entry, cfg: Pv3dConfig) -> torch.Tensor:
    value = torch.zeros(e.shape)
    if e.theirs == "to_img_raw.weight":
        value[:, :, 0, 0] = torch.eye(e.shape[0], e.shape[1])
    elif e.theirs == "to_img_raw.affine.bias":
        value.fill_(math.sqrt(cfg.feature_channels))  # styles = bias/√in = 1: no modulation
    return value


def to_pv3d_names(our_state: dict, cfg: Pv3dConfig, options: ConversionOptions | None = None) -> dict:
    """Our state dict → their names and layout (the exact inverse of convert_state_dict, filter buffers restored)."""
    options = options or ConversionOptions()
    factors = options.factors(cfg)
    entries = name_map(cfg)
    if options.eg3d_static:
        entries = [e for e in entries if not _is_eg3d_fill(e)]
    expected = {key for e in name_map(cfg) for key in e.ours}
    missing = [key for e in entries for key in e.ours if key not in our_state]
    unexpected = [key for key in our_state if key not in expected]
    wrong_shape = [f"{key} {tuple(our_state[key].shape)} (expected {e.shape})" for e in entries for key in e.ours
                   if key in our_state and tuple(our_state[key].shape) != e.shape]
    if missing or unexpected or wrong_shape:
        raise CheckpointMismatch(f"the state dict does not fit config {cfg.name!r}", missing, unexpected, wrong_shape)
    theirs = {}
    for e in entries:
        value = our_state[e.ours[0]].detach().to(torch.float32).clone()
        for alias in e.ours[1:]:
            if not torch.equal(our_state[alias], our_state[e.ours[0]]):
                raise ValueError(f"{alias} differs from {e.ours[0]}: they are one module in our generator")
        if e.scale is not None and factors[e.scale] != 1.0:
            if factors[e.scale] == 0.0:
                raise ValueError(f"cannot undo a zero gain ({e.scale}): the original values are gone")
            value = value / factors[e.scale]
        if e.flip:
            value = value.flip([2, 3])
        theirs[e.theirs] = value
    for name in resample_filter_names(cfg):
        if not (options.eg3d_static and ".motion_time_fuser." in name):
            theirs[name] = fir_filter()
    return theirs


# ---------------------------------------------------------------------------------------------------------------
# Reading checkpoints without their code.

class PickledObject(dict):
    """An inert stand-in for any class a checkpoint names that is not a tensor: keeps what the pickle gives it.

    A dict so that dict subclasses (EasyDict, OmegaConf containers) keep their items; `state` is what pickle's BUILD
    passed (a module's __dict__ for torch modules), `args` what it was called with, `appended` list-append data.
    """
    pickled_module = "?"
    pickled_name = "?"

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj.args, obj.state, obj.appended = args, None, []
        return obj

    def __init__(self, *args, **kwargs):  # pickle REDUCE calls the class: keep the arguments, run nothing
        self.args = args

    def __setstate__(self, state):
        if isinstance(state, tuple) and len(state) == 2 and (state[0] is None or isinstance(state[0], dict)):
            state = {**(state[0] or {}), **(state[1] or {})}
        self.state = state

    def append(self, item):
        self.appended.append(item)

    def extend(self, items):
        self.appended.extend(items)

    def __repr__(self):
        return f"<pickled {self.pickled_module}.{self.pickled_name}>"


class PersistentObject(PickledObject):
    """An object pickled by StyleGAN's torch_utils.persistence: its class name and state (its __dict__)."""
    pickled_name = "persistent_class"


_STUB_CLASSES: dict = {}


def _stub_class(module: str, name: str):
    key = (module, name)
    if key not in _STUB_CLASSES:
        _STUB_CLASSES[key] = type(name, (PickledObject,), {"pickled_module": module, "pickled_name": name})
    return _STUB_CLASSES[key]


def _reconstruct_persistent(meta):
    """Stands in for torch_utils.persistence._reconstruct_persistent_obj: keeps class name and state, runs no source."""
    obj = PersistentObject()
    meta = meta if isinstance(meta, dict) else {}
    obj.pickled_name = str(meta.get("class_name", "?"))
    obj.state = meta.get("state")
    return obj


# Tensors are rebuilt here without torch.load (whose pickle_module argument Debian's torch 1.13 ignores): a storage
# becomes a flat tensor of its dtype, a tensor a strided view of it. Formats (read from torch/serialization.py):
# - zip (torch.save since 1.6): <root>/data.pkl with persistent ids ('storage', <dtype class>, key, location, numel),
#   raw little-endian bytes in <root>/data/<key>;
# - legacy: pickles of a magic number, protocol version, sys info, the object (ids ('storage', <dtype class>,
#   root_key, location, numel, view) or ('module', class, file, source)), the list of storage keys, then per key an
#   int64 element count and the raw bytes. StyleGAN's plain pickles embed one legacy file per storage through
#   torch.storage._load_from_bytes.

_STORAGE_DTYPES = {
    "FloatStorage": torch.float32, "DoubleStorage": torch.float64, "HalfStorage": torch.float16,
    "BFloat16Storage": torch.bfloat16, "LongStorage": torch.int64, "IntStorage": torch.int32,
    "ShortStorage": torch.int16, "CharStorage": torch.int8, "ByteStorage": torch.uint8, "BoolStorage": torch.bool,
    "ComplexFloatStorage": torch.complex64, "ComplexDoubleStorage": torch.complex128, "UntypedStorage": torch.uint8,
}
_TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


@dataclasses.dataclass(frozen=True)
class _StorageKind:
    dtype: torch.dtype


def _rebuild_tensor(storage, storage_offset, size, stride, *unused):
    """torch._utils._rebuild_tensor(_v2) on our flat storages: a strided view (filled later for legacy files)."""
    if not isinstance(storage, torch.Tensor):
        raise pickle.UnpicklingError(f"a tensor refers to {storage!r}, not to a storage")
    return torch.as_strided(storage, tuple(size), tuple(stride), storage.storage_offset() + storage_offset)


def _rebuild_parameter(data, requires_grad, *unused):
    return data


def _rebuild_from_type(func, new_type, args, state):
    """torch._tensor._rebuild_from_type_v2 without subclass or state restoration: the tensor is what we need."""
    return func(*args)


def _flat_storage(data: bytes, dtype: torch.dtype, numel: int) -> torch.Tensor:
    size = numel * torch.empty((), dtype=dtype).element_size()
    if len(data) < size:
        raise pickle.UnpicklingError(f"storage holds {len(data)} bytes, {size} expected")
    if numel == 0:
        return torch.empty(0, dtype=dtype)
    return torch.frombuffer(bytearray(data[:size]), dtype=dtype)


_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "slice"): slice,
    ("builtins", "complex"): complex,
    ("copyreg", "_reconstructor"): copyreg._reconstructor,
    ("torch", "Size"): torch.Size,
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter,
    ("torch._tensor", "_rebuild_from_type_v2"): _rebuild_from_type,
    ("torch.storage", "_load_from_bytes"): lambda data: _read_legacy(io.BytesIO(data)),
}


class RestrictedUnpickler(pickle.Unpickler):
    """Rebuilds tensors and plain containers; every other global becomes an inert PickledObject subclass."""

    def __init__(self, file, storage_loader=None):
        super().__init__(file, encoding="utf-8")
        self._storage_loader = storage_loader

    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        if module in ("torch", "torch.storage") and name in _STORAGE_DTYPES:
            return _StorageKind(_STORAGE_DTYPES[name])
        if module == "torch" and isinstance(getattr(torch, name, None), torch.dtype):
            return getattr(torch, name)
        if module.split(".")[-1] == "persistence" and name == "_reconstruct_persistent_obj":
            return _reconstruct_persistent
        return _stub_class(module, name)

    def persistent_load(self, pid):
        if self._storage_loader is None:
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r} in a plain pickle")
        return self._storage_loader(pid)


def _storage_dtype(kind) -> torch.dtype:
    if not isinstance(kind, _StorageKind):
        raise pickle.UnpicklingError(f"unknown storage type {kind!r}")
    return kind.dtype


def _read_zip(path: str):
    with zipfile.ZipFile(path) as archive:
        pkl = next((n for n in archive.namelist() if n == "data.pkl" or n.endswith("/data.pkl")), None)
        if pkl is None:
            raise pickle.UnpicklingError(f"{path} is a zip file without data.pkl (not a torch.save file)")
        root = pkl[:-len("data.pkl")]
        if f"{root}byteorder" in archive.namelist() and archive.read(f"{root}byteorder") != b"little":
            raise pickle.UnpicklingError("big-endian checkpoints are not supported")
        storages = {}

        def load(pid):
            if not isinstance(pid, tuple) or len(pid) != 5 or pid[0] != "storage":
                raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
            _, kind, key, _location, numel = pid
            if key not in storages:
                storages[key] = _flat_storage(archive.read(f"{root}data/{key}"), _storage_dtype(kind), numel)
            return storages[key]

        return RestrictedUnpickler(io.BytesIO(archive.read(pkl)), load).load()


def _read_legacy(f, magic_read: bool = False):
    if not magic_read and RestrictedUnpickler(f).load() != _TORCH_LEGACY_MAGIC:
        raise pickle.UnpicklingError("not a torch.save file (bad magic number)")
    RestrictedUnpickler(f).load()  # protocol version
    sys_info = RestrictedUnpickler(f).load()
    if isinstance(sys_info, dict) and sys_info.get("little_endian") is False:
        raise pickle.UnpicklingError("big-endian checkpoints are not supported")
    roots = {}

    def load(pid):
        if isinstance(pid, tuple) and pid and pid[0] == "module":
            return pid[1]
        if not isinstance(pid, tuple) or len(pid) != 6 or pid[0] != "storage":
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        _, kind, key, _location, numel, view = pid
        if key not in roots:
            roots[key] = torch.empty(numel, dtype=_storage_dtype(kind))
        if view is None:
            return roots[key]
        _view_key, offset, size = view
        return roots[key][offset:offset + size]

    result = RestrictedUnpickler(f, load).load()
    for key in RestrictedUnpickler(f).load():
        count = int.from_bytes(f.read(8), "little", signed=True)
        flat = roots[key]
        if count != flat.numel():
            raise pickle.UnpicklingError(f"storage {key}: {count} elements on file, {flat.numel()} expected")
        flat.copy_(_flat_storage(f.read(count * flat.element_size()), flat.dtype, count))
    return result


def read_pickle(path: str):
    """Any checkpoint file: a torch.save zip (PV3D .ckpt/.pth), a legacy torch.save, or a plain pickle (EG3D .pkl)."""
    if zipfile.is_zipfile(path):
        return _read_zip(path)
    with open(path, "rb") as f:
        first = RestrictedUnpickler(f).load()
        if isinstance(first, int) and first == _TORCH_LEGACY_MAGIC:
            return _read_legacy(f, magic_read=True)
        return first


def module_state(obj, prefix: str = "") -> dict:
    """state_dict() of an unpickled module tree: parameters, persistent buffers, then submodules, recursively."""
    state = obj.state if isinstance(obj, PickledObject) else getattr(obj, "__dict__", None)
    if not isinstance(state, dict) or "_parameters" not in state:
        raise ValueError(f"{prefix or 'the object'} is not a pickled torch module ({obj!r})")
    out = collections.OrderedDict()
    for name, value in (state.get("_parameters") or {}).items():
        if value is not None:
            out[prefix + name] = value
    skip = state.get("_non_persistent_buffers_set") or set()
    for name, value in (state.get("_buffers") or {}).items():
        if value is not None and name not in skip:
            out[prefix + name] = value
    for name, child in (state.get("_modules") or {}).items():
        if child is not None:
            out.update(module_state(child, f"{prefix}{name}."))
    return out


def _get(container, *keys):
    for key in keys:
        if not isinstance(container, dict) or key not in container:
            return None
        container = container[key]
    return container


def _is_tensor_dict(value) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(v, torch.Tensor) for v in value.values())


def extract_generator(checkpoint, prefix: str | None = None):
    """(their generator state, settings found, where it came from) from anything `read_pickle` returns.

    Understands: PV3D trainer checkpoints {"model": {...}, "config": {...}} (generator_ema preferred), EG3D network
    pickles {"G_ema": <module>, ...}, PV3D's init format {"G_ema": <state dict>}, and bare state dicts.
    """
    settings, source = {}, "state dict"
    if isinstance(checkpoint, dict) and "G_ema" in checkpoint:
        g = checkpoint["G_ema"]
        if isinstance(g, PickledObject):
            source = f"network pickle G_ema ({g.pickled_name})"
            kwargs = g.state if isinstance(g.state, dict) else {}
            settings = {"rendering_kwargs": kwargs.get("rendering_kwargs"),
                        "neural_rendering_resolution": kwargs.get("neural_rendering_resolution"),
                        "superresolution": _class_name(_get(kwargs, "_modules", "superresolution"))}
            state = module_state(g)
        elif _is_tensor_dict(g):
            source, state = "state dict under G_ema", dict(g)
        else:
            raise ValueError(f"G_ema is neither a module nor a state dict: {type(g).__name__}")
    elif isinstance(checkpoint, dict) and isinstance(checkpoint.get("model"), dict):
        state = checkpoint["model"]
        generator = _get(checkpoint, "config", "model_config", "pv3d", "generator") or {}
        settings = {"rendering_kwargs": _get(generator, "rendering_kwargs"),
                    "mapping_kwargs": _get(generator, "mapping_kwargs"),
                    "neural_rendering_resolution": _get(checkpoint, "config", "training", "rendering_resolution")}
        source = "PV3D trainer checkpoint"
    elif _is_tensor_dict(checkpoint):
        state = checkpoint
    elif isinstance(checkpoint, PickledObject):
        source, state = f"pickled module ({checkpoint.pickled_name})", module_state(checkpoint)
    else:
        raise ValueError(f"not a checkpoint this converter understands: {type(checkpoint).__name__} "
                         f"with keys {sorted(checkpoint)[:10] if isinstance(checkpoint, dict) else '-'}")
    state = {(k[len("module."):] if k.startswith("module.") else k): v for k, v in state.items()}
    if prefix is None:
        prefix = next((p for p in GENERATOR_PREFIXES if any(k.startswith(p) for k in state)), "")
    if prefix:
        state = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        if not state:
            raise ValueError(f"no tensor under prefix {prefix!r}")
        source += f", prefix {prefix!r}"
    return state, settings, source


def _class_name(obj):
    return obj.pickled_name if isinstance(obj, PickledObject) else None


def options_from_settings(settings: dict, eg3d_static: bool = False) -> ConversionOptions:
    """The folds a checkpoint's own settings ask for. Their mapping reads rendering_kwargs.get('c_scale', 0): when
    rendering settings are present without c_scale the camera is scaled by 0; with no settings at all we assume
    PV3D's released config (c_scale 1.0)."""
    rk = settings.get("rendering_kwargs") or {}
    mk = settings.get("mapping_kwargs") or {}
    return ConversionOptions(c_scale=float(rk.get("c_scale", 0.0)) if rk else 1.0,
                             c_zero=bool(rk.get("c_gen_conditioning_zero", False)),
                             mapping_lr_multiplier=float(mk.get("lr_multiplier", 0.01)),
                             decoder_lr_multiplier=float(rk.get("decoder_lr_mul", 1.0)),
                             eg3d_static=eg3d_static)


def compatibility_notes(settings: dict, cfg: Pv3dConfig) -> list:
    """Rendering settings of the checkpoint that differ from the config (they live in the config, not in weights)."""
    rk = settings.get("rendering_kwargs") or {}
    pairs = [("depth_resolution", cfg.samples_uniform), ("depth_resolution_importance", cfg.samples_importance),
             ("ray_start", cfg.ray_start), ("ray_end", cfg.ray_end), ("box_warp", cfg.box_warp),
             ("avg_camera_radius", cfg.camera_radius), ("avg_camera_pivot", list(cfg.pivot)),
             ("clamp_mode", "softplus")]
    notes = [f"checkpoint renders with {key}={rk[key]!r}, config {cfg.name!r} has {ours!r}"
             for key, ours in pairs if key in rk and _differs(rk[key], ours)]
    neural = settings.get("neural_rendering_resolution")
    if neural is not None and int(neural) != cfg.neural_resolution:
        notes.append(f"checkpoint was trained at neural rendering resolution {neural}, config {cfg.name!r} renders "
                     f"at {cfg.neural_resolution}: use a config with neural_resolution={neural}")
    sr = rk.get("superresolution_module") or settings.get("superresolution")
    if sr is not None and not str(sr).endswith(EXPECTED_SUPERRESOLUTION):
        notes.append(f"checkpoint's super-resolution is {sr}; our SuperResolution mirrors {EXPECTED_SUPERRESOLUTION}")
    return notes


def _differs(theirs, ours) -> bool:
    if isinstance(ours, list):
        return not isinstance(theirs, (list, tuple)) or any(_differs(a, b) for a, b in zip(theirs, ours))
    if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)):
        return abs(float(theirs) - float(ours)) > 1e-6
    return theirs != ours


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def convert_file(path: str, cfg: Pv3dConfig, prefix: str | None = None, eg3d_static: bool = False,
                 c_scale: float | None = None) -> dict:
    """Read a checkpoint file and return what `--out` holds: {"generator": state, "notes": [...], "source": {...}}."""
    state, settings, source = extract_generator(read_pickle(path), prefix)
    options = options_from_settings(settings, eg3d_static)
    if c_scale is not None:
        options = dataclasses.replace(options, c_scale=c_scale)
    notes = compatibility_notes(settings, cfg)
    rk = settings.get("rendering_kwargs") or {}
    if rk and "c_scale" not in rk and c_scale is None:
        notes.append("the checkpoint's rendering settings have no c_scale: their mapping then scales the camera by 0 "
                     "(rendering_kwargs.get('c_scale', 0)), so the camera embedding was zeroed; --c-scale overrides")
    generator = convert_state_dict(state, cfg, options, notes)
    return {"generator": generator, "notes": notes,
            "source": {"file": os.path.basename(path), "sha256": _sha256(path), "read_as": source,
                       "options": dataclasses.asdict(options), "config": cfg.name}}


def print_map(cfg: Pv3dConfig, out=None):
    """The whole map as tab-separated lines: their name, our name(s), shape, transform; then the dropped buffers."""
    out = out or sys.stdout
    for e in name_map(cfg):
        transform = "flip kernel" if e.flip else (f"x {e.scale}" if e.scale else "copy")
        print(f"{e.theirs}\t{','.join(e.ours)}\t{list(e.shape)}\t{transform}", file=out)
    for name in resample_filter_names(cfg):
        print(f"{name}\t-\t[4, 4]\tdropped (checked == [1,3,3,1] filter)", file=out)
    print("dataset_label_std\t-\t[25]\tdropped if present (EG3D pickles)", file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pkl", help="PV3D .ckpt/.pth, EG3D network .pkl, or a state dict file")
    ap.add_argument("--config", default="full", help="preset the weights are for (full, or tiny for tests)")
    ap.add_argument("--out", help="where to write the state dict for pv3d.export --weights")
    ap.add_argument("--print-map", action="store_true",
                    help="print the name map for --config (theirs, ours, shape, transform) and exit")
    ap.add_argument("--prefix", help="key prefix of the generator inside the checkpoint "
                                     "(default: generator_ema. then generator. when present)")
    ap.add_argument("--eg3d-static", action="store_true",
                    help="the input is a plain EG3D generator: zero motion layers, raw RGB = features[:3]")
    ap.add_argument("--c-scale", type=float, help="override the camera scale read from the checkpoint")
    args = ap.parse_args(argv)
    cfg = configs.preset(args.config)
    if args.print_map:
        print_map(cfg)
        return 0
    if not args.pkl or not args.out:
        ap.error("--pkl and --out are required (or --print-map)")
    try:
        result = convert_file(args.pkl, cfg, args.prefix, args.eg3d_static, args.c_scale)
    except (CheckpointMismatch, ValueError, OSError, pickle.UnpicklingError) as e:
        print(f"pv3d.checkpoint: cannot convert {args.pkl}: {e}", file=sys.stderr)
        return 2
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    torch.save(result, args.out)
    for note in result["notes"]:
        print(f"note: {note}", file=sys.stderr)
    print(json.dumps({"out": args.out, "tensors": len(result["generator"]), **result["source"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
