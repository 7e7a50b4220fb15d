"""Procedural talking heads: a deterministic 3D cartoon-head scene, its renderer and the demo dataset.

The scene is ours: signed distances of ellipsoids, spheres and capsules (head, jaw, neck, nose, ears, hair cap,
eyes with eyelids, eyebrows, mouth), sphere-traced in torch on the CPU with Lambert + ambient shading under a
light fixed in the world, so colours do not depend on the view (multi-view warping of the data is exact up to
occlusion). Cameras, rays and depth follow the model's conventions (pv3d.cameras, pv3d.renderer.camera_rays):
RGB NCHW in [-1, 1], depth = distance along the unit ray (background: ray_end), mask = foreground coverage.

    identity = sample_identity(seed)           # colours and proportions, a plain dict
    motion = sample_motion(seed)               # identity-free: talking rhythm and blink timing
    mouth, blink = motion_state(motion, t)     # smooth in t ∈ [0, 1]; closed mouth, open eyes at t = 0 and 1
    out = render(identity, cameras, mouth, blink, resolution=128)

Everything sits inside the model's box |x|,|y|,|z| ≤ 0.5 and, from cameras at radius 2.7, between ray_start
2.25 and ray_end 3.3. Motion is neutral at t = 0 because PV3D's motion input is z_motion·t (all clips of an
identity look alike at t = 0), and again at t = 1 so that cycled clips loop without a jump.

    python3 -m pv3d.heads --out ../build/heads-64-128id.npz   # the default demo's dataset: 128 identities at 64²
    python3 -m pv3d.heads --out ../build/heads-128.npz --resolution 128 --identities 64   # the demo128 preset's
    python3 -m pv3d.heads --sheet /tmp/sheet.png                                # a contact sheet
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch

from . import cameras as cams
from .renderer import camera_rays, pixel_uv

RADIUS, PIVOT, FOCAL = 2.7, (0.0, 0.0, 0.2), 4.2647
RAY_START, RAY_END = 2.25, 3.3
BOX = 0.5
YAW_RANGE, PITCH_RANGE = 0.55, 0.25  # about π/2: ±0.55 rad covers the +30° side view of the warping metric
BACKGROUND = (0.78, 0.82, 0.88)
LIGHT = (-0.45, 0.55, 0.70)
AMBIENT, DIFFUSE = 0.42, 0.70

MATERIALS = ("skin", "hair", "eye", "lid", "brow", "mouth")

SKIN_TONES = ((0.98, 0.85, 0.74), (0.95, 0.77, 0.63), (0.88, 0.67, 0.51), (0.77, 0.55, 0.39),
              (0.62, 0.42, 0.28), (0.46, 0.31, 0.21))
HAIR_COLOURS = {  # name: (rgb, weight)
    "black": ((0.08, 0.07, 0.07), 3), "dark_brown": ((0.24, 0.15, 0.09), 3), "brown": ((0.45, 0.28, 0.15), 3),
    "auburn": ((0.62, 0.26, 0.12), 2), "blonde": ((0.90, 0.76, 0.44), 2), "grey": ((0.70, 0.70, 0.72), 1),
    "blue": ((0.20, 0.36, 0.85), 1), "pink": ((0.95, 0.45, 0.70), 1), "green": ((0.24, 0.68, 0.38), 1),
    "purple": ((0.50, 0.30, 0.76), 1),
}
IRIS_COLOURS = ((0.40, 0.24, 0.12), (0.22, 0.48, 0.85), (0.28, 0.60, 0.34), (0.48, 0.54, 0.60), (0.55, 0.44, 0.18))
HAIR_STYLES = {"short": 4, "bob": 3, "puffy": 2, "bun": 2, "bald": 1}
EYE_WHITE, PUPIL = (0.97, 0.97, 0.97), (0.03, 0.03, 0.04)
# Dark enough inside that an opening mouth darkens its region for every skin tone (teeth: a thin strip).
CAVITY, TEETH, TONGUE = (0.12, 0.02, 0.03), (0.96, 0.95, 0.90), (0.45, 0.09, 0.12)


# ---------------------------------------------------------------------------------------------------------
# Identities and motion

def _pick(rng, weighted: dict):
    names = list(weighted)
    w = np.array([weighted[n][1] if isinstance(weighted[n], tuple) else weighted[n] for n in names], float)
    return names[rng.choice(len(names), p=w / w.sum())]


def _jitter(rng, rgb, amount):
    return tuple(float(np.clip(c + rng.uniform(-amount, amount), 0.0, 1.0)) for c in rgb)


def sample_identity(seed: int) -> dict:
    """Colours and proportions of one head, deterministic by seed. All lengths in world units."""
    rng = np.random.default_rng([int(seed), 1])
    u = rng.uniform(0, len(SKIN_TONES) - 1)
    lo = int(min(math.floor(u), len(SKIN_TONES) - 2))
    skin = tuple(float((1 - (u - lo)) * a + (u - lo) * b) for a, b in zip(SKIN_TONES[lo], SKIN_TONES[lo + 1]))
    hair_name = _pick(rng, HAIR_COLOURS)
    style = _pick(rng, HAIR_STYLES)
    head_r = (rng.uniform(0.17, 0.20), rng.uniform(0.22, 0.25), rng.uniform(0.20, 0.22))
    head_c = (0.0, rng.uniform(-0.015, 0.02), 0.06)
    ident = {
        "seed": int(seed),
        "skin": skin,
        "hair": _jitter(rng, HAIR_COLOURS[hair_name][0], 0.05), "hair_name": hair_name, "hair_style": style,
        "iris": _jitter(rng, IRIS_COLOURS[rng.integers(len(IRIS_COLOURS))], 0.05),
        "lips": _jitter(rng, (0.80, 0.34, 0.38), 0.05),  # times the skin: lips darker than skin
        "head_r": head_r, "head_c": head_c,
        "jaw_w": rng.uniform(0.72, 0.98),    # width of the lower face relative to the head
        "jaw_drop": rng.uniform(0.0, 0.03),
        "neck_r": rng.uniform(0.085, 0.115),
        "eye_r": rng.uniform(0.040, 0.050), "eye_dx": rng.uniform(0.062, 0.078),
        "eye_dy": rng.uniform(0.02, 0.045), "iris_angle": rng.uniform(0.50, 0.64),
        "pupil_frac": rng.uniform(0.40, 0.55),
        "brow_w": rng.uniform(0.009, 0.015), "brow_len": rng.uniform(0.030, 0.045),
        "brow_raise": rng.uniform(0.018, 0.034), "brow_tilt": rng.uniform(-0.25, 0.35),
        "nose_r": (rng.uniform(0.022, 0.035), rng.uniform(0.030, 0.045), rng.uniform(0.030, 0.045)),
        "nose_dy": rng.uniform(-0.055, -0.03),
        "mouth_w": rng.uniform(0.070, 0.095), "lip": rng.uniform(0.016, 0.022),
        "mouth_dy": rng.uniform(-0.145, -0.125), "mouth_open": rng.uniform(0.036, 0.048),
        "ear_r": (0.022, rng.uniform(0.042, 0.055), 0.032),
        # hair cap: the head ellipsoid inflated by `hair_th`, above a plane through the fringe that tilts
        # down towards the back by `hair_slope` (a larger slope: longer hair at the back)
        "hair_th": {"short": 0.018, "bob": 0.03, "puffy": 0.06, "bun": 0.02, "bald": 0.0}[style]
                   + rng.uniform(0.0, 0.012),
        "hair_fringe": rng.uniform(0.125, 0.19), "hair_slope": rng.uniform(0.35, 1.3 if style != "short" else 0.8),
        "bun_r": rng.uniform(0.055, 0.075) if style == "bun" else 0.0,
    }
    return ident


def sample_motion(seed: int) -> dict:
    """An identity-free motion code: talking rhythm (open-close cycles, amplitude, timing warp) and a blink."""
    rng = np.random.default_rng([int(seed), 2])
    return {
        "seed": int(seed),
        "cycles": int(rng.choice([1, 2, 3], p=[0.35, 0.45, 0.20])),
        "amplitude": rng.uniform(0.55, 1.0),
        "warp": rng.uniform(-0.6, 0.6),          # t' = t + warp·sin(2πt)/(2π): monotone for |warp| < 1
        "accent": rng.uniform(0.0, 0.5),         # the syllables differ in height
        "blinks": int(rng.choice([0, 1, 2], p=[0.2, 0.6, 0.2])),
        "blink_at": sorted(rng.uniform(0.15, 0.85, size=2).tolist()),
        "blink_width": rng.uniform(0.06, 0.09),  # half-width of a blink in t
    }


def motion_state(motion: dict, t) -> tuple[np.ndarray, np.ndarray]:
    """(mouth opening, blink), both in [0, 1], smooth in t ∈ [0, 1]; 0 and 0 at t = 0 and t = 1."""
    t = np.asarray(t, dtype=np.float64)
    tw = t + motion["warp"] * np.sin(2 * np.pi * t) / (2 * np.pi)
    syllables = np.sin(np.pi * motion["cycles"] * tw) ** 2
    accent = 1.0 - motion["accent"] * np.sin(np.pi * tw) ** 2 * (motion["cycles"] > 1)
    mouth = motion["amplitude"] * syllables * accent
    blink = np.zeros_like(t)
    for at in motion["blink_at"][:motion["blinks"]]:
        x = np.clip(1.0 - ((t - at) / motion["blink_width"]) ** 2, 0.0, 1.0)
        blink = np.maximum(blink, x * x * (3 - 2 * x))
    return mouth.astype(np.float32), blink.astype(np.float32)


# ---------------------------------------------------------------------------------------------------------
# Signed distances (torch, points [N, 3])

def _ellipsoid(p, c, r):
    """Quilez's ellipsoid distance estimate: exact on the surface, close to a bound near it. c, r: tensors [3]."""
    q = (p - c) / r
    k0 = q.norm(dim=-1)
    k1 = (q / r).norm(dim=-1).clamp(min=1e-6)
    return k0 * (k0 - 1.0) / k1


