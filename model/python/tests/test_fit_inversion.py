"""The demo fit's held-out identity gate inverts an appearance code with the generator frozen, as w (the farm's
way, default) or as z through the mapping network.

    cd model/python && python3 -m pytest -q tests/test_fit_inversion.py
"""
import argparse
import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pv3d import config, fit, heads  # noqa: E402

torch.set_num_threads(1)


def heldout_args(space, steps, loss="image"):
    return argparse.Namespace(seed=0, inversion_steps=steps, inversion_batch=2, inversion_lr=0.05,
                              inversion_space=space, inversion_loss=loss, mouth_weight=2.0, mask_weight=0.5,
                              raw_weight=0.5, motion_prior=1e-3, eval_images=2)


@pytest.mark.parametrize("loss", ["image", "rays"])
def test_heldout_identity_inversion_lowers_the_error_in_w_and_leaves_the_generator_alone(tmp_path, loss):
    path = str(tmp_path / "heads.npz")
    # one training identity and one held out, one clip each, at the tiny model's output resolution
    heads.build_dataset(path, 128, antialias=False, log=None, identities=1, heldout_identities=1, motions=1,
                        clips_per_identity=1, times_per_clip=1, views=2, heldout_views=1)
    data = fit.HeadsData(path)
    torch.manual_seed(0)
    fitter = fit.Fitter(config.preset("tiny"), seed=3)
    fitter.latents = fit.Codes(1, 1, fitter.cfg.z_dim, fitter.cfg.motion_dim, 0).distribution()
    before = {k: v.clone() for k, v in fitter.g.state_dict().items()}
    log = []

    start = fit.fit_heldout_identity(fitter, data, 1, heldout_args("w", 0, loss), log.append)
    fitted = fit.fit_heldout_identity(fitter, data, 1, heldout_args("w", 40, loss), log.append)

    assert fitted["fitted_views"] > start["fitted_views"] + 0.5, (start, fitted)
    assert all(torch.equal(before[k], v) for k, v in fitter.g.state_dict().items()), "the generator is frozen"
    assert all(p.requires_grad for p in fitter.g.parameters()), "training can go on afterwards"
    assert [(r["space"], r["loss"]) for r in log] == [("w", loss), ("w", loss)]
