"""Property tests for clearing: bounds, solver agreement, monotonicity, relabelling, loss accounting."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.sparse.linalg import bicgstab

from dealweb.contagion import clearing
from dealweb.contagion.clearing import ClearingConvergenceError, eisenberg_noe, rogers_veraart
from dealweb.contagion.result import ContagionResult

SETTINGS = settings(max_examples=50, deadline=None)
SENIORITY = st.sampled_from(["pari_passu", "senior"])
System = tuple[np.ndarray, np.ndarray, np.ndarray]


@st.composite
def systems(draw: st.DrawFn, *, max_n: int = 7) -> System:
    """(L, e, ℓ): a random web of obligations with some outside cash and outside debts."""
    n = draw(st.integers(1, max_n))
    values = draw(arrays(np.float64, (n, n), elements=st.floats(0.01, 100)))
    L = np.where(draw(arrays(np.bool_, (n, n))), values, 0.0)
    np.fill_diagonal(L, 0.0)
    # Outside amounts are 0 or at least 0.01: the LP cross-check resolves amounts only to about 1e-9 of the
    # largest obligation, so a leak of 1e-300 out of a closed loop of debts is beyond what it can see
    # (it pays the loop in full where the exact answer is 0; see docs/models/eisenberg-noe.md).
    e = draw(arrays(np.float64, n, elements=st.one_of(st.just(0.0), st.floats(0.01, 100))))
    ell = draw(arrays(np.float64, n, elements=st.one_of(st.just(0.0), st.floats(0.01, 50))))
    return L, e, ell


def _scale(L: np.ndarray, e: np.ndarray, ell: np.ndarray) -> float:
    return float(max(1.0, L.sum() + e.sum() + ell.sum()))


def _check_accounts(res: ContagionResult) -> None:
    """Shared contract: bounded payments, non-negative losses, every unpaid unit lands on a creditor."""
    p, pbar, x = res.extra["payments"], res.extra["obligations"], res.extra
    tiny = 1e-9 * max(1.0, float(pbar.sum()))
    assert np.all(p >= 0) and np.all(p <= pbar)
    assert np.all(res.loss >= -tiny) and np.all(x["outside_shortfall"] >= -tiny)
    assert abs(res.loss.sum() + x["outside_shortfall"].sum() - (pbar - p).sum()) <= tiny
    assert np.array_equal(res.failed, res.failure_round >= 0)
    assert np.array_equal(res.top_source >= 0, res.loss > 0)
    assert np.all(res.failure_round[res.extra["equity_before"] < -tiny] == 0)


@SETTINGS
@given(systems(), SENIORITY)
def test_payments_are_bounded_and_losses_add_up(system: System, seniority: str) -> None:
    L, e, ell = system
    res = eisenberg_noe(L, e, external_liabilities=ell, seniority=seniority)  # type: ignore[arg-type]
    _check_accounts(res)
    assert res.rounds <= L.shape[0]


@SETTINGS
@given(systems())
def test_fda_lp_and_picard_agree(system: System) -> None:
    L, e, ell = system
    fda = eisenberg_noe(L, e, external_liabilities=ell)
    lp = eisenberg_noe(L, e, external_liabilities=ell, method="lp")
    tiny = 1e-7 * _scale(L, e, ell)
    np.testing.assert_allclose(lp.extra["payments"], fda.extra["payments"], atol=tiny)
    clear = (fda.extra["shortfall"] > tiny) | (fda.extra["shortfall"] == 0)  # the LP counts shortfalls ≤ 1e-9·s as paid
    assert np.array_equal(lp.failed[clear], fda.failed[clear])
    # Picard from p̄ only converges geometrically; a nearly closed cycle of defaulters can take millions of steps.
    try:
        picard = eisenberg_noe(L, e, external_liabilities=ell, method="picard", max_iter=20_000)
    except ClearingConvergenceError:
        assume(False)
    np.testing.assert_allclose(picard.extra["payments"], fda.extra["payments"], atol=tiny)


@SETTINGS
@given(systems(), SENIORITY)
def test_fda_payments_are_a_fixed_point(system: System, seniority: str) -> None:
    # p = min(p̄, max(0, e + received)), whichever seniority decides how received is shared out.
    L, e, ell = system
    res = eisenberg_noe(L, e, external_liabilities=ell, seniority=seniority)  # type: ignore[arg-type]
    p, pbar = res.extra["payments"], res.extra["obligations"]
    received = res.extra["equity_after"] + pbar - e
    tiny = 1e-9 * _scale(L, e, ell)
    np.testing.assert_allclose(p, np.minimum(pbar, np.maximum(0.0, e + received)), atol=tiny)
    if seniority == "senior":  # outside creditors are short only if the network got nothing
        net_paid = p - np.minimum(ell, p)
        assert np.all((res.extra["outside_shortfall"] <= tiny) | (net_paid <= tiny))


@SETTINGS
@given(systems(), SENIORITY, st.data())
def test_senior_fda_matches_picard(system: System, seniority: str, data: st.DataObject) -> None:
    L, e, ell = system
    fda = eisenberg_noe(L, e, external_liabilities=ell, seniority=seniority)  # type: ignore[arg-type]
    try:
        picard = eisenberg_noe(L, e, external_liabilities=ell, seniority=seniority, method="picard",  # type: ignore[arg-type]
                               max_iter=20_000)
    except ClearingConvergenceError:
        assume(False)
    np.testing.assert_allclose(picard.extra["payments"], fda.extra["payments"], atol=1e-7 * _scale(L, e, ell))


@SETTINGS
@given(systems(), SENIORITY, st.data())
def test_more_outside_cash_never_lowers_payments(system: System, seniority: str, data: st.DataObject) -> None:
    # Equivalently, a larger shock to outside cash never lowers anyone's loss or saves anyone.
    L, e, ell = system
    extra = data.draw(arrays(np.float64, e.size, elements=st.floats(0, 50)))
    low = eisenberg_noe(L, e, external_liabilities=ell, seniority=seniority)  # type: ignore[arg-type]
    high = eisenberg_noe(L, e + extra, external_liabilities=ell, seniority=seniority)  # type: ignore[arg-type]
    tiny = 1e-9 * _scale(L, e + extra, ell)
    assert np.all(high.extra["payments"] >= low.extra["payments"] - tiny)
    assert np.all(high.loss <= low.loss + tiny)
    assert not np.any(high.failed & ~low.failed)


@SETTINGS
@given(systems(), st.floats(0, 1), st.floats(0, 1))
def test_default_costs_only_lower_payments(system: System, alpha: float, beta: float) -> None:
    L, e, ell = system
    en = eisenberg_noe(L, e, external_liabilities=ell)
    rv = rogers_veraart(L, e, alpha=alpha, beta=beta, external_liabilities=ell)
    _check_accounts(rv)
    tiny = 1e-9 * _scale(L, e, ell)
    assert np.all(rv.extra["payments"] <= en.extra["payments"] + tiny)
    assert np.all(rv.failed >= en.failed)


@SETTINGS
@given(systems())
def test_rogers_veraart_without_costs_is_eisenberg_noe(system: System) -> None:
    L, e, ell = system
    en = eisenberg_noe(L, e, external_liabilities=ell)
    rv = rogers_veraart(L, e, alpha=1.0, beta=1.0, external_liabilities=ell)
    np.testing.assert_allclose(rv.extra["payments"], en.extra["payments"], atol=1e-9 * _scale(L, e, ell))
    assert np.array_equal(rv.failure_round, en.failure_round) and rv.rounds == en.rounds


@SETTINGS
@given(systems())
def test_without_outside_debts_seniority_does_not_matter(system: System) -> None:
    L, e, _ = system
    pp, sen = eisenberg_noe(L, e), eisenberg_noe(L, e, seniority="senior")
    np.testing.assert_allclose(sen.extra["payments"], pp.extra["payments"], atol=1e-9 * _scale(L, e, e * 0))
    assert np.array_equal(sen.failure_round, pp.failure_round)


@SETTINGS
@given(systems(), SENIORITY, st.randoms(use_true_random=False))
def test_relabelling_nodes_permutes_the_result(system: System, seniority: str, random: object) -> None:
    L, e, ell = system
    n = e.size
    perm = np.array(random.sample(range(n), n))  # type: ignore[attr-defined]
    res = eisenberg_noe(L, e, external_liabilities=ell, seniority=seniority)  # type: ignore[arg-type]
    moved = eisenberg_noe(L[np.ix_(perm, perm)], e[perm], external_liabilities=ell[perm], seniority=seniority)  # type: ignore[arg-type]
    tiny = 1e-9 * _scale(L, e, ell)
    for key in ("payments", "equity_after", "outside_shortfall"):
        np.testing.assert_allclose(moved.extra[key], res.extra[key][perm], atol=tiny)
    np.testing.assert_allclose(moved.loss, res.loss[perm], atol=tiny)
    assert np.array_equal(moved.failure_round, res.failure_round[perm]) and moved.rounds == res.rounds
    # The top source may differ on ties; its shortfall to the creditor must be the largest either way.
    has = moved.top_source >= 0
    assert np.array_equal(has, res.top_source[perm] >= 0)
    x = moved.extra
    to_network = x["payments"] - (ell[perm] - x["outside_shortfall"])  # whatever seniority, the rest went outside
    owed = L[np.ix_(perm, perm)].sum(axis=1)
    paid = np.divide(to_network, owed, out=np.ones(n), where=owed > 0)
    short = L[np.ix_(perm, perm)] * (1.0 - paid)[:, None]  # short[j, i]: what debtor j failed to pay creditor i
    cols = np.flatnonzero(has)
    np.testing.assert_allclose(short[moved.top_source[cols], cols], short[:, cols].max(axis=0), atol=tiny)


@SETTINGS
@given(systems(), SENIORITY, st.floats(0, 10))
def test_no_shock_no_failures(system: System, seniority: str, cushion: float) -> None:
    # Give everyone at least what it owes beyond what it is owed: all solvent, all paid in full.
    L, _, ell = system
    e = np.maximum(0.0, L.sum(axis=1) + ell - L.sum(axis=0)) + cushion
    res = eisenberg_noe(L, e, external_liabilities=ell, seniority=seniority)  # type: ignore[arg-type]
    np.testing.assert_array_equal(res.extra["payments"], res.extra["obligations"])
    assert not res.failed.any() and res.rounds == 0 and np.all(res.failure_round == -1)
    assert np.all(res.loss == 0) and np.all(res.top_source == -1) and np.all(res.extra["outside_shortfall"] == 0)
    rv = rogers_veraart(L, e, alpha=0.3, beta=0.6, external_liabilities=ell)
    assert not rv.failed.any() and np.all(rv.loss == 0)


def test_large_network_uses_the_iterative_solver_and_matches_picard(monkeypatch: pytest.MonkeyPatch) -> None:
    # 4 000 nodes, 40 000 edges, 60 % lose their outside cash: more defaulters than the LU limit, so BiCGSTAB solves.
    sizes: list[int] = []

    def spy(a: Any, b: np.ndarray, **kwargs: Any) -> Any:
        sizes.append(a.shape[0])
        return bicgstab(a, b, **kwargs)

    monkeypatch.setattr(clearing, "bicgstab", spy)
    rng = np.random.default_rng(7)
    n, m = 4000, 40_000
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = src != dst
    L = sp.csr_array((rng.lognormal(0, 1, keep.sum()), (src[keep], dst[keep])), shape=(n, n))
    owed, due = L.sum(axis=1), L.sum(axis=0)
    e = np.maximum(0.0, owed - due) + 0.01 * owed
    e[rng.choice(n, 6 * n // 10, replace=False)] = 0.0
    fda = eisenberg_noe(L, e)
    assert sizes and max(sizes) > clearing._LU_LIMIT and fda.rounds >= 2
    picard = eisenberg_noe(L, e, method="picard")
    np.testing.assert_allclose(fda.extra["payments"], picard.extra["payments"], atol=1e-8)
    assert np.array_equal(fda.failed, picard.failed)
    _check_accounts(fda)


@pytest.mark.parametrize("threads", [1, 3])
def test_products_into_a_buffer_are_bitwise_scipys(monkeypatch: pytest.MonkeyPatch, threads: int) -> None:
    from dealweb.contagion import _exposures

    monkeypatch.setattr(_exposures, "_threads", lambda: threads)
    monkeypatch.setattr(_exposures, "_PARALLEL_NNZ", 10)
    m = sp.random_array((300, 300), density=0.1, format="csr", rng=1)
    x = np.random.default_rng(2).normal(size=300)
    product = _exposures.Product(m)
    assert len(product.blocks) == threads
    out = np.full(300, np.nan)  # stale contents must not leak into the sums
    assert product(x, out=out) is out
    assert np.array_equal(out, m @ x) and np.array_equal(product(x), m @ x)
