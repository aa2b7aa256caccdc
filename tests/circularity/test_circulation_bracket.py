"""The primal-dual solver and the certified bracket ``[circular_volume, upper_bound]``.

Properties on random small networks: the primal-dual optimum equals OR-Tools' cost scaling on the
same rounded amounts, the bracket always contains the exact optimum (HiGHS's LP), also when the
amounts are rounded coarsely, and any node potentials give a valid upper bound.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.circularity.test_circulation_properties import integer_amounts, networks

from dealweb.circularity._primal_dual import dual_gap, potentials_by_relaxation, primal_dual
from dealweb.circularity.circulation import max_circulation
from dealweb.network import Network
from dealweb.scale.synth import synthetic_network

SETTINGS = settings(max_examples=60, deadline=None)


def lp_optimum(net: Network) -> tuple[float, float]:
    """The LP's circular volume and its tolerance (HiGHS's feasibility tolerance on normalised amounts)."""
    return max_circulation(net, solver="lp").circular_volume, 1e-6 * max(net.gross, 1.0)


@SETTINGS
@given(networks())
def test_primal_dual_equals_cost_scaling(net: Network) -> None:
    pd_, ort = max_circulation(net), max_circulation(net, solver="ortools")
    assert pd_.solver == "primal-dual" and pd_.scale == ort.scale
    # Both are exact on the same integer amounts: the optimum (not the decomposition) is unique.
    assert pd_.circular_volume == pytest.approx(ort.circular_volume, rel=1e-12, abs=1e-12)
    assert pd_.gap_bound == pytest.approx(ort.gap_bound, rel=1e-9, abs=1e-9 * max(net.gross, 1.0))


@SETTINGS
@given(networks(), st.sampled_from(["primal-dual", "ortools", "lp"]))
def test_bracket_contains_the_exact_optimum(net: Network, solver: str) -> None:
    exact, tol = lp_optimum(net)
    res = max_circulation(net, solver=solver)  # type: ignore[arg-type]
    assert res.circular_volume - tol <= exact <= res.upper_bound + tol
    assert res.gap_bound >= 0 and res.upper_bound == res.circular_volume + res.gap_bound


@SETTINGS
@given(networks(), st.sampled_from([1.0, 0.1, 10.0]), st.sampled_from(["primal-dual", "ortools"]))
def test_coarse_rounding_is_still_bracketed(net: Network, scale: float, solver: str) -> None:
    # Rounding down to whole units (or tens) loses volume; the certificate must still cover the optimum.
    exact, tol = lp_optimum(net)
    res = max_circulation(net, solver=solver, scale=scale)  # type: ignore[arg-type]
    assert res.circular_volume <= exact + tol
    assert exact <= res.upper_bound + tol
    assert res.rounding_error == res.gap_bound


@SETTINGS
@given(networks(amounts=integer_amounts), st.sampled_from(["primal-dual", "ortools"]))
def test_integer_amounts_are_certified_exact(net: Network, solver: str) -> None:
    res = max_circulation(net, solver=solver, scale=1.0)  # type: ignore[arg-type]
    assert res.gap_bound == 0 and res.upper_bound == res.circular_volume
    assert res.certificate == "exact (dual gap 0)"


@SETTINGS
@given(networks(), st.integers(0, 2**32 - 1))
def test_any_potentials_bound_the_optimum(net: Network, seed: int) -> None:
    # Weak duality: Σ w·max(0, 1 + π_head − π_tail) ≥ every circulation, whatever π is.
    exact, tol = lp_optimum(net)
    keep = net.src != net.dst
    t, h, w = net.src[keep], net.dst[keep], net.amount[keep]
    pi = np.random.default_rng(seed).integers(-3, 4, size=net.n_nodes)
    zero = np.zeros_like(w)  # the empty circulation: the gap is the whole bound
    assert dual_gap(t, h, w, zero, pi) >= exact - tol


@SETTINGS
@given(networks(amounts=integer_amounts))
def test_relaxation_potentials_of_a_poor_circulation_are_still_valid(net: Network) -> None:
    # From the empty circulation the residual graph has negative cycles when the network has any:
    # Bellman–Ford stops at its round limit and the potentials are a looser but valid certificate.
    exact, tol = lp_optimum(net)
    keep = net.src != net.dst
    t, h = net.src[keep].astype(np.int64), net.dst[keep].astype(np.int64)
    cap = net.amount[keep].astype(np.int64)
    zero = np.zeros_like(cap)
    pi = potentials_by_relaxation(net.n_nodes, t, h, cap, zero, max_rounds=5)
    assert dual_gap(t, h, cap.astype(float), zero.astype(float), pi) >= exact - tol


def test_primal_dual_known_answer_and_phases() -> None:
    # Two cycles sharing a→b: a→b→a (2 edges) and a→b→c→a (3 edges), every amount 1.
    # Shortest-cycle-first greedy takes the 2-cycle (volume 2); the maximum takes the 3-cycle (3).
    t, h, cap = np.array([0, 1, 1, 2]), np.array([1, 0, 2, 0]), np.array([1, 1, 1, 1])
    c, pi, phases = primal_dual(3, t, h, cap)
    assert c.tolist() == [1, 0, 1, 1]
    assert dual_gap(t, h, cap.astype(float), c.astype(float), pi) == 0
    assert phases >= 1


def test_progress_reports_each_phase() -> None:
    seen: list[tuple[str, float | None]] = []
    flows = np.array([[0, 5, 0, 0], [0, 0, 3, 0], [4, 0, 0, 2], [0, 0, 0, 0]])
    max_circulation(flows, progress=lambda stage, frac: seen.append((stage, frac)))
    stages = [s for s, _ in seen]
    assert stages[0] == "max circulation: strong components"
    assert "max circulation: primal-dual (phase 1)" in stages
    assert stages[-1] == "max circulation: totals"
    assert all(f is None or 0 <= f <= 1 for _, f in seen)


@SETTINGS
@given(networks(amounts=integer_amounts), st.sampled_from([0.9, 0.5, 0.1]))
def test_early_stop_is_a_certified_bracket(net: Network, gap: float) -> None:
    # With a loose target the solver may stop after its first phases; whatever it returns is a
    # circulation within the amounts whose certified gap meets the target and contains the optimum.
    exact, tol = lp_optimum(net)
    res = max_circulation(net, gap=gap, scale=1.0)
    assert res.circular_volume <= exact + tol <= res.upper_bound + 2 * tol
    assert res.gap_bound <= 0.5 * gap * res.circular_volume + 1e-9
    assert np.all(res.circular >= 0) and np.all(res.circular <= net.amount)
    flow_in = np.bincount(res.dst, weights=res.circular, minlength=net.n_nodes)
    flow_out = np.bincount(res.src, weights=res.circular, minlength=net.n_nodes)
    np.testing.assert_allclose(flow_in, flow_out, atol=1e-9)


def test_early_stop_on_a_synthetic_network() -> None:
    net = synthetic_network(3_000, 30_000, seed=4)
    exact = max_circulation(net)
    loose = max_circulation(net, gap=0.01)
    assert exact.gap_bound == 0 and loose.phases <= exact.phases
    assert loose.circular_volume <= exact.circular_volume <= loose.upper_bound
    assert loose.gap_bound <= 0.005 * loose.circular_volume


def test_gap_option_errors() -> None:
    flows = np.array([[0, 1.0], [1.0, 0]])
    for bad in (0.0, 1.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="gap must be a relative gap strictly between 0 and 1"):
            max_circulation(flows, gap=bad)
    with pytest.raises(ValueError, match="solver='primal-dual' only"):
        max_circulation(flows, gap=0.01, solver="ortools")
