"""EG3D camera conventions: LookAt poses (OpenCV camera axes, world y up) and the 25-float camera vector."""
from __future__ import annotations

import math

import numpy as np


def intrinsics(focal: float) -> np.ndarray:
    return np.array([[focal, 0.0, 0.5], [0.0, focal, 0.5], [0.0, 0.0, 1.0]], dtype=np.float64)


def look_at(yaw: float, pitch: float, radius: float, pivot, focal: float) -> np.ndarray:
    """25 floats: cam2world (row-major 4x4) then normalised intrinsics. yaw = pitch = π/2 is frontal.

    origin = radius·(sin p·cos(π−y), cos p, sin p·sin(π−y)); forward = normalize(pivot − origin);
    right = −normalize(up × forward) with up = (0,1,0); up' = normalize(forward × right).
    """
    pitch = min(max(pitch, 1e-5), math.pi - 1e-5)
    origin = radius * np.array([math.sin(pitch) * math.cos(math.pi - yaw), math.cos(pitch),
                                math.sin(pitch) * math.sin(math.pi - yaw)])
    forward = np.asarray(pivot, dtype=np.float64) - origin
    forward /= np.linalg.norm(forward)
    right = -np.cross(np.array([0.0, 1.0, 0.0]), forward)
    right /= np.linalg.norm(right)
    up = np.cross(forward, right)
    up /= np.linalg.norm(up)
    cam2world = np.eye(4)
    cam2world[:3, 0], cam2world[:3, 1], cam2world[:3, 2], cam2world[:3, 3] = right, up, forward, origin
    return np.concatenate([cam2world.reshape(-1), intrinsics(focal).reshape(-1)]).astype(np.float32)


def camera_at(cfg, yaw_offset: float = 0.0, pitch_offset: float = 0.0) -> np.ndarray:
    return look_at(math.pi / 2 + yaw_offset, math.pi / 2 + pitch_offset, cfg.camera_radius, cfg.pivot, cfg.focal)


def canonical_camera(cfg) -> np.ndarray:
    """The frontal conditioning camera: at (0, 0, radius) looking at the pivot."""
    return camera_at(cfg)


def orbit(cfg, frames: int) -> np.ndarray:
    """PV3D's demo orbit: yaw = π/2 + 0.35·sin(2πi/n), pitch = π/2 − 0.05 + 0.25·cos(2πi/n)."""
    return np.stack([look_at(math.pi / 2 + 0.35 * math.sin(2 * math.pi * i / frames),
                             math.pi / 2 - 0.05 + 0.25 * math.cos(2 * math.pi * i / frames),
                             cfg.camera_radius, cfg.pivot, cfg.focal) for i in range(frames)])


def clip_times(cfg, frames: int) -> np.ndarray:
    """t_i = (i mod clip_frames)/(clip_frames − 1): a clip spans t ∈ [0, 1]; longer videos cycle."""
    return np.array([(i % cfg.clip_frames) / (cfg.clip_frames - 1) for i in range(frames)], dtype=np.float32)
