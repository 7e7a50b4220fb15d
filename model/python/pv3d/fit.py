"""Fit the PV3D generator to the procedural talking heads (pv3d.heads): an auto-decoder, then the demo metrics.

    python3 -m pv3d.heads --out ../build/heads-64-128id.npz   # the dataset of the default preset, demo
    python3 -m pv3d.fit --data ../build/heads-64-128id.npz --config demo --minutes 45 --out ../build/fit-demo
    python3 -m pv3d.fit --data ../build/heads-64-128id.npz --device cuda --batch 64 --image-batch 24 --minutes 10 ...
    python3 -m pv3d.fit --data ... --evaluate ../build/fit-demo/state.pt --out ...   # metrics only

What is learned, jointly with every generator weight:
- one appearance code z per training identity. The mapping network is fitted too and always conditioned on
  the canonical camera (the camera the farm conditions on at inference), so w does not change with the view.
  Codes are kept on the shell of radius √z_dim where N(0, I) samples concentrate (the mapping normalises z
  anyway) and are perturbed by Gaussian noise in training, so that the generator is smooth around them;
- one motion code per identity-free motion program of the dataset (pv3d.heads.sample_motion), shared by all
  the clips that play it, so that a motion code cannot carry appearance; Gaussian prior λ‖z_motion‖².
Training: Adam; first random ray batches rendered at the raw (neural) level against the data's colour,
mask and depth at the ray's sub-pixel position (with a share of full-image steps so that the super-resolution
keeps up), then full images at the output resolution through the super-resolution; hold, then cosine decay;
jittered ray samples (renderer.jitter). The schedule runs on
wall-clock progress when --minutes is given, so a fit takes the time it is given. `--image-patch` makes the image
steps super-resolve random patches of the neural image (exactly the whole image's crop inside a margin, a quarter of
the rays of a 64² image); `--processes 2` trains data-parallel in two processes (one thread each: on some 2-vCPU
machines faster than two threads in one process, on others slower than one process: time a 1.5-minute pilot of each,
docs/benchmarks.md). The training renderers may take fewer samples per ray than the config (`--train-samples 16,16`),
place them by the data's depth instead of a coarse pass (`--guided-samples 8,8`: a third of the decoder calls, the
same learning per sample; `--guided-until 0.75` hands the run's end to the config's renderer, which the metrics
measure, docs/benchmarks.md), share one synthesis among the views of a frame (`--views-per-frame`) and use another
plane lookup of the same values (`--lookup`); metrics, inversion and export always render with the config's own.
Run as a command, the fit re-executes itself on tcmalloc when installed (pv3d.allocator).

Writes OUT/state.pt ({'generator', 'latent_distribution', 'config', 'codes', 'fit'}: what
`python3 -m pv3d.export --weights` loads; also every --checkpoint-minutes while training, marked fit.checkpoint),
OUT/metrics.json (the demo gates), OUT/log.jsonl, OUT/sheet.png.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import allocator, cameras, config as configs, heads
from .generator import SuperResolution, build
from .renderer import TriplaneRenderer, camera_rays, pixel_uv

DEMO = configs.DEMO
PRESETS = configs.PRESETS


preset = configs.preset


def psnr(mse: float) -> float:
    """PSNR in dB of images in [-1, 1] (peak-to-peak 2)."""
    return float(10.0 * math.log10(4.0 / max(mse, 1e-12)))


# ---------------------------------------------------------------------------------------------------------
# Data

class HeadsData:
    """The dataset's arrays, kept as stored (uint8 / float16) and converted per batch."""

    def __init__(self, path: str):
        with np.load(path) as f:
            a = {k: f[k] for k in f.files}
        self.key = str(a["key"])
        self.rgb = torch.from_numpy(a["rgb"])          # [C,T,V,3,H,W] uint8
        self.depth = torch.from_numpy(a["depth"])      # [C,T,V,H,W] float16
        self.mask = torch.from_numpy(a["mask"])        # [C,T,V,H,W] uint8
        self.camera = torch.from_numpy(a["camera"])    # [C,T,V,25]
        self.times = torch.from_numpy(a["times"])      # [C,T]
        self.state = torch.from_numpy(a["state"])      # [C,T,2] (mouth opening, blink)
        self.clip_identity = a["clip_identity"]
        self.clip_motion = a["clip_motion"]
        self.identities = json.loads(str(a["identities"]))
        self.motions = json.loads(str(a["motions"]))
        self.plan = json.loads(str(a["plan"]))
        self.resolution = self.rgb.shape[-1]
        self.device = torch.device("cpu")
        self.train_views = self.plan["views"]
        n_train = self.plan["identities"]
        self.train_clips = np.nonzero(self.clip_identity < n_train)[0]
        self.heldout_clips = np.nonzero(self.clip_identity >= n_train)[0]
        self.n_identities, self.n_motions = n_train, self.plan["motions"]
        # Where each image's mouth is: the loss weighs it up (a small region that carries all the motion).
        cams = a["camera"]
        self.mouth_boxes = torch.from_numpy(np.stack([
            heads.mouth_boxes(self.identities[self.clip_identity[c]], cams[c], self.resolution).reshape(
                cams.shape[1], cams.shape[2], 4) for c in range(cams.shape[0])]))

    def to(self, device):
        """Keep the image arrays on `device` (a GPU holds the whole dataset; batches are then cut there)."""
        self.device = torch.device(device)
        for name in ("rgb", "depth", "mask", "camera", "times", "mouth_boxes"):
            setattr(self, name, getattr(self, name).to(self.device))
        return self

    def batch(self, clip, time_idx, view):
        """Index arrays [B] → rgb [B,3,H,W] in [-1,1], mask [B,1,H,W], depth [B,1,H,W], camera [B,25], t [B],
        mouth box [B,4] (pixels, exclusive ends)."""
        c, k, v = (torch.as_tensor(np.asarray(x), dtype=torch.long, device=self.device)
                   for x in (clip, time_idx, view))
        return {"rgb": self.rgb[c, k, v].float() / 127.5 - 1.0,
                "mask": self.mask[c, k, v].float().unsqueeze(1) / 255.0,
                "depth": self.depth[c, k, v].float().unsqueeze(1),
                "camera": self.camera[c, k, v], "t": self.times[c, k], "mouth_box": self.mouth_boxes[c, k, v]}

    def sample(self, rng, count, clips, views):
        """Random (clip, time, view) triples from the given clips and view indices."""
        c = rng.choice(clips, size=count)
        k = rng.integers(0, self.times.shape[1], size=count)
        v = rng.choice(views, size=count)
        return c, k, v

    def foreground_stats(self, limit=512):
        """Per-image foreground coverage and mean foreground colour ([0,1]) of training images."""
        c, k, v = np.meshgrid(self.train_clips, np.arange(self.times.shape[1]), np.arange(self.train_views),
                              indexing="ij")
        idx = np.stack([c.ravel(), k.ravel(), v.ravel()], 1)[:limit]
        b = self.batch(idx[:, 0], idx[:, 1], idx[:, 2])
        return foreground_stats(b["rgb"], b["mask"])


def foreground_stats(rgb, mask):
    m = (mask > 0.5).float()
    coverage = m.mean(dim=[1, 2, 3])
    colour = ((rgb + 1) * 0.5 * m).sum(dim=[2, 3]) / m.sum(dim=[2, 3]).clamp(min=1)
    return coverage, colour