def _sphere(p, c, r: float):
    return (p - c).norm(dim=-1) - r


def _capsule(p, a, ba, r: float):
    """Capsule from a to a + ba (tensors [3]) with radius r."""
    pa = p - a
    h = (pa @ ba / float(ba @ ba)).clamp(0.0, 1.0)
    return (pa - h.unsqueeze(-1) * ba).norm(dim=-1) - r


def _smin(a, b, k: float):
    """Polynomial smooth minimum: within k/4 below min(a, b), equal to it where |a − b| ≥ k."""
    h = (0.5 + 0.5 / k * (b - a)).clamp(0.0, 1.0)
    return b + (a - b) * h - k * h * (1.0 - h)


def _box(p, lo, hi):
    """Distance to an axis-aligned box (0 inside): the features inside it are at least this far."""
    q = torch.maximum(lo - p, p - hi).clamp(min=0.0)
    return q.norm(dim=-1)


def _mirror_x(p):
    return torch.cat([p[:, :1].abs(), p[:, 1:]], dim=-1)


def _ray_ellipsoid(o, d, c, r):
    """Entry and exit distances of rays through an ellipsoid (inf, −inf where missed)."""
    oc, dd = (o - c) / r, d / r
    a = (dd * dd).sum(-1)
    b = (oc * dd).sum(-1)
    disc = b * b - a * ((oc * oc).sum(-1) - 1.0)
    root = disc.clamp(min=0.0).sqrt()
    miss = disc <= 0
    t0 = torch.where(miss, torch.full_like(b, math.inf), (-b - root) / a)
    t1 = torch.where(miss, torch.full_like(b, -math.inf), (-b + root) / a)
    return t0, t1


