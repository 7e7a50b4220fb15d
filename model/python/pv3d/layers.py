"""StyleGAN2 building blocks in an export-friendly form.

Differences from the NVlabs reference, all for ONNX export with a dynamic batch and for plain-op gradients:
- modulated convolutions are *unfused* (scale input by style, convolve with the constant weight, demodulate),
  so the graph keeps constant weights instead of grouped convs with groups = batch;
- StyleGAN2's 2x upsampling (zero insertion, padding, the separable [1,3,3,1] FIR filter with gain 4) is written
  as two matrix products with constant matrices (`FirUpsample`), the same values as upfirdn2d with its paddings;
  its gradient is again two matmuls. Plain bilinear resizes (`Resize`) serve the super-resolution input only.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

LRELU_SLOPE = 0.2
LRELU_GAIN = math.sqrt(2.0)


def lrelu(x: torch.Tensor) -> torch.Tensor:
    return F.leaky_relu(x, LRELU_SLOPE) * LRELU_GAIN


def normalize_2nd_moment(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    return x * (x.square().mean(dim=1, keepdim=True) + eps).rsqrt()


def bilinear_matrix(size_in: int, size_out: int) -> np.ndarray:
    """Row i holds the weights that F.interpolate(mode='bilinear', align_corners=False) gives output i."""
    m = np.zeros((size_out, size_in), dtype=np.float64)
    scale = size_in / size_out
    for i in range(size_out):
        src = max((i + 0.5) * scale - 0.5, 0.0)
        lo = min(int(math.floor(src)), size_in - 1)
        hi = min(lo + 1, size_in - 1)
        frac = src - lo
        m[i, lo] += 1.0 - frac
        m[i, hi] += frac
    return m.astype(np.float32)


class Resize(nn.Module):
    """Bilinear resize of the last two dims by constant matrices: out = A_h · x · A_wᵀ."""

    def __init__(self, size_in: int, size_out: int):
        super().__init__()
        a = torch.from_numpy(bilinear_matrix(size_in, size_out))
        self.register_buffer("a_h", a, persistent=False)
        self.register_buffer("a_wt", a.t().contiguous(), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.matmul(self.a_h, torch.matmul(x, self.a_wt))


def fir_upsample_matrix(size_in: int, pad0: int, pad1: int) -> np.ndarray:
    """1-D upfirdn (up=2, filter f = (1,3,3,1)/4, paddings p0, p1) as a matrix: [2n+p0+p1−3, n].

    Output k takes input i with weight Σ_j f_j·[k + j − p0 = 2i] (zero insertion, pad, correlate with f).
    """
    taps = np.array([1.0, 3.0, 3.0, 1.0]) / 4.0
    rows = 2 * size_in + pad0 + pad1 - 3
    m = np.zeros((rows, size_in), dtype=np.float64)
    for k in range(rows):
        for j, f in enumerate(taps):
            pos = k + j - pad0
            if pos % 2 == 0 and 0 <= pos // 2 < size_in:
                m[k, pos // 2] += f
    return m.astype(np.float32)


class FirUpsample(nn.Module):
    """StyleGAN2's 2x FIR upsampling of the last two dims: out = A · x · Aᵀ with A from `fir_upsample_matrix`."""

    def __init__(self, size_in: int, pad0: int, pad1: int):
        super().__init__()
        a = torch.from_numpy(fir_upsample_matrix(size_in, pad0, pad1))
        self.register_buffer("a_h", a, persistent=False)
        self.register_buffer("a_wt", a.t().contiguous(), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.matmul(self.a_h, torch.matmul(x, self.a_wt))


class FullyConnectedLayer(nn.Module):
    """Equalized-learning-rate linear layer: y = act(x · (W·lr/√in)ᵀ + b·lr)."""

    def __init__(self, in_features, out_features, activation="linear", lr_multiplier=1.0, bias_init=0.0):
        super().__init__()
        self.activation = activation
        self.weight = nn.Parameter(torch.randn([out_features, in_features]) / lr_multiplier)
        self.bias = nn.Parameter(torch.full([out_features], float(bias_init)))
        self.weight_gain = lr_multiplier / math.sqrt(in_features)
        self.bias_gain = lr_multiplier

    def forward(self, x):
        x = torch.matmul(x, (self.weight * self.weight_gain).t()) + self.bias * self.bias_gain
        if self.activation == "lrelu":
            x = lrelu(x)
        elif self.activation == "softplus":
            x = F.softplus(x)
        return x


def modulated_conv2d(x, weight, styles, demodulate: bool, padding: int):
    """Unfused modulated conv: conv(x·s, W) · d with d = 1/√(Σ_{i,k} (W·s)² + 1e-8) per (sample, out channel)."""
    x = x * styles.unsqueeze(-1).unsqueeze(-1)
    x = F.conv2d(x, weight, padding=padding)
    if demodulate:
        w_sq = weight.square().sum(dim=[2, 3])  # [out, in]
        dcoefs = (torch.matmul(styles.square(), w_sq.t()) + 1e-8).rsqrt()
        x = x * dcoefs.unsqueeze(-1).unsqueeze(-1)
    return x


class SynthesisLayer(nn.Module):
    """Modulated 3x3 conv (optionally after 2x upsampling) + constant noise + bias + lrelu."""

    def __init__(self, in_channels, out_channels, w_dim, resolution, up=1, use_noise=True, kernel_size=3):
        super().__init__()
        self.resolution = resolution
        self.use_noise = use_noise
        self.affine = FullyConnectedLayer(w_dim, in_channels, bias_init=1)
        self.weight = nn.Parameter(torch.randn([out_channels, in_channels, kernel_size, kernel_size]))
        self.bias = nn.Parameter(torch.zeros([out_channels]))
        self.register_buffer("noise_const", torch.randn([resolution, resolution]))
        self.noise_strength = nn.Parameter(torch.zeros([]))
        # Upsampling convs: FIR upsample to 2n+2 (paddings 3, 2), then a 'valid' 3x3 conv → 2n, as StyleGAN2.
        self.upsample = FirUpsample(resolution // 2, 3, 2) if up == 2 else None
        self.padding = 0 if up == 2 else kernel_size // 2

    def forward(self, x, w):
        styles = self.affine(w)
        if self.upsample is not None:
            x = self.upsample(x)
        x = modulated_conv2d(x, self.weight, styles, demodulate=True, padding=self.padding)
        if self.use_noise:
            x = x + self.noise_const * self.noise_strength
        return lrelu(x + self.bias.reshape(1, -1, 1, 1))


class ToRGBLayer(nn.Module):
    """1x1 modulated conv without demodulation (styles scaled by 1/√in), linear output."""

    def __init__(self, in_channels, out_channels, w_dim):
        super().__init__()
        self.affine = FullyConnectedLayer(w_dim, in_channels, bias_init=1)
        self.weight = nn.Parameter(torch.randn([out_channels, in_channels, 1, 1]))
        self.bias = nn.Parameter(torch.zeros([out_channels]))
        self.weight_gain = 1.0 / math.sqrt(in_channels)

    def forward(self, x, w):
        styles = self.affine(w) * self.weight_gain
        x = modulated_conv2d(x, self.weight, styles, demodulate=False, padding=0)
        return x + self.bias.reshape(1, -1, 1, 1)


class MotionLayer(nn.Module):
    """PV3D motion layer: motion_w = MLP(FC(z_motion·t)) modulates a 3x3 conv added residually to the features."""

    def __init__(self, channels, w_dim, motion_dim, resolution):
        super().__init__()
        self.embed = FullyConnectedLayer(motion_dim, w_dim, activation="lrelu")
        self.mlp0 = FullyConnectedLayer(w_dim, w_dim, activation="lrelu")
        self.mlp1 = FullyConnectedLayer(w_dim, w_dim)
        self.conv = SynthesisLayer(channels, channels, w_dim, resolution)

    def forward(self, x, motion):
        motion_w = self.mlp1(self.mlp0(self.embed(motion)))
        return x + self.conv(x, motion_w)


class SynthesisBlock(nn.Module):
    """StyleGAN2 'skip' block: [const | up-conv0] → (motion) → conv1 → img = up(img) + toRGB(x).
    With up=1 conv0 keeps the resolution and img is added as it is."""

    def __init__(self, in_channels, out_channels, w_dim, resolution, img_channels,
                 motion_dim=None, use_noise=True, up=2):
        super().__init__()
        self.resolution = resolution
        self.num_conv = 1 if in_channels == 0 else 2
        if in_channels == 0:
            self.const = nn.Parameter(torch.randn([out_channels, resolution, resolution]))
        else:
            self.conv0 = SynthesisLayer(in_channels, out_channels, w_dim, resolution, up=up, use_noise=use_noise)
            self.img_upsample = FirUpsample(resolution // 2, 2, 1) if up == 2 else None
        self.conv1 = SynthesisLayer(out_channels, out_channels, w_dim, resolution, use_noise=use_noise)
        self.torgb = ToRGBLayer(out_channels, img_channels, w_dim)
        self.motion = MotionLayer(out_channels, w_dim, motion_dim, resolution) if motion_dim else None

    def forward(self, x, img, ws, motion=None):
        """ws: [B, num_conv + 1, w_dim] — this block's convs and its toRGB."""
        w_iter = iter(ws.unbind(dim=1))
        if self.num_conv == 1:
            x = self.const.unsqueeze(0).repeat(ws.shape[0], 1, 1, 1)
            x = self.conv1(x, next(w_iter))
            if self.motion is not None:
                x = self.motion(x, motion)
        else:
            x = self.conv0(x, next(w_iter))
            if self.motion is not None:
                x = self.motion(x, motion)
            x = self.conv1(x, next(w_iter))
        y = self.torgb(x, next(w_iter))
        if img is not None:  # the skip path first: the exported graphs keep their Add operand order
            y = (img if self.img_upsample is None else self.img_upsample(img)) + y
        return x, y
