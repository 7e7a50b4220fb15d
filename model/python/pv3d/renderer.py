"""Tri-plane volume rendering (EG3D/PV3D conventions), deterministic and export-friendly.

Rewrites for ONNX (see docs/model.md): transmittance T_i = exp(-(Σ_{j≤i} σ_jδ_j − σ_iδ_i)) instead of cumprod;
inverse-CDF importance sampling by compare-and-sum instead of searchsorted; a fixed stratified grid (no jitter)
unless `jitter` is asked for in training; plane projections precomputed.

Forward graphs are exported in an equivalent form that ONNX Runtime's CPU kernels run faster (`ort_form`, measured in
docs/benchmarks.md, issue 5): the tri-plane lookup as one row Gather over channels-last, zero-padded planes plus a
per-point weighted sum (`sample_planes_rows`) instead of GridSample, the decoder's softplus from Relu/Abs/Exp/Log
(`softplus_exp_log`) instead of ORT's scalar Softplus kernel, and the depth sort's feature gather by rows. PyTorch
eager keeps grid_sample and F.softplus: it is the reference the exported graphs are checked against.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

# EG3D's projection onto the three planes (kept for checkpoint compatibility): (x,y), (x,z), (z,x).
PLANE_AXES = ((0, 1), (0, 2), (2, 0))


def camera_rays(camera: torch.Tensor, resolution: int, uv: torch.Tensor):
    """Ray origins and unit directions [B, R, 3] from a [B,25] camera through normalised image positions uv: [R, 2]
    shared by the batch (pixel centres, row-major), or [B, R, 2], each sample its own (fitting's random rays: one
    call for the batch instead of one per sample)."""
    cam2world = camera[:, :16].reshape(-1, 4, 4)
    intrinsics = camera[:, 16:25].reshape(-1, 3, 3)
    fx, fy = intrinsics[:, 0, 0:1], intrinsics[:, 1, 1:2]
    cx, cy, sk = intrinsics[:, 0, 2:3], intrinsics[:, 1, 2:3], intrinsics[:, 0, 1:2]
    if uv.dim() == 3:
        x_cam, y_cam = uv[..., 0], uv[..., 1]  # [B, R]
    else:  # the exported graphs' form, op for op
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


def sample_planes_rows(planes: torch.Tensor, points: torch.Tensor, box_warp: float) -> torch.Tensor:
    """The mean over the three planes of `sample_planes_grid` (zeros padding, align_corners=False): → [B, P, C].

    One Gather of 12 rows per point (3 planes × 4 corners) from a channels-last table of the planes padded with
    zeros (one row/column before, two after), then the bilinear weights (divided by 3 for the mean) times those rows
    as one batched MatMul. Coordinates are clamped to [−1, size]: a point farther out then has its whole weight
    on padding, so it samples zeros as grid_sample does, and no corner index leaves the table.
    """
    b, n, c, h, w = planes.shape
    hp, wp = h + 3, w + 3
    table = F.pad(planes, (1, 2, 1, 2)).permute(0, 1, 3, 4, 2).reshape(b * n * hp * wp, c)
    p = points * (2.0 / box_warp)  # as project_points, so the coordinates agree to the last bit
    u = p[..., [axes[0] for axes in PLANE_AXES]]  # [B, P, 3]
    v = p[..., [axes[1] for axes in PLANE_AXES]]
    x = ((u + 1.0) * (w * 0.5) - 0.5).clamp(-1.0, float(w))
    y = ((v + 1.0) * (h * 0.5) - 0.5).clamp(-1.0, float(h))
    x0, y0 = torch.floor(x), torch.floor(y)
    fx, fy = x - x0, y - y0
    gx, gy = 1.0 - fx, 1.0 - fy
    local = ((y0 + 1.0) * wp + (x0 + 1.0)).to(torch.int64)  # top-left corner's row within its padded plane
    base = (torch.arange(b, device=planes.device).reshape(b, 1, 1) * n
            + torch.arange(n, device=planes.device).reshape(1, 1, n)) * (hp * wp)
    corners = torch.tensor([0, 1, wp, wp + 1], device=planes.device)
    index = ((local + base).unsqueeze(-1) + corners).reshape(b, -1, n * 4)  # [B, P, 12]
    weight = (torch.stack([gx * gy, fx * gy, gx * fy, fx * fy], dim=-1) * (1.0 / n)).reshape(b, -1, 1, n * 4)
    return torch.matmul(weight, table[index]).squeeze(2)


def softplus_exp_log(x: torch.Tensor) -> torch.Tensor:
    """softplus(x) = max(x, 0) + log(1 + exp(−|x|)): vectorised Relu/Abs/Exp/Log kernels in ORT (its Softplus is
    scalar). Within 6e-8 absolute of F.softplus (the rounding of 1 + exp(−|x|))."""
    return torch.relu(x) + torch.log(1.0 + torch.exp(-torch.abs(x)))


class PlaneDecoder(nn.Module):
    """Mean of the three plane features → FC softplus → FC: σ and features (sigmoid·1.002 − 0.001)."""

    def __init__(self, plane_channels, hidden, feature_channels):
        super().__init__()
        from .layers import FullyConnectedLayer
        self.fc0 = FullyConnectedLayer(plane_channels, hidden, activation="softplus")
        self.fc1 = FullyConnectedLayer(hidden, 1 + feature_channels)

    def forward(self, sampled):  # [B, 3, P, C]
        return self.decode_mean(sampled.mean(dim=1))

    def decode_mean(self, mean, ort_form: bool = False):  # [B, P, C]
        if ort_form:
            fc0 = self.fc0
            x = softplus_exp_log(torch.matmul(mean, (fc0.weight * fc0.weight_gain).t()) + fc0.bias * fc0.bias_gain)
        else:
            x = self.fc0(mean)
        x = self.fc1(x)
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

    `sampler` picks grid_sample (eager forward), four gathers (gradient graphs) or the row gather of
    `sample_planes_rows` (a fitting option, `pv3d.fit --lookup rows`); all give the same values.
    `ort_form` (set while the forward graphs are exported) picks the equivalent ORT-friendly form (module docstring).
    `jitter` (training only) perturbs the stratified depths within their bins.
    """

    SAMPLERS = ("grid", "gather", "rows")

    def __init__(self, cfg, decoder: PlaneDecoder):
        super().__init__()
        self.cfg = cfg
        self.decoder = decoder
        self.sampler = "grid"
        self.ort_form = False
        self.jitter = False
        self.register_buffer("uv", pixel_uv(cfg.neural_resolution), persistent=False)
        self.register_buffer("coarse", torch.linspace(cfg.ray_start, cfg.ray_end, cfg.samples_uniform),
                             persistent=False)

    def decode(self, planes, points):
        if self.ort_form:
            return self.decoder.decode_mean(sample_planes_rows(planes, points, self.cfg.box_warp), ort_form=True)
        if self.sampler == "rows":
            return self.decoder.decode_mean(sample_planes_rows(planes, points, self.cfg.box_warp))
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
        if self.ort_form:  # one row Gather instead of Expand + an element-wise GatherElements
            s2 = depths.shape[2]
            rows = order.squeeze(-1) + torch.arange(b * r, device=order.device).reshape(b, r, 1) * s2
            feat = feat_all.reshape(b * r * s2, -1)[rows]
        else:
            feat = torch.gather(feat_all, 2, order.expand(-1, -1, -1, feat_all.shape[-1]))
        return self.images(sigma, feat, depths)

    def images(self, sigma, feat, depths):
        """Composites sorted samples [B,R,S,·] into the feature image, expected depth and opacity ([B,·,n,n])."""
        cfg = self.cfg
        feat, depth, opacity, _ = composite(sigma, feat, depths, cfg.ray_start, cfg.ray_end)
        n = cfg.neural_resolution
        to_image = lambda x: x.transpose(1, 2).reshape(sigma.shape[0], -1, n, n)
        # Features come out in [-1, 1], as EG3D's ray marcher returns them.
        return to_image(feat * 2.0 - 1.0), to_image(depth), to_image(opacity)
