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


class RecordingGuidedRenderer(fit.GuidedRenderer):
    """Keeps the depths it decodes at."""

    def march(self, planes, origins, dirs, depths):
        self.depths = depths
        return super().march(planes, origins, dirs, depths)


def test_guided_samples_crowd_the_true_surface_of_rays_that_hit_it_and_spread_over_the_others():
    cfg = config.TINY
    g = fit.build(cfg, 2)
    renderer = RecordingGuidedRenderer(cfg, g.decoder, 6, 10, 0.04)
    r = cfg.neural_resolution ** 2
    surface = torch.full((1, r), 2.8)
    hit = torch.arange(r).reshape(1, r) % 2 == 0
    planes = torch.randn(1, 3, cfg.plane_channels, cfg.plane_resolution, cfg.plane_resolution)
    camera = torch.as_tensor(heads.camera(0.0, 0.0)).float().unsqueeze(0)
    features, depth, opacity = renderer(planes, camera, surface=(surface, hit))
    d = renderer.depths[0, :, :, 0]  # [R, 16]
    assert d.shape == (r, 16) and bool((d[:, 1:] >= d[:, :-1]).all()), "sorted along the ray"
    assert bool((d >= cfg.ray_start).all() and (d <= cfg.ray_end).all())
    in_band = ((d - 2.8).abs() <= 0.04).sum(dim=1)
    assert bool((in_band[hit[0]] >= 10).all()), "every surface sample of a hit ray lies in the band"
    span = cfg.ray_end - cfg.ray_start
    assert float((d[~hit[0], 1:] - d[~hit[0], :-1]).max()) <= 2 * span / 6, "misses: samples over the whole ray"
    assert float(in_band[~hit[0]].float().mean()) < 3
    assert features.shape == (1, cfg.feature_channels, cfg.neural_resolution, cfg.neural_resolution)


def test_a_guided_fit_switches_to_the_config_like_renderers_and_back():
    fitter = fit.Fitter(config.TINY, seed=1, ray_side=8, samples=(6, 4), lookup="rows", guided=(4, 4, 0.05))
    assert fitter.guided and all(isinstance(r, fit.GuidedRenderer) for r in (fitter.ray_renderer, fitter.image_renderer))
    fitter.guide(False)
    assert not fitter.guided
    for renderer in (fitter.ray_renderer, fitter.image_renderer):
        assert type(renderer) is TriplaneRenderer and renderer.sampler == "rows"
        assert (renderer.cfg.samples_uniform, renderer.cfg.samples_importance) == (6, 4)
    fitter.guide(True)
    assert isinstance(fitter.ray_renderer, fitter.guides[0].__class__) and fitter.ray_renderer.cfg.neural_resolution == 8
    plain = fit.Fitter(config.TINY, seed=1, ray_side=8)
    plain.guide(True)
    assert not plain.guided, "a fit without guided samples has nothing to switch to"


def test_guided_samples_at_a_fitted_models_own_surface_render_what_its_renderer_renders():
    """The committed demo's density is a surface, so 8 + 8 samples placed by its own depth composite the same image as
    the config's 24 + 24 coarse and importance samples: what lets the fit train with a third of the decoder calls."""
    fitter, codes, _ = fit.load_state(os.path.join(HERE, "..", "exported", "demo", "state.pt"))
    fitter.set_jitter(False)
    g, cfg = fitter.g, fitter.cfg
    guided = fit.GuidedRenderer(cfg, g.decoder, 8, 8, 0.04)
    camera = torch.stack([torch.as_tensor(heads.camera(yaw, 0.1)).float() for yaw in (-0.4, 0.3)])
    with torch.no_grad():
        ws = fitter.ws(codes.z[:2])
        planes = g.synthesize(ws, codes.z_motion[:2], torch.tensor([0.2, 0.7]))
        features, depth, opacity = g.renderer(planes, camera)
        b = camera.shape[0]
        surface = (depth.reshape(b, -1), opacity.reshape(b, -1) > 0.5)
        guided_features, _, guided_opacity = guided(planes, camera, surface=surface)
        uniform_features = guided(planes, camera)[0]
        own, mixed, spread = (g.torgb(f, ws[:, 0]) for f in (features, guided_features, uniform_features))
    psnr = lambda a, b: fit.psnr(float((a - b).square().mean()))  # noqa: E731
    assert psnr(mixed, own) > 30, psnr(mixed, own)
    assert psnr(mixed, own) > psnr(spread, own) + 3, "the surface samples, not luck, make the match"
    assert float((guided_opacity - opacity).abs().mean()) < 0.02


def test_views_of_one_frame_share_one_synthesis_and_lose_nothing_by_it():
    cfg = config.TINY
    fitter = fit.Fitter(cfg, seed=5, ray_side=8)
    torch.manual_seed(1)
    z = torch.randn(2, cfg.z_dim).repeat_interleave(2, dim=0)  # two frames, two views each
    zm = torch.randn(2, cfg.motion_dim).repeat_interleave(2, dim=0)
    side = cfg.output_resolution
    batch = {"rgb": torch.rand(4, 3, side, side) * 2 - 1, "mask": torch.ones(4, 1, side, side),
             "depth": torch.full((4, 1, side, side), 2.7), "t": torch.tensor([0.2, 0.2, 0.9, 0.9]),
             "camera": torch.stack([torch.as_tensor(heads.camera(y, 0.0)).float() for y in (-0.3, 0.2, 0.0, 0.4)]),
             "mouth_box": torch.tensor([[0, 0, side // 2, side // 2]] * 4)}
    calls = []
    synthesize = fitter.g.synthesize
    fitter.g.synthesize = lambda ws, *a: calls.append(ws.shape[0]) or synthesize(ws, *a)

    def terms(loss, views):
        fitter.g.zero_grad()
        out = loss(views)
        flat = [out[0], out[1], *out[-1]] + ([out[2]] if len(out) == 4 else [])
        sum(flat).backward()
        grad = fitter.g.backbone.parameters().__next__().grad.clone()
        return torch.stack([x.detach() for x in flat]), grad

    for loss in (lambda views: fitter.ray_loss(z, zm, batch, torch.Generator().manual_seed(3), views=views),
                 lambda views: fitter.image_loss(z, zm, batch, views=views)):
        calls.clear()
        shared, shared_grad = terms(loss, 2)
        alone, alone_grad = terms(loss, 1)
        assert calls == [2, 4], "one synthesis a frame, then one a sample"
        assert torch.allclose(shared, alone, rtol=1e-5, atol=1e-7)
        assert float((shared_grad - alone_grad).abs().max()) <= 1e-4 * float(alone_grad.abs().max())


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
