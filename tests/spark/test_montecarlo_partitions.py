"""The network Monte Carlo's runs do not depend on how they are split between workers (no Spark needed): whatever
whole blocks of 32 run numbers a worker gets, in whatever order, each run's total and failures are the same bits."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dealweb.scale.synth import balance_sheets, synthetic_network
from dealweb.spark.montecarlo import _CHUNK, _clear_runs, monte_carlo_clearing

NET = synthetic_network(200, 1_500, seed=5)
E = balance_sheets(NET, seed=5)["cash"].to_numpy()
RUNS = 150  # blocks 0–4, the last one short


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=-(-RUNS // _CHUNK), max_size=-(-RUNS // _CHUNK)))
def test_any_split_of_whole_blocks_gives_the_same_runs(owner: list[int]) -> None:
    whole = monte_carlo_clearing(NET.src, NET.dst, NET.amount, E, runs=RUNS, seed=2)
    totals, failures = np.full(RUNS, np.nan), np.full(RUNS, -1)
    loss_sum = np.zeros(E.size)
    for worker in set(owner):
        blocks = [b for b, w in enumerate(owner) if w == worker]
        mine = np.concatenate([np.arange(b * _CHUNK, min((b + 1) * _CHUNK, RUNS)) for b in blocks])
        t, f, s, _ = _clear_runs(NET.src, NET.dst, NET.amount, E, mine, seed=2, low=0.5, high=1.0)
        totals[mine], failures[mine] = t, f
        loss_sum += s
    np.testing.assert_array_equal(totals, whole.total_loss)
    np.testing.assert_array_equal(failures, whole.failures)
    np.testing.assert_allclose(loss_sum / RUNS, whole.mean_loss, rtol=1e-12, atol=0)
