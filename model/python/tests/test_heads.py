"""The procedural talking heads: determinism, where the head sits, depth, motion, masks and the dataset cache.

    cd model/python && python3 -m pytest -q tests/test_heads.py
"""
import os
import sys

import numpy as np
import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pv3d import heads  # noqa: E402

torch.set_num_threads(1)


def frontal(res, mouth=0.0, blink=0.0, seed=3):
    return heads.render(heads.sample_identity(seed), heads.camera()[None], [mouth], [blink], res, antialias=False)


def test_identity_and_motion_are_deterministic_by_seed():
    assert heads.sample_identity(7) == heads.sample_identity(7)
    assert heads.sample_identity(7) != heads.sample_identity(8)
    assert heads.sample_motion(4) == heads.sample_motion(4)
    assert heads.dataset_plan(identities=3, motions=2, seed=1) == heads.dataset_plan(identities=3, motions=2, seed=1)


def test_renders_are_deterministic_and_differ_between_identities():
    cams = np.stack([heads.camera(0.3, -0.1), heads.camera(-0.4, 0.2)])
    a = heads.render(heads.sample_identity(1), cams, [0.5, 0.0], [0.0, 1.0], 40)
    b = heads.render(heads.sample_identity(1), cams, [0.5, 0.0], [0.0, 1.0], 40)
    c = heads.render(heads.sample_identity(2), cams, [0.5, 0.0], [0.0, 1.0], 40)
    for key in ("rgb", "depth", "mask"):
        assert torch.equal(a[key], b[key])
    assert (a["rgb"] - c["rgb"]).abs().mean() > 0.05


def test_output_shapes_and_ranges():
    out = heads.render(heads.sample_identity(0), np.stack([heads.camera()] * 3), [0, 0.5, 1], [0, 0, 0], 24)
    assert out["rgb"].shape == (3, 3, 24, 24) and out["depth"].shape == (3, 1, 24, 24)
    assert out["mask"].shape == (3, 1, 24, 24)
    assert out["rgb"].min() >= -1 and out["rgb"].max() <= 1
    assert out["mask"].min() >= 0 and out["mask"].max() <= 1
    background = out["mask"] == 0
    assert torch.all(out["depth"][background] == heads.RAY_END)
    assert torch.allclose(out["rgb"][:, :, 0, 0], torch.tensor(heads.BACKGROUND) * 2 - 1)


@pytest.mark.parametrize("seed", range(6))
def test_head_lies_inside_the_render_box(seed):
    """Nothing crosses the box |x|,|y|,|z| ≤ 0.5: the scene is empty on a shell just outside it."""
    scene = heads.HeadScene(heads.sample_identity(seed))
    g = torch.linspace(-0.51, 0.51, 41)
    faces = []
    for axis in range(3):
        for side in (-0.51, 0.51):
            u, v = torch.meshgrid(g, g, indexing="ij")
            p = torch.zeros(u.numel(), 3)
            others = [a for a in range(3) if a != axis]
            p[:, axis], p[:, others[0]], p[:, others[1]] = side, u.reshape(-1), v.reshape(-1)
            faces.append(p)
    p = torch.cat(faces)
    for mouth, blink in ((0.0, 0.0), (1.0, 1.0)):
        d = scene.sdf(p, torch.full((p.shape[0],), mouth), torch.full((p.shape[0],), blink))
        assert d.min() > 0.0


@pytest.mark.parametrize("seed", range(4))
def test_hits_are_inside_the_box_and_the_ray_range(seed):
    rng = np.random.default_rng(seed)
    views = [heads.sample_view(rng) for _ in range(4)] + [(heads.YAW_RANGE, heads.PITCH_RANGE),
                                                           (-heads.YAW_RANGE, -heads.PITCH_RANGE)]
    cams = np.stack([heads.camera(y, p) for y, p in views])
    out = heads.render(heads.sample_identity(seed), cams, [1.0] * len(cams), [0.0] * len(cams), 48,
                       antialias=False)
    from pv3d.renderer import camera_rays, pixel_uv
    origins, dirs = camera_rays(torch.as_tensor(cams), 48, pixel_uv(48))
    depth = out["depth"].reshape(len(cams), -1, 1)
    hit = out["mask"].reshape(len(cams), -1) > 0.5
    points = (origins + dirs * depth)[hit]
    assert points.abs().max() <= heads.BOX
    # Well inside the model's ray range: not clipped at its start, nothing lost behind its end.
    assert depth[hit].min() > heads.RAY_START + 0.05
    assert depth[hit].max() < heads.RAY_END - 0.2