class HeadScene:
    """One identity's geometry and materials; the time-varying parts (mouth, eyelids) come per point.

    `sdf` is what the tracer marches: the exact distance near the features, and the distance to a box around
    them where that is smaller than everything else (the features lie inside the boxes, so it is a bound).
    `parts` gives every material's distance (used at the hit points only).
    """

    def __init__(self, ident: dict):
        self.id = ident
        f = lambda *v: torch.tensor(v, dtype=torch.float32)
        cx, cy, cz = ident["head_c"]
        rx, ry, rz = ident["head_r"]
        self.c, self.r = f(cx, cy, cz), f(rx, ry, rz)
        self.jaw_c = f(cx, cy - 0.09 - ident["jaw_drop"], cz + 0.015)
        self.jaw_r = f(rx * ident["jaw_w"], 0.15, rz * 0.92)
        self.neck_r = ident["neck_r"]
        self.neck_a, self.neck_ba = f(0.0, -0.6, cz - 0.03), f(0.0, cy - 0.05 + 0.6, 0.0)
        # The features sit on the front surface of head ∪ jaw, found by marching along −z.
        eye_y = cy + ident["eye_dy"]
        self.eye_r = ident["eye_r"]
        self.eye_c = f(ident["eye_dx"], eye_y, self.front_z(ident["eye_dx"], eye_y) - 0.45 * self.eye_r)
        self.lid_r = self.eye_r * 1.1
        brow_y = eye_y + self.eye_r + ident["brow_raise"]
        bx, bl, bt = ident["eye_dx"], ident["brow_len"], ident["brow_tilt"]
        a = (bx - bl * math.cos(bt), brow_y - bl * math.sin(bt))
        b = (bx + bl * math.cos(bt), brow_y + bl * math.sin(bt))
        self.brow_a = f(a[0], a[1], self.front_z(*a) + 0.003)
        self.brow_ba = f(b[0], b[1], self.front_z(*b) + 0.003) - self.brow_a
        nose_y = cy + ident["nose_dy"]
        self.nose_r = f(*ident["nose_r"])
        self.nose_c = f(0.0, nose_y, self.front_z(0.0, nose_y) - 0.4 * ident["nose_r"][2])
        self.mouth_y = cy + ident["mouth_dy"]
        self.mouth_z = self.front_z(0.0, self.mouth_y) - 0.012
        self.mouth_d = 0.03
        self.ear_c, self.ear_r = f(rx - 0.008, cy - 0.005, cz - 0.02), f(*ident["ear_r"])
        th = ident["hair_th"]
        self.hair = ident["hair_style"] != "bald"
        self.hair_c, self.hair_r = f(cx, cy + 0.4 * th, cz - 0.3 * th), f(rx + th, ry + th, rz + th)
        self.hair_y0 = cy + ident["hair_fringe"] - ident["hair_slope"] * (cz + rz)
        self.hair_slope = ident["hair_slope"]
        self.bun_r = ident["bun_r"]
        self.bun_c = f(0.0, cy + ry + th - 0.01, cz - 0.09)
        # Boxes around the face features (eyes, lids, brows, nose, the fully open mouth) and the right ear.
        w, h, my = self.mouth_extent(1.0)
        half_x = max(float(self.eye_c[0]) + self.lid_r, bx + bl + ident["brow_w"], w) + 0.01
        top = brow_y + bl * abs(math.sin(bt)) + ident["brow_w"] + 0.01
        bottom = my - h - 0.01
        back = min(float(self.eye_c[2]) - self.lid_r, self.mouth_z - self.mouth_d,
                   float(self.nose_c[2] - self.nose_r[2])) - 0.01
        front = max(float(self.eye_c[2]) + self.lid_r, self.mouth_z + self.mouth_d,
                    float(self.nose_c[2] + self.nose_r[2]), float(self.brow_a[2]) + 0.03) + 0.01
        self.face_lo, self.face_hi = f(-half_x, bottom, back), f(half_x, top, front)
        self.ear_lo, self.ear_hi = self.ear_c - self.ear_r - 0.01, self.ear_c + self.ear_r + 0.01
        # Bounding ellipsoids for where rays start marching: head with everything on it, and the neck.
        bound = max(th, 0.0) + 0.07
        self.bounds = [(self.c + f(0.0, 0.01, 0.0), self.r + bound)]
        neck_half = (cy - 0.05 + 0.6) / 2
        self.bounds.append((f(0.0, -0.6 + neck_half, cz - 0.03),
                            f(self.neck_r * 1.5, neck_half * 1.5, self.neck_r * 1.5)))
        if self.bun_r > 0:
            self.bounds.append((self.bun_c, f(self.bun_r, self.bun_r, self.bun_r) + 0.03))

    def _head(self, p):
        return _smin(_ellipsoid(p, self.c, self.r), _ellipsoid(p, self.jaw_c, self.jaw_r), 0.04)

    def front_z(self, x: float, y: float) -> float:
        """z where a ray along −z at (x, y) meets head ∪ jaw (the surface the features sit on)."""
        zs = torch.linspace(0.5, -0.1, 1201)
        p = torch.stack([torch.full_like(zs, x), torch.full_like(zs, y), zs], dim=-1)
        inside = torch.nonzero(self._head(p) < 0)
        return float(zs[inside[0, 0]]) if inside.numel() else float(self.c[2])

    def mouth_extent(self, mouth):
        """Half-width, half-height and centre y of the mouth for openings `mouth` (float or tensor)."""
        ident = self.id
        h = ident["lip"] + ident["mouth_open"] * mouth
        return ident["mouth_w"], h, self.mouth_y - 0.6 * ident["mouth_open"] * mouth  # the jaw drops

    def _base(self, p):
        skin = self._head(p)
        neck = torch.maximum(_capsule(p, self.neck_a, self.neck_ba, self.neck_r), -BOX - p[:, 1])
        skin = _smin(skin, neck, 0.05)
        if not self.hair:
            return skin, None
        plane = (self.hair_y0 + self.hair_slope * p[:, 2] - p[:, 1]) / math.sqrt(1.0 + self.hair_slope ** 2)
        hair = torch.maximum(_ellipsoid(p, self.hair_c, self.hair_r), plane)
        if self.bun_r > 0:
            hair = _smin(hair, _sphere(p, self.bun_c, self.bun_r), 0.02)
        return skin, hair

    def _face(self, p, mouth, blink):
        pm = _mirror_x(p)
        out = {"nose": _ellipsoid(p, self.nose_c, self.nose_r),
               "eye": _sphere(pm, self.eye_c, self.eye_r)}
        # Upper eyelid: a shell around the eye above a plane that drops as the eye closes.
        lid_y = self.eye_c[1] + self.lid_r * (0.62 - 1.75 * blink)
        out["lid"] = torch.maximum(_sphere(pm, self.eye_c, self.lid_r), lid_y - p[:, 1])
        out["brow"] = _capsule(pm, self.brow_a, self.brow_ba, self.id["brow_w"])
        w, h, my = self.mouth_extent(mouth)
        q = torch.stack([p[:, 0] / w, (p[:, 1] - my) / h, (p[:, 2] - self.mouth_z) / self.mouth_d], dim=-1)
        k0 = q.norm(dim=-1)
        k1 = torch.stack([q[:, 0] / w, q[:, 1] / h, q[:, 2] / self.mouth_d], dim=-1).norm(dim=-1).clamp(min=1e-6)
        out["mouth"] = k0 * (k0 - 1.0) / k1
        return out

    def _ear(self, p):
        return _ellipsoid(_mirror_x(p), self.ear_c, self.ear_r)

    def parts(self, p, mouth, blink):
        """Distances of each material at points p [N,3]; mouth and blink are per point [N]."""
        skin, hair = self._base(p)
        face = self._face(p, mouth, blink)
        skin = _smin(_smin(skin, face.pop("nose"), 0.02), self._ear(p), 0.015)
        out = {"skin": skin}
        if hair is not None:
            out["hair"] = hair
        out.update(face)
        return out

    def sdf(self, p, mouth, blink):
        skin, hair = self._base(p)
        d = skin if hair is None else torch.minimum(skin, hair)
        ear_box = _box(_mirror_x(p), self.ear_lo, self.ear_hi)
        near = torch.nonzero(ear_box < d).squeeze(-1)
        if near.numel():
            s = _smin(skin[near], self._ear(p[near]), 0.015)
            skin = skin.index_put((near,), s)
            d = d.index_put((near,), torch.minimum(d[near], s))
        face_box = _box(p, self.face_lo, self.face_hi)
        near = torch.nonzero(face_box < d).squeeze(-1)
        if near.numel():
            face = self._face(p[near], mouth[near], blink[near])
            s = _smin(skin[near], face.pop("nose"), 0.02)
            dn = torch.stack([d[near], s] + list(face.values()), dim=0).amin(dim=0)
            d = d.index_put((near,), dn)
        return d

    def albedo(self, p, material, mouth):
        """Base colour per point from its material [N] (indices into MATERIALS) and the procedural textures."""
        ident = self.id
        n = p.shape[0]
        skin = p.new_tensor(ident["skin"])
        col = skin.expand(n, 3).clone()
        # A little shade on the neck, under the jaw.
        neck_shade = 1.0 - 0.12 * ((float(self.jaw_c[1]) - 0.08 - p[:, 1]) / 0.06).clamp(0.0, 1.0)
        col = col * neck_shade.unsqueeze(-1)
        hair = p.new_tensor(ident["hair"])
        col[material == 1] = hair
        col[material == 4] = hair * 0.55
        col[material == 3] = skin * 0.9
        eye = material == 2
        if eye.any():
            pe = _mirror_x(p[eye]) - self.eye_c
            cos_gaze = pe[:, 2] / pe.norm(dim=-1).clamp(min=1e-6)
            c = p.new_tensor(EYE_WHITE).expand(pe.shape[0], 3).clone()
            c[cos_gaze > math.cos(ident["iris_angle"])] = p.new_tensor(ident["iris"])
            c[cos_gaze > math.cos(ident["iris_angle"] * ident["pupil_frac"])] = p.new_tensor(PUPIL)
            col[eye] = c
        mo = material == 5
        if mo.any():
            pm, m = p[mo], mouth[mo]
            w, h, my = self.mouth_extent(m)
            lip = ident["lip"]
            wi, hi = w - 0.6 * lip, (h - lip).clamp(min=0.0035)
            x, y = pm[:, 0], pm[:, 1] - my
            inner = (x / wi) ** 2 + (y / hi) ** 2 < 1.0
            c = (p.new_tensor(ident["lips"]) * skin).expand(pm.shape[0], 3).clone()
            c[inner] = p.new_tensor(CAVITY)
            c[inner & (y > hi - 0.006) & (hi > 0.02)] = p.new_tensor(TEETH)
            c[inner & (y < -0.5 * hi) & (hi > 0.02)] = p.new_tensor(TONGUE)
            col[mo] = c
        return col


