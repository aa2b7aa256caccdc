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


def _agree(A: object, E: np.ndarray, shock: np.ndarray, **kw: object) -> tuple[object, object]:
    solved = debtrank(A, E, shock, variant="bardoscia2015", **kw)  # type: ignore[arg-type]
    stepped = debtrank(A, E, shock, variant="bardoscia2015", method="step", **kw)  # type: ignore[arg-type]
    # Stepping stops once no h moves by tol; what it leaves out is up to tol·r/(1 − r), with r its contraction.
    np.testing.assert_allclose(solved.relative_loss, stepped.relative_loss, rtol=0, atol=1e-9)
    assert np.array_equal(solved.failed, stepped.failed)
    assert np.array_equal(solved.failure_round, stepped.failure_round)
    assert np.array_equal(solved.top_source >= 0, stepped.top_source >= 0)
    assert solved.rounds <= stepped.rounds
    if not solved.params["tail_solved"]:
        assert solved.rounds == stepped.rounds
        np.testing.assert_array_equal(solved.relative_loss, stepped.relative_loss)
    return solved, stepped


@settings(max_examples=200, deadline=None)
@given(networks())
def test_the_solved_tail_agrees_with_stepping(net: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    A, E, shock = net
    assume(abs(_rho(A, E) - 1) > 0.02)
    _agree(A, E, shock, **SOLVER)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.6, 2.0))
def test_the_solved_tail_agrees_with_stepping_on_large_networks(seed: int, scale: float) -> None:
    # 3 000 nodes (BiCGSTAB, not LU, above 2 000 unsaturated nodes), mean degree 4, reciprocal pairs;
    # ``scale`` moves the web from stable to unstable, where hubs saturate first.
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    n, m = 3000, 12_000
    i, j = rng.integers(0, n, m), rng.integers(0, n, m)
    A = sp.csr_array((rng.lognormal(0, 1, 2 * m), (np.r_[i, j], np.r_[j, i])), shape=(n, n))
    E = scale * np.asarray(A.sum(axis=1)).ravel() * rng.uniform(0.5, 1.5, n) + 1e-3
    shock = np.where(rng.random(n) < 0.01, 0.5, 0.0)
    solved, _ = _agree(A, E, shock, max_iter=100_000)
    assert solved.params["tail_attempts"] >= solved.params["tail_solved"]


def test_a_rejected_tail_solve_steps_on() -> None:
    # Node 0 feeds a slowly filling loop 1 ⇄ 2 (Λ = 0.9 both ways): h2 → 0.9·0.05/0.19 ≈ 0.237. Node 3 has
    # Λ32 = 4.5 and fails once h2 passes 1/4.5, after about 30 updates without failures. At the first quiet
    # stretch the linear limit takes node 3 past 1: the solve is rejected and stepping goes on.
    A = np.array([[0, 0, 0, 0], [1.0, 0, 9.0, 0], [0, 9.0, 0, 0], [0, 0, 45.0, 0]])
    E = np.array([10.0, 10.0, 10.0, 10.0])
    shock = np.array([0.5, 0, 0, 0])
    solved, stepped = _agree(A, E, shock, max_iter=100_000)
    assert stepped.failed.tolist() == [False, False, False, True] and stepped.failure_round[3] > 20
    assert solved.params["tail_solved"] and solved.params["tail_attempts"] >= 2