@pytest.mark.parametrize("seed", range(4))
def test_frontal_centre_depth_is_camera_radius_minus_face_front(seed):
    """Odd resolution: the centre pixel's ray runs along −z from (0, 0, 2.7) through x = y = 0."""
    res = 33
    out = frontal(res, seed=seed)
    depth = float(out["depth"][0, 0, res // 2, res // 2])
    scene = heads.HeadScene(heads.sample_identity(seed))
    # An independent dense march of the scene along the same line.
    zs = torch.linspace(0.5, -0.5, 20001)
    p = torch.stack([torch.zeros_like(zs), torch.zeros_like(zs), zs], dim=-1)
    inside = scene.sdf(p, torch.zeros_like(zs), torch.zeros_like(zs)) < 0
    z_front = float(zs[torch.nonzero(inside)[0, 0]])
    assert abs(depth - (heads.RADIUS - z_front)) < 2e-3
    # The face front lies on or before the head ellipsoid and behind the nose tip.
    assert z_front >= scene.front_z(0.0, 0.0) - 1e-3
    assert z_front <= float(scene.nose_c[2] + scene.nose_r[2]) + 1e-3


def test_depth_warps_a_side_view_onto_the_frontal_view():
    """Colours are view-independent, so warping the yaw +30° render into the frontal one through the frontal
    depth reproduces it wherever both cameras see the same surface."""
    from pv3d.fit import warping_error
    ident = heads.sample_identity(5)
    cams = np.stack([heads.camera(0.0, 0.0), heads.camera(0.5236, 0.0)])
    out = heads.render(ident, cams, [0, 0], [0, 0], 96)
    cams = torch.as_tensor(cams)
    err, valid = warping_error(out["rgb"][:1], out["depth"][:1], out["rgb"][1:], out["depth"][1:], cams[:1],
                               cams[1:], out["mask"][:1])
    assert valid > 0.3
    assert err < 0.03
    # A wrong depth (the camera's pivot plane) does not warp.
    wrong, _ = warping_error(out["rgb"][:1], torch.full_like(out["depth"][:1], 2.5), out["rgb"][1:],
                             out["depth"][1:], cams[:1], cams[1:], out["mask"][:1], tolerance=10.0)
    assert wrong > 2 * err


def test_mouth_opening_changes_only_the_mouth_region():
    res = 64
    ident = heads.sample_identity(3)
    closed, open_ = frontal(res, 0.0)["rgb"][0].numpy(), frontal(res, 1.0)["rgb"][0].numpy()
    x0, y0, x1, y1 = heads.mouth_box(ident, heads.camera(), res)
    assert 0 < x0 < x1 < res and 0 < y0 < y1 < res
    inside = np.zeros((res, res), bool)
    inside[y0:y1, x0:x1] = True
    diff = np.abs(open_ - closed).max(axis=0)
    assert diff[inside].mean() > 0.1
    assert diff[~inside].max() < 0.01  # marching stops at slightly different points
    darkness = lambda img: heads.mouth_darkness(img[None], (x0, y0, x1, y1))[0]
    assert darkness(open_) > darkness(closed) + 0.05


def test_blink_closes_the_eyes():
    res = 64
    open_, shut = frontal(res, blink=0.0)["rgb"][0], frontal(res, blink=1.0)["rgb"][0]
    diff = (open_ - shut).abs().amax(0)
    rows = torch.nonzero(diff.amax(1) > 0.1).squeeze(-1)
    assert rows.numel() > 2
    # Above the mouth: the eyes are in the upper part of the face.
    assert rows.float().mean() < res * 0.5


def test_masks_are_non_empty_and_leave_background():
    rng = np.random.default_rng(0)
    cams = np.stack([heads.camera(*heads.sample_view(rng)) for _ in range(6)])
    for seed in range(3):
        m = heads.render(heads.sample_identity(seed), cams, [0.3] * 6, [0.0] * 6, 32)["mask"]
        cover = m.mean(dim=[1, 2, 3])
        assert cover.min() > 0.2 and cover.max() < 0.9


def test_motion_is_neutral_at_the_clip_ends_and_smooth():
    for seed in range(20):
        motion = heads.sample_motion(seed)
        mouth, blink = heads.motion_state(motion, np.linspace(0, 1, 401))
        assert mouth[0] == pytest.approx(0, abs=1e-6) and mouth[-1] == pytest.approx(0, abs=1e-6)
        assert blink[0] == 0 and blink[-1] == 0
        assert mouth.min() >= 0 and mouth.max() <= 1 and blink.max() <= 1
        assert np.abs(np.diff(mouth)).max() < 0.06
        assert mouth.max() > 0.3  # every clip talks


def test_dataset_is_built_once_and_cached(tmp_path):
    path = str(tmp_path / "heads.npz")
    args = dict(identities=2, heldout_identities=1, motions=2, clips_per_identity=1, times_per_clip=2, views=2,
                heldout_views=1, seed=0)
    heads.build_dataset(path, 24, log=None, **args)
    mtime = os.path.getmtime(path)
    heads.build_dataset(path, 24, log=None, **args)
    assert os.path.getmtime(path) == mtime
    d = heads.load_dataset(path)
    assert d["rgb"].shape == (3, 2, 3, 3, 24, 24)
    assert d["depth"].shape == d["mask"].shape == (3, 2, 3, 24, 24)
    assert d["camera"].shape == (3, 2, 3, 25)
    assert list(d["clip_identity"]) == [0, 1, 2]
    assert len(d["identities"]) == 3 and len(d["motions"]) == 2
    assert d["mask"].reshape(9, -1).mean(1).min() > 0.1
    # The stored camera is the EG3D look-at camera at radius 2.7.
    origin = d["camera"][0, 0, 0, :16].reshape(4, 4)[:3, 3]
    assert np.linalg.norm(origin) == pytest.approx(heads.RADIUS, rel=1e-5)
    # A different plan is rebuilt.
    heads.build_dataset(path, 24, log=None, **{**args, "seed": 1})
    assert heads.load_dataset(path)["plan"]["seed"] == 1


def test_mouth_darkness_follows_the_motion_over_a_clip():
    ident = heads.sample_identity(2)
    motion = heads.sample_motion(1)
    t = np.linspace(0, 1, 16)
    mouth, blink = heads.motion_state(motion, t)
    cam = heads.camera()
    rgb = heads.render(ident, np.repeat(cam[None], 16, 0), mouth, blink * 0, 48)["rgb"].numpy()
    dark = heads.mouth_darkness(rgb, heads.mouth_box(ident, cam, 48))
    assert np.corrcoef(dark, mouth)[0, 1] > 0.9
