"""The kernel rows of ``make bench``: one per kernel plus the many-defaults clearing, answers checked first."""

from __future__ import annotations

import math

import numpy as np
import pytest

from benchmarks import kernels_bench
from benchmarks.targets import Bar


def test_quick_rows_cover_every_kernel_and_the_many_defaults_clearing() -> None:
    rows = kernels_bench.targets(True)
    assert all(isinstance(r, Bar) for r in rows)
    assert [r.name.split(",")[0] for r in rows] == ["Eisenberg–Noe", "DebtRank Battiston", "DebtRank Bardoscia",
                                                   "Furfine", "Gai–Kapadia", "Eisenberg–Noe"]
    assert "many defaults" in rows[-1].name and rows[-1].target == 2.0
    for row in rows:
        assert math.isfinite(row.measured) and row.measured > 0 and row.unit == "×"
        assert "load" in row.note and "wall ratio" in row.note and "top_source" in row.note


def test_a_disagreement_is_an_error_not_a_ratio() -> None:
    with pytest.raises(AssertionError, match="disagree"):
        kernels_bench._check("demo", False, "payments differ")


def test_measure_interleaves_and_keeps_the_answers() -> None:
    calls: list[str] = []
    out = kernels_bench.measure(lambda: calls.append("ours") or 1, lambda: calls.append("base") or 2, 3)
    assert calls == ["ours", "base"] * 3 and out["ours"] == 1 and out["base"] == 2 and out["ratio"] > 0


def test_thread_check_times_both(capsys: pytest.CaptureFixture[str]) -> None:
    assert kernels_bench.main(["--threads", "--sizes", "2000", "--repeat", "1"]) == 0
    assert "one thread" in capsys.readouterr().out


def test_many_defaults_input_has_many_defaults() -> None:
    from dealweb.contagion import eisenberg_noe

    L, e = kernels_bench.many_defaults_inputs(3000, 30_000)
    res = eisenberg_noe(L, e, attribute=False)
    assert res.failed.sum() >= 30 and res.rounds >= 2 and np.all(e >= 0)