# ---------------------------------------------------------------------------------------------------------
# Rendering

def _normals(scene, p, mouth, blink, eps=1e-3):
    """Tetrahedral finite differences of the scene's distance (one batched evaluation of 4N points)."""
    k = p.new_tensor([[1, -1, -1], [-1, -1, 1], [-1, 1, -1], [1, 1, 1]])
    n = p.shape[0]
    q = (p.unsqueeze(0) + eps * k.unsqueeze(1)).reshape(-1, 3)
    d = scene.sdf(q, mouth.repeat(4), blink.repeat(4)).reshape(4, n, 1)
    g = (k.unsqueeze(1) * d).sum(0)
    return g / g.norm(dim=-1, keepdim=True).clamp(min=1e-8)


def _trace(scene, origins, dirs, mouth, blink, start=None, max_steps=64, eps=4e-4):
    """Sphere tracing between the bounding ellipsoids' entry and exit (within the model's ray range).

    `start` [N] (optional) is a known distance before the first surface. Returns hit [N] bool and distance
    t [N]; rays that miss every bound are never marched.
    """
    t_near = torch.full_like(origins[:, 0], math.inf)
    t_far = torch.full_like(origins[:, 0], -math.inf)
    for c, r in scene.bounds:
        t0, t1 = _ray_ellipsoid(origins, dirs, c, r)
        t_near, t_far = torch.minimum(t_near, t0), torch.maximum(t_far, t1)
    t_near, t_far = t_near.clamp(min=RAY_START), t_far.clamp(max=RAY_END)
    if start is not None:
        t_near = torch.maximum(t_near, start)
    t = t_near.clone()
    hit = torch.zeros_like(t, dtype=torch.bool)
    active = torch.nonzero(t_near < t_far).squeeze(-1)
    for _ in range(max_steps):
        if active.numel() == 0:
            break
        ta = t[active]
        d = scene.sdf(origins[active] + ta.unsqueeze(-1) * dirs[active], mouth[active], blink[active])
        done = d < eps
        hit[active[done]] = True
        ta = ta + 0.95 * d.clamp(min=0.0)
        t[active] = ta
        active = active[~done & (ta < t_far[active])]
    return hit, t


