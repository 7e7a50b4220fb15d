"""Image steps on patches (pv3d.fit --image-patch): inside its margin, a super-resolved patch of the neural image is
exactly the same crop of the whole super-resolved image, so patch steps fit what the farm renders.

    cd model/python && python3 -m pytest -q tests/test_fit_patches.py
"""
import dataclasses
import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pv3d import config, fit, heads  # noqa: E402

torch.set_num_threads(1)


def whole_image_as_target(fitter):
    z, zm, t = torch.randn(1, fitter.cfg.z_dim), torch.randn(1, fitter.cfg.motion_dim), torch.tensor([0.5])
    camera = torch.as_tensor(heads.camera(0.2, 0.1)).float().unsqueeze(0)
    with torch.no_grad():
        rgb = fitter.image(z, zm, t, camera)[0]
    side = fitter.cfg.output_resolution
    batch = {"rgb": rgb, "mask": torch.ones(1, 1, side, side), "depth": torch.full((1, 1, side, side), 2.7),
             "camera": camera, "t": t, "mouth_box": torch.tensor([[0, 0, side, side]])}
    return z, zm, batch


def test_inside_the_margin_a_patch_renders_what_the_whole_image_does():
    cfg = dataclasses.replace(config.TINY, neural_resolution=64, sr_scale=2)
    torch.manual_seed(0)
    fitter = fit.Fitter(cfg, seed=3, ray_side=32)
    fitter.g.eval()
    z, zm, batch = whole_image_as_target(fitter)
    patches = fit.PatchLoss(fitter, 32)
    with torch.no_grad():
        rgb_mse, _, _, _ = patches(z, zm, batch, torch.Generator().manual_seed(5))
        assert float(rgb_mse) < 1e-10, "the patch's interior is the whole image's crop"
        patches.margin = 0
        rim_mse, _, _, _ = patches(z, zm, batch, torch.Generator().manual_seed(5))
        assert float(rim_mse) > 1e-4, "at the rim the zero padding differs: that is what the margin leaves out"


def test_the_patch_loss_trains_the_generators_own_super_resolution():
    cfg = dataclasses.replace(config.TINY, neural_resolution=64, sr_scale=2)
    fitter = fit.Fitter(cfg, seed=3, ray_side=32)
    z, zm, batch = whole_image_as_target(fitter)
    batch["rgb"] = torch.zeros_like(batch["rgb"])
    fit.PatchLoss(fitter, 32)(z, zm, batch, torch.Generator().manual_seed(1))[0].backward()
    assert fitter.g.superresolution.block1.conv1.weight.grad.abs().sum() > 0


def test_a_patch_that_is_not_the_ray_batch_side_is_refused():
    fitter = fit.Fitter(dataclasses.replace(config.TINY, neural_resolution=64, sr_scale=2), seed=3, ray_side=32)
    with pytest.raises(SystemExit, match="--image-patch 16"):
        fit.PatchLoss(fitter, 16)
