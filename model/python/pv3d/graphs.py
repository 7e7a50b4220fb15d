"""The graph roles the farm runs, as modules with named inputs and outputs (the ONNX contract)."""
from __future__ import annotations

from torch import nn

from .generator import Pv3dGenerator


class MappingGraph(nn.Module):
    inputs, outputs = ("z", "c", "truncation_psi"), ("ws",)

    def __init__(self, g: Pv3dGenerator):
        super().__init__()
        self.g = g

    def forward(self, z, c, truncation_psi):
        return self.g.map(z, c, truncation_psi)


class SynthesisGraph(MappingGraph):
    inputs, outputs = ("ws", "z_motion", "t"), ("planes",)

    def forward(self, ws, z_motion, t):
        return self.g.synthesize(ws, z_motion, t)


class RenderGraph(MappingGraph):
    inputs, outputs = ("planes", "ws", "camera"), ("features", "raw_rgb", "depth", "opacity")

    def forward(self, planes, ws, camera):
        return self.g.render(planes, ws, camera)


class SuperResolutionGraph(MappingGraph):
    inputs, outputs = ("features", "raw_rgb", "ws"), ("rgb",)

    def forward(self, features, raw_rgb, ws):
        return self.g.upsample(features, raw_rgb, ws)


class DensityGraph(MappingGraph):
    inputs, outputs = ("planes", "points"), ("sigma",)

    def forward(self, planes, points):
        return self.g.density(planes, points)


FORWARD_GRAPHS = {
    "mapping": MappingGraph,
    "synthesis": SynthesisGraph,
    "render": RenderGraph,
    "superres": SuperResolutionGraph,
    "density": DensityGraph,
}