def area_resize(x, size):
    return x if x.shape[-1] == size else F.adaptive_avg_pool2d(x, size)


# ---------------------------------------------------------------------------------------------------------
# The auto-decoder

class Codes(torch.nn.Module):
    """Per-identity appearance codes and per-motion-program motion codes."""

    def __init__(self, n_identities, n_motions, z_dim, motion_dim, seed, motion_scale=1.0):
        super().__init__()
        gen = torch.Generator().manual_seed(seed + 17)
        self.z = torch.nn.Parameter(torch.randn([n_identities, z_dim], generator=gen))
        self.z_motion = torch.nn.Parameter(motion_scale * torch.randn([n_motions, motion_dim], generator=gen))
        self.project()

    @torch.no_grad()
    def project(self):
        """Keep appearance codes on the N(0, I) shell: |z|² = z_dim."""
        self.z.mul_((self.z.shape[1] / self.z.square().sum(dim=1, keepdim=True).clamp(min=1e-8)).sqrt())

    def distribution(self):
        z, m = self.z.detach(), self.z_motion.detach()
        return {"z": {"mean": z.mean(0).tolist(), "std": z.std(0).tolist()},
                "z_motion": {"mean": m.mean(0).tolist(), "std": m.std(0).tolist()}}


class GuidedRenderer(TriplaneRenderer):
    """A training renderer whose samples follow the data's depth instead of a coarse pass (`--guided-samples U,S`):
    U stratified samples over the ray's range, jittered within their bins, plus S stratified samples in the band
    depth ± `band` around the true surface on rays that hit the head (more uniform ones on rays that miss it), all
    decoded once and composited as the config's renderer composites. The config's renderer spends half its
    decoder calls on a coarse pass that only places the other half; here the data places them."""

    def __init__(self, cfg, decoder, uniform: int, surface: int, band: float):
        super().__init__(cfg, decoder)
        self.uniform, self.surface, self.band = uniform, surface, band

    def stratified(self, shape, count, lo, hi, device):
        """[*shape, count, 1] depths: one per equal bin of [lo, hi] (tensors of `shape` or floats), jittered in it."""
        u = (torch.arange(count, device=device) + torch.rand(*shape, count, device=device)) / count
        if torch.is_tensor(lo):
            lo, hi = lo.unsqueeze(-1), hi.unsqueeze(-1)
        return (lo + u * (hi - lo)).unsqueeze(-1)

    def forward(self, planes, camera, rays=None, surface=None):
        """`surface` = (depth [B,R], hit [B,R] bool) of each ray in the data; None: uniform samples only."""
        cfg = self.cfg
        origins, dirs = camera_rays(camera, cfg.neural_resolution, self.uv) if rays is None else rays
        b, r, device = dirs.shape[0], dirs.shape[1], dirs.device
        depths = self.stratified((b, r), self.uniform, cfg.ray_start, cfg.ray_end, device)
        extra = self.stratified((b, r), self.surface, cfg.ray_start, cfg.ray_end, device)
        if surface is not None:
            true_depth, hit = surface
            near = self.stratified((b, r), self.surface, (true_depth - self.band).clamp(cfg.ray_start, cfg.ray_end),
                                   (true_depth + self.band).clamp(cfg.ray_start, cfg.ray_end), device)
            extra = torch.where(hit.reshape(b, r, 1, 1), near, extra)
        depths = torch.sort(torch.cat([depths, extra], dim=2), dim=2).values
        return self.images(*self.march(planes, origins, dirs, depths), depths)


class Fitter:
    """Holds the generator, the training renderers and the loss terms.

    Training renders through renderers of its own over the generator's decoder: one for ray_side² arbitrary rays per
    sample, one for whole neural images (image steps). `samples` (uniform, importance) per ray and `lookup` (a
    TriplaneRenderer sampler) apply to those two only; metrics, inversion and export render with the config's own."""

    def __init__(self, cfg, seed=0, ray_side=32, weights=None, samples=None, lookup="grid", guided=None):
        self.cfg = cfg
        self.g = build(cfg, seed)
        self.g.train()
        self.ray_side = ray_side
        su, si = samples or (cfg.samples_uniform, cfg.samples_importance)
        train_cfg = dataclasses.replace(cfg, samples_uniform=su, samples_importance=si)
        ray_cfg = dataclasses.replace(train_cfg, neural_resolution=ray_side)
        self.plain = (TriplaneRenderer(ray_cfg, self.g.decoder), TriplaneRenderer(train_cfg, self.g.decoder))
        # guided = (uniform, surface, band): GuidedRenderer's samples instead of the config's coarse + importance
        self.guides = tuple(GuidedRenderer(c, self.g.decoder, *guided) for c in (ray_cfg, train_cfg)) if guided \
            else None
        for renderer in self.renderers():
            renderer.sampler = lookup
        self.guide(bool(guided))
        self.canonical = torch.as_tensor(cameras.canonical_camera(cfg)).float().unsqueeze(0)
        self.weights = weights or {"raw": 0.5, "mask": 0.5, "depth": 0.5}

    def renderers(self):
        return self.plain + (self.guides or ())

    def guide(self, on: bool):
        """Train through the guided renderers (when the fit has them) or through the config-like ones."""
        self.guided = on and self.guides is not None
        self.ray_renderer, self.image_renderer = self.guides if self.guided else self.plain

    def ws(self, z):
        c = self.canonical.expand(z.shape[0], -1)
        return self.g.map(z, c, torch.ones(z.shape[0], device=z.device))

    def set_jitter(self, on: bool):
        self.g.renderer.jitter = on
        for renderer in self.renderers():
            renderer.jitter = on

    def to(self, device):
        self.g.to(device)
        for renderer in self.renderers():
            renderer.to(device)
        self.canonical = self.canonical.to(device)
        return self

    def planes(self, ws, z_motion, t, views=1):
        """Each sample's tri-planes. `views` > 1: runs of that many consecutive samples are views of one frame (the
        same codes and time) and share one synthesis, as a frame's views do in the farm."""
        if views == 1:
            return self.g.synthesize(ws, z_motion, t)
        return self.g.synthesize(ws[::views], z_motion[::views], t[::views]).repeat_interleave(views, dim=0)

    def ray_loss(self, z, z_motion, batch, generator=None, ws=None, views=1):
        """Random sub-pixel rays per sample, rendered raw, against bilinear samples of the data:
        (rgb MSE, rgb MSE inside the mouth box, (mask MSE, depth L1)). `ws` given replaces the mapping of z; `views`
        as in `planes`."""
        ws = self.ws(z) if ws is None else ws
        planes = self.planes(ws, z_motion, batch["t"], views)
        b, r = ws.shape[0], self.ray_side ** 2
        uv = torch.rand([b, r, 2], generator=generator, device=ws.device)
        rays = camera_rays(batch["camera"], self.ray_side, uv)
        grid = (uv * 2 - 1).unsqueeze(1)
        at = lambda x: F.grid_sample(x, grid, mode="bilinear", align_corners=False).reshape(b, -1, r)
        target, mask, gt_depth = at(batch["rgb"]), at(batch["mask"]), at(batch["depth"])
        guide = {"surface": (gt_depth[:, 0], mask[:, 0] > 0.999)} if self.guided else {}
        features, depth, opacity = self.ray_renderer(planes, batch["camera"], rays=rays, **guide)
        raw = self.g.torgb(features, ws[:, 0]).reshape(b, 3, r)
        err = (raw - target).square()
        inside = in_box(uv * batch["rgb"].shape[-1], batch["mouth_box"]).unsqueeze(1)  # [B,1,R]
        return err.mean(), masked_mean(err, inside), \
            self._geometry_terms(opacity.reshape(b, 1, r), depth.reshape(b, 1, r), mask, gt_depth)

    def _geometry_terms(self, opacity, depth, mask, gt_depth):
        solid = (mask > 0.999).float()
        depth_l1 = ((depth - gt_depth).abs() * solid).sum() / solid.sum().clamp(min=1)
        return (opacity - mask).square().mean(), depth_l1

    def image(self, z, z_motion, t, camera, ws=None, renderer=None):
        ws = self.ws(z) if ws is None else ws
        return self.g.image(ws, z_motion, t, camera, renderer)

    def image_loss(self, z, z_motion, batch, ws=None, views=1):
        """Full images at the output resolution through the super-resolution, plus the raw image, rendered by the
        training's image renderer: (rgb MSE, raw MSE, rgb MSE inside the mouth box, (mask MSE, depth L1)). `ws` given
        replaces the mapping of z; `views` as in `planes`."""
        raw_target, mask, gt_depth = neural_targets(batch, self.cfg.neural_resolution)
        renderer = self.image_renderer
        if self.guided:
            b = mask.shape[0]
            surface = (gt_depth.reshape(b, -1), mask.reshape(b, -1) > 0.999)
            renderer = lambda planes, camera: self.image_renderer(planes, camera, surface=surface)  # noqa: E731
        ws = self.ws(z) if ws is None else ws
        planes = self.planes(ws, z_motion, batch["t"], views)
        features, raw, depth, opacity = self.g.render(planes, ws, batch["camera"], renderer)
        rgb = self.g.upsample(features, raw, ws)
        err = (rgb - batch["rgb"]).square()
        inside = mouth_pixels(rgb.shape[-1], batch["mouth_box"])
        raw_mse = (raw - raw_target).square().mean()
        return err.mean(), raw_mse, masked_mean(err, inside), self._geometry_terms(opacity, depth, mask, gt_depth)


