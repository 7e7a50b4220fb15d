"""The ORT-friendly forms the forward graphs are exported in give eager PyTorch's values (renderer.ort_form)."""
import torch
import torch.nn.functional as F

from pv3d import config as configs
from pv3d.generator import build
from pv3d.renderer import project_points, sample_planes_grid, sample_planes_rows, softplus_exp_log


def test_row_lookup_is_the_mean_of_grid_sample_with_zeros_padding_inside_at_and_beyond_the_borders():
    gen = torch.Generator().manual_seed(3)
    planes = torch.randn([2, 3, 5, 7, 6], generator=gen)  # a non-square plane catches swapped axes
    box_warp = 1.6
    points = (torch.rand([2, 400, 3], generator=gen) - 0.5) * box_warp * 1.4  # a fifth of them outside the box
    edges = torch.tensor([-0.5, 0.5, -0.5 - 1 / 14, 0.5 + 1 / 14, 0.0, 5.0, -5.0]) * box_warp
    grid = torch.stack(torch.meshgrid(edges, edges, edges, indexing="ij"), -1).reshape(1, -1, 3).expand(2, -1, -1)
    points = torch.cat([points, grid], dim=1)
    expected = sample_planes_grid(planes, project_points(points, box_warp)).mean(dim=1)
    actual = sample_planes_rows(planes, points, box_warp)
    assert actual.shape == expected.shape == (2, points.shape[1], 5)
    assert torch.allclose(actual, expected, atol=1e-6, rtol=0)
    far = points.abs().amin(dim=-1) > box_warp  # every coordinate beyond the padding: zeros on all planes
    assert far.any() and torch.all(actual[far] == 0)


def test_exp_log_softplus_matches_softplus_over_its_range():
    x = torch.cat([torch.linspace(-100, 100, 20001), torch.tensor([0.0, 20.0, 20.5, 88.0, 1e4, -1e4])])
    assert torch.allclose(softplus_exp_log(x), F.softplus(x), atol=1e-7, rtol=1e-6)


def test_render_and_density_in_ort_form_match_eager():
    g = build(configs.TINY, 0).eval()
    gen = torch.Generator().manual_seed(5)
    planes = torch.randn([2, 3, 16, 64, 64], generator=gen)
    ws = torch.randn([2, configs.TINY.num_ws, configs.TINY.w_dim], generator=gen)
    camera = torch.tensor([[1.0, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 2.7, 0, 0, 0, 1, 4.2647, 0, 0.5, 0, 4.2647, 0.5,
                            0, 0, 1]]).expand(2, -1)
    points = (torch.rand([2, 300, 3], generator=gen) - 0.5) * 1.2
    with torch.no_grad():
        eager = g.render(planes, ws, camera) + (g.density(planes, points),)
        g.renderer.ort_form = True
        fast = g.render(planes, ws, camera) + (g.density(planes, points),)
    for a, b in zip(fast, eager):
        assert a.shape == b.shape
        assert torch.allclose(a, b, atol=1e-4 * max(1.0, float(b.abs().max())), rtol=0)
