"""PV3D generator: mapping → motion-conditioned tri-plane backbone → volume renderer → super-resolution."""
from __future__ import annotations

import torch
from torch import nn

from .config import Pv3dConfig
from .layers import (FullyConnectedLayer, Resize, SynthesisBlock, ToRGBLayer, normalize_2nd_moment)
from .renderer import PlaneDecoder, TriplaneRenderer


class MappingNetwork(nn.Module):
    """(z, c) → ws: z and embed(c) each normalised by their second moment, concatenated, FC layers with lrelu."""

    def __init__(self, cfg: Pv3dConfig):
        super().__init__()
        self.num_ws = cfg.num_ws
        lr = cfg.mapping_lr_multiplier
        self.embed = FullyConnectedLayer(cfg.c_dim, cfg.w_dim)
        dims = [cfg.z_dim + cfg.w_dim] + [cfg.w_dim] * cfg.mapping_layers
        self.layers = nn.ModuleList(
            FullyConnectedLayer(dims[i], dims[i + 1], activation="lrelu", lr_multiplier=lr)
            for i in range(cfg.mapping_layers))
        self.register_buffer("w_avg", torch.zeros([cfg.w_dim]))

    def forward(self, z, c, truncation_psi):
        x = torch.cat([normalize_2nd_moment(z), normalize_2nd_moment(self.embed(c))], dim=1)
        for layer in self.layers:
            x = layer(x)
        # Truncation toward the average w: w_avg + ψ (w − w_avg), ψ per sample.
        x = self.w_avg + truncation_psi.unsqueeze(1) * (x - self.w_avg)
        return x.unsqueeze(1).repeat(1, self.num_ws, 1)


class TriplaneBackbone(nn.Module):
    """StyleGAN2 skip synthesis emitting 3·C channels at the plane resolution, with PV3D's motion layers."""

    def __init__(self, cfg: Pv3dConfig):
        super().__init__()
        self.cfg = cfg
        self.blocks = nn.ModuleList()
        in_ch = 0
        for res in cfg.block_resolutions():
            out_ch = cfg.channels(res)
            motion = cfg.motion_dim if res in cfg.motion_resolutions else None
            self.blocks.append(SynthesisBlock(in_ch, out_ch, cfg.w_dim, res, 3 * cfg.plane_channels, motion))
            in_ch = out_ch

    def forward(self, ws, z_motion, t):
        motion = z_motion * t.unsqueeze(1)
        x = img = None
        w_idx = 0
        for block in self.blocks:
            x, img = block(x, img, ws[:, w_idx:w_idx + block.num_conv + 1], motion)
            w_idx += block.num_conv
        r = self.cfg.plane_resolution
        return img.reshape(-1, 3, self.cfg.plane_channels, r, r)


class SuperResolution(nn.Module):
    """Features (resized to output/sr_scale) → two synthesis blocks → RGB, styled by ws[:, -1], no noise: both
    upsample 2x (sr_scale 4, EG3D's), or the first does and the second keeps the output resolution (sr_scale 2)."""

    def __init__(self, cfg: Pv3dConfig):
        super().__init__()
        r = cfg.sr_input_resolution
        self.resize = Resize(cfg.neural_resolution, r) if cfg.neural_resolution != r else None
        c0, c1 = cfg.sr_channels
        self.block0 = SynthesisBlock(cfg.feature_channels, c0, cfg.w_dim, 2 * r, 3, use_noise=False)
        up1 = 2 if cfg.sr_scale == 4 else 1
        self.block1 = SynthesisBlock(c0, c1, cfg.w_dim, 2 * r * up1, 3, use_noise=False, up=up1)

    def forward(self, features, raw_rgb, ws):
        w = ws[:, -1:].repeat(1, 3, 1)
        if self.resize is not None:
            features, raw_rgb = self.resize(features), self.resize(raw_rgb)
        x, img = self.block0(features, raw_rgb, w)
        _, img = self.block1(x, img, w)
        return img


class Pv3dGenerator(nn.Module):
    def __init__(self, cfg: Pv3dConfig):
        super().__init__()
        self.cfg = cfg
        self.mapping = MappingNetwork(cfg)
        self.backbone = TriplaneBackbone(cfg)
        self.decoder = PlaneDecoder(cfg.plane_channels, cfg.decoder_hidden, cfg.feature_channels)
        self.renderer = TriplaneRenderer(cfg, self.decoder)
        self.torgb = ToRGBLayer(cfg.feature_channels, 3, cfg.w_dim)
        self.superresolution = SuperResolution(cfg)

    # One method per exported graph role.
    def map(self, z, c, truncation_psi):
        return self.mapping(z, c, truncation_psi)

    def synthesize(self, ws, z_motion, t):
        return self.backbone(ws, z_motion, t)

    def render(self, planes, ws, camera, renderer=None):
        """`renderer` (fitting only) replaces the generator's own: same decoder, other sample counts or lookup."""
        features, depth, opacity = (renderer or self.renderer)(planes, camera)
        raw_rgb = self.torgb(features, ws[:, 0])
        return features, raw_rgb, depth, opacity

    def upsample(self, features, raw_rgb, ws):
        return self.superresolution(features, raw_rgb, ws)

    def density(self, planes, points):
        sigma, _ = self.renderer.decode(planes, points)
        return sigma

    def image(self, ws, z_motion, t, camera, renderer=None):
        planes = self.synthesize(ws, z_motion, t)
        features, raw_rgb, depth, opacity = self.render(planes, ws, camera, renderer)
        return self.upsample(features, raw_rgb, ws), raw_rgb, depth, opacity


def build(cfg: Pv3dConfig, seed: int = 0) -> Pv3dGenerator:
    """Seeded initialisation: the same config and seed give the same weights."""
    torch.manual_seed(seed)
    g = Pv3dGenerator(cfg).eval()
    with torch.no_grad():
        # A mapping-network average estimated from 4096 samples at the canonical camera, as StyleGAN tracks it.
        from .cameras import canonical_camera
        z = torch.randn([4096, cfg.z_dim])
        c = torch.as_tensor(canonical_camera(cfg)).float().unsqueeze(0).expand(4096, -1)
        g.mapping.w_avg.copy_(g.mapping(z, c, torch.ones(4096))[:, 0].mean(dim=0))
    return g
