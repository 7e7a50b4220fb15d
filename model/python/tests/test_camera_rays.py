"""camera_rays with per-sample positions: one batched call equals one call per sample, and the shared-position
form (the exported graphs') is unchanged."""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pv3d import heads  # noqa: E402
from pv3d.renderer import camera_rays, pixel_uv  # noqa: E402


def _cameras():
    return torch.as_tensor(np.stack([heads.camera(-0.4, 0.1), heads.camera(0.0, 0.0), heads.camera(0.5, -0.2)])).float()


def test_per_sample_positions_in_one_call_equal_one_call_per_sample():
    cams = _cameras()
    uv = torch.rand([3, 50, 2], generator=torch.Generator().manual_seed(3))
    origins, dirs = camera_rays(cams, 32, uv)
    assert origins.shape == dirs.shape == (3, 50, 3)
    for i in range(3):
        o, d = camera_rays(cams[i:i + 1], 32, uv[i])
        assert torch.equal(origins[i:i + 1], o)
        assert torch.allclose(dirs[i:i + 1], d, atol=1e-7)


def test_positions_shared_by_the_batch_give_each_camera_the_same_pixels():
    cams = _cameras()
    uv = pixel_uv(8)
    _, shared = camera_rays(cams, 8, uv)
    _, each = camera_rays(cams, 8, uv.unsqueeze(0).expand(3, -1, -1))
    assert shared.shape == (3, 64, 3)
    assert torch.allclose(shared, each, atol=1e-7)
    # The centre pixel's ray of the frontal camera points at the pivot, away from the camera.
    frontal = shared[1].reshape(8, 8, 3)
    assert frontal[3:5, 3:5, 2].mean() < -0.99
