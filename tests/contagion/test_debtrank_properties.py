"""Shared contagion contract for DebtRank, and the Bardoscia et al. (2015) fixed-point characterisation.

Contract: no negative losses, zero shock ⇒ zero loss and no failures, invariance under relabelling,
monotone in the shock. Battiston et al. (2012) breaks plain monotonicity (see
``test_debtrank_known.py::test_battiston_is_not_monotone_in_the_shock``); it is monotone when the
set of shocked nodes stays the same, which is what is tested for it here.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dealweb.contagion.debtrank import debtrank

SETTINGS = settings(max_examples=50, deadline=None)
VARIANTS = st.sampled_from(["battiston2012", "bardoscia2015"])
# Bardoscia near ρ = 1 converges (or saturates) very slowly; the toys stay away from it.
SOLVER = {"max_iter": 200_000, "tol": 1e-12}


@st.composite
def networks(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exposures, equity and a shock on 1–7 nodes."""
    n = draw(st.integers(1, 7))
    cells = draw(st.lists(st.sampled_from([0.0, 0.0, 0.0, 0.5, 1.0, 3.0, 7.5]), min_size=n * n, max_size=n * n))
    A = np.array(cells).reshape(n, n)
    np.fill_diagonal(A, 0)
    E = np.array(draw(st.lists(st.floats(0.5, 20.0), min_size=n, max_size=n)))
    shock = np.array(draw(st.lists(st.sampled_from([0.0, 0.0, 0.05, 0.25, 0.6, 1.0]), min_size=n, max_size=n)))
    return A, E, shock


def _rho(A: np.ndarray, E: np.ndarray) -> float:
    return float(max(abs(np.linalg.eigvals(A / E[:, None]))))


def _run(A: np.ndarray, E: np.ndarray, shock: np.ndarray, variant: str):  # type: ignore[no-untyped-def]
    if variant == "bardoscia2015":
        assume(abs(_rho(A, E) - 1) > 0.02)
    return debtrank(A, E, shock, variant=variant, **SOLVER)  # type: ignore[arg-type]


@SETTINGS
@given(networks(), VARIANTS)
def test_bounds_and_bookkeeping(net: tuple[np.ndarray, np.ndarray, np.ndarray], variant: str) -> None:
    A, E, shock = net
    r = _run(A, E, shock, variant)
    h = r.relative_loss
    assert (h >= shock - 1e-15).all() and (h <= 1).all()
    assert (r.loss >= 0).all()
    np.testing.assert_allclose(r.loss, h * E)
    assert (r.failed == (h >= 1)).all()
    assert ((r.failure_round == 0) == (shock >= 1)).all()
    assert ((r.failure_round >= 0) == r.failed).all() and r.failure_round.max() <= r.rounds
    assert r.params["debtrank"] >= 0
    # top_source is a counterparty i is exposed to, set exactly when contagion added to i's loss.
    has = r.top_source >= 0
    assert (has == (h > shock)).all()
    assert (A[np.flatnonzero(has), r.top_source[has]] > 0).all()


@SETTINGS
@given(networks(), VARIANTS)
def test_zero_shock_zero_loss(net: tuple[np.ndarray, np.ndarray, np.ndarray], variant: str) -> None:
    A, E, _ = net
    r = debtrank(A, E, np.zeros(len(E)), variant=variant)  # type: ignore[arg-type]
    assert (r.loss == 0).all() and not r.failed.any() and r.rounds == 0 and r.params["debtrank"] == 0


@SETTINGS
@given(networks(), VARIANTS, st.randoms(use_true_random=False))
def test_relabelling_invariance(net: tuple[np.ndarray, np.ndarray, np.ndarray], variant: str, rnd) -> None:  # type: ignore[no-untyped-def]
    A, E, shock = net
    n = len(E)
    perm = np.array(rnd.sample(range(n), n))  # new node k is old node perm[k]
    r = _run(A, E, shock, variant)
    p = debtrank(A[np.ix_(perm, perm)], E[perm], shock[perm], variant=variant, **SOLVER)  # type: ignore[arg-type]
    np.testing.assert_allclose(p.relative_loss, r.relative_loss[perm], atol=1e-9)
    np.testing.assert_allclose(p.params["debtrank"], r.params["debtrank"], atol=1e-9)
    clear = np.abs(r.relative_loss[perm] - 1) > 1e-9  # away from the failure boundary, rounding cannot flip it
    assert (p.failed == r.failed[perm])[clear].all()
    if variant == "battiston2012":  # finite, order-free waves: the rounds are identical
        assert (p.failure_round == r.failure_round[perm]).all() and p.rounds == r.rounds


@SETTINGS
@given(networks(), st.lists(st.floats(0, 1), min_size=7, max_size=7))
def test_bardoscia_monotone_in_the_shock(net: tuple[np.ndarray, np.ndarray, np.ndarray], bump: list[float]) -> None:
    A, E, shock = net
    bigger = np.minimum(1.0, shock + np.array(bump[: len(E)]) * 0.3)
    lo = _run(A, E, shock, "bardoscia2015")
    hi = _run(A, E, bigger, "bardoscia2015")
    assert (hi.relative_loss >= lo.relative_loss - 1e-9).all()
    assert (hi.failed | ~lo.failed).all() or (np.abs(lo.relative_loss - 1) < 1e-9).any()


@SETTINGS
@given(networks(), st.floats(1.0, 3.0))
def test_battiston_monotone_for_a_fixed_set_of_shocked_nodes(net: tuple[np.ndarray, np.ndarray, np.ndarray],
                                                             factor: float) -> None:
    A, E, shock = net
    bigger = np.minimum(1.0, shock * factor)  # same support, each entry at least as large
    lo = debtrank(A, E, shock, variant="battiston2012")
    hi = debtrank(A, E, bigger, variant="battiston2012")
    assert (hi.relative_loss >= lo.relative_loss - 1e-12).all()


@SETTINGS
@given(networks())
def test_bardoscia_is_least_fixed_point_and_bounds_battiston(net: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    # The differential iteration equals Picard iteration of h ↦ min(1, h(1) + Λh) from 0, so its limit
    # solves h = min(1, h(1) + Λh); Battiston's single propagation with capped impacts stays below it.
    A, E, shock = net
    d = _run(A, E, shock, "bardoscia2015")
    lam = A / E[:, None]
    h = d.relative_loss
    np.testing.assert_allclose(h, np.minimum(1.0, shock + lam @ h), atol=1e-9)
    picard = np.zeros(len(E))
    for _ in range(200_000):
        nxt = np.minimum(1.0, shock + lam @ picard)
        if np.max(np.abs(nxt - picard)) < 1e-13:
            break
        picard = nxt
    np.testing.assert_allclose(h, picard, atol=1e-9)
    b = debtrank(A, E, shock, variant="battiston2012")
    assert (b.relative_loss <= h + 1e-9).all()
    assert b.params["debtrank"] <= d.params["debtrank"] + 1e-9
