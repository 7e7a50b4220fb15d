"""Tri-plane volume rendering (EG3D/PV3D conventions), deterministic and export-friendly.

Rewrites for ONNX (see docs/model.md): transmittance T_i = exp(-(Σ_{j≤i} σ_jδ_j − σ_iδ_i)) instead of cumprod;
inverse-CDF importance sampling by compare-and-sum instead of searchsorted; a fixed stratified grid (no jitter)
unless `jitter` is asked for in training; plane projections precomputed.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

# EG3D's projection onto the three planes (kept for checkpoint compatibility): (x,y), (x,z), (z,x).
PLANE_AXES = ((0, 1), (0, 2), (2, 0))


def camera_rays(camera: torch.Tensor, resolution: int, uv: torch.Tensor):
    """Ray origins and unit directions for every pixel centre, row-major, from a [B,25] camera."""
    cam2world = camera[:, :16].reshape(-1, 4, 4)
    intrinsics = camera[:, 16:25].reshape(-1, 3, 3)
    fx, fy = intrinsics[:, 0, 0:1], intrinsics[:, 1, 1:2]
    cx, cy, sk = intrinsics[:, 0, 2:3], intrinsics[:, 1, 2:3], intrinsics[:, 0, 1:2]
    x_cam, y_cam = uv[:, 0].unsqueeze(0), uv[:, 1].unsqueeze(0)  # [1, R]
    x_lift = (x_cam - cx + cy * sk / fy - sk * y_cam / fy) / fx
    y_lift = (y_cam - cy) / fy
    ones = torch.ones_like(x_lift)
    cam_points = torch.stack([x_lift, y_lift, ones, ones], dim=-1)  # [B, R, 4]
    world = torch.matmul(cam_points, cam2world.transpose(1, 2))[..., :3]
    origins = cam2world[:, :3, 3].unsqueeze(1)
    dirs = world - origins
    dirs = dirs / dirs.norm(dim=-1, keepdim=True)
    return origins.expand_as(dirs), dirs


def pixel_uv(resolution: int) -> torch.Tensor:
    """Normalised pixel centres (x, y) ∈ (0,1), row-major: [R*R, 2]."""
    ys, xs = torch.meshgrid(torch.arange(resolution), torch.arange(resolution), indexing="ij")
    uv = torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=-1).float()
    return (uv + 0.5) / resolution


def project_points(points: torch.Tensor, box_warp: float) -> torch.Tensor:
    """[B, P, 3] world points → [B, 3, P, 2] plane coordinates in grid_sample's [-1,1] range."""
    p = points * (2.0 / box_warp)
    return torch.stack([torch.stack([p[..., a], p[..., b]], dim=-1) for a, b in PLANE_AXES], dim=1)


def sample_planes_grid(planes: torch.Tensor, coords: torch.Tensor) -> torch.Tensor:
    """Bilinear lookup with grid_sample (zeros padding, align_corners=False): → [B, 3, P, C]."""
    b, n, c, h, w = planes.shape
    out = F.grid_sample(planes.reshape(b * n, c, h, w), coords.reshape(b * n, 1, -1, 2),
                        mode="bilinear", padding_mode="zeros", align_corners=False)
    return out.reshape(b, n, c, -1).transpose(2, 3)


