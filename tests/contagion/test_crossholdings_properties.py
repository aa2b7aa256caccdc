"""Property tests for the cross-holdings models (EGJ and XOS): the shared contagion contract and EGJ's identities."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dealweb.contagion.crossholdings import cross_holdings, xos

SETTINGS = settings(max_examples=50, deadline=None)
_share = st.floats(0.0, 1.0)


@st.composite
def holdings(draw: st.DrawFn, n: int, *, diagonal: bool = False, max_col: float = 0.9) -> np.ndarray:
    """A non-negative n × n ownership matrix whose columns sum to at most ``max_col``."""
    raw = draw(arrays(np.float64, (n, n), elements=st.one_of(st.just(0.0), st.floats(0.01, 1.0))))
    if not diagonal:
        np.fill_diagonal(raw, 0.0)
    # Column totals are 0 or at least 1e-6: a holding of 1e-38 times a failure cost lands a value at ±1e-38 of
    # a zero threshold, which the Neumann series (stopping at tol) and LU legitimately put on opposite sides.
    scale = draw(arrays(np.float64, n, elements=st.one_of(st.just(0.0), st.floats(1e-6, max_col))))
    sums = raw.sum(axis=0)
    return np.asarray(raw * np.where(sums > 0, scale / np.where(sums > 0, sums, 1.0), 0.0))


@st.composite
def egj_cases(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 7))
    return {"C": draw(holdings(n)), "x0": draw(arrays(np.float64, n, elements=st.floats(0.0, 100.0))),
            "shock": draw(arrays(np.float64, n, elements=_share)),
            "theta": draw(arrays(np.float64, n, elements=_share)),
            "beta": draw(arrays(np.float64, n, elements=st.floats(0.0, 50.0)))}


def _egj(case: dict[str, Any], shock: np.ndarray | None = None, **kw: Any) -> Any:
    s = case["shock"] if shock is None else shock
    return cross_holdings(case["C"], case["x0"] * (1 - s), baseline=case["x0"], thresholds=case["theta"],
                          failure_costs=case["beta"], **kw)


def _A(C: np.ndarray) -> np.ndarray:
    n = C.shape[0]
    return np.asarray(np.diag(1 - C.sum(axis=0)) @ np.linalg.inv(np.eye(n) - C))


@SETTINGS
@given(egj_cases())
def test_egj_market_values_sum_to_primitive_assets_net_of_failure_costs(case: dict[str, Any]) -> None:
    r = _egj(case)
    x = case["x0"] * (1 - case["shock"])
    scale = 1 + np.abs(x).sum() + case["beta"].sum()
    assert abs(r.extra["value_after"].sum() - (x - case["beta"] * r.failed).sum()) <= 1e-9 * scale
    assert abs(r.extra["value_before"].sum() - case["x0"].sum()) <= 1e-9 * scale
    np.testing.assert_allclose(r.extra["value_after"], (1 - case["C"].sum(axis=0)) * r.extra["book_value"])
    np.testing.assert_allclose(r.loss, r.extra["value_before"] - r.extra["value_after"])


@SETTINGS
@given(egj_cases())
def test_egj_values_and_losses_are_non_negative_where_they_must_be(case: dict[str, Any]) -> None:
    r = _egj(case)
    tol = 1e-9 * (1 + case["x0"].sum() + case["beta"].sum())
    assert np.all(r.loss >= -tol) and np.all(r.extra["loss_from_failures"] >= -tol)
    assert np.all(r.extra["value_before"] >= -tol)
    assert np.all(np.abs(r.extra["book_value"]) >= np.abs(r.extra["value_after"]) - tol)  # v = Ĉ V, 0 < Ĉ_ii ≤ 1
    free = _egj({**case, "beta": np.zeros_like(case["beta"])})  # without failure costs nothing goes negative
    assert np.all(free.extra["value_after"] >= -tol) and np.all(free.extra["book_value"] >= -tol)
    assert np.all(r.failed == (r.failure_round >= 0)) and r.rounds == max(0, int(r.failure_round.max()))


@SETTINGS
@given(egj_cases(), arrays(np.float64, 7, elements=_share))
def test_egj_losses_and_failures_grow_with_the_shock(case: dict[str, Any], extra: np.ndarray) -> None:
    s = case["shock"]
    bigger = np.minimum(1.0, s + extra[: s.size])
    small, large = _egj(case, s), _egj(case, bigger)
    tol = 1e-9 * (1 + case["x0"].sum() + case["beta"].sum())
    assert np.all(large.loss >= small.loss - tol)
    assert np.all(large.failed >= small.failed)


@SETTINGS
@given(egj_cases())
def test_egj_no_shock_means_no_failure_and_no_loss(case: dict[str, Any]) -> None:
    r = _egj(case, np.zeros_like(case["shock"]))
    assert not r.failed.any() and r.rounds == 0 and np.all(r.top_source == -1)
    assert np.all(np.abs(r.loss) <= 1e-9 * (1 + case["x0"].sum()))


@SETTINGS
@given(egj_cases(), st.randoms(use_true_random=False))
def test_egj_relabelling_permutes_the_result(case: dict[str, Any], random: Any) -> None:
    n = case["x0"].size
    perm = np.array(random.sample(range(n), n))
    moved_case = {"C": case["C"][np.ix_(perm, perm)], **{k: case[k][perm] for k in ("x0", "shock", "theta", "beta")}}
    r, moved = _egj(case), _egj(moved_case)
    np.testing.assert_allclose(moved.loss, r.loss[perm], rtol=1e-9, atol=1e-9)
    assert moved.failure_round.tolist() == r.failure_round[perm].tolist()
    # Same top source up to ties: compare the share A_ij β_j each picked.
    share = _A(case["C"]) * case["beta"][None, :]
    for k, i in enumerate(perm):  # moved node k is original node i
        j, j_moved = r.top_source[i], moved.top_source[k]
        assert (j == -1) == (j_moved == -1)
        if j >= 0:
            assert abs(share[i, j] - share[i, perm[j_moved]]) <= 1e-9 * (1 + share[i, j])


@SETTINGS
@given(egj_cases())
def test_egj_without_cross_holdings_firms_are_independent(case: dict[str, Any]) -> None:
    n = case["x0"].size
    r = _egj({**case, "C": np.zeros((n, n))})
    x = case["x0"] * (1 - case["shock"])
    failed = x < case["theta"] * case["x0"]
    assert r.failed.tolist() == failed.tolist() and r.rounds == 0 and np.all(r.top_source == -1)
    np.testing.assert_allclose(r.extra["value_after"], x - case["beta"] * failed)


@SETTINGS
@given(egj_cases())
def test_egj_solvers_agree(case: dict[str, Any]) -> None:
    lu, series = _egj(case, solver="lu"), _egj(case, solver="iterative")
    np.testing.assert_allclose(series.extra["value_after"], lu.extra["value_after"], rtol=1e-8, atol=1e-8)
    assert series.failure_round.tolist() == lu.failure_round.tolist()


@st.composite
def xos_cases(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    return {"Ms": draw(holdings(n, diagonal=True, max_col=0.8)), "Md": draw(holdings(n, diagonal=True, max_col=0.8)),
            "a0": draw(arrays(np.float64, n, elements=st.floats(0.0, 10.0))),
            "d": draw(arrays(np.float64, n, elements=st.floats(0.0, 10.0))),
            "shock": draw(arrays(np.float64, n, elements=_share))}


def _xos(case: dict[str, Any], shock: np.ndarray | None = None) -> Any:
    s = case["shock"] if shock is None else shock
    return xos(case["Ms"], case["Md"], case["a0"] * (1 - s), case["d"], external_assets_baseline=case["a0"])


@SETTINGS
@given(xos_cases())
def test_xos_values_are_a_consistent_non_negative_fixed_point(case: dict[str, Any]) -> None:
    r = _xos(case)
    V, S, R = r.extra["firm_value"], r.extra["equity_value"], r.extra["debt_value"]
    a, d = case["a0"] * (1 - case["shock"]), case["d"]
    assert np.all(S >= 0) and np.all(R >= 0) and np.all(R <= d) and np.all(V >= a - 1e-12)
    np.testing.assert_allclose(S + R, V, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a + case["Ms"] @ S + case["Md"] @ R, V, rtol=1e-9, atol=1e-9)
    assert r.failed.tolist() == (V < d).tolist()
    assert np.all(r.loss >= -1e-9)


@SETTINGS
@given(xos_cases(), arrays(np.float64, 6, elements=_share))
def test_xos_losses_and_failures_grow_with_the_shock(case: dict[str, Any], extra: np.ndarray) -> None:
    s = case["shock"]
    small, large = _xos(case, s), _xos(case, np.minimum(1.0, s + extra[: s.size]))
    assert np.all(large.loss >= small.loss - 1e-9)
    assert np.all(large.failed >= small.failed)


@SETTINGS
@given(xos_cases())
def test_xos_no_shock_means_no_loss_and_no_new_failure(case: dict[str, Any]) -> None:
    r = _xos(case, np.zeros_like(case["shock"]))
    assert np.all(r.loss == 0) and np.all(r.top_source == -1)
    covered = xos(case["Ms"], case["Md"], case["a0"], np.minimum(case["d"], case["a0"]),
                  external_assets_baseline=case["a0"])
    assert not covered.failed.any() and covered.rounds == 0  # own assets cover the debt: nobody fails


@SETTINGS
@given(xos_cases(), st.randoms(use_true_random=False))
def test_xos_relabelling_permutes_the_result(case: dict[str, Any], random: Any) -> None:
    n = case["a0"].size
    perm = np.array(random.sample(range(n), n))
    moved_case = {"Ms": case["Ms"][np.ix_(perm, perm)], "Md": case["Md"][np.ix_(perm, perm)],
                  **{k: case[k][perm] for k in ("a0", "d", "shock")}}
    r, moved = _xos(case), _xos(moved_case)
    np.testing.assert_allclose(moved.extra["firm_value"], r.extra["firm_value"][perm], rtol=1e-9, atol=1e-9)
    assert moved.failed.tolist() == r.failed[perm].tolist()


@SETTINGS
@given(xos_cases())
def test_xos_without_cross_holdings_firms_are_independent(case: dict[str, Any]) -> None:
    n, a, d = case["a0"].size, case["a0"] * (1 - case["shock"]), case["d"]
    r = xos(np.zeros((n, n)), np.zeros((n, n)), a, d)
    assert r.extra["firm_value"].tolist() == a.tolist()
    assert r.extra["equity_value"].tolist() == np.maximum(0, a - d).tolist()
    assert r.extra["debt_value"].tolist() == np.minimum(a, d).tolist()


@SETTINGS
@given(egj_cases())
def test_xos_with_equity_only_and_no_debt_is_egj_book_value(case: dict[str, Any]) -> None:
    # With Mᵈ = 0 and d = 0, V = a + Mˢ V: EGJ's book value V = (I − C)⁻¹ Dp with C = Mˢ.
    n = case["x0"].size
    egj = cross_holdings(case["C"], case["x0"], thresholds=0.0, failure_costs=0.0)
    r = xos(case["C"], np.zeros((n, n)), case["x0"], 0.0)
    np.testing.assert_allclose(r.extra["firm_value"], egj.extra["book_value"], rtol=1e-9, atol=1e-9)