class PatchLoss:
    """Image steps on random patches: `side`² pixel-aligned rays of the neural image, super-resolved by a patch-sized
    copy of the super-resolution that runs with the generator's own SR weights (functional_call), against the same
    crop of the data at the output resolution. A whole 64² neural image costs 4096 rays; a 32² patch 1024, so image
    steps cost what ray steps do. The error is taken `margin` output pixels inside the patch, where the convolutions
    see what they see in a whole image (their zero padding only touches the patch's rim)."""

    def __init__(self, fitter, side, margin=6):
        cfg = fitter.cfg
        if side > cfg.neural_resolution or side != fitter.ray_side:
            raise SystemExit(f"--image-patch {side} must equal --ray-side {fitter.ray_side} and be at most the "
                             f"neural resolution {cfg.neural_resolution}")
        self.fitter, self.side, self.margin = fitter, side, margin
        self.scale = cfg.output_resolution // cfg.neural_resolution
        patch_cfg = dataclasses.replace(cfg, neural_resolution=side, output_resolution=side * self.scale)
        self.sr = SuperResolution(patch_cfg)

    def to(self, device):
        self.sr.to(device)
        return self

    def __call__(self, z, z_motion, batch, generator=None):
        """(rgb MSE, raw MSE, rgb MSE inside the mouth box, (mask MSE, depth L1)) over the patches' interiors."""
        f, cfg, p, s, m = self.fitter, self.fitter.cfg, self.side, self.scale, self.margin
        n = cfg.neural_resolution
        ws = f.ws(z)
        planes = f.g.synthesize(ws, z_motion, batch["t"])
        b = ws.shape[0]
        corner = torch.randint(0, n - p + 1, [b, 2], generator=generator, device=ws.device)  # (x0, y0) per sample
        local = pixel_uv(p).to(ws.device) * p  # pixel centres of the patch, in patch pixels
        uv = (local.unsqueeze(0) + corner.unsqueeze(1).to(local.dtype)) / n  # [B, p², 2]
        features, depth, opacity = f.ray_renderer(planes, batch["camera"], rays=camera_rays(batch["camera"], n, uv))
        raw = f.g.torgb(features, ws[:, 0])
        weights = dict(f.g.superresolution.named_parameters())
        rgb = torch.nn.utils.stateless.functional_call(self.sr, weights, (features, raw, ws))
        crop = lambda x, k, at: torch.stack([x[i, :, at[i, 1]:at[i, 1] + k, at[i, 0]:at[i, 0] + k] for i in range(b)])
        target = crop(batch["rgb"], p * s, corner * s)
        inner = (slice(None), slice(None), slice(m, p * s - m), slice(m, p * s - m))
        err = (rgb - target).square()[inner]
        inside = mouth_pixels(p * s, batch["mouth_box"], corner * s)[inner]
        raw_target, mask, gt_depth = (crop(x, p, corner) for x in neural_targets(batch, n))
        raw_mse = (raw - raw_target).square().mean()
        return err.mean(), raw_mse, masked_mean(err, inside), f._geometry_terms(opacity, depth, mask, gt_depth)


def neural_targets(batch, n):
    """The data at the neural resolution n: rgb, foreground coverage, and the foreground's mean depth."""
    mask = area_resize(batch["mask"], n)
    return area_resize(batch["rgb"], n), mask, area_resize(batch["depth"] * batch["mask"], n) / mask.clamp(min=1e-6)


def mouth_pixels(side, boxes, offset=None):
    """[B,1,side,side]: 1 where the pixel centre lies in its image's mouth box (boxes [B,4]), for a side² window whose
    corner sits at `offset` [B,2] (x, y) output pixels (None: the whole image)."""
    centres = torch.arange(side, device=boxes.device, dtype=torch.float32) + 0.5
    ys, xs = torch.meshgrid(centres, centres, indexing="ij")
    xy = torch.stack([xs, ys], -1).reshape(1, -1, 2)
    if offset is not None:
        xy = xy + offset.to(xy.dtype).unsqueeze(1)
    return in_box(xy, boxes).reshape(-1, 1, side, side)


def in_box(xy, boxes):
    """xy [B,R,2] pixel positions, boxes [B,4] (x0, y0, x1, y1; exclusive ends) → [B,R] float 1 inside, else 0."""
    b = boxes.to(xy.dtype).unsqueeze(1)
    x, y = xy[..., 0], xy[..., 1]
    return ((x >= b[..., 0]) & (x < b[..., 2]) & (y >= b[..., 1]) & (y < b[..., 3])).to(xy.dtype)


def masked_mean(err, weight):
    """Mean of err [B,C,...] over the positions where weight [B,1,...] is 1 (0 where there are none)."""
    return (err * weight).sum() / (weight.sum() * err.shape[1]).clamp(min=1.0)


