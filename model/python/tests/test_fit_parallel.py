"""Data-parallel fitting (pv3d.fit --processes): every process ends a step with the same averaged gradients and
follows rank 0's schedule.

    cd model/python && python3 -m pytest -q tests/test_fit_parallel.py
"""
import os
import sys

import torch
import torch.multiprocessing as mp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pv3d import fit  # noqa: E402


def _rank(rank, world, rendezvous, results):
    torch.distributed.init_process_group("gloo", init_method="file://" + rendezvous, rank=rank, world_size=world)
    try:
        ranks = fit.Ranks(rank, world)
        used, unused = torch.nn.Parameter(torch.zeros(3)), torch.nn.Parameter(torch.zeros(2))
        # each process its own loss: gradient (rank + 1) · [1, 2, 3]; `unused` gets none in this step
        ((rank + 1) * (used * torch.tensor([1.0, 2.0, 3.0])).sum()).backward()
        ranks.average_gradients([used, unused])
        results[rank] = (used.grad.tolist(), unused.grad.tolist(), ranks.progress(0.25 + rank))
    finally:
        torch.distributed.destroy_process_group()


def test_gradients_are_averaged_over_processes_and_rank_0_sets_the_progress(tmp_path):
    world = 2
    with mp.get_context("spawn").Manager() as manager:
        results = manager.dict()
        mp.spawn(_rank, args=(world, str(tmp_path / "rendezvous"), results), nprocs=world)
        got = dict(results)
    mean = (1 + 2) / 2
    for rank in range(world):
        grad, unused, progress = got[rank]
        assert grad == [mean * 1, mean * 2, mean * 3]
        assert unused == [0.0, 0.0]
        assert progress == 0.25


def test_one_process_leaves_gradients_and_progress_alone():
    ranks = fit.Ranks()
    p = torch.nn.Parameter(torch.ones(2))
    (3 * p.sum()).backward()
    ranks.average_gradients([p])
    assert p.grad.tolist() == [3.0, 3.0]
    assert ranks.progress(0.4) == 0.4
