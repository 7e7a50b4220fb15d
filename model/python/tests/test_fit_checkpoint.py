"""A fit writes OUT/state.pt while it trains (--checkpoint-minutes), whole at every moment, and a checkpoint is what
--resume continues from.

    cd model/python && python3 -m pytest -q tests/test_fit_checkpoint.py
"""
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pv3d import fit, heads  # noqa: E402

torch.set_num_threads(1)


def tiny_fit_args(data, out, *extra):
    return ["--data", data, "--out", out, "--config", "tiny", "--minutes", "0", "--batch", "1", "--image-batch", "1",
            "--ray-side", "4", "--log-every", "1", "--no-eval", *extra]


def test_checkpoints_are_written_while_training_and_resume_continues_from_one(tmp_path, monkeypatch):
    data = str(tmp_path / "heads.npz")
    heads.build_dataset(data, 128, antialias=False, log=None, identities=1, heldout_identities=0, motions=1,
                        clips_per_identity=1, times_per_clip=1, views=1, heldout_views=0)
    out = tmp_path / "fit"
    saved = []
    real_save = fit.save_state

    def recording_save(path, *args):
        real_save(path, *args)
        info = args[-1]
        saved.append((info.get("checkpoint", False), info["steps"]))
        if info.get("checkpoint") and info["steps"] == 1:
            shutil.copy(path, tmp_path / "after-step-1.pt")

    monkeypatch.setattr(fit, "save_state", recording_save)
    fit.main(tiny_fit_args(data, str(out), "--steps", "3", "--checkpoint-minutes", "1e-9"))

    assert saved == [(True, 1), (True, 2), (True, 3), (False, 3)]
    assert sorted(os.listdir(out)) == ["log.jsonl", "state.pt"], "no partial file is left behind"
    final = torch.load(out / "state.pt", map_location="cpu", weights_only=False)
    assert final["fit"]["steps"] == 3 and "checkpoint" not in final["fit"]

    resumed = tmp_path / "resumed"
    fit.main(tiny_fit_args(data, str(resumed), "--steps", "2", "--checkpoint-minutes", "0",
                           "--resume", str(tmp_path / "after-step-1.pt")))
    state = torch.load(resumed / "state.pt", map_location="cpu", weights_only=False)
    assert state["fit"]["steps"] == 2
    assert state["fit"]["resumed_from"]["checkpoint"] is True
    assert state["fit"]["resumed_from"]["steps"] == 1
    assert saved[4:] == [(False, 2)], "--checkpoint-minutes 0 writes the state at the end only"