def learning_rate(progress, base, warmup=0.02, decay_start=0.6, floor=0.05):
    """Linear warm-up, hold, then cosine decay to floor·base over the last (1 − decay_start) of the run."""
    if progress < warmup:
        return base * max(progress / warmup, 0.05)
    if progress < decay_start:
        return base
    x = min((progress - decay_start) / (1 - decay_start), 1.0)
    return base * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * x)))


# ---------------------------------------------------------------------------------------------------------
# Training

class Ranks:
    """Data-parallel training over processes (torch.distributed, gloo on the CPU): each process samples its own
    batches, gradients are averaged after every backward pass, and rank 0's clock decides the schedule, so that all
    processes take the same steps. One process: a no-op."""

    def __init__(self, rank=0, world=1):
        self.rank, self.world = rank, world

    def average_gradients(self, params):
        if self.world == 1:
            return
        grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
        flat = torch.cat([g.reshape(-1) for g in grads])
        torch.distributed.all_reduce(flat)
        flat /= self.world
        offset = 0
        for p, g in zip(params, grads):
            p.grad = flat[offset:offset + g.numel()].view_as(p)
            offset += g.numel()

    def progress(self, local: float) -> float:
        """Rank 0's training progress (a wall-clock schedule must not differ between processes)."""
        if self.world == 1:
            return local
        shared = torch.tensor([local], dtype=torch.float64)
        torch.distributed.broadcast(shared, src=0)
        return float(shared)


