"""Known answers for the cross-holdings models: hand-computed EGJ cascades and FinNetValu's XOS test.

EGJ = Elliott, Golub & Jackson (2014), AER 104(10):3115–3153, doi:10.1257/aer.104.10.3115.
XOS = Suzuki (2002), doi:10.15807/jorsj.45.123; Fischer (2014), doi:10.1111/mafi.12018.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from dealweb.contagion import crossholdings
from dealweb.contagion.crossholdings import CrossHoldingsConvergenceError, cross_holdings, xos
from dealweb.errors import ConvergenceError

# Two organisations: 0 owns 20 % of 1, 1 owns 30 % of 0.
#   C = [[0, .2], [.3, 0]]      Ĉ = diag(1 − .3, 1 − .2) = diag(.7, .8)
#   (I − C)⁻¹ = [[1, .2], [.3, 1]] / .94
#   A = Ĉ (I − C)⁻¹ = [[.7, .14], [.24, .8]] / .94      (columns sum to 1)
# Before the shock Dp⁰ = (94, 94): V⁰ = (120, 130), v⁰ = A Dp⁰ = (84, 104).
# Shock: 0's assets halve, Dp = (47, 94); θ = .8 → floors (67.2, 83.2); β = 47 each.
#   round 0: v = A (47, 94) = (46.06, 86.48) / .94 = (49, 92)        → 0 fails (49 < 67.2)
#   round 1: v = A (47 − 47, 94) = (13.16, 75.2) / .94 = (14, 80)    → 1 fails (80 < 83.2)
#   final:   v = A (0, 94 − 47) = (6.58, 37.6) / .94 = (7, 40); V = (I − C)⁻¹ (0, 47) = (10, 50)
#   top sources: A_01 β_1 = .14·47/.94 = 7 for 0, A_10 β_0 = .24·47/.94 = 12 for 1.
C2 = np.array([[0.0, 0.2], [0.3, 0.0]])


def test_two_organisations_fail_in_two_rounds() -> None:
    r = cross_holdings(C2, [47.0, 94.0], baseline=[94.0, 94.0], thresholds=0.8, failure_costs=47.0)
    np.testing.assert_allclose(r.extra["value_before"], [84, 104], rtol=1e-12)
    np.testing.assert_allclose(r.extra["value_after"], [7, 40], rtol=1e-12)
    np.testing.assert_allclose(r.extra["book_value"], [10, 50], rtol=1e-12)
    np.testing.assert_allclose(r.loss, [77, 64], rtol=1e-12)
    np.testing.assert_allclose(r.relative_loss, [77 / 84, 64 / 104], rtol=1e-12)
    # failure costs alone: A (47, 47) = (.84, 1.04)·47/.94 = (42, 52)
    np.testing.assert_allclose(r.extra["loss_from_failures"], [42, 52], rtol=1e-12)
    assert r.failed.tolist() == [True, True]
    assert r.failure_round.tolist() == [0, 1] and r.rounds == 1
    assert r.top_source.tolist() == [1, 0]


def test_without_failure_costs_the_second_round_does_not_happen() -> None:
    r = cross_holdings(C2, [47.0, 94.0], baseline=[94.0, 94.0], thresholds=0.8, failure_costs=0.0)
    np.testing.assert_allclose(r.extra["value_after"], [49, 92], rtol=1e-12)
    assert r.failure_round.tolist() == [0, -1] and r.top_source.tolist() == [-1, -1] and r.rounds == 0


# Three organisations in a chain: 0 owns 50 % of 1, 1 owns 50 % of 2.
#   C = [[0, .5, 0], [0, 0, .5], [0, 0, 0]]      Ĉ = diag(1, .5, .5)
#   (I − C)⁻¹ = I + C + C² = [[1, .5, .25], [0, 1, .5], [0, 0, 1]]
#   A = [[1, .5, .25], [0, .5, .25], [0, 0, .5]]
# Dp⁰ = (100, 100, 100): v⁰ = (175, 75, 50); θ = .6 → floors (105, 45, 30); β = (10, 80, 40).
# Shock: 2 loses everything, Dp = (100, 100, 0).
#   round 0: v = (150, 50, 0)                                  → 2 fails
#   round 1: Dp − b = (100, 100, −40), v = (140, 40, −20)       → 1 fails (40 < 45)
#   round 2: Dp − b = (100, 20, −40),  v = (100, 0, −20)        → 0 fails (100 < 105)
#   final:   Dp − b = (90, 20, −40),   v = (90, 0, −20), V = (90, 0, −40)
#   top sources: 0: A_01 β_1 = 40 > A_02 β_2 = 10 → 1; 1: A_12 β_2 = 10 → 2; 2 holds nobody → −1.
C3 = np.array([[0.0, 0.5, 0.0], [0.0, 0.0, 0.5], [0.0, 0.0, 0.0]])
CHAIN = {"baseline": [100.0, 100.0, 100.0], "thresholds": 0.6, "failure_costs": [10.0, 80.0, 40.0]}


@pytest.mark.parametrize("solver", ["auto", "lu", "iterative"])
def test_chain_fails_in_three_rounds(solver: str) -> None:
    r = cross_holdings(C3, [100.0, 100.0, 0.0], solver=solver, **CHAIN)  # type: ignore[arg-type]
    np.testing.assert_allclose(r.extra["value_before"], [175, 75, 50], rtol=1e-12)
    np.testing.assert_allclose(r.extra["value_after"], [90, 0, -20], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(r.extra["book_value"], [90, 0, -40], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(r.loss, [85, 75, 70], rtol=1e-12)
    assert r.failure_round.tolist() == [2, 1, 0] and r.rounds == 2
    assert r.top_source.tolist() == [1, 2, -1]
    assert r.params["truncated"] is False


def test_max_rounds_stops_the_cascade_but_charges_the_costs_so_far() -> None:
    r = cross_holdings(C3, [100.0, 100.0, 0.0], max_rounds=0, **CHAIN)  # type: ignore[arg-type]
    np.testing.assert_allclose(r.extra["value_after"], [140, 40, -20], rtol=1e-12)
    assert r.failure_round.tolist() == [-1, -1, 0] and r.rounds == 0
    assert r.params["truncated"] is True  # 1 is below its floor but the cascade was cut
    r = cross_holdings(C3, [100.0, 100.0, 0.0], max_rounds=1, **CHAIN)  # type: ignore[arg-type]
    assert r.failure_round.tolist() == [-1, 1, 0] and r.params["truncated"] is True


def test_holdings_matrix_and_prices_give_the_same_answer_as_values() -> None:
    # Two primitive assets: 0 and 1 hold only asset 0, 2 holds only asset 1, whose price falls from 1 to 0.
    D = sp.csr_array(np.array([[100.0, 0.0], [100.0, 0.0], [0.0, 100.0]]))
    r = cross_holdings(C3, D, [1.0, 0.0], baseline_prices=[1.0, 1.0], thresholds=0.6, failure_costs=[10.0, 80.0, 40.0])
    np.testing.assert_allclose(r.extra["value_after"], [90, 0, -20], rtol=1e-12, atol=1e-12)
    assert r.failure_round.tolist() == [2, 1, 0]
    r = cross_holdings(C3, D, baseline=[100.0, 100.0, 100.0], prices=[1.0, 0.0], thresholds=0.6, failure_costs=0.0)
    np.testing.assert_allclose(r.extra["value_after"], [150, 50, 0], rtol=1e-12, atol=1e-12)


def test_market_values_sum_to_the_primitive_assets_net_of_failure_costs() -> None:
    # 1ᵀĈ = 1ᵀ(I − C), so 1ᵀA = 1ᵀ: Σ v = Σ (Dp − b). Chain: 90 + 0 − 20 = 90 + 20 − 40 = 70.
    r = cross_holdings(C3, [100.0, 100.0, 0.0], **CHAIN)  # type: ignore[arg-type]
    assert r.extra["value_after"].sum() == pytest.approx(70.0, rel=1e-12)
    assert r.extra["value_before"].sum() == pytest.approx(300.0, rel=1e-12)


def test_sparse_lu_and_the_neumann_series_agree_with_dense_lu(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(8)
    n = 60
    C = sp.random_array((n, n), density=0.08, random_state=rng, format="csr")
    C.setdiag(0)
    C.eliminate_zeros()
    C = sp.csr_array(C @ sp.diags_array(0.7 / np.maximum(np.asarray(C.sum(axis=0)).ravel(), 1e-9)))
    x0 = rng.uniform(10, 20, n)
    x = x0 * rng.uniform(0.7, 1.0, n)
    kwargs = {"baseline": x0, "thresholds": 0.8, "failure_costs": 5.0}
    dense = cross_holdings(C, x, solver="lu", **kwargs)
    monkeypatch.setattr(crossholdings, "_DENSE_MAX", 10)  # force scipy's splu
    sparse = cross_holdings(C, x, solver="lu", **kwargs)
    series = cross_holdings(C, x, solver="iterative", **kwargs)
    assert 3 < dense.failed.sum() < n and dense.rounds >= 3  # a real cascade, with survivors
    for other in (sparse, series):
        np.testing.assert_allclose(other.extra["value_after"], dense.extra["value_after"], rtol=1e-9, atol=1e-9)
        assert other.failure_round.tolist() == dense.failure_round.tolist()
        assert other.top_source.tolist() == dense.top_source.tolist()
    assert series.params["solver"] == "iterative"


def test_neumann_series_raises_a_named_error_past_max_iter() -> None:
    C = np.array([[0.0, 0.99], [0.99, 0.0]])
    with pytest.raises(CrossHoldingsConvergenceError, match="max_iter=5") as info:
        cross_holdings(C, [1.0, 1.0], thresholds=0.5, failure_costs=0.0, solver="iterative", max_iter=5)
    assert isinstance(info.value, ConvergenceError)


@pytest.mark.parametrize(("C", "assets", "extra", "message"), [
    ([[0, 0, 0], [0.6, 0, 0], [0.5, 0, 0]], [1, 1, 1], {}, r"column 0 of cross_holdings sums to 1\.1"),
    ([[0, 1.0], [0, 0]], [1, 1], {}, "column 1 of cross_holdings sums to 1.0"),
    ([[0.1, 0], [0, 0]], [1, 1], {}, r"cross_holdings\[0, 0\].*cannot own itself"),
    ([[0, -0.1], [0, 0]], [1, 1], {}, r"cross_holdings\[0, 1\] = -0.1"),
    ([[0, 0.1, 0], [0, 0, 0]], [1, 1], {}, "must be square"),
    ([[0, 0.1], [0, 0]], [1, 1, 1], {}, r"primitive_assets must have shape \(2,\)"),
    ([[0, 0.1], [0, 0]], [1, -1], {}, r"primitive_assets\[1\] = -1.0"),
    ([[0, 0.1], [0, 0]], [1, np.nan], {}, r"primitive_assets\[1\] = nan"),
    ([[0, 0.1], [0, 0]], [1, 1], {"thresholds": 1.5}, r"thresholds\[0\] = 1.5.*within \[0, 1.0\]"),
    ([[0, 0.1], [0, 0]], [1, 1], {"failure_costs": [1, -2]}, r"failure_costs\[1\] = -2.0"),
    ([[0, 0.1], [0, 0]], [1, 1], {"prices": [1, 2]}, "need primitive_assets as a holdings matrix"),
    ([[0, 0.1], [0, 0]], [[1], [1]], {"baseline": [1, 1], "baseline_prices": [1]}, "not both"),
    ([[0, 0.1], [0, 0]], [[1], [1]], {"prices": [1, 1]}, r"prices must have shape \(1,\)"),
    ([[0, 0.1], [0, 0]], [1, 1], {"nodes": ["a", "a"]}, "2 distinct labels"),
    ([[0, 0.1], [0, 0]], [1, 1], {"max_rounds": -1}, "max_rounds"),
])
def test_bad_egj_inputs_are_named(C: object, assets: object, extra: dict[str, object], message: str) -> None:
    kwargs: dict[str, object] = {"thresholds": 0.5, "failure_costs": 1.0, **extra}
    with pytest.raises(ValueError, match=message):
        cross_holdings(C, assets, **kwargs)  # type: ignore[arg-type]


# Suzuki's (2002) four-firm example N, the test network of FinNetValu
# (bertschi/FinNetValu test/models/test_xos.jl, examples/replications.jmd "exampleN"):
MS = np.array([[0.0, 0.2, 0.3, 0.1], [0.2, 0.0, 0.2, 0.1], [0.1, 0.1, 0.0, 0.3], [0.1, 0.1, 0.1, 0.0]])
MD = np.array([[0.0, 0.0, 0.1, 0.0], [0.0, 0.0, 0.0, 0.1], [0.1, 0.0, 0.0, 0.1], [0.0, 0.1, 0.0, 0.0]])
A_N = np.array([2.0, 0.5, 0.6, 0.6])


def test_suzuki_example_matches_finnetvalu() -> None:
    # test_xos.jl: all(solvent(net, x)) with solvent = equity > 0, and debt == d exactly.
    r = xos(MS, MD, A_N, 0.8)
    assert not r.failed.any() and np.all(r.extra["equity_value"] > 0)
    assert r.extra["debt_value"].tolist() == [0.8, 0.8, 0.8, 0.8]
    # With every debt paid, S = (I − Mˢ)⁻¹ (a + Mᵈ d − d), solved in exact fractions by hand:
    # a + Mᵈd − d = (32/25, −11/50, −1/25, −3/25) → S = (13747/10335, 734/10335, 29/265, 107/3445).
    np.testing.assert_allclose(r.extra["equity_value"], [13747 / 10335, 734 / 10335, 29 / 265, 107 / 3445],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(r.extra["firm_value"], r.extra["equity_value"] + 0.8, rtol=1e-12)
    assert r.loss.tolist() == [0.0] * 4 and r.rounds == 0


def test_one_valuation_without_holdings_matches_finnetvalu() -> None:
    # test_xos.jl: valuation(net, zeros(8), a) == [1.2, 0, 0, 0, 0.8, 0.5, 0.6, 0.6]; valuing from zero
    # holdings' worth is the network without cross-holdings: S = max(0, a − d), R = min(d, a).
    r = xos(np.zeros((4, 4)), np.zeros((4, 4)), A_N, [0.8] * 4)
    assert np.concatenate([r.extra["equity_value"], r.extra["debt_value"]]) == pytest.approx(
        [1.2, 0.0, 0.0, 0.0, 0.8, 0.5, 0.6, 0.6], abs=1e-15)
    assert r.failed.tolist() == [False, True, True, True]


# Two firms: Mˢ = [[0, .2], [.2, 0]], Mᵈ = [[0, .4], [.4, 0]], d = (1, 1).
# Baseline a⁰ = (1, 2), both solvent: V₀ = 1 + .2(V₁ − 1) + .4, V₁ = 2 + .2(V₀ − 1) + .4
#   → V⁰ = (41/24, 61/24).
# Shock a = (.2, 2): firm 0 defaults, R₀ = V₀: V₀ = .2 + .2(V₁ − 1) + .4, V₁ = 2 + .4 V₀
#   → V = (20/23, 54/23), S = (0, 31/23), R = (20/23, 1).
def test_two_firms_one_defaults_on_its_debt() -> None:
    r = xos([[0, 0.2], [0.2, 0]], [[0, 0.4], [0.4, 0]], [0.2, 2.0], [1.0, 1.0], external_assets_baseline=[1.0, 2.0])
    np.testing.assert_allclose(r.extra["firm_value_before"], [41 / 24, 61 / 24], rtol=1e-11)
    np.testing.assert_allclose(r.extra["firm_value"], [20 / 23, 54 / 23], rtol=1e-11)
    np.testing.assert_allclose(r.extra["equity_value"], [0, 31 / 23], atol=1e-11)
    np.testing.assert_allclose(r.extra["debt_value"], [20 / 23, 1], rtol=1e-11)
    np.testing.assert_allclose(r.loss, [41 / 24 - 20 / 23, 61 / 24 - 54 / 23], rtol=1e-10)
    # 0 falls below its debt on its own shock (V = 41/24 − .8 < 1 at step 0); 1 loses most on 0's securities.
    assert r.failed.tolist() == [True, False] and r.failure_round.tolist() == [0, -1]
    assert r.top_source.tolist() == [1, 0]


def test_xos_raises_a_named_error_past_max_iter() -> None:
    with pytest.raises(CrossHoldingsConvergenceError, match="max_iter=3"):
        xos([[0, 0.9], [0.9, 0]], [[0, 0.0], [0.0, 0]], [1.0, 1.0], [0.5, 0.5], max_iter=3)


def test_xos_converges_when_the_shock_wipes_out_every_asset() -> None:
    # Found by Hypothesis: one firm holding half of itself, no debts, all outside assets lost.
    # V halves each step towards 0; the tolerance was relative to |V| + |a| + d, all of which go
    # to 0, so the run never converged. The starting values now set the scale.
    r = xos([[0.5]], [[0.0]], [0.0], [0.0], external_assets_baseline=[1.0])
    assert r.loss.tolist() == pytest.approx([2.0], abs=1e-9)  # V falls from 1 / (1 − 0.5) = 2 to 0


def test_xos_converges_when_only_a_vanishing_debt_is_left() -> None:
    # Found by Hypothesis in a stranger's clone: the same wipe-out with a debt of 9.2e-124 left. The
    # scale was that debt alone, so the run had to wait ~1,100 steps for V to fall below it.
    r = xos([[0.78125]], [[0.0]], [0.0], [9.20664294e-124], external_assets_baseline=[1.0])
    assert r.loss.tolist() == pytest.approx([1 / (1 - 0.78125)], abs=1e-9)


@pytest.mark.parametrize(("Ms", "Md", "a", "d", "message"), [
    ([[0, 1.0], [0, 0]], np.zeros((2, 2)), [1, 1], 1, "column 1 of equity_holdings sums to 1.0"),
    (np.zeros((2, 2)), [[0, 0.5], [0, 0.6]], [1, 1], 1, "column 1 of debt_holdings sums to 1.1"),
    (np.zeros((2, 2)), np.zeros((3, 3)), [1, 1], 1, "debt_holdings has shape"),
    (np.zeros((2, 2)), np.zeros((2, 2)), [1, -1], 1, r"external_assets\[1\] = -1.0"),
    (np.zeros((2, 2)), np.zeros((2, 2)), 1.0, 1, r"external_assets must have shape \(2,\)"),
    (np.zeros((2, 2)), np.zeros((2, 2)), [1, 1], [1, np.inf], r"debt_face\[1\] = inf"),
])
def test_bad_xos_inputs_are_named(Ms: object, Md: object, a: object, d: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        xos(Ms, Md, a, d)