def _shade(scene, o, d, m, b, start=None):
    """Trace and shade rays: colour [N,3] in [0,1] (background where missed), hit [N], distance [N]."""
    hit, t = _trace(scene, o, d, m, b, start)
    col = torch.tensor(BACKGROUND).expand(o.shape[0], 3).clone()
    idx = torch.nonzero(hit).squeeze(-1)
    if idx.numel():
        p = o[idx] + t[idx].unsqueeze(-1) * d[idx]
        mh, bh = m[idx], b[idx]
        parts = scene.parts(p, mh, bh)
        order = torch.tensor([MATERIALS.index(k) for k in parts])
        material = order[torch.stack(list(parts.values()), 0).argmin(0)]
        light = torch.tensor(LIGHT)
        shade = AMBIENT + DIFFUSE * (_normals(scene, p, mh, bh) @ (light / light.norm())).clamp(min=0.0)
        col[idx] = (scene.albedo(p, material, mh) * shade.unsqueeze(-1)).clamp(0.0, 1.0)
    return col, hit, torch.where(hit, t, torch.full_like(t, RAY_END))


def render(ident: dict, cameras, mouth, blink, resolution: int = 128, antialias: bool = True,
           chunk: int = 1 << 18) -> dict:
    """Render one identity from cameras [N,25] with per-image mouth opening and blink [N].

    Returns {'rgb': [N,3,R,R] in [-1,1], 'depth': [N,1,R,R] distance along the unit ray (ray_end where
    nothing is hit), 'mask': [N,1,R,R] foreground coverage in [0,1]} as float32 tensors. With `antialias`,
    pixels whose colour differs from a neighbour's are traced again with 4 sub-pixel rays and averaged.
    """
    scene = HeadScene(ident)
    cameras = torch.as_tensor(np.asarray(cameras, dtype=np.float32)).reshape(-1, 25)
    n, res = cameras.shape[0], int(resolution)
    per_image = lambda v: torch.as_tensor(np.asarray(v, dtype=np.float32)).reshape(n)
    mouth, blink = per_image(mouth), per_image(blink)
    origins, dirs = camera_rays(cameras, res, pixel_uv(res))
    origins, dirs = origins.reshape(-1, 3), dirs.reshape(-1, 3)
    image_of = torch.arange(n).repeat_interleave(res * res)
    rgb, hit, depth = [], [], []
    for s in range(0, origins.shape[0], chunk):
        i = image_of[s:s + chunk]
        c, h, t = _shade(scene, origins[s:s + chunk], dirs[s:s + chunk], mouth[i], blink[i])
        rgb.append(c), hit.append(h), depth.append(t)
    rgb, mask, depth = torch.cat(rgb), torch.cat(hit).float(), torch.cat(depth)
    if antialias:
        img = rgb.reshape(n, res, res, 3)
        diff = torch.zeros(n, res, res, dtype=torch.bool)
        dx = (img[:, :, 1:] - img[:, :, :-1]).abs().amax(-1) > 0.06
        dy = (img[:, 1:] - img[:, :-1]).abs().amax(-1) > 0.06
        diff[:, :, 1:] |= dx
        diff[:, :, :-1] |= dx
        diff[:, 1:] |= dy
        diff[:, :-1] |= dy
        edge = torch.nonzero(diff.reshape(-1)).squeeze(-1)
        if edge.numel():
            # Sub-pixel rays start a little before the nearest surface of the 3x3 neighbourhood, or at the
            # bounds where a neighbour saw the background.
            neg = torch.where(mask > 0, -depth, torch.full_like(depth, math.inf)).reshape(n, 1, res, res)
            start = -torch.nn.functional.max_pool2d(neg, 3, 1, 1).reshape(-1)[edge] - 0.03
            sub_rgb, sub_hit, sub_depth = 0.0, 0.0, 0.0
            for ox, oy in ((-0.25, -0.25), (0.25, -0.25), (-0.25, 0.25), (0.25, 0.25)):
                uv = pixel_uv(res) + torch.tensor([ox, oy]) / res
                o, d = camera_rays(cameras, res, uv)
                o, d = o.reshape(-1, 3)[edge], d.reshape(-1, 3)[edge]
                i = image_of[edge]
                c, h, t = _shade(scene, o, d, mouth[i], blink[i], start)
                sub_rgb, sub_hit, sub_depth = sub_rgb + c, sub_hit + h.float(), sub_depth + t * h.float()
            rgb[edge] = sub_rgb / 4
            mask[edge] = sub_hit / 4
            depth[edge] = torch.where(sub_hit > 0, sub_depth / sub_hit.clamp(min=1), torch.full_like(sub_hit, RAY_END))
    to_image = lambda x, ch: x.reshape(n, res, res, ch).permute(0, 3, 1, 2).contiguous()
    return {"rgb": to_image(rgb, 3) * 2.0 - 1.0, "depth": to_image(depth.unsqueeze(-1), 1),
            "mask": to_image(mask.unsqueeze(-1), 1)}


