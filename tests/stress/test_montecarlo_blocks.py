"""Monte Carlo clearing on the bundled web: the component sweep equals the general batched clearing, and a run's
numbers do not depend on how runs are split into blocks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dealweb
from dealweb.contagion.sweep import RunSweep
from dealweb.model.recordset import RecordSet
from dealweb.stress import montecarlo, parse_scenario, stress
from dealweb.stress.montecarlo import monte_carlo

RECORDS = dealweb.bundled_records()
CLEARING = ["openai-fails", "openai-pays-40", "hyperscaler-capex-cut-30", "oracle-cannot-refinance"]


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return {name: monte_carlo(RECORDS, name, runs=400, seed=11) for name in CLEARING}


@pytest.mark.parametrize("name", CLEARING)
def test_the_sweep_equals_the_general_batched_clearing(name: str, reference: dict[str, Any],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fast = reference[name]
    # A sweep that declines every web sends Monte Carlo down the general path (clearing_batch), as before the sweep.
    monkeypatch.setattr(montecarlo, "RunSweep", lambda *a, **k: RunSweep(*a, **k, max_component=0))
    general = monte_carlo(RECORDS, name, runs=400, seed=11)
    np.testing.assert_array_equal(fast.failed, general.failed)
    np.testing.assert_array_equal(fast.new_failure, general.new_failure)
    scale = np.abs(general.losses).max()
    np.testing.assert_allclose(fast.losses, general.losses, rtol=1e-9, atol=1e-12 * scale)
    for key, value in general.headline().items():
        assert fast.headline()[key] == (pytest.approx(value, rel=1e-9) if isinstance(value, float) else value)


@settings(max_examples=8, deadline=None)
@given(st.sampled_from(CLEARING), st.integers(1, 40))
def test_block_size_does_not_change_any_run(name: str, blocks_of_32: int) -> None:
    """Blocks of 32·k run numbers or one block of all: the same bits, run by run."""
    whole = monte_carlo(RECORDS, name, runs=300, seed=4)
    saved = montecarlo._BLOCK_BYTES
    try:
        montecarlo._BLOCK_BYTES = 1  # the smallest block: 32 runs …
        montecarlo._BLOCK = 32 * blocks_of_32  # … times k
        split = monte_carlo(RECORDS, name, runs=300, seed=4)
    finally:
        montecarlo._BLOCK_BYTES, montecarlo._BLOCK = saved, 32
    np.testing.assert_array_equal(split.losses, whole.losses)
    np.testing.assert_array_equal(split.failed, whole.failed)


@pytest.mark.parametrize("seniority", ["pari_passu", "senior"])
def test_fixed_draws_equal_the_single_stress_run(web: RecordSet, seniority: str) -> None:
    """With nothing left to draw, every run is the single stress run (senior creditors take the general path)."""
    sc = parse_scenario({"name": "t", "as_of": "2026-01-01", "model": "eisenberg_noe", "params": {"seniority": seniority},
                         "shocks": [{"entity": "lab", "pays": 0.25}]})
    one = stress(web, sc)
    many = monte_carlo(web, sc, runs=40, seed=2, estimate_spread=0.0, up_to_low=1.0)
    assert many.params["model_params"] == {"seniority": seniority}
    np.testing.assert_allclose(many.losses, np.broadcast_to(one.loss[:, None], many.losses.shape), rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(many.failed, np.broadcast_to(one.failed[:, None], many.failed.shape))


def test_make_bench_rows_on_quick_inputs() -> None:
    """``targets(quick=True)`` checks the tight loop against the batch and gives both bars (no timing is asserted)."""
    from benchmarks.montecarlo_bench import targets

    ratio, seconds = targets(True)
    assert (ratio.unit, ratio.better, ratio.target, seconds.unit, seconds.target) == ("×", "higher", 20.0, "s", 0.1)
    assert ratio.measured > 0 and seconds.measured > 0 and "checked equal" in ratio.note