def sample_planes_gather(planes: torch.Tensor, coords: torch.Tensor) -> torch.Tensor:
    """The same lookup as `sample_planes_grid` from four gathers, so that its gradient is plain scatter-adds."""
    b, n, c, h, w = planes.shape
    x = (coords[..., 0] + 1.0) * (w * 0.5) - 0.5  # [B, 3, P]
    y = (coords[..., 1] + 1.0) * (h * 0.5) - 0.5
    x0, y0 = torch.floor(x), torch.floor(y)
    fx, fy = (x - x0).unsqueeze(2), (y - y0).unsqueeze(2)
    flat = planes.reshape(b, n, c, h * w)
    out = 0.0
    for dx, dy, weight in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                           (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
        xi, yi = x0 + dx, y0 + dy
        valid = ((xi >= 0) & (xi <= w - 1) & (yi >= 0) & (yi <= h - 1)).to(planes.dtype).unsqueeze(2)
        index = (yi.clamp(0, h - 1) * w + xi.clamp(0, w - 1)).long().unsqueeze(2).expand(-1, -1, c, -1)
        out = out + torch.gather(flat, 3, index) * (weight * valid)
    return out.transpose(2, 3)


class PlaneDecoder(nn.Module):
    """Mean of the three plane features → FC softplus → FC: σ and features (sigmoid·1.002 − 0.001)."""

    def __init__(self, plane_channels, hidden, feature_channels):
        super().__init__()
        from .layers import FullyConnectedLayer
        self.fc0 = FullyConnectedLayer(plane_channels, hidden, activation="softplus")
        self.fc1 = FullyConnectedLayer(hidden, 1 + feature_channels)

    def forward(self, sampled):  # [B, 3, P, C]
        x = self.fc1(self.fc0(sampled.mean(dim=1)))
        sigma = x[..., :1]
        features = torch.sigmoid(x[..., 1:]) * (1 + 2 * 0.001) - 0.001
        return sigma, features


def composite(sigma, features, depths, ray_start: float, ray_end: float):
    """Alpha compositing at interval midpoints; σ through softplus(σ−1) (EG3D's clamp mode).

    sigma [B,R,S,1], features [B,R,S,F], depths [B,R,S,1] sorted along S.
    Returns features [B,R,F], expected depth [B,R,1], opacity [B,R,1], interval weights [B,R,S-1,1].
    """
    deltas = depths[:, :, 1:] - depths[:, :, :-1]
    feat_mid = (features[:, :, :-1] + features[:, :, 1:]) * 0.5
    sigma_mid = F.softplus((sigma[:, :, :-1] + sigma[:, :, 1:]) * 0.5 - 1.0)
    depth_mid = (depths[:, :, :-1] + depths[:, :, 1:]) * 0.5
    optical = sigma_mid * deltas
    alpha = 1.0 - torch.exp(-optical)
    transmittance = torch.exp(optical - torch.cumsum(optical, dim=2))
    weights = alpha * transmittance
    opacity = weights.sum(dim=2)
    feat = (weights * feat_mid).sum(dim=2)
    # Expected depth of what the ray hit; rays that hit nothing (opacity → 0) clamp into the ray's range.
    depth = ((weights * depth_mid).sum(dim=2) / opacity.clamp(min=1e-4)).clamp(ray_start, ray_end)
    return feat, depth, opacity, weights


def importance_depths(depths, weights, count: int):
    """Deterministic inverse-CDF samples (u at bin centres) of the smoothed coarse weights, without gradient.

    depths [B,R,S,1] (interval edges), weights [B,R,S-1,1] → [B,R,count,1].
    """
    d = depths.squeeze(-1)
    w = weights.squeeze(-1)
    # EG3D smooths with a 2-wide max pool then a 2-wide average and adds 0.01 (never a zero-probability bin).
    padded = torch.cat([w[..., :1], w, w[..., -1:]], dim=-1)
    w_max = torch.maximum(padded[..., :-1], padded[..., 1:])
    w = (w_max[..., :-1] + w_max[..., 1:]) * 0.5 + 0.01
    pdf = w / w.sum(dim=-1, keepdim=True)
    cdf = torch.cumsum(pdf, dim=-1)
    cdf = torch.cat([torch.zeros_like(cdf[..., :1]), cdf], dim=-1)  # [B,R,S]
    u = (torch.arange(count, dtype=depths.dtype, device=depths.device) + 0.5) / count
    u = u.reshape(1, 1, count, 1)
    inner = cdf[..., 1:-1].unsqueeze(2)  # [B,R,1,S-2]
    idx = (u >= inner).to(torch.int64).sum(dim=-1)  # [B,R,count], interval index in [0, S-2]
    cdf_lo = torch.gather(cdf, 2, idx)
    cdf_hi = torch.gather(cdf, 2, idx + 1)
    d_lo = torch.gather(d, 2, idx)
    d_hi = torch.gather(d, 2, idx + 1)
    span = cdf_hi - cdf_lo
    frac = (u.squeeze(-1) - cdf_lo) / torch.where(span < 1e-5, torch.ones_like(span), span)
    return (d_lo + frac.clamp(0.0, 1.0) * (d_hi - d_lo)).unsqueeze(-1)


class TriplaneRenderer(nn.Module):
    """Planes + camera → feature image, expected depth and opacity at the neural resolution.

    `sampler` picks grid_sample (forward graphs) or four gathers (gradient graphs); both give the same values.
    `jitter` (training only) perturbs the stratified depths within their bins.
    """

    def __init__(self, cfg, decoder: PlaneDecoder):
        super().__init__()
        self.cfg = cfg
        self.decoder = decoder
        self.sampler = "grid"
        self.jitter = False
        self.register_buffer("uv", pixel_uv(cfg.neural_resolution), persistent=False)
        self.register_buffer("coarse", torch.linspace(cfg.ray_start, cfg.ray_end, cfg.samples_uniform),
                             persistent=False)

    def decode(self, planes, points):
        coords = project_points(points, self.cfg.box_warp)
        sampled = sample_planes_gather(planes, coords) if self.sampler == "gather" \
            else sample_planes_grid(planes, coords)
        return self.decoder(sampled)

    def march(self, planes, origins, dirs, depths):
        b, r, s, _ = depths.shape
        points = (origins.unsqueeze(2) + depths * dirs.unsqueeze(2)).reshape(b, r * s, 3)
        sigma, feat = self.decode(planes, points)
        return sigma.reshape(b, r, s, 1), feat.reshape(b, r, s, -1)

    def forward(self, planes, camera, rays=None):
        cfg = self.cfg
        origins, dirs = camera_rays(camera, cfg.neural_resolution, self.uv) if rays is None else rays
        b, r = dirs.shape[0], dirs.shape[1]
        coarse = self.coarse.reshape(1, 1, -1, 1).expand(b, r, -1, 1)
        if self.jitter:
            step = (cfg.ray_end - cfg.ray_start) / (cfg.samples_uniform - 1)
            coarse = coarse + (torch.rand_like(coarse) - 0.5) * step
        sigma_c, feat_c = self.march(planes, origins, dirs, coarse)
        with torch.no_grad():
            _, _, _, weights = composite(sigma_c, feat_c, coarse, cfg.ray_start, cfg.ray_end)
            fine = importance_depths(coarse, weights, cfg.samples_importance)
        sigma_f, feat_f = self.march(planes, origins, dirs, fine)
        depths = torch.cat([coarse, fine], dim=2)
        order = torch.argsort(depths, dim=2).detach()
        depths = torch.gather(depths, 2, order)
        sigma = torch.gather(torch.cat([sigma_c, sigma_f], dim=2), 2, order)
        feat_all = torch.cat([feat_c, feat_f], dim=2)
        feat = torch.gather(feat_all, 2, order.expand(-1, -1, -1, feat_all.shape[-1]))
        feat, depth, opacity, _ = composite(sigma, feat, depths, cfg.ray_start, cfg.ray_end)
        n = cfg.neural_resolution
        to_image = lambda x: x.transpose(1, 2).reshape(b, -1, n, n)
        # Features come out in [-1, 1], as EG3D's ray marcher returns them.
        return to_image(feat * 2.0 - 1.0), to_image(depth), to_image(opacity)