def camera(yaw_offset: float = 0.0, pitch_offset: float = 0.0) -> np.ndarray:
    """The 25-float EG3D camera at yaw π/2 + yaw_offset, pitch π/2 + pitch_offset (radius 2.7, the pivot)."""
    return cams.look_at(math.pi / 2 + yaw_offset, math.pi / 2 + pitch_offset, RADIUS, PIVOT, FOCAL)


def sample_view(rng) -> tuple[float, float]:
    return float(rng.uniform(-YAW_RANGE, YAW_RANGE)), float(rng.uniform(-PITCH_RANGE, PITCH_RANGE))


def mouth_box(ident: dict, cam, resolution: int) -> tuple[int, int, int, int]:
    """Pixel box (x0, y0, x1, y1), exclusive ends, around the fully open mouth as the camera sees it."""
    return tuple(int(x) for x in mouth_boxes(ident, np.asarray(cam)[None], resolution)[0])


def mouth_boxes(ident: dict, cameras, resolution: int) -> np.ndarray:
    """`mouth_box` for each of cameras [N,25] of one identity: [N,4] int."""
    scene = HeadScene(ident)
    w, h, my = scene.mouth_extent(1.0)
    corners = np.array([(sx * w, my + sy * h, scene.mouth_z + 0.03) for sx in (-1, 1) for sy in (-1, 1)])
    boxes = []
    for cam in np.asarray(cameras).reshape(-1, 25):
        uv = project(cam, corners)
        lo, hi = np.floor(uv.min(0) * resolution), np.ceil(uv.max(0) * resolution)
        boxes.append(np.clip(np.concatenate([lo, hi]), 0, resolution))
    return np.asarray(boxes, dtype=np.int64)


