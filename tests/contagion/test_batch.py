"""Batched Eisenberg–Noe clearing and the reverse stress test: known answers, the exact solver column by column,
payment caps, monotonicity, and input errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dealweb.contagion import batch
from dealweb.contagion.batch import BatchClearing, clearing_batch, smallest_shock
from dealweb.contagion.clearing import ClearingConvergenceError, eisenberg_noe

SETTINGS = settings(max_examples=50, deadline=None)
SENIORITY = st.sampled_from(["pari_passu", "senior"])

# E1 (models.md §2, siebenbrunner/NetworkValuation): L = [[0, 20, 10], [5, 0, 24], [10, 0, 0]], e = 10 each.
E1 = ([0, 0, 1, 1, 2], [1, 2, 0, 2, 0], [20.0, 10.0, 5.0, 24.0, 10.0])
# E4 (models.md §2, bertschi/FinNetValu test_rogers.jl): L = [[0, 0.1, 0.7], [2, 0, 10.5], [0, 8.4, 0]].
E4 = ([0, 0, 1, 1, 2], [1, 2, 0, 2, 1], [0.1, 0.7, 2.0, 10.5, 8.4])


@dataclass
class Web:
    """An edge list with scenario columns; each of amounts, e, ℓ is 1-D (shared) or 2-D (per scenario)."""

    n: int
    src: np.ndarray
    dst: np.ndarray
    amounts: np.ndarray
    e: np.ndarray
    ell: np.ndarray
    S: int

    def column(self, v: np.ndarray, s: int) -> np.ndarray:
        return v if v.ndim == 1 else np.asarray(v[:, s])

    def matrix(self, s: int) -> np.ndarray:
        """Liabilities matrix of scenario s (parallel edges summed)."""
        return np.asarray(sp.coo_array((self.column(self.amounts, s), (self.src, self.dst)), shape=(self.n, self.n)).toarray())

    def scale(self, s: int) -> float:
        return float(max(1.0, self.column(self.amounts, s).sum() + self.column(self.e, s).sum()
                         + self.column(self.ell, s).sum()))


@st.composite
def webs(draw: st.DrawFn, *, max_n: int = 6, max_s: int = 4, shared: bool | None = None) -> Web:
    n = draw(st.integers(1, max_n))
    m = draw(st.integers(0, 12)) if n > 1 else 0
    src = np.array(draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), dtype=np.int64)
    hop = np.array(draw(st.lists(st.integers(1, max(1, n - 1)), min_size=m, max_size=m)), dtype=np.int64)
    dst = (src + hop) % n  # never a self-loop; repeated pairs are parallel edges
    S = draw(st.integers(1, max_s))

    def values(rows: int, hi: float, two_d: bool) -> np.ndarray:
        cells = st.one_of(st.just(0.0), st.floats(0.01, hi))
        return draw(arrays(np.float64, (rows, S) if two_d else rows, elements=cells))

    flags = [False, False, False] if shared else [draw(st.booleans()) for _ in range(3)]
    web = Web(n, src, dst, values(m, 100, flags[0]), values(n, 100, flags[1]), values(n, 50, flags[2]), S)
    web.S = S if any(flags) else 1  # all 1-D: one scenario
    return web


def _check_column(res: BatchClearing, web: Web, s: int, seniority: str) -> None:
    ref = eisenberg_noe(web.matrix(s), web.column(web.e, s), external_liabilities=web.column(web.ell, s),
                        seniority=seniority, method="fda")  # type: ignore[arg-type]
    tiny = 1e-9 * web.scale(s)
    np.testing.assert_allclose(res.payments[:, s], ref.extra["payments"], rtol=1e-9, atol=tiny)
    np.testing.assert_array_equal(res.failed[:, s], ref.failed)
    np.testing.assert_allclose(res.obligations[:, s], ref.extra["obligations"], rtol=1e-12)
    np.testing.assert_allclose(res.loss[:, s], ref.loss, atol=tiny)
    np.testing.assert_allclose(res.equity[:, s], ref.extra["equity_after"], atol=tiny)
    np.testing.assert_allclose(res.outside_shortfall[:, s], ref.extra["outside_shortfall"], atol=tiny)


# ------------------------------------------------------------------ known answers


def test_e1_as_two_scenarios_and_split_edges() -> None:
    # Scenario 0 is E1: p = (270, 290, 110)/11 [P], bank 1 a contagious default; scenario 1 has double cash.
    res = clearing_batch(*E1, [[10, 20], [10, 20], [10, 20]])
    np.testing.assert_allclose(res.payments[:, 0], [270 / 11, 290 / 11, 10.0], rtol=1e-12)
    np.testing.assert_allclose(res.payments[:, 1], [30, 29, 10])
    assert res.failed.tolist() == [[True, False], [True, False], [False, False]]
    np.testing.assert_allclose(res.loss[:, 0], [5 / 11, 40 / 11, 4.0], rtol=1e-12)  # as test_clearing_known
    np.testing.assert_allclose(res.equity[:, 0], [-5.4545, -2.6364, 30], atol=5e-5)  # printed [P]
    np.testing.assert_allclose(res.paid_share[:, 0], [9 / 11, 10 / 11, 1.0])
    assert res.iterations == 2 and res.exact.tolist() == [True, True]
    # Splitting bank 1's debt of 24 into two parallel edges of 12 changes nothing.
    split = clearing_batch([0, 0, 1, 1, 1, 2], [1, 2, 0, 2, 2, 0], [20, 10, 5, 12, 12, 10], [10, 10, 10])
    np.testing.assert_allclose(split.payments[:, 0], res.payments[:, 0], rtol=1e-14)


def test_e4_iterates_in_one_batch() -> None:
    # a = (1, 1, 1) → (0.8, 9.5, 8.4) in one round; a = (0, 0, 0.1) → (0.8, 5.625, 5.525) in two [P].
    assets = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.1]])
    res = clearing_batch(*E4, assets)
    np.testing.assert_allclose(res.payments, [[0.8, 0.8], [9.5, 5.625], [8.4, 5.525]], rtol=1e-12)
    assert res.iterations == 2 and res.failed.tolist() == [[False, False], [True, True], [False, True]]
    # One round is not enough for the second column: strict raises, otherwise it is flagged.
    with pytest.raises(ClearingConvergenceError, match=r"1 scenario.*column 1.*max_iter=1"):
        clearing_batch(*E4, assets, max_iter=1)
    loose = clearing_batch(*E4, assets, max_iter=1, strict=False)
    assert loose.exact.tolist() == [True, False] and loose.iterations == 1
    np.testing.assert_allclose(loose.payments[:, 1], [0.8, 8.5, 8.4])  # the first FDA iterate of test_rogers.jl [P]


def test_payment_cap_by_hand() -> None:
    # 0 owes 1 ten and outsiders 5, holds 20; 1 holds 3 and owes 2 ten. Node 0 may pay only 40 % of its 15.
    src, dst, amounts, e, ell, cap = [0, 1], [1, 2], [10.0, 10.0], [20.0, 3.0, 0.0], [5.0, 0.0, 0.0], [0.4, 1.0, 1.0]
    # Pari passu: node 0 pays 6, of which 10/15 (4) to node 1; node 1 has 3 + 4 = 7 < 10 and pays 7.
    pp = clearing_batch(src, dst, amounts, e, external_liabilities=ell, payment_cap=cap)
    np.testing.assert_allclose(pp.payments[:, 0], [6, 7, 0])
    np.testing.assert_allclose(pp.loss[:, 0], [0, 6, 3])
    np.testing.assert_allclose(pp.outside_shortfall[:, 0], [3, 0, 0])
    np.testing.assert_allclose(pp.equity[:, 0], [5, -3, 7])  # node 0 could pay: capped, not insolvent
    assert pp.failed[:, 0].tolist() == [True, True, False]
    # Senior: of the 6, outsiders get 5 first and node 1 gets 1; node 1 then pays 3 + 1 = 4.
    sen = clearing_batch(src, dst, amounts, e, external_liabilities=ell, payment_cap=cap, seniority="senior")
    np.testing.assert_allclose(sen.payments[:, 0], [6, 4, 0])
    np.testing.assert_allclose(sen.loss[:, 0], [0, 9, 6])
    np.testing.assert_allclose(sen.outside_shortfall[:, 0], [0, 0, 0])
    # A cap of 1 is no cap; a cap of 0 pays nothing (outsiders senior or not).
    free = clearing_batch(src, dst, amounts, e, external_liabilities=ell, payment_cap=[[1.0, 0.0], [1, 1], [1, 1]])
    np.testing.assert_allclose(free.payments, [[15, 0], [10, 3], [0, 0]])
    assert free.failed[0].tolist() == [False, True]


def test_senior_payers_grown_from_below(monkeypatch: pytest.MonkeyPatch) -> None:
    # Senior outside creditors with e < ℓ: 0 and 1 owe each other (6 and 4), both owe outsiders more than they hold,
    # so the network stream is q0 = max(0, q1 − 1), q1 = max(0, q0 − 8): only (0, 0). Node 2 (cash 1, owes 1 three
    # on two edges and 7 outside) pays its cash to its outside creditors. The guess from the upper bound fails its
    # check here, so the payers are grown from below (as clearing.py's _upward).
    calls: list[int] = []
    upward = batch._upward

    def spy(*args: Any) -> Any:
        calls.append(1)
        return upward(*args)

    monkeypatch.setattr(batch, "_upward", spy)
    src, dst, amounts = [0, 1, 2, 2], [1, 0, 1, 1], [6.0, 4.0, 2.0, 1.0]
    e, ell = [0.0, 0.0, 1.0, 0.0], [1.0, 8.0, 7.0, 8.0]
    res = clearing_batch(src, dst, amounts, e, external_liabilities=ell, seniority="senior")
    assert calls
    np.testing.assert_allclose(res.payments[:, 0], [0, 0, 1, 0], atol=1e-15)
    np.testing.assert_allclose(res.outside_shortfall[:, 0], [1, 8, 6, 8])
    np.testing.assert_allclose(res.loss[:, 0], [4, 9, 0, 0])
    ref = eisenberg_noe(sp.coo_array((amounts, (src, dst)), shape=(4, 4)).toarray(), e, external_liabilities=ell,
                        seniority="senior")
    np.testing.assert_allclose(res.payments[:, 0], ref.extra["payments"], atol=1e-15)


def test_nearly_closed_cycle_is_solved_exactly() -> None:
    # 0 and 1 owe each other 1 and outsiders ε each; 0 holds δ. Both default: p0 = δ + r p1, p1 = r p0 with
    # r = 1/(1 + ε), so p0 = δ/(1 − r²) ≈ δ/(2ε). Picard would contract by r² = 1 − 2e-6 per step.
    eps, delta = 1e-6, 1e-7
    r = 1 / (1 + eps)
    res = clearing_batch([0, 1], [1, 0], [1.0, 1.0], [delta, 0.0], external_liabilities=[eps, eps])
    p0 = delta / (1 - r * r)
    np.testing.assert_allclose(res.payments[:, 0], [p0, r * p0], rtol=1e-8)
    assert res.exact.all() and res.iterations == 1  # both fail at once: one solve
    with pytest.raises(ClearingConvergenceError):
        eisenberg_noe([[0, 1], [1, 0]], [delta, 0], external_liabilities=[eps, eps], method="picard", max_iter=5000)


def test_no_scenarios_and_no_edges() -> None:
    empty = clearing_batch([0], [1], np.zeros((1, 0)), [1.0, 2.0])
    assert empty.payments.shape == (2, 0) and empty.exact.shape == (0,) and empty.iterations == 0
    lone = clearing_batch([], [], [], [1.0, 0.0], external_liabilities=[[2.0, 0.5], [0.0, 0.0]])
    np.testing.assert_allclose(lone.payments, [[1.0, 0.5], [0.0, 0.0]])
    assert lone.failed.tolist() == [[True, False], [False, False]] and lone.paid_share[1].tolist() == [1.0, 1.0]


# ------------------------------------------------------------------ the exact solver, column by column


@SETTINGS
@given(webs(), SENIORITY)
def test_equals_eisenberg_noe_column_by_column(web: Web, seniority: str) -> None:
    res = clearing_batch(web.src, web.dst, web.amounts, web.e, n=web.n, external_liabilities=web.ell,
                         seniority=seniority)  # type: ignore[arg-type]
    assert res.payments.shape == (web.n, web.S) and res.exact.all() and res.iterations <= web.n + 1
    for s in range(web.S):
        _check_column(res, web, s, seniority)
    # Every unpaid unit lands on a network or an outside creditor.
    short = (res.obligations - res.payments).sum(axis=0)
    np.testing.assert_allclose(res.loss.sum(axis=0) + res.outside_shortfall.sum(axis=0), short,
                               atol=1e-9 * max(web.scale(s) for s in range(web.S)))


@SETTINGS
@given(webs(shared=True), SENIORITY, st.integers(1, 3))
def test_fixed_network_form_equals_the_edge_form(web: Web, seniority: str, copies: int) -> None:
    # 1-D amounts use one fixed sparse Πᵀ; repeating them as columns uses the edge-wise gather/scatter.
    e = np.repeat(web.e[:, None], copies, axis=1)
    fixed = clearing_batch(web.src, web.dst, web.amounts, e, n=web.n, external_liabilities=web.ell,
                           seniority=seniority)  # type: ignore[arg-type]
    edges = clearing_batch(web.src, web.dst, np.repeat(web.amounts[:, None], copies, axis=1), e, n=web.n,
                           external_liabilities=web.ell, seniority=seniority)  # type: ignore[arg-type]
    tiny = 1e-12 * web.scale(0)
    for name in ("payments", "loss", "equity", "outside_shortfall"):
        np.testing.assert_allclose(getattr(fixed, name), getattr(edges, name), atol=tiny)
    np.testing.assert_array_equal(fixed.failed, edges.failed)


def test_chunks_and_solve_stacks_do_not_change_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    n, m, S = 12, 30, 40
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, n, m)) % n
    amounts = rng.lognormal(0, 1, (m, S))
    e = rng.uniform(0, 2, (n, S))
    ell = rng.uniform(0, 1, n)
    whole = clearing_batch(src, dst, amounts, e, external_liabilities=ell)
    assert whole.failed.any()
    monkeypatch.setattr(batch, "_CHUNK_BYTES", 1)  # one scenario per chunk
    monkeypatch.setattr(batch, "_SOLVE_BYTES", 1)  # one system per LU call
    parts = clearing_batch(src, dst, amounts, e, external_liabilities=ell)
    for name in ("payments", "loss", "equity", "outside_shortfall", "failed", "exact"):
        np.testing.assert_allclose(getattr(parts, name), getattr(whole, name), rtol=1e-12, atol=1e-12)


def test_bundled_sized_web_matches_a_loop_of_eisenberg_noe() -> None:
    # A heavy-tailed web of the bundled web's size with sampled deal sizes and cash: many defaulters per column.
    rng = np.random.default_rng(11)
    n, m, S = 72, 130, 60
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, n, m)) % n
    amounts = rng.lognormal(0, 1.5, m)[:, None] * rng.lognormal(0, 0.5, (m, S))
    owed, due = np.bincount(src, amounts[:, 0], n), np.bincount(dst, amounts[:, 0], n)
    e = (np.maximum(0.0, owed - due) + 0.05 * owed)[:, None] * rng.uniform(0, 1.2, (n, S))
    web = Web(n, src, dst, amounts, e, np.zeros(n), S)
    res = clearing_batch(src, dst, amounts, e)
    assert res.failed.sum(axis=0).min() >= 1 and res.iterations >= 2
    for s in range(S):
        _check_column(res, web, s, "pari_passu")


# ------------------------------------------------------------------ payment caps and monotonicity


@SETTINGS
@given(webs(max_s=3), SENIORITY, st.data())
def test_payment_cap_equals_clearing_with_scaled_obligations(web: Web, seniority: str, data: st.DataObject) -> None:
    # Paying at most κ·p̄ while sharing over the contracted amounts is Eisenberg–Noe with the node's debts scaled:
    # pari passu its row of L and ℓ by κ; senior its row of L by (κ·p̄ − ℓ)⁺ / L·1 (outsiders keep ℓ, paid first,
    # and in total the node never pays more than κ·p̄).
    kappa = data.draw(arrays(np.float64, (web.n, web.S), elements=st.one_of(st.just(1.0), st.just(0.0), st.floats(0, 1))))
    res = clearing_batch(web.src, web.dst, web.amounts, web.e, n=web.n, external_liabilities=web.ell,
                         payment_cap=kappa, seniority=seniority)  # type: ignore[arg-type]
    assert res.exact.all()
    for s in range(web.S):
        L, e, ell, k = web.matrix(s), web.column(web.e, s), web.column(web.ell, s), kappa[:, s]
        owed, pbar = L.sum(axis=1), L.sum(axis=1) + ell
        if seniority == "pari_passu":
            row, ell_scaled = k, k * ell
        else:
            row, ell_scaled = np.divide(np.maximum(0.0, k * pbar - ell), owed, out=np.ones(web.n), where=owed > 0), ell
            row = np.where(k >= 1.0, 1.0, row)
        ref = eisenberg_noe(L * row[:, None], e, external_liabilities=ell_scaled, seniority=seniority)  # type: ignore[arg-type]
        tiny = 1e-9 * web.scale(s)
        np.testing.assert_allclose(res.payments[:, s], np.minimum(ref.extra["payments"], k * pbar), atol=tiny)
        received = ref.extra["equity_after"] + ref.extra["obligations"] - e
        np.testing.assert_allclose(res.loss[:, s], L.sum(axis=0) - received, atol=tiny)
        thr = 1e-12 * np.maximum(np.maximum(1.0, pbar), e + L.sum(axis=0))
        np.testing.assert_array_equal(res.failed[:, s], res.payments[:, s] < pbar - thr)
        assert np.all(res.failed[:, s][(k * pbar < pbar - thr)])  # a binding cap is a failure


@SETTINGS
@given(webs(max_s=1, shared=True), SENIORITY, st.data())
def test_bigger_shocks_never_raise_payments(web: Web, seniority: str, data: st.DataObject) -> None:
    # What justifies bisection in smallest_shock: p is non-decreasing in outside cash and in payment caps.
    # Columns = increasing shocks: cash multiplied by falling factors, caps falling too.
    steps = data.draw(st.lists(st.floats(0, 1), min_size=2, max_size=6).map(lambda v: np.sort(v)[::-1]))
    which = data.draw(arrays(np.bool_, web.n))
    factors = np.where(which[:, None], steps[None, :], 1.0)
    for kwargs in ({"external_assets": web.e[:, None] * factors}, {"external_assets": web.e, "payment_cap": factors}):
        res = clearing_batch(web.src, web.dst, web.amounts, n=web.n, external_liabilities=web.ell,
                             seniority=seniority, **kwargs)  # type: ignore[arg-type]
        tiny = 1e-9 * web.scale(0)
        assert np.all(np.diff(res.payments, axis=1) <= tiny)
        assert np.all(np.diff(res.loss, axis=1) >= -tiny)
        assert np.all(np.diff(res.failed.astype(int), axis=1) >= 0)


# ------------------------------------------------------------------ reverse stress test


def test_smallest_shock_on_a_chain_by_hand() -> None:
    # 0 (cash 10) owes 1 ten; 1 (cash 2) owes 2 ten; 2 owes outsiders 9. Node 2 fails when node 1 pays < 9,
    # i.e. when node 0 pays < 7: at a shock above 0.3, to its cash or to its payments alike.
    chain = ([0, 1], [1, 2], [10.0, 10.0], [10.0, 2.0, 0.0])
    for kind in ("payments", "outside_assets"):
        x = smallest_shock(*chain, external_liabilities=[0.0, 0.0, 9.0], shocked=0, target=2, kind=kind)
        assert x is not None and 0.3 < x <= 0.3 + 1e-6
        # Node 1 itself fails as soon as node 0 pays less than 8.
        x1 = smallest_shock(*chain, external_liabilities=[0.0, 0.0, 9.0], shocked=0, target=1, kind=kind)
        assert x1 is not None and 0.2 < x1 <= 0.2 + 1e-6
    # A finer tolerance narrows the bracket; fewer grid points take more rounds to get there.
    fine = smallest_shock(*chain, external_liabilities=[0, 0, 9], shocked=0, target=2, tol=1e-10, grid=3)
    assert fine is not None and 0.3 < fine <= 0.3 + 1e-10
    # Its own threshold: node 0 (cash 10, owes 10 and 6 outside, pari passu) fails once its cash is below 16 … it
    # already is; with cash 20 it fails below 16, a shock of 0.2.
    own = smallest_shock([0], [1], [10.0], [20.0, 0.0], external_liabilities=[6.0, 0.0], shocked=0, target=0,
                         kind="outside_assets")
    assert own is not None and 0.2 < own <= 0.2 + 1e-6
    # Paying less than it owes is failing: its own payment threshold is (about) no shock at all.
    mine = smallest_shock([0], [1], [10.0], [20.0, 0.0], shocked=0, target=0, kind="payments")
    assert mine is not None and 0.0 < mine <= 1e-6


def test_smallest_shock_none_and_zero() -> None:
    chain = ([0, 1], [1, 2], [10.0, 10.0], [10.0, 2.0, 0.0])
    # Already failing without a shock: 0.0. Out of reach (node 2 does not owe node 0 anything): None.
    assert smallest_shock(*chain, external_liabilities=[0, 0, 11], shocked=0, target=2) == 0.0
    assert smallest_shock(*chain, shocked=2, target=0) is None
    # Node 1 survives even if node 0 pays nothing when its own cash covers its debt.
    assert smallest_shock([0, 1], [1, 2], [10.0, 10.0], [10.0, 10.0, 0.0], shocked=0, target=1) is None
    # A shock to outside cash does nothing to a node without any.
    assert smallest_shock([0], [1], [10.0], [0.0, 0.0], external_liabilities=[0.0, 1.0], shocked=0, target=1,
                          kind="outside_assets") == 0.0
    assert smallest_shock([0], [1], [10.0], [0.0, 20.0], external_liabilities=[0.0, 1.0], shocked=0, target=1,
                          kind="outside_assets") is None


def _fails_brute_force(web: Web, seniority: str, kind: str, shocked: int, target: int, x: float) -> bool:
    """One Eisenberg–Noe run: a payment cap as scaled obligations (pari passu), or shocked outside cash."""
    L, e, ell = web.matrix(0), web.e.copy(), web.ell.copy()
    pbar_t = L[target].sum() + ell[target]
    scale_t = max(1.0, pbar_t, e[target] + L[:, target].sum())
    if kind == "payments":
        L[shocked] *= 1.0 - x
        ell[shocked] *= 1.0 - x
    else:
        e[shocked] *= 1.0 - x
        scale_t = max(1.0, pbar_t, e[target] + L[:, target].sum())
    ref = eisenberg_noe(L, e, external_liabilities=ell, seniority=seniority)  # type: ignore[arg-type]
    return bool(ref.extra["payments"][target] < pbar_t - 1e-12 * scale_t)


@SETTINGS
@given(webs(max_s=1, shared=True), st.sampled_from(["payments", "outside_assets"]), st.data())
def test_smallest_shock_agrees_with_a_brute_force_loop(web: Web, kind: str, data: st.DataObject) -> None:
    shocked, target = data.draw(st.integers(0, web.n - 1)), data.draw(st.integers(0, web.n - 1))
    seniority = "pari_passu" if kind == "payments" else data.draw(SENIORITY)  # scaled rows model a cap only pari passu
    tol = 1e-6
    x = smallest_shock(web.src, web.dst, web.amounts, web.e, n=web.n, external_liabilities=web.ell, shocked=shocked,
                       target=target, kind=kind, seniority=seniority, tol=tol)  # type: ignore[arg-type]
    if x is None:
        assert not _fails_brute_force(web, seniority, kind, shocked, target, 1.0)
    elif x == 0.0:
        assert _fails_brute_force(web, seniority, kind, shocked, target, 0.0)
    else:
        assert 0.0 < x <= 1.0
        assert _fails_brute_force(web, seniority, kind, shocked, target, x)
        assert not _fails_brute_force(web, seniority, kind, shocked, target, max(0.0, x - tol))


# ------------------------------------------------------------------ input errors


GOOD: dict[str, Any] = {"src": [0, 1], "dst": [1, 2], "amounts": [1.0, 2.0], "external_assets": [1.0, 1.0, 1.0]}


@pytest.mark.parametrize(("change", "message"), [
    ({"src": [0, 3]}, r"src\[1\] = 3 is not a node index in \[0, 3\)"),
    ({"dst": [1, -1]}, r"dst\[1\] = -1 is not a node index"),
    ({"dst": [0, 2]}, r"src and dst must differ .*src\[0\] = dst\[0\] = 0"),
    ({"src": [0.0, 1.0]}, r"src must hold integer node indices"),
    ({"dst": [1]}, r"src and dst must have the same length"),
    ({"src": [[0, 1]]}, r"src must be a 1-D array"),
    ({"amounts": [1.0, -2.0]}, r"amounts must be finite and ≥ 0: amounts\[1\] = -2.0"),
    ({"amounts": [[1.0, 1.0], [np.nan, 1.0]]}, r"amounts must be finite and ≥ 0: amounts\[1, 0\] = nan"),
    ({"amounts": [1.0, 2.0, 3.0]}, r"amounts must have shape \(2,\) or \(2, S\)"),
    ({"external_assets": [[[1.0]]]}, r"external_assets must have shape \(n,\) or \(n, S\)"),
    ({"external_assets": [1.0, -1.0, 1.0]}, r"external_assets must be finite and ≥ 0: external_assets\[1\]"),
    ({"n": 4}, r"external_assets must have shape \(4,\) or \(4, S\)"),
    ({"n": -1}, r"n must be a non-negative integer"),
    ({"external_liabilities": [1.0, 1.0]}, r"external_liabilities must have shape \(3,\)"),
    ({"payment_cap": [0.5, 1.5, 1.0]}, r"payment_cap must be within \[0, 1\]: payment_cap\[1\] = 1.5"),
    ({"payment_cap": [[1.0, 0.5], [1, 1], [1, -0.1]]}, r"payment_cap must be within \[0, 1\]: payment_cap\[2, 1\]"),
    ({"amounts": np.ones((2, 3)), "payment_cap": np.ones((3, 2))},
     r"same number of scenarios .*amounts: 3, payment_cap: 2"),
    ({"seniority": "junior"}, r"seniority must be 'pari_passu' or 'senior'"),
    ({"tol": 0.0}, r"tol must be a number in \(0, 1\)"),
    ({"max_iter": 0}, r"max_iter must be an integer ≥ 1"),
])
def test_clearing_batch_rejects_bad_input(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        clearing_batch(**{**GOOD, **change})


@pytest.mark.parametrize(("change", "message"), [
    ({"kind": "equity"}, r"kind must be 'payments' or 'outside_assets'"),
    ({"shocked": 3}, r"shocked must be a node index in \[0, 3\)"),
    ({"target": -1}, r"target must be a node index in \[0, 3\)"),
    ({"amounts": np.ones((2, 2))}, r"amounts must be 1-D \(one scenario\)"),
    ({"external_assets": np.ones((3, 2))}, r"external_assets must be 1-D"),
    ({"grid": 2}, r"grid must be an integer ≥ 3"),
    ({"tol": 1.0}, r"tol must be a number in \(0, 1\)"),
    ({"dst": [1, 1, 2]}, r"src and dst must have the same length"),
    ({"amounts": [1.0, -1.0]}, r"amounts must be finite and ≥ 0"),
])
def test_smallest_shock_rejects_bad_input(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        smallest_shock(**{**GOOD, "shocked": 0, "target": 2, **change})
