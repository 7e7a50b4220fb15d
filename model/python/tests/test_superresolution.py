"""The super-resolution's two scales: 4x (EG3D's and PV3D's, both blocks upsample) and 2x (the demo model: the
second block keeps the output resolution and adds the running image as it is).

    cd model/python && python3 -m pytest -q tests/test_superresolution.py
"""
import dataclasses
import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pv3d import config  # noqa: E402
from pv3d.generator import SuperResolution  # noqa: E402


@pytest.mark.parametrize("neural,scale", [(32, 4), (64, 2)])
def test_features_at_the_neural_resolution_become_the_output_resolution(neural, scale):
    cfg = dataclasses.replace(config.TINY, neural_resolution=neural, sr_scale=scale)
    torch.manual_seed(0)
    sr = SuperResolution(cfg)
    features, raw = torch.randn(2, cfg.feature_channels, neural, neural), torch.randn(2, 3, neural, neural)
    ws = torch.randn(2, 12, cfg.w_dim)
    assert sr(features, raw, ws).shape == (2, 3, cfg.output_resolution, cfg.output_resolution)
    assert sr.resize is None, "the neural image is already at the super-resolution's input"


def test_at_scale_2_the_output_is_the_raw_image_upsampled_once_plus_what_the_blocks_add():
    cfg = dataclasses.replace(config.TINY, neural_resolution=64, sr_scale=2)
    torch.manual_seed(0)
    sr = SuperResolution(cfg)
    with torch.no_grad():
        for block in (sr.block0, sr.block1):  # the blocks add nothing: what is left is the skip path
            block.torgb.weight.zero_()
            block.torgb.bias.zero_()
    raw = torch.randn(1, 3, 64, 64)
    out = sr(torch.randn(1, cfg.feature_channels, 64, 64), raw, torch.randn(1, 12, cfg.w_dim))
    assert sr.block1.img_upsample is None
    assert torch.allclose(out, sr.block0.img_upsample(raw), atol=1e-6)


def test_an_unknown_scale_or_a_neural_image_the_super_resolution_would_shrink_is_refused():
    with pytest.raises(ValueError, match="sr_scale must be 2 or 4"):
        dataclasses.replace(config.TINY, sr_scale=3)
    with pytest.raises(ValueError, match="resized away"):
        dataclasses.replace(config.TINY, neural_resolution=128)


def test_manifests_name_the_scale_only_where_it_is_not_pv3ds_4x():
    assert "sr_scale" not in config.TINY.to_json()
    assert config.Pv3dConfig.from_json(config.TINY.to_json()) == config.TINY
    demo64 = config.preset("demo64")
    assert demo64.to_json()["sr_scale"] == 2
    assert config.Pv3dConfig.from_json(demo64.to_json()) == demo64
    out64 = config.preset("demo-out64")
    assert (out64.output_resolution, out64.sr_input_resolution, out64.neural_resolution) == (64, 32, 32)
    assert config.Pv3dConfig.from_json(out64.to_json()) == out64
