"""The face-probe heads: their true keypoints lie on the rendered surface, where the camera sees them.

    cd model/python && python3 -m pytest -q tests/test_face_probe.py
"""
import json
import os
import sys

import numpy as np
import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pv3d import face_probe, heads  # noqa: E402

torch.set_num_threads(1)


@pytest.mark.parametrize("yaw,pitch", [(0.0, 0.0), (0.3, -0.15), (-0.3, 0.2)])
def test_eyes_nose_and_mouth_lie_on_the_visible_surface(yaw, pitch):
    res = 96
    ident = heads.sample_identity(5)
    cam = heads.camera(yaw, pitch)
    depth = heads.render(ident, cam[None], [0.0], [0.0], res, antialias=False)["depth"][0, 0].numpy()
    points = face_probe.feature_points(ident, 0.0)
    uv = heads.project(cam, points) * res
    origin = cam[:16].reshape(4, 4)[:3, 3]
    for name, p, (x, y) in list(zip(face_probe.KEYPOINTS, points, uv))[:4]:
        seen = depth[int(y), int(x)]
        assert abs(seen - np.linalg.norm(p - origin)) < 0.005, (name, seen, np.linalg.norm(p - origin))


def test_the_subjects_right_eye_is_on_the_image_left():
    ident = heads.sample_identity(2)
    uv = heads.project(heads.camera(), face_probe.feature_points(ident, 0.5))
    right_eye, left_eye, nose, mouth, right_ear, left_ear = uv
    assert right_ear[0] < right_eye[0] < nose[0] < left_eye[0] < left_ear[0]
    assert right_eye[1] < nose[1] < mouth[1]


def test_opening_the_mouth_lowers_its_centre():
    ident = heads.sample_identity(4)
    closed = face_probe.feature_points(ident, 0.0)[3]
    opened = face_probe.feature_points(ident, 1.0)[3]
    assert opened[1] < closed[1] - 0.01


def test_write_probe_writes_pngs_and_their_keypoints(tmp_path):
    path = face_probe.write_probe(str(tmp_path), 3, resolution=32, log=None)
    entries = json.load(open(path))
    assert [e["file"] for e in entries] == ["head-000.png", "head-001.png", "head-002.png"]
    for e in entries:
        assert os.path.exists(tmp_path / e["file"])
        assert set(e["keypoints"]) == set(face_probe.KEYPOINTS)
        assert abs(e["yaw"]) <= heads.YAW_RANGE and abs(e["pitch"]) <= heads.PITCH_RANGE
        assert 0.0 <= e["mouth"] <= 1.0 and 0.0 <= e["blink"] <= 1.0
    assert face_probe.probe_plan(3) == face_probe.probe_plan(3)
