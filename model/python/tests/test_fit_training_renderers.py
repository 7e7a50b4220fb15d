"""The fit's own training renderers (pv3d.fit --lookup, --train-samples) and its allocator re-exec.

    cd model/python && python3 -m pytest -q tests/test_fit_training_renderers.py
"""
import argparse
import os
import subprocess
import sys

import pytest
import torch

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, HERE)

from pv3d import allocator, config, fit, heads  # noqa: E402
from pv3d.renderer import TriplaneRenderer  # noqa: E402

torch.set_num_threads(1)


def render_with(sampler, planes, camera, cfg, decoder):
    renderer = TriplaneRenderer(cfg, decoder)
    renderer.sampler = sampler
    planes = planes.clone().requires_grad_(True)
    features, depth, opacity = renderer(planes, camera)
    (features.square().mean() + depth.mean() + opacity.mean()).backward()
    return features.detach(), depth.detach(), planes.grad, decoder.fc0.weight.grad.clone()


def test_the_row_lookup_renders_and_differentiates_as_grid_sample_does():
    cfg = config.TINY
    g = fit.build(cfg, 4)
    torch.manual_seed(0)
    planes = torch.randn(2, 3, cfg.plane_channels, cfg.plane_resolution, cfg.plane_resolution)
    camera = torch.stack([torch.as_tensor(heads.camera(yaw, 0.1)).float() for yaw in (-0.4, 0.3)])
    g.decoder.zero_grad()
    grid = render_with("grid", planes, camera, cfg, g.decoder)
    g.decoder.zero_grad()
    rows = render_with("rows", planes, camera, cfg, g.decoder)
    for name, a, b in zip(("features", "depth", "plane gradient", "decoder gradient"), grid, rows):
        scale = float(a.abs().max())
        assert scale > 0, name
        assert float((a - b).abs().max()) <= 1e-4 * scale, name


def test_training_renders_with_its_own_samples_and_metrics_with_the_configs():
    cfg = config.TINY
    fitter = fit.Fitter(cfg, seed=3, ray_side=8, samples=(6, 4), lookup="rows")
    for renderer in (fitter.ray_renderer, fitter.image_renderer):
        assert (renderer.cfg.samples_uniform, renderer.cfg.samples_importance, renderer.sampler) == (6, 4, "rows")
        assert renderer.decoder is fitter.g.decoder
    assert (fitter.g.renderer.cfg.samples_uniform, fitter.g.renderer.sampler) == (cfg.samples_uniform, "grid")
    z, zm, t = torch.randn(1, cfg.z_dim), torch.randn(1, cfg.motion_dim), torch.tensor([0.5])
    camera = torch.as_tensor(heads.camera(0.2, 0.0)).float().unsqueeze(0)
    with torch.no_grad():
        metric_rgb = fitter.image(z, zm, t, camera)[0]
        own = fitter.g.image(fitter.ws(z), zm, t, camera)[0]
        side = cfg.output_resolution
        batch = {"rgb": metric_rgb, "mask": torch.ones(1, 1, side, side), "depth": torch.full((1, 1, side, side), 2.7),
                 "camera": camera, "t": t, "mouth_box": torch.tensor([[0, 0, side, side]])}
        trained_mse = float(fitter.image_loss(z, zm, batch)[0])
    assert torch.equal(metric_rgb, own), "metrics render with the generator's own renderer"
    assert trained_mse > 0, "the image steps render with the training's 6 + 4 samples, not the config's"


def test_sample_counts_are_two_integers_of_at_least_two():
    assert fit.sample_counts("16,12") == (16, 12)
    for bad in ("16", "16,1", "a,b", "16,16,16"):
        with pytest.raises(argparse.ArgumentTypeError):
            fit.sample_counts(bad)


def run_python(code, env):
    return subprocess.run([sys.executable, "-c", code], cwd=HERE, capture_output=True, text=True, timeout=60,
                          env={**env, "PYTHONPATH": HERE}, check=True).stdout.strip()


REEXEC = "from pv3d import allocator; allocator.reexec_with_tcmalloc('pv3d.allocator', []); print('not re-executed')"


@pytest.mark.skipif(not os.path.exists(allocator.TCMALLOC), reason="libtcmalloc-minimal4 absent (model/bin/ensure-python)")
def test_a_fit_re_executes_itself_on_tcmalloc_once():
    env = {k: v for k, v in os.environ.items() if k != allocator.MARK}
    assert run_python(REEXEC, env) == "tcmalloc"
    assert run_python(REEXEC, {**env, allocator.MARK: "system"}) == "not re-executed"
