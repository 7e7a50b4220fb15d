"""Dataset-like talking heads as PNGs with the true image positions of their face keypoints: the input of the
face-detection benchmark (render-worker's FaceBenchmark, `bench/face-benchmarks`).

Each image is one identity (image i: the dataset's identity i of seed 0; the first 64 are its training ones) from a random dataset view (yaw ±0.55,
pitch ±0.25, `heads.sample_view`) at a random time of a random motion (mouth opening, blink). The keypoints are
the scene's 3D feature points projected by the image's camera (`heads.project`), in pixels (x right, y down,
pixel centres at +0.5), named as BlazeFace names its six: the subject's right eye is the one at world −x, which
an unmirrored image shows on its left. Eyes: the front of the eyeball; nose: its tip; mouth: the centre of the
opening, on the lips' front; ears: the ear centres (the far one may be hidden).

    python3 -m pv3d.face_probe --out ../build/face-probe --count 64 [--resolution 128] [--seed 0]

writes `head-000.png` … and `heads.json` (a list of {file, identity_seed, yaw, pitch, mouth, blink, size,
keypoints: {name: [x, y]}}).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

from . import heads

KEYPOINTS = ("right_eye", "left_eye", "nose_tip", "mouth_center", "right_ear_tragion", "left_ear_tragion")


def feature_points(ident: dict, mouth: float) -> np.ndarray:
    """World positions [6, 3] of the BlazeFace keypoints of one head, in KEYPOINTS order, at a mouth opening."""
    scene = heads.HeadScene(ident)
    eye = scene.eye_c.numpy().astype(np.float64) + (0.0, 0.0, scene.eye_r)  # front of the eyeball
    nose = scene.nose_c.numpy().astype(np.float64) + (0.0, 0.0, float(scene.nose_r[2]))
    _, _, mouth_y = scene.mouth_extent(float(mouth))
    mouth_c = np.array([0.0, float(mouth_y), scene.mouth_z + scene.mouth_d])  # the lips' front
    ear = scene.ear_c.numpy().astype(np.float64)
    flip = np.array([-1.0, 1.0, 1.0])
    return np.stack([eye * flip, eye, nose, mouth_c, ear * flip, ear])


def probe_plan(count: int, seed: int = 0) -> list[dict]:
    """Identity, view and motion state of each image, deterministic by seed."""
    rng = np.random.default_rng([int(seed), 7])
    plan = []
    for i in range(count):
        yaw, pitch = heads.sample_view(rng)
        motion = heads.sample_motion(heads.motion_seed(0, int(rng.integers(32))))
        mouth, blink = heads.motion_state(motion, [float(rng.uniform(0, 1))])
        plan.append({"identity_seed": heads.identity_seed(0, i),
                     "yaw": yaw, "pitch": pitch, "mouth": float(mouth[0]), "blink": float(blink[0])})
    return plan


def write_probe(out: str, count: int, resolution: int = 128, seed: int = 0, log=print) -> str:
    os.makedirs(out, exist_ok=True)
    entries = []
    for i, p in enumerate(probe_plan(count, seed)):
        ident = heads.sample_identity(p["identity_seed"])
        cam = heads.camera(p["yaw"], p["pitch"])
        rgb = heads.render(ident, cam[None], [p["mouth"]], [p["blink"]], resolution)["rgb"][0].numpy()
        name = f"head-{i:03d}.png"
        heads.save_png(os.path.join(out, name), (rgb.transpose(1, 2, 0) + 1) * 0.5)
        uv = heads.project(cam, feature_points(ident, p["mouth"])) * resolution
        entries.append(dict(p, file=name, size=resolution,
                            keypoints={k: [round(float(x), 3), round(float(y), 3)] for k, (x, y) in zip(KEYPOINTS, uv)}))
        if log and (i + 1) % 16 == 0:
            log(f"{i + 1}/{count} heads")
    path = os.path.join(out, "heads.json")
    with open(path, "w") as f:
        json.dump(entries, f, indent=1)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder for the PNGs and heads.json")
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--resolution", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1, help="torch threads")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    print(write_probe(args.out, args.count, args.resolution, args.seed))


if __name__ == "__main__":
    sys.exit(main())