def train(args, data: HeadsData, log, ranks=Ranks()):
    cfg = preset(args.config)
    if data.resolution != cfg.output_resolution:
        raise SystemExit(f"dataset resolution {data.resolution} != config output_resolution {cfg.output_resolution}")
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = True  # ample for fitting
    guided = (*args.guided_samples, args.guide_band) if args.guided_samples else None
    if guided and args.image_patch:
        raise SystemExit("--guided-samples does not work with --image-patch")
    fit = Fitter(cfg, args.seed, args.ray_side,
                 {"raw": args.raw_weight, "mask": args.mask_weight, "depth": args.depth_weight},
                 args.train_samples, args.lookup, guided).to(device)
    patches = PatchLoss(fit, args.image_patch).to(device) if args.image_patch else None
    views = args.views_per_frame
    if views < 1 or args.batch % views or args.image_batch % views or views > data.train_views \
            or (views > 1 and patches):
        raise SystemExit(f"--views-per-frame {views} must divide --batch and --image-batch, be at most the dataset's "
                         f"{data.train_views} training views, and not come with --image-patch")
    codes = Codes(data.n_identities, data.n_motions, cfg.z_dim, cfg.motion_dim, args.seed, args.motion_init)
    previous = resume(args.resume, fit, codes) if args.resume else None
    codes.to(device)
    data.to(device)
    mapping = list(fit.g.mapping.parameters())
    mapping_ids = {id(p) for p in mapping}
    others = [p for p in fit.g.parameters() if id(p) not in mapping_ids]
    groups = [{"params": others, "scale": 1.0}, {"params": mapping, "scale": args.mapping_lr_scale},
              {"params": [codes.z, codes.z_motion], "scale": args.code_lr / args.lr}]
    opt = torch.optim.Adam(groups, lr=args.lr, betas=(0.9, 0.99))
    params = [p for group in groups for p in group["params"]]
    rng = np.random.default_rng([args.seed, ranks.rank])  # batches: each process its own
    stage_rng = np.random.default_rng(args.seed)  # stages: the same in every process
    gen = torch.Generator(device=device).manual_seed(args.seed + 1 + 1000 * ranks.rank)
    train_views = np.arange(data.train_views)
    fit.set_jitter(True)
    start, step, history = time.time(), 0, []
    n_params = sum(p.numel() for p in fit.g.parameters())
    state_path = state_file(args.out)
    checkpoint_every = 60 * args.checkpoint_minutes if args.checkpoint_minutes > 0 else math.inf
    next_checkpoint = checkpoint_every

    def summary(seconds):
        return {"steps": step, "seconds": seconds, "parameters": n_params, "device": str(device),
                "processes": ranks.world, "samples": step * ranks.world, "lookup": args.lookup,
                "samples_per_ray": [fit.ray_renderer.cfg.samples_uniform, fit.ray_renderer.cfg.samples_importance],
                **({"guided_samples": [*args.guided_samples, args.guide_band], "guided_until": args.guided_until}
                   if fit.guides else {}),
                **({"views_per_frame": views} if views > 1 else {})}

    log({"event": "start", "config": cfg.name, "parameters": n_params, "device": str(device), "processes": ranks.world,
         "images": int(len(data.train_clips) * data.times.shape[1] * data.train_views)})
    while True:
        elapsed = time.time() - start
        progress = ranks.progress(elapsed / (60 * args.minutes) if args.minutes else step / args.steps)
        if progress >= 1.0:
            break
        # Ray batches first (a share of image steps keeps the super-resolution in step), then full images.
        stage = "images" if progress >= args.ray_fraction or stage_rng.random() < args.image_share else "rays"
        fit.guide(progress < args.guided_until)  # the run's end trains through the renderer it is measured with
        for group in opt.param_groups:
            group["lr"] = learning_rate(progress, args.lr) * group["scale"]
        size = args.batch if stage == "rays" else args.image_batch
        c, k, v = data.sample(rng, size // views, data.train_clips, train_views)
        if views > 1:  # distinct views of each sampled frame, consecutive
            v = np.concatenate([rng.choice(train_views, views, replace=False) for _ in c])
            c, k = np.repeat(c, views), np.repeat(k, views)
        batch = data.batch(c, k, v)
        ids = torch.as_tensor(data.clip_identity[c[::views]], device=device)
        motions = torch.as_tensor(data.clip_motion[c[::views]], device=device)
        z = codes.z[ids] + args.code_noise * torch.randn([size // views, cfg.z_dim], generator=gen, device=device)
        zm = codes.z_motion[motions]
        zm = zm + args.motion_noise * torch.randn(zm.shape, generator=gen, device=device)
        z, zm = z.repeat_interleave(views, dim=0), zm.repeat_interleave(views, dim=0)  # a frame's views: one noise
        if stage == "rays":
            rgb_mse, mouth_mse, (mask_mse, depth_l1) = fit.ray_loss(z, zm, batch, gen, views=views)
            raw_mse = rgb_mse
            loss = rgb_mse
        else:
            image_terms = patches(z, zm, batch, gen) if patches else fit.image_loss(z, zm, batch, views=views)
            rgb_mse, raw_mse, mouth_mse, (mask_mse, depth_l1) = image_terms
            loss = rgb_mse + args.raw_weight * raw_mse
        loss = loss + args.mouth_weight * mouth_mse
        prior = args.motion_prior * codes.z_motion[motions].square().mean()
        loss = loss + args.mask_weight * mask_mse + args.depth_weight * depth_l1 + prior
        opt.zero_grad(set_to_none=True)
        loss.backward()
        ranks.average_gradients(params)
        opt.step()
        codes.project()
        step += 1
        history.append((stage, rgb_mse.detach()))  # a float() here would wait for the GPU every step
        seconds = time.time() - start
        if ranks.rank == 0 and seconds >= next_checkpoint:
            # A fit killed later (a lease that ends, a preempted node) keeps its progress: --resume this state.pt.
            save_state(state_path, fit, codes, data, {**summary(seconds), "checkpoint": True})
            log({"event": "checkpoint", "step": step, "seconds": round(seconds, 1)})
            next_checkpoint += checkpoint_every
        if step % args.log_every == 0:
            recent = [float(m) for s, m in history[-args.log_every:] if s == stage]  # the current stage's rgb MSE
            value = lambda t: float(t.detach())  # noqa: E731 (float() of a tensor that needs grad warns)
            log({"step": step, "stage": stage, "seconds": round(seconds, 1),
                 "lr": round(opt.param_groups[0]["lr"], 6), "loss": round(value(loss), 5),
                 "rgb_psnr_db": round(psnr(float(np.mean(recent))), 2), "raw_psnr_db": round(psnr(value(raw_mse)), 2),
                 "mask_mse": round(value(mask_mse), 5), "mouth_psnr_db": round(psnr(value(mouth_mse)), 2),
                 "depth_l1": round(value(depth_l1), 4),
                 "motion_code_rms": round(float(codes.z_motion.detach().square().mean().sqrt()), 3)})
    fit.set_jitter(False)
    fit.g.eval()
    # Metrics, export and the saved state work on the CPU.
    fit.to("cpu"), codes.to("cpu"), data.to("cpu")
    with torch.no_grad():
        # Truncation pulls toward the average w of the fitted identities.
        fit.g.mapping.w_avg.copy_(fit.ws(codes.z.detach())[:, 0].mean(0))
    seconds = time.time() - start
    log({"event": "trained", "steps": step, "seconds": round(seconds, 1)})
    info = summary(seconds)
    if previous is not None:
        info["resumed_from"] = previous  # the earlier fit's own record: fits chain
    return fit, codes, info


def resume(path, fit: Fitter, codes: Codes):
    """Continue a fit: the generator and the codes of an earlier state.pt on the same dataset plan."""
    state = torch.load(path, map_location="cpu", weights_only=False)  # our own file
    if configs.Pv3dConfig.from_json(state["config"]) != fit.cfg:
        raise SystemExit(f"{path}: its config differs from --config {fit.cfg.name}")
    for name in ("z", "z_motion"):
        have, want = tuple(state["codes"][name].shape), tuple(getattr(codes, name).shape)
        if have != want:
            raise SystemExit(f"{path}: {name} codes {have} do not fit this dataset's {want}")
    fit.g.load_state_dict(state["generator"])
    with torch.no_grad():
        codes.z.copy_(state["codes"]["z"])
        codes.z_motion.copy_(state["codes"]["z_motion"])
    return state.get("fit", {})


def state_file(out_dir):
    """Where a fit writes its state (checkpoints and the final one): what --resume, --evaluate and export read."""
    return os.path.join(out_dir, "state.pt")


def save_state(path, fit: Fitter, codes: Codes, data: HeadsData, info: dict):
    state = {"generator": fit.g.state_dict(), "latent_distribution": codes.distribution(),
             "config": fit.cfg.to_json(),
             "codes": {"z": codes.z.detach().clone(), "z_motion": codes.z_motion.detach().clone()},
             "fit": {**info, "dataset_key": data.key}}
    partial = path + ".partial"  # a kill while writing leaves the previous state whole
    torch.save(state, partial)
    os.replace(partial, path)


def load_state(path, ray_side=32):
    state = torch.load(path, map_location="cpu", weights_only=False)  # our own file (PyTorch ≥ 2.6 defaults to True)
    cfg = configs.Pv3dConfig.from_json(state["config"])
    fit = Fitter(cfg, 0, ray_side)
    fit.g.load_state_dict(state["generator"])
    fit.g.eval()
    z_dim, m_dim = state["codes"]["z"].shape[1], state["codes"]["z_motion"].shape[1]
    codes = Codes(state["codes"]["z"].shape[0], state["codes"]["z_motion"].shape[0], z_dim, m_dim, 0)
    with torch.no_grad():
        codes.z.copy_(state["codes"]["z"])
        codes.z_motion.copy_(state["codes"]["z_motion"])
    return fit, codes, state


# ---------------------------------------------------------------------------------------------------------
# Metrics

@torch.no_grad()
def render_batches(fit, z, zm, t, camera, chunk=8, ws=None):
    """Images in chunks; `ws` [N, num_ws, w_dim] given replaces the mapping of z."""
    n = (z if ws is None else ws).shape[0]
    outs = [fit.image(None if z is None else z[i:i + chunk], zm[i:i + chunk], t[i:i + chunk], camera[i:i + chunk],
                      None if ws is None else ws[i:i + chunk])
            for i in range(0, n, chunk)]
    return [torch.cat([o[j] for o in outs]) for j in range(4)]


def view_psnr(fit, codes, data, clips, views, limit, seed):
    """Mean PSNR at the output resolution over up to `limit` (clip, time, view) images of the given views."""
    rng = np.random.default_rng(seed)
    c, k, v = data.sample(rng, limit, clips, views)
    b = data.batch(c, k, v)
    z = codes.z[torch.as_tensor(data.clip_identity[c])]
    zm = codes.z_motion[torch.as_tensor(data.clip_motion[c])]
    rgb = render_batches(fit, z, zm, b["t"], b["camera"])[0]
    mse = (rgb - b["rgb"]).square().mean(dim=[1, 2, 3])
    return float(np.mean([psnr(float(m)) for m in mse]))


def fit_heldout_identity(fit, data, identity, args, log):
    """Invert one held-out identity, generator frozen: its appearance code and new motion codes for its clips.

    The appearance code is w (`--inversion-space w`, the default and what the farm's inversion optimises: one w
    repeated over num_ws, starting from the mapping of the mean z) or z (through the mapping network, kept on the
    N(0, I) shell as in training)."""
    cfg = fit.cfg
    clips = np.nonzero(data.clip_identity == identity)[0]
    for p in fit.g.parameters():
        p.requires_grad_(False)
    codes = Codes(1, len(clips), cfg.z_dim, cfg.motion_dim, args.seed + 100 + identity, 0.0)
    with torch.no_grad():
        codes.z.copy_(torch.tensor(fit.latents["z"]["mean"]).unsqueeze(0))
        codes.project()
        codes.z_motion.copy_(torch.tensor(fit.latents["z_motion"]["mean"]).expand(len(clips), -1))
        w = fit.ws(codes.z.detach())[:, 0].clone()
    in_w = args.inversion_space == "w"
    w = torch.nn.Parameter(w) if in_w else None
    ws_of = (lambda n: w.unsqueeze(1).expand(n, cfg.num_ws, -1)) if in_w else (lambda n: None)
    params = ([w, codes.z_motion] if in_w else list(codes.parameters()))
    opt = torch.optim.Adam(params, lr=args.inversion_lr)
    rng = np.random.default_rng(args.seed + identity)
    gen = torch.Generator().manual_seed(args.seed + identity)
    local = {int(c): i for i, c in enumerate(clips)}
    fit.set_jitter(True)
    for step in range(args.inversion_steps):
        for group in opt.param_groups:
            group["lr"] = learning_rate(step / args.inversion_steps, args.inversion_lr, decay_start=0.5)
        c, k, v = data.sample(rng, args.inversion_batch, clips, np.arange(data.train_views))
        batch = data.batch(c, k, v)
        li = torch.as_tensor([local[int(x)] for x in c])
        z, zm, ws = codes.z[[0] * len(c)], codes.z_motion[li], ws_of(len(c))
        if args.inversion_loss == "image":
            rgb_mse, raw_mse, mouth_mse, (mask_mse, _) = fit.image_loss(z, zm, batch, ws)
            rgb_mse = rgb_mse + args.raw_weight * raw_mse
        else:
            rgb_mse, mouth_mse, (mask_mse, _) = fit.ray_loss(z, zm, batch, gen, ws)
        loss = rgb_mse + args.mouth_weight * mouth_mse + args.mask_weight * mask_mse + args.motion_prior * codes.z_motion.square().mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if not in_w:
            codes.project()
    fit.set_jitter(False)
    for p in fit.g.parameters():
        p.requires_grad_(True)
    # Score with the identity's codes in the clip tables' places.
    result = {}
    for name, views in (("heldout_views", np.arange(data.train_views, data.rgb.shape[2])),
                        ("fitted_views", np.arange(data.train_views))):
        rng = np.random.default_rng(args.seed)
        c, k, v = data.sample(rng, args.eval_images, clips, views)
        b = data.batch(c, k, v)
        li = torch.as_tensor([local[int(x)] for x in c])
        with torch.no_grad():
            ws = ws_of(len(c))
            rgb = render_batches(fit, codes.z[[0] * len(c)].detach(), codes.z_motion[li].detach(), b["t"],
                                 b["camera"], ws=None if ws is None else ws.detach())[0]
        mse = (rgb - b["rgb"]).square().mean(dim=[1, 2, 3])
        result[name] = float(np.mean([psnr(float(m)) for m in mse]))
    log({"event": "heldout_identity", "identity": int(identity), "space": args.inversion_space,
         "loss": args.inversion_loss,
         **{k: round(v, 2) for k, v in result.items()}})
    return result


def mouth_motion(fit, codes, data, clips, frames=16):
    """Correlation over t of mouth-region darkness, model vs data, frontal camera, per training clip."""
    res = data.resolution
    cam = heads.camera(0.0, 0.0)
    t = np.arange(frames) / (frames - 1)
    corrs, model_series, data_series = [], [], []
    for clip in clips:
        ident = data.identities[data.clip_identity[clip]]
        motion = data.motions[data.clip_motion[clip]]
        mouth, blink = heads.motion_state(motion, t)
        truth = heads.render(ident, np.repeat(cam[None], frames, 0), mouth, blink, res)["rgb"].numpy()
        z = codes.z[[int(data.clip_identity[clip])] * frames].detach()
        zm = codes.z_motion[[int(data.clip_motion[clip])] * frames].detach()
        rgb = render_batches(fit, z, zm, torch.as_tensor(t, dtype=torch.float32),
                             torch.as_tensor(cam).unsqueeze(0).expand(frames, -1))[0].numpy()
        box = heads.mouth_box(ident, cam, res)
        a, b = heads.mouth_darkness(truth, box), heads.mouth_darkness(rgb, box)
        model_series.append(b), data_series.append(a)
        if a.std() > 1e-4 and b.std() > 1e-6:
            corrs.append(float(np.corrcoef(a, b)[0, 1]))
        else:
            corrs.append(0.0)
    return float(np.mean(corrs)), corrs, model_series, data_series


def warping_error(rgb_front, depth_front, rgb_side, depth_side, cam_front, cam_side, fg_front, tolerance=0.03):
    """Warp the side view into the frontal view through the frontal depth; mean |Δ| ([0,1] units) over the
    frontal foreground pixels that the side camera sees (its depth agrees within `tolerance`).

    rgb [B,3,O,O] in [-1,1]; depth [B,1,*,*] (resized to O); cam [B,25]; fg_front [B,1,O,O] in [0,1].
    """
    b, o = rgb_front.shape[0], rgb_front.shape[-1]
    up = lambda d: F.interpolate(d, size=(o, o), mode="bilinear", align_corners=False) if d.shape[-1] != o else d
    depth_front, depth_side = up(depth_front), up(depth_side)
    origins, dirs = camera_rays(cam_front, o, pixel_uv(o))
    points = origins + dirs * depth_front.reshape(b, -1, 1)
    c2w, k = cam_side[:, :16].reshape(b, 4, 4), cam_side[:, 16:].reshape(b, 3, 3)
    local = torch.matmul(points - c2w[:, :3, 3].unsqueeze(1), c2w[:, :3, :3])
    proj = torch.matmul(local, k.transpose(1, 2))
    uv = proj[..., :2] / proj[..., 2:3].clamp(min=1e-6)
    grid = (uv * 2 - 1).unsqueeze(1)
    sample = lambda x: F.grid_sample(x, grid, mode="bilinear", align_corners=False).reshape(b, x.shape[1], -1)
    warped, side_depth = sample(rgb_side), sample(depth_side)
    dist = (points - c2w[:, :3, 3].unsqueeze(1)).norm(dim=-1).unsqueeze(1)
    inside = ((uv >= 0) & (uv <= 1)).all(-1).unsqueeze(1)
    valid = inside & ((side_depth - dist).abs() < tolerance) & (fg_front.reshape(b, 1, -1) > 0.5)
    err = ((warped - rgb_front.reshape(b, 3, -1)).abs() * 0.5).mean(1, keepdim=True)
    valid = valid.float()
    return float((err * valid).sum() / valid.sum().clamp(min=1)), float(valid.mean())


def warping(fit, codes, data, identities, yaw=0.5236):
    front, side = heads.camera(0.0, 0.0), heads.camera(yaw, 0.0)
    n = len(identities)
    cams = torch.as_tensor(np.stack([front, side])).repeat_interleave(n, 0)
    z = codes.z[list(identities) * 2].detach()
    zm = torch.zeros([2 * n, fit.cfg.motion_dim])  # t = 0: the motion input is zero
    rgb, _, depth, opacity = render_batches(fit, z, zm, torch.zeros(2 * n), cams)
    fg = F.interpolate(opacity[:n], size=rgb.shape[-2:], mode="bilinear", align_corners=False)
    model = warping_error(rgb[:n], depth[:n], rgb[n:], depth[n:], cams[:n], cams[n:], fg)
    truth = [heads.render(data.identities[i], np.stack([front, side]), [0, 0], [0, 0], data.resolution)
             for i in identities]
    stack = lambda key, j: torch.cat([tr[key][j:j + 1] for tr in truth])
    ref = warping_error(stack("rgb", 0), stack("depth", 0), stack("rgb", 1), stack("depth", 1), cams[:n],
                        cams[n:], stack("mask", 0))
    return model, ref


def sampled_codes(fit, data, count, seed):
    """Render codes drawn from the fitted Gaussians; which share of them has the data's coverage and colours."""
    gen = torch.Generator().manual_seed(seed)
    lat = fit.latents
    draw = lambda d, n: torch.tensor(d["mean"]) + torch.tensor(d["std"]) * torch.randn([n, len(d["mean"])],
                                                                                      generator=gen)
    z, zm = draw(lat["z"], count), draw(lat["z_motion"], count)
    t = torch.rand([count], generator=gen)
    rng = np.random.default_rng(seed)
    cams = torch.as_tensor(np.stack([heads.camera(*heads.sample_view(rng)) for _ in range(count)]))
    rgb, _, _, opacity = render_batches(fit, z, zm, t, cams)
    fg = F.interpolate(opacity, size=rgb.shape[-2:], mode="bilinear", align_corners=False)
    cov, col = foreground_stats(rgb, fg)
    d_cov, d_col = data.foreground_stats()
    ok = (cov >= d_cov.min()) & (cov <= d_cov.max()) & \
         ((col >= d_col.min(0).values) & (col <= d_col.max(0).values)).all(1)
    return {"share": float(ok.float().mean()), "coverage": [round(float(x), 3) for x in cov],
            "data_coverage_range": [float(d_cov.min()), float(d_cov.max())],
            "data_colour_range": [d_col.min(0).values.tolist(), d_col.max(0).values.tolist()]}, rgb


def heldout_identities(fit, data, args, log, metrics):
    """The held-out identity gate: the first `heldout_limit` held-out identities inverted, their mean PSNR on
    held-out and fitted views put into `metrics`; returns each identity's scores."""
    heldout_ids = sorted(set(int(i) for i in data.clip_identity[data.heldout_clips]))[:args.heldout_limit]
    workers = min(args.processes, len(heldout_ids))
    if workers > 1:  # one identity a process, each loading the saved state and the dataset
        with torch.multiprocessing.get_context("spawn").Pool(workers) as pool:
            scores = pool.starmap(_heldout_identity_process, [(args, log, i) for i in heldout_ids])
    else:
        scores = [fit_heldout_identity(fit, data, i, args, log) for i in heldout_ids]
    if scores:
        metrics["demo_heldout_identity_psnr_db"] = float(np.mean([s["heldout_views"] for s in scores]))
        metrics["demo_heldout_identity_fit_psnr_db"] = float(np.mean([s["fitted_views"] for s in scores]))
    return scores


def _heldout_identity_process(args, log, identity):
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    fit, codes, _ = load_state(args.state_path, args.ray_side)
    fit.latents = codes.distribution()
    return fit_heldout_identity(fit, HeadsData(args.data), identity, args, log)


def evaluate(fit, codes, data, args, log, out_dir):
    fit.set_jitter(False)
    fit.g.eval()
    fit.latents = codes.distribution()
    heldout_views = np.arange(data.train_views, data.rgb.shape[2])
    rng = np.random.default_rng(args.seed)
    m = {}
    m["demo_heldout_view_psnr_db"] = view_psnr(fit, codes, data, data.train_clips, heldout_views,
                                               args.eval_images, args.seed)
    m["demo_train_view_psnr_db"] = view_psnr(fit, codes, data, data.train_clips, np.arange(data.train_views),
                                             args.eval_images, args.seed)
    log({"event": "views", **{k: round(v, 2) for k, v in m.items()}})
    scores = heldout_identities(fit, data, args, log, m)
    clips = rng.choice(data.train_clips, size=min(args.motion_clips, len(data.train_clips)), replace=False)
    corr, per_clip, model_series, data_series = mouth_motion(fit, codes, data, clips)
    m["demo_mouth_motion_corr"] = corr
    ids = sorted(set(int(data.clip_identity[c]) for c in clips))[:args.warp_identities]
    (werr, wvalid), (ref_err, ref_valid) = warping(fit, codes, data, ids)
    m["demo_warping_error"], m["data_warping_error"] = werr, ref_err
    sampled, sampled_rgb = sampled_codes(fit, data, args.sampled_codes, args.seed + 5)
    m["demo_sampled_code_coverage"] = sampled["share"]
    details = {"mouth_corr_per_clip": [round(c, 3) for c in per_clip],
               "warping_valid_fraction": {"model": wvalid, "data": ref_valid}, "sampled_codes": sampled,
               "heldout_identities": scores}
    log({"event": "metrics", **{k: round(v, 4) for k, v in m.items()}})
    sheet(fit, codes, data, clips[:4], sampled_rgb, os.path.join(out_dir, "sheet.png"))
    return m, details


@torch.no_grad()
def sheet(fit, codes, data, clips, sampled_rgb, path):
    """Rows in pairs, data over model: 4 views at t = 0, then 4 times of the clip (frontal). Then a row of
    sampled codes."""
    views = [(-0.5, 0.0), (-0.2, -0.1), (0.2, 0.1), (0.5, 0.0)]
    times = np.array([0.2, 0.4, 0.6, 0.8])
    rows = []
    for clip in clips:
        i, mo = int(data.clip_identity[clip]), int(data.clip_motion[clip])
        mouth, blink = heads.motion_state(data.motions[mo], times)
        cam = np.stack([heads.camera(*v) for v in views] + [heads.camera(0.0, 0.0)] * len(times))
        mouth = np.concatenate([np.zeros(len(views)), mouth])
        blink = np.concatenate([np.zeros(len(views)), blink])
        rows.append(heads.render(data.identities[i], cam, mouth, blink, data.resolution)["rgb"].numpy())
        t = torch.as_tensor(np.concatenate([np.zeros(len(views)), times]), dtype=torch.float32)
        n = len(t)
        rows.append(render_batches(fit, codes.z[[i] * n].detach(), codes.z_motion[[mo] * n].detach(), t,
                                   torch.as_tensor(cam))[0].clamp(-1, 1).numpy())
    cols = rows[0].shape[0] if rows else 8
    extra = sampled_rgb[:cols].clamp(-1, 1).numpy()
    if len(extra) < cols:
        extra = np.concatenate([extra, np.ones((cols - len(extra),) + extra.shape[1:], np.float32)])
    rows.append(extra)
    heads.save_png(path, heads.tile(np.stack(rows)))


# ---------------------------------------------------------------------------------------------------------

class JsonLog:
    """Prints each record as a JSON line and appends it to the log file."""

    def __init__(self, path):
        self.path = path

    def __call__(self, record):
        line = json.dumps(record)
        print(line, flush=True)
        with open(self.path, "a") as f:
            f.write(line + "\n")


def _training_process(rank, args, log, rendezvous):
    """One process of a data-parallel fit (--processes): rank 0 logs and writes OUT/state.pt."""
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    torch.distributed.init_process_group("gloo", init_method="file://" + rendezvous, rank=rank,
                                         world_size=args.processes)
    try:
        data = HeadsData(args.data)
        fit, codes, info = train(args, data, log if rank == 0 else (lambda record: None),
                                 Ranks(rank, args.processes))
        if rank == 0:
            save_state(state_file(args.out), fit, codes, data, info)
    finally:
        torch.distributed.destroy_process_group()


def sample_counts(text: str):
    """'16,16' → (16, 16): uniform and importance samples per ray, each at least 2."""
    try:
        counts = tuple(int(x) for x in text.split(","))
    except ValueError:
        counts = ()
    if len(counts) != 2 or min(counts) < 2:
        raise argparse.ArgumentTypeError(f"expected UNIFORM,IMPORTANCE (two integers ≥ 2), got {text!r}")
    return counts


def main(argv=None):
    if argv is None:  # run as a command: a long CPU fit wants an allocator that keeps freed memory
        allocator.reexec_with_tcmalloc("pv3d.fit", sys.argv[1:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="dataset .npz from `python3 -m pv3d.heads --out`")
    ap.add_argument("--out", required=True, help="directory for state.pt, metrics.json, log.jsonl, sheet.png")
    ap.add_argument("--config", default="demo", help=f"preset: {', '.join(sorted(PRESETS))}")
    ap.add_argument("--evaluate", help="skip training: evaluate this state.pt")
    ap.add_argument("--minutes", type=float, default=45.0, help="wall-clock budget of the training (0: --steps)")
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--ray-fraction", type=float, default=0.6, help="share of the run on random ray batches")
    ap.add_argument("--batch", type=int, default=4, help="samples per ray batch (ray_side² rays each)")
    ap.add_argument("--ray-side", type=int, default=32)
    ap.add_argument("--image-batch", type=int, default=2)
    ap.add_argument("--train-samples", type=sample_counts, default=None, metavar="UNIFORM,IMPORTANCE",
                    help="samples per ray in training (default: the config's; metrics render with the config's)")
    ap.add_argument("--guided-samples", type=sample_counts, default=None, metavar="UNIFORM,SURFACE",
                    help="training renders take UNIFORM samples over the ray and SURFACE samples around the data's "
                         "depth in one pass (GuidedRenderer) instead of the config's coarse and importance passes")
    ap.add_argument("--guided-until", type=float, default=1.0,
                    help="with --guided-samples: the share of the run that trains through them; the rest trains "
                         "through the config's renderer (the one metrics, inversion and the farm render with)")
    ap.add_argument("--guide-band", type=float, default=0.04,
                    help="half-width of the surface samples' band around the data's depth (world units)")
    ap.add_argument("--views-per-frame", type=int, default=1,
                    help="batches of frames seen from this many views each, one synthesis a frame (divides the batches)")
    ap.add_argument("--lookup", choices=TriplaneRenderer.SAMPLERS, default="grid",
                    help="the training renderers' plane lookup (the same values; grid_sample measured fastest with 1 "
                         "and 2 threads, docs/benchmarks.md)")
    ap.add_argument("--image-patch", type=int, default=0,
                    help="image steps on random patches of this side of the neural image (= --ray-side), "
                         "super-resolved alone; 0: whole images")
    ap.add_argument("--image-share", type=float, default=0.25, help="share of image steps in the ray stage")
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--code-lr", type=float, default=0.03)
    ap.add_argument("--mapping-lr-scale", type=float, default=10.0,
                    help="the mapping's layers train at lr_multiplier 0.01: scale their Adam lr up by this")
    ap.add_argument("--code-noise", type=float, default=0.2)
    ap.add_argument("--motion-noise", type=float, default=0.05)
    ap.add_argument("--motion-init", type=float, default=1.0)
    ap.add_argument("--motion-prior", type=float, default=1e-3)
    ap.add_argument("--raw-weight", type=float, default=0.5)
    ap.add_argument("--mask-weight", type=float, default=0.5)
    ap.add_argument("--depth-weight", type=float, default=0.5)
    ap.add_argument("--mouth-weight", type=float, default=2.0,
                    help="extra weight of the rgb error inside the mouth box (the region that carries the motion)")
    ap.add_argument("--device", default="cpu", help="torch device of the training (cuda on a GPU machine); "
                    "the metrics always run on the CPU")
    ap.add_argument("--resume", help="continue from this state.pt (same config and dataset plan)")
    ap.add_argument("--checkpoint-minutes", type=float, default=5.0,
                    help="write OUT/state.pt this often while training (what --resume takes after a kill); 0: at the end only")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads; 2 only on an otherwise idle 2-core machine (OpenMP threads stall when shared)")
    ap.add_argument("--processes", type=int, default=1,
                    help="data-parallel training processes of --threads threads each (2 on an idle 2-core machine: "
                         "one thread a process is faster than two threads in one, measured in docs/benchmarks.md)")
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--eval-images", type=int, default=48)
    ap.add_argument("--heldout-limit", type=int, default=2, help="held-out identities to invert")
    ap.add_argument("--inversion-steps", type=int, default=300)
    ap.add_argument("--inversion-batch", type=int, default=2,
                    help="samples per held-out inversion step (images, or ray batches with --inversion-loss rays)")
    ap.add_argument("--inversion-space", choices=("w", "z"), default="w",
                    help="held-out identity: invert its appearance code as w (the farm's way) or as z")
    ap.add_argument("--inversion-loss", choices=("image", "rays"), default="image",
                    help="held-out identity: fit whole images at the output resolution (the farm's inversion loss) "
                         "or random rays of the raw render")
    ap.add_argument("--inversion-lr", type=float, default=None,
                    help="held-out identity's Adam lr (default 0.05 in w, 0.02 in z: measured, docs/benchmarks.md)")
    ap.add_argument("--motion-clips", type=int, default=12)
    ap.add_argument("--warp-identities", type=int, default=6)
    ap.add_argument("--sampled-codes", type=int, default=16)
    ap.add_argument("--no-eval", dest="eval", action="store_false", help="train and save only")
    ap.add_argument("--heldout-identity-only", action="store_true",
                    help="with --evaluate: only the held-out identity gate (log.jsonl; no metrics.json)")
    args = ap.parse_args(argv)
    if args.inversion_lr is None:
        args.inversion_lr = 0.05 if args.inversion_space == "w" else 0.02
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)  # denormals from the transmittance slow training by ~45 % otherwise
    os.makedirs(args.out, exist_ok=True)
    log_path = os.path.join(args.out, "log.jsonl")

    log = JsonLog(log_path)
    data = HeadsData(args.data)
    args.state_path = args.evaluate or state_file(args.out)  # what evaluation processes load
    if args.evaluate:
        fit, codes, state = load_state(args.evaluate, args.ray_side)
        info = state.get("fit", {})
    else:
        if args.processes > 1:
            rendezvous = os.path.abspath(os.path.join(args.out, ".rendezvous"))
            if os.path.exists(rendezvous):
                os.remove(rendezvous)  # a stale file from a killed run would block the new group
            torch.multiprocessing.spawn(_training_process, args=(args, log, rendezvous), nprocs=args.processes)
            fit, codes, state = load_state(state_file(args.out), args.ray_side)
            info = state["fit"]
        else:
            fit, codes, info = train(args, data, log)
            save_state(state_file(args.out), fit, codes, data, info)
            fit, codes, _ = load_state(state_file(args.out), args.ray_side)  # the config's renderers
    if not args.eval:
        return
    if args.heldout_identity_only:
        fit.set_jitter(False)
        fit.g.eval()
        fit.latents = codes.distribution()
        metrics = {}
        scores = heldout_identities(fit, data, args, log, metrics)
        log({"event": "metrics", "space": args.inversion_space, "lr": args.inversion_lr,
             "steps": args.inversion_steps, **{k: round(v, 4) for k, v in metrics.items()}, "identities": scores})
        return
    metrics, details = evaluate(fit, codes, data, args, log, args.out)
    record = {**metrics, "config": fit.cfg.name, "fit_seconds": info.get("seconds"), "fit_steps": info.get("steps"),
              "parameters": info.get("parameters"), "details": details,
              "dataset": data.plan, "note": "synthetic cartoon heads (pv3d.heads), not a model of real faces"}
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
