"""Eager PyTorch baseline: the peer the farm must beat.

    python3 -m pv3d.bench [--configs tiny,full] [--record]

Renders 16-frame clips (1 and 4 views) the way a per-clip PyTorch script would: mapping once, synthesis per
frame (batched over frames), render + super-resolution per (frame, view). Reports the fastest batch size and
thread count, and the frame-by-frame batch-1 figure.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import torch

from . import cameras, config as configs, results
from .generator import build


def render_clip(g, frames: int, views: int, batch: int, device=torch.device("cpu")):
    cfg = g.cfg
    z = torch.randn([1, cfg.z_dim], device=device)
    c = torch.from_numpy(cameras.canonical_camera(cfg)).unsqueeze(0).to(device)
    z_motion = torch.randn([1, cfg.motion_dim], device=device)
    view_cams = torch.from_numpy(np.stack([cameras.camera_at(cfg, y, 0.0)
                                           for y in np.linspace(-0.4, 0.4, views)])).to(device)
    t_all = torch.from_numpy(cameras.clip_times(cfg, frames)).to(device)
    with torch.no_grad():
        ws1 = g.map(z, c, torch.ones(1, device=device))
        for start in range(0, frames, batch):
            t = t_all[start:start + batch]
            n = t.shape[0]
            ws = ws1.expand(n, -1, -1)
            planes = g.synthesize(ws, z_motion.expand(n, -1), t)
            for v in range(views):
                cam = view_cams[v:v + 1].expand(n, -1)
                features, raw_rgb, _, _ = g.render(planes, ws, cam)
                g.upsample(features, raw_rgb, ws)
    if device.type == "cuda":
        torch.cuda.synchronize()  # the clip is done when the GPU is, not when the launches are


def timed(fn, repeats: int, warmup=None, cpu=None) -> float:
    """Best wall time of `repeats` runs; appends that run's process CPU time (all threads) to `cpu` if given."""
    (warmup or fn)()
    best = float("inf")
    best_cpu = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        cpu_start = time.process_time()
        fn()
        wall = time.perf_counter() - start
        if wall < best:
            best, best_cpu = wall, time.process_time() - cpu_start
    if cpu is not None:
        cpu.append(best_cpu)
    return best


def bench_config(name: str, frames: int, repeats: int, batches, threads_options, device=torch.device("cpu")):
    cfg = configs.preset(name)
    g = build(cfg).to(device)
    out = {}
    for views in (1, 4):
        grid = {}
        cpu_grid = {}
        for threads in threads_options:
            torch.set_num_threads(threads)
            for batch in batches:
                # The full model warms up on one frame: a full clip takes minutes on a CPU.
                warmup = (lambda: render_clip(g, 1, 1, 1, device)) if name == "full" and device.type == "cpu" \
                    else None
                cpu = []
                grid[(threads, batch)] = timed(lambda: render_clip(g, frames, views, batch, device), repeats, warmup,
                                               cpu)
                cpu_grid[(threads, batch)] = cpu[0]
                print(f"{name} views={views} threads={threads} batch={batch}: {grid[(threads, batch)]:.3f} s",
                      file=sys.stderr)
        (threads, batch), best = min(grid.items(), key=lambda kv: kv[1])
        out[views] = {"best_s": best, "best_threads": threads, "best_batch": batch,
                      "batch1_s": min(v for (t, b), v in grid.items() if b == 1),
                      # CPU seconds (all threads) of the most frugal configuration: robust to other load
                      "min_cpu_s": min(cpu_grid.values())}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", default="tiny,full")
    ap.add_argument("--frames", type=int, default=16)
    ap.add_argument("--record", action="store_true", help="merge the figures into bench/results.json")
    ap.add_argument("--device", default="cpu", help="torch device (cuda: figures are named pytorch_cuda_*)")
    args = ap.parse_args(argv)
    torch.set_flush_denormal(True)
    device = torch.device(args.device)
    cores = os.cpu_count() or 1
    threads_options = sorted({1, cores}) if device.type == "cpu" else (torch.get_num_threads(),)
    machine = f"{platform.processor() or platform.machine()}, {cores} cores" if device.type == "cpu" \
        else torch.cuda.get_device_name(device)
    report = {"machine": f"{machine}, torch {torch.__version__}"}
    metrics = {}
    prefix = "pytorch" if device.type == "cpu" else f"pytorch_{device.type}"
    for name in args.configs.split(","):
        slow = name == "full" and device.type == "cpu"
        r = bench_config(name, args.frames, repeats=1 if slow else 3, batches=(1, 4) if slow else (1, 4, 16),
                         threads_options=(cores,) if slow else threads_options, device=device)
        report[name] = r
        frames = args.frames
        if frames == configs.preset(name).clip_frames:
            metrics[f"{prefix}_{name}_clip_s"] = (round(r[1]["best_s"], 4), "s")
            metrics[f"{prefix}_{name}_clip_4views_s"] = (round(r[4]["best_s"], 4), "s")
        metrics[f"{prefix}_{name}_frame_s"] = (round(r[1]["best_s"] / frames, 5), "s")
        metrics[f"{prefix}_{name}_4views_frame_s"] = (round(r[4]["best_s"] / frames, 5), "s")
        metrics[f"{prefix}_{name}_frame_batch1_s"] = (round(r[1]["batch1_s"] / frames, 5), "s")
        metrics[f"{prefix}_{name}_fps"] = (round(frames / r[1]["best_s"], 3), "frames/s")
        metrics[f"{prefix}_{name}_4views_fps"] = (round(4 * frames / r[4]["best_s"], 3), "view-frames/s")
    print(json.dumps(report, indent=2))
    if args.record:
        results.record(metrics, f"cd model/python && python3 -m pv3d.bench --record --configs {args.configs} "
                                f"--frames {args.frames} --device {args.device}")


if __name__ == "__main__":
    sys.exit(main())