def project(cam, points) -> np.ndarray:
    """World points [P,3] → normalised image coordinates (x right, y down) in [0,1] for a 25-float camera."""
    cam = np.asarray(cam, dtype=np.float64)
    c2w, k = cam[:16].reshape(4, 4), cam[16:25].reshape(3, 3)
    local = (np.asarray(points, dtype=np.float64) - c2w[:3, 3]) @ c2w[:3, :3]
    proj = local @ k.T
    return proj[:, :2] / proj[:, 2:3]


def mouth_darkness(rgb, box) -> np.ndarray:
    """1 − mean luminance in [0,1] of the box, per image of rgb [N,3,H,W] in [-1,1]."""
    x0, y0, x1, y1 = box
    region = (np.asarray(rgb)[:, :, y0:y1, x0:x1] + 1.0) * 0.5
    lum = 0.299 * region[:, 0] + 0.587 * region[:, 1] + 0.114 * region[:, 2]
    return 1.0 - lum.reshape(lum.shape[0], -1).mean(axis=1)


# ---------------------------------------------------------------------------------------------------------
# The dataset

def dataset_plan(identities=64, heldout_identities=2, motions=32, clips_per_identity=2, times_per_clip=4,
                 views=6, heldout_views=1, seed=0) -> dict:
    """Which identity, motion, times and cameras each image has, deterministic by seed.

    Identities [0, identities) train; the next `heldout_identities` are held out (fitted later by their
    codes only). Each clip pairs an identity with one of `motions` identity-free motion codes (each motion is
    shared by several identities, so a learned motion code cannot carry appearance). Per clip, times are
    stratified over [0, 1]; per (clip, time), `views` training cameras and `heldout_views` held-out ones.
    """
    rng = np.random.default_rng([int(seed), 3])
    n_id = identities + heldout_identities
    clips = []
    for i in range(n_id):
        ms = rng.choice(motions, size=clips_per_identity, replace=False)
        for m in ms:
            times = (np.arange(times_per_clip) + rng.uniform(0, 1, times_per_clip)) / times_per_clip
            cams_ = [[sample_view(rng) for _ in range(views + heldout_views)] for _ in range(times_per_clip)]
            clips.append({"identity": i, "motion": int(m), "times": times.tolist(), "views": cams_})
    return {"identities": identities, "heldout_identities": heldout_identities, "motions": motions,
            "clips_per_identity": clips_per_identity, "times_per_clip": times_per_clip, "views": views,
            "heldout_views": heldout_views, "seed": seed, "clips": clips}


def identity_seed(seed: int, i: int) -> int:
    return 1000 * int(seed) + i


def motion_seed(seed: int, m: int) -> int:
    return 1000 * int(seed) + 500 + m


def scene_version() -> str:
    """A hash of this file: a dataset built by other scene code is rebuilt."""
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def render_clip(plan: dict, ci: int, resolution: int, antialias: bool) -> dict:
    """All times × views of one clip of the plan, as the dataset stores them."""
    clip = plan["clips"][ci]
    ident = sample_identity(identity_seed(plan["seed"], clip["identity"]))
    motion = sample_motion(motion_seed(plan["seed"], clip["motion"]))
    mo, bl = motion_state(motion, clip["times"])
    cam = np.array([[camera(y, p) for y, p in row] for row in clip["views"]], np.float32)
    t_n, v_n = cam.shape[:2]
    out = render(ident, cam.reshape(-1, 25), np.repeat(mo, v_n), np.repeat(bl, v_n), resolution, antialias)
    image = (t_n, v_n, resolution, resolution)
    return {"rgb": np.round((out["rgb"].numpy() + 1) * 127.5).clip(0, 255).astype(np.uint8)
                     .reshape(image[:2] + (3,) + image[2:]),
            "depth": out["depth"].numpy().reshape(image).astype(np.float16),
            "mask": np.round(out["mask"].numpy() * 255).astype(np.uint8).reshape(image),
            "camera": cam, "state": np.stack([mo, bl], -1)}


def _render_clip_worker(job):
    torch.set_num_threads(1)
    return job[1], render_clip(*job)


def build_dataset(path: str, resolution: int = 128, antialias: bool = True, workers: int = 1, log=print,
                  **plan_args) -> str:
    """Render the plan's images into an .npz (uint8 RGB, float16 depth, uint8 mask) unless it is cached.

    The cache key is the plan, the resolution, antialiasing and the scene code's hash. `workers` > 1 renders
    clips in that many processes (one thread each: faster than torch's threads on these small ops).
    """
    plan = dataset_plan(**plan_args)
    key = json.dumps({"plan": plan, "resolution": resolution, "antialias": antialias, "scene": scene_version()},
                     sort_keys=True)
    if os.path.exists(path):
        with np.load(path) as f:
            if "key" in f.files and str(f["key"]) == key:
                return path
    clips = plan["clips"]
    t_n, v_n = plan["times_per_clip"], plan["views"] + plan["heldout_views"]
    shape = (len(clips), t_n, v_n)
    arrays = {"rgb": np.zeros(shape + (3, resolution, resolution), np.uint8),
              "depth": np.zeros(shape + (resolution, resolution), np.float16),
              "mask": np.zeros(shape + (resolution, resolution), np.uint8),
              "camera": np.zeros(shape + (25,), np.float32), "state": np.zeros(shape[:2] + (2,), np.float32)}
    start = time.time()
    jobs = [(plan, ci, resolution, antialias) for ci in range(len(clips))]
    if workers > 1:
        import multiprocessing
        pool = multiprocessing.get_context("fork").Pool(workers)
        results = pool.imap_unordered(_render_clip_worker, jobs)
    else:
        pool, results = None, ((job[1], render_clip(*job)) for job in jobs)
    try:
        for done, (ci, out) in enumerate(results, 1):
            for k, v in out.items():
                arrays[k][ci] = v
            if log and done % 16 == 0:
                log(f"heads: {done}/{len(clips)} clips, {time.time() - start:.0f} s")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    identities = [sample_identity(identity_seed(plan["seed"], i))
                  for i in range(plan["identities"] + plan["heldout_identities"])]
    motions = [sample_motion(motion_seed(plan["seed"], m)) for m in range(plan["motions"])]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp.npz"
    np.savez_compressed(tmp, key=key, **arrays,
                        clip_identity=np.array([c["identity"] for c in clips], np.int64),
                        clip_motion=np.array([c["motion"] for c in clips], np.int64),
                        times=np.array([c["times"] for c in clips], np.float32),
                        identities=json.dumps(identities), motions=json.dumps(motions),
                        plan=json.dumps({k: v for k, v in plan.items() if k != "clips"}))
    os.replace(tmp, path)
    if log:
        log(f"heads: wrote {path} ({len(clips)} clips x {t_n} times x {v_n} views at {resolution}^2) "
            f"in {time.time() - start:.0f} s")
    return path


