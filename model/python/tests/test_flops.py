"""The FLOP counter counts 2 FLOPs per multiply-add of matmuls and convolutions, from the real shapes.

    cd model/python && python3 -m pytest -q tests/test_flops.py
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pv3d import config as configs  # noqa: E402
from pv3d.flops import FlopCounter, count  # noqa: E402


def test_matmul_and_grouped_conv_are_counted_exactly():
    a, b = torch.randn(3, 5, 7), torch.randn(7, 11)
    x = torch.randn(2, 8, 6, 6)
    w = torch.randn(12, 4, 3, 3)  # groups=2: each output sums 4·3·3 products
    with FlopCounter() as counter:
        torch.matmul(a, b)
        F.conv2d(x, w, padding=1, groups=2)
        torch.relu(x)  # elementwise: not counted
    assert counter.by_op["matmul"] == 2 * (3 * 5 * 11) * 7
    assert counter.by_op["conv2d"] == 2 * (2 * 12 * 6 * 6) * (4 * 3 * 3)
    assert counter.total == counter.by_op["matmul"] + counter.by_op["conv2d"]


def test_every_graph_role_of_the_tiny_model_has_a_count():
    flops = count(configs.preset("tiny"))
    assert set(flops) == {"mapping", "synthesis", "render", "superres"}
    assert all(role["flops"] > 0 for role in flops.values())
    # The synthesis backbone is convolutions first; super-resolution likewise.
    assert flops["synthesis"]["by_op"]["conv2d"] > flops["synthesis"]["by_op"]["matmul"]
