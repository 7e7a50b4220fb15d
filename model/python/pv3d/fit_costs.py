"""Two measurements behind the demo fit's choices (docs/benchmarks.md, "Demo model fit"):

    python3 -m pv3d.fit_costs --data ../build/heads-128.npz

1. The super-resolution's starting point: training images area-downsampled to the neural resolution n and
   upsampled back (bilinear, bicubic) score this PSNR against the data. A raw image of n² can start no higher.
2. What a ray step (forward + backward, batch 4 of 32² rays) costs with 1 and with 2 torch threads, and with 1
   thread for the same config at other plane resolutions (--plane-resolutions 128: what 64² planes save) and with
   other training settings (--variant 'lookup=rows samples=16,16 ray-side=24', 'guided=8,8 views=2': what the
   fit's options save).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import allocator, config as configs
from .fit import Codes, Fitter, HeadsData, psnr, sample_counts
from .renderer import TriplaneRenderer


def upsampling_ceiling(data: HeadsData, sides, images=64, seed=0) -> dict:
    c, k, v = data.sample(np.random.default_rng(seed), images, data.train_clips, np.arange(data.train_views))
    rgb = data.batch(c, k, v)["rgb"]
    out = {}
    for n in sides:
        small = F.adaptive_avg_pool2d(rgb, n)
        for mode in ("bilinear", "bicubic"):
            up = F.interpolate(small, size=rgb.shape[-1], mode=mode, align_corners=False)
            out[f"{n}_{mode}_psnr_db"] = float(np.mean([psnr(float(m)) for m in (up - rgb).square().mean(dim=[1, 2, 3])]))
    return out


def ray_step_seconds(data: HeadsData, cfg, threads, steps=8, batch=4, seed=0, ray_side=32, samples=None,
                     lookup="grid", guided=None, views=1, profile=None) -> float:
    """Median forward + backward seconds of a ray step, after 2 warm-up steps. `profile` (a dict) receives each
    operator's share of the timed steps' CPU time (torch.autograd.profiler), largest first."""
    torch.set_num_threads(threads)
    fit = Fitter(cfg, seed, ray_side, samples=samples, lookup=lookup, guided=guided)
    fit.set_jitter(True)
    codes = Codes(data.n_identities, data.n_motions, cfg.z_dim, cfg.motion_dim, seed)
    rng, gen = np.random.default_rng(seed), torch.Generator().manual_seed(seed)
    times = []
    for _ in range(steps + 2):
        c, k, v = data.sample(rng, batch // views, data.train_clips, np.arange(data.train_views))
        c, k, v = np.repeat(c, views), np.repeat(k, views), rng.choice(data.train_views, batch)  # for timing, any views
        b = data.batch(c, k, v)
        z = codes.z[torch.as_tensor(data.clip_identity[c])]
        zm = codes.z_motion[torch.as_tensor(data.clip_motion[c])]
        with torch.autograd.profiler.profile(enabled=profile is not None and len(times) >= 2) as prof:
            start = time.perf_counter()
            fit.ray_loss(z, zm, b, gen, views=views)[0].backward()
            times.append(time.perf_counter() - start)
        if profile is not None and len(times) > 2:
            for event in prof.key_averages():
                profile[event.key] = profile.get(event.key, 0.0) + event.self_cpu_time_total
    if profile:
        total = sum(profile.values())
        shares = sorted(((k, v / total) for k, v in profile.items()), key=lambda kv: -kv[1])
        profile.clear()
        profile.update((k, round(v, 3)) for k, v in shares[:8])
    return float(np.median(times[2:]))


def step_variant(text: str):
    """'lookup=rows samples=16,16 ray-side=24' → (text, ray_step_seconds keyword arguments)."""
    settings = {}
    for item in text.split():
        key, _, value = item.partition("=")
        if key == "lookup" and value in TriplaneRenderer.SAMPLERS:
            settings["lookup"] = value
        elif key == "samples":
            settings["samples"] = sample_counts(value)
        elif key == "guided":  # pv3d.fit --guided-samples, its default band
            settings["guided"] = (*sample_counts(value), 0.04)
        elif key in ("ray-side", "threads", "views") and value.isdigit() and int(value) > 0:
            settings[key.replace("-", "_")] = int(value)
        else:
            raise argparse.ArgumentTypeError(
                f"{item!r}: expected lookup={'|'.join(TriplaneRenderer.SAMPLERS)}, samples=U,I, guided=U,S, "
                "ray-side=N, views=N or threads=N")
    return text, settings


def main(argv=None):
    if argv is None:  # time the step on the allocator pv3d.fit runs on
        allocator.reexec_with_tcmalloc("pv3d.fit_costs", sys.argv[1:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--config", default="demo")
    ap.add_argument("--plane-resolutions", default="", help="comma-separated plane resolutions to time too (1 thread)")
    ap.add_argument("--variant", action="append", default=[], type=step_variant,
                    help="a training setting to time too (1 thread unless threads=N), e.g. 'lookup=rows samples=16,16 "
                         "ray-side=24' (pv3d.fit's --lookup, --train-samples, --ray-side, --threads); repeatable")
    ap.add_argument("--profile", action="store_true",
                    help="also the largest operators' shares of the 1-thread step's CPU time (torch.autograd.profiler)")
    args = ap.parse_args(argv)
    torch.set_flush_denormal(True)
    data = HeadsData(args.data)
    cfg = configs.preset(args.config)
    result = {"ceiling": upsampling_ceiling(data, (cfg.output_resolution // 4, cfg.output_resolution // 2)),
              "ray_step_s": {f"{t}_threads": ray_step_seconds(data, cfg, t) for t in (1, 2)},
              "allocator": allocator.loaded()}
    if args.profile:
        shares = {}
        ray_step_seconds(data, cfg, 1, profile=shares)
        result["profile_1_thread_shares"] = shares
    for side in filter(None, args.plane_resolutions.split(",")):
        variant = dataclasses.replace(cfg, plane_resolution=int(side))
        result["ray_step_s"][f"planes_{side}_1_thread"] = ray_step_seconds(data, variant, 1)
    for text, settings in args.variant:
        settings = {"threads": 1, **settings}
        result["ray_step_s"][text] = ray_step_seconds(data, cfg, **settings)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.exit(main())