def load_dataset(path: str) -> dict:
    """The arrays of a built dataset; rgb as float32 [-1,1], mask as float32 [0,1]; shapes [clips,T,V,...]."""
    with np.load(path) as f:
        d = {k: f[k] for k in f.files}
    d["rgb"] = d["rgb"].astype(np.float32) / 127.5 - 1.0
    d["mask"] = d["mask"].astype(np.float32) / 255.0
    d["depth"] = d["depth"].astype(np.float32)
    for k in ("identities", "motions", "plan"):
        d[k] = json.loads(str(d[k]))
    return d


# ---------------------------------------------------------------------------------------------------------
# Contact sheet

def save_png(path: str, image: np.ndarray):
    """image [H,W,3] float in [0,1] → PNG (Pillow)."""
    from PIL import Image
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    Image.fromarray(np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)).save(path)


def tile(images: np.ndarray, pad: int = 2) -> np.ndarray:
    """[rows, cols, 3, H, W] in [-1,1] → one [H', W', 3] image in [0,1] with white gaps."""
    rows, cols, _, h, w = images.shape
    sheet = np.ones((rows * (h + pad) + pad, cols * (w + pad) + pad, 3), np.float32)
    for r in range(rows):
        for c in range(cols):
            y, x = pad + r * (h + pad), pad + c * (w + pad)
            sheet[y:y + h, x:x + w] = (images[r, c].transpose(1, 2, 0) + 1) * 0.5
    return sheet


def contact_sheet(path: str, seeds=(0, 1, 2, 3, 4, 5), resolution: int = 128, antialias: bool = True):
    """Rows: identities. Columns: 5 views (yaw −0.5 … +0.5, the outer two pitched) at rest, then 5 times of
    a talking clip (frontal), then a blink."""
    views = [(-0.5, -0.15), (-0.25, 0.0), (0.0, 0.0), (0.25, 0.1), (0.5, 0.2)]
    motion = {"cycles": 2, "amplitude": 1.0, "warp": 0.0, "accent": 0.0, "blinks": 1, "blink_at": [0.5, 0.5],
              "blink_width": 0.07}
    times = [0.0, 0.125, 0.25, 0.375]
    rows = []
    for s in seeds:
        ident = sample_identity(s)
        cam = [camera(y, p) for y, p in views] + [camera(0.15, -0.05)] * (len(times) + 1)
        mo, bl = motion_state(motion, times + [0.5])
        mouth = np.concatenate([np.zeros(len(views)), mo])
        blink = np.concatenate([np.zeros(len(views)), bl])
        rows.append(render(ident, np.stack(cam), mouth, blink, resolution, antialias)["rgb"].numpy())
    save_png(path, tile(np.stack(rows)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="dataset .npz to build (cached: rebuilt only when the plan changes)")
    ap.add_argument("--resolution", type=int, default=64, help="image side: the fitted config's output resolution")
    ap.add_argument("--no-antialias", dest="antialias", action="store_false")
    ap.add_argument("--identities", type=int, default=128)
    ap.add_argument("--heldout-identities", type=int, default=2)
    ap.add_argument("--motions", type=int, default=32)
    ap.add_argument("--clips-per-identity", type=int, default=2)
    ap.add_argument("--times-per-clip", type=int, default=4)
    ap.add_argument("--views", type=int, default=6)
    ap.add_argument("--heldout-views", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sheet", help="write a contact sheet PNG of a few identities x views x times")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (contact sheet)")
    ap.add_argument("--workers", type=int, default=2, help="processes that render the dataset's clips")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.sheet:
        contact_sheet(args.sheet, resolution=args.resolution, antialias=args.antialias)
    if args.out:
        build_dataset(args.out, args.resolution, args.antialias, args.workers, identities=args.identities,
                      heldout_identities=args.heldout_identities, motions=args.motions,
                      clips_per_identity=args.clips_per_identity, times_per_clip=args.times_per_clip,
                      views=args.views, heldout_views=args.heldout_views, seed=args.seed)


if __name__ == "__main__":
    sys.exit(main())
