r"""Valuation through cross-holdings: failures with discontinuous costs (EGJ) and equity-and-debt holdings (XOS).

Elliott–Golub–Jackson (:func:`cross_holdings`)
----------------------------------------------
Elliott, Golub & Jackson, *Financial Networks and Contagion*, American Economic Review
104(10):3115–3153 (2014), doi:10.1257/aer.104.10.3115. Conventions:

* ``C[i, j]`` is the **fraction of organisation j owned by organisation i**: ``C_ij ≥ 0``, zero
  diagonal, and every column sums to less than one, ``Σ_i C_ij < 1``; the rest,
  ``Ĉ_jj = 1 − Σ_i C_ij``, belongs to j's outside shareholders.
* ``D[i, k]`` is i's holding of primitive asset k, ``p_k`` its price; ``Dp`` is i's primitive
  asset value (pass the vector ``Dp`` directly, or ``D`` with ``prices``).
* Book value ``V = C V + Dp − b``, i.e. ``V = (I − C)⁻¹ (Dp − b)``; market value (what the outside
  shareholders hold) ``v = Ĉ V = A (Dp − b)`` with ``A = Ĉ (I − C)⁻¹``. ``A`` is column-stochastic,
  so ``Σ_i v_i = Σ_i (Dp − b)_i``: cross-holdings move value around, they create none.
* i **fails** when ``v_i < θ_i v⁰_i`` (strict), ``v⁰ = A Dp⁰`` the market values before the shock
  with no failures; a failed i loses ``b_i = β_i`` (``failure_costs``) — a discontinuous cost.

Waves as in EGJ's algorithm (their best-case equilibrium): round 0 values ``A Dp`` with nobody
failed; whoever is below threshold fails in round 0; each later round recomputes ``v`` with the
failure costs of everyone failed so far, until a round adds no failure (at most n rounds, or
``max_rounds`` waves after round 0). ``loss = v⁰ − v``, ``relative_loss = loss / v⁰`` (``nan``
where ``v⁰ = 0``); ``top_source`` is the failed counterparty j ≠ i with the largest share
``A_ij β_j`` of i's loss (its own failure cost does not count; −1 if none, smallest j on ties);
``rounds`` is the last round with a new failure. ``extra``: ``value_before`` ``v⁰``,
``value_after`` ``v``, ``book_value`` ``V``, ``loss_from_failures`` ``A (b)`` (the part of the loss
due to failure costs; the rest is the shock to primitive assets).

``I − C`` never changes between waves, so it is factorised (or iterated on) once per cascade.
``solver="auto"`` inverts ``I − C`` densely up to 2 000 organisations (``"lu"`` does the same, and
uses scipy's sparse LU ``splu`` beyond) and sums the Neumann series ``Σ_k Cᵏ x`` for larger webs
(``"iterative"``): a sparse LU fills in badly on random ownership webs (10 000 nodes, 100 000
links: 40–60 M factor entries, minutes), while the series converges geometrically at the rate
``c = max_j Σ_i C_ij`` with one sparse product per step, and stops when its tail bound
``c/(1 − c) ‖Cᵏx‖₁`` is at most ``tol`` times the size of the sum.

Cross-holdings of equity and debt (:func:`xos`)
-----------------------------------------------
Suzuki, *Valuing corporate debt: the effect of cross-holdings of stock and debt*, J. Oper. Res.
Soc. Japan 45(2):123–144 (2002), doi:10.15807/jorsj.45.123; Fischer, *No-arbitrage pricing under
cross-ownership*, Mathematical Finance 24(1):97–124 (2014), doi:10.1111/mafi.12018; as
FinNetValu's ``XOSModel`` (Bertschinger & Stobbe) with ``Mᵉ = I``. ``Mˢ[i, j]`` / ``Mᵈ[i, j]`` is
the fraction of j's equity / debt held by i; ``a`` external assets, ``d`` face value of debt, due
at maturity, one class, held by the network and outside creditors pro rata::

    V_i = a_i + Σ_j Mˢ_ij S_j + Σ_j Mᵈ_ij R_j,    R_i = min(d_i, V_i),    S_i = max(0, V_i − d_i)

Picard iteration is a contraction (Fischer) when every column of ``Mˢ`` and ``Mᵈ`` sums to less
than one. i **fails** when ``V_i < d_i`` (it cannot pay its debt in full; FinNetValu's
``solvent`` is ``S_i > 0``, so it differs only at ``V_i = d_i``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from dealweb.contagion._crossholdings_checks import (
    check_holdings,
    check_nodes,
    check_solver,
    check_vector,
    primitive_values,
)
from dealweb.contagion.result import ContagionResult
from dealweb.errors import ConvergenceError

__all__ = ["CrossHoldingsConvergenceError", "cross_holdings", "xos"]

_DENSE_MAX = 2_000  # largest n the "auto" solver factorises densely (n² floats)
_DENSE_PICARD_MAX = 300  # below this, dense products beat scipy.sparse's per-call overhead
_BLOCK = 256  # right-hand sides per solve when attributing losses to failed counterparties
_EGJ = "C[i, j] = fraction of organisation j owned by i; Ĉ_jj = 1 − Σ_i C_ij held outside"
_XOS = "M[i, j] = fraction of j's equity (Mˢ) or debt (Mᵈ) held by i; failed = V_i < d_i"


class CrossHoldingsConvergenceError(ConvergenceError):
    """The Neumann series or the XOS Picard iteration did not reach ``tol`` within ``max_iter`` steps."""


def cross_holdings(
    cross_holdings: Any,
    primitive_assets: Any,
    prices: Any = None,
    *,
    thresholds: Any,
    failure_costs: Any,
    baseline: Any = None,
    baseline_prices: Any = None,
    nodes: Sequence[Hashable] | None = None,
    max_rounds: int | None = None,
    solver: Literal["auto", "lu", "iterative"] = "auto",
    tol: float = 1e-12,
    max_iter: int = 100_000,
    attribute: bool = True,
) -> ContagionResult:
    """Failure cascade through cross-holdings with discontinuous failure costs (Elliott, Golub & Jackson 2014).

    Parameters
    ----------
    cross_holdings
        ``C`` (n × n, dense or scipy sparse): ``C[i, j]`` = share of j owned by i.
    primitive_assets
        After the shock: the values ``Dp`` (length n), or the holdings matrix ``D`` (n × m).
    prices
        Prices ``p`` (length m) when ``primitive_assets`` is ``D``; default all 1.
    thresholds
        ``θ`` in [0, 1], scalar or per organisation: i fails when ``v_i < θ_i v⁰_i``.
    failure_costs
        ``β ≥ 0``, scalar or per organisation, taken off a failed organisation's value.
    baseline, baseline_prices
        Before the shock: the values ``Dp⁰`` (length n), or the prices ``p⁰`` with the same ``D``.
        Give at most one; default: no shock (the current assets are the baseline).
    nodes
        Labels, default ``range(n)``.
    max_rounds
        Waves of contagion to run after round 0 (default: until no new failure).
    solver, tol, max_iter
        How ``(I − C)⁻¹`` is applied (see the module notes); ``tol``/``max_iter`` bound the
        Neumann series, which raises :class:`CrossHoldingsConvergenceError` past ``max_iter``.
    attribute
        Compute ``top_source``. It needs the columns of ``A`` of every failed organisation with a
        failure cost (one solve each, in blocks; the series runs to ``max(tol, 1e-9)`` here, enough
        for an argmax) and dominates the run time of large cascades; ``False`` leaves it at −1.

    Examples
    --------
    Organisation 0 owns 20 % of 1, and 1 owns 30 % of 0; 0's assets halve, and each failure costs 47:

    >>> C = [[0, 0.2], [0.3, 0]]
    >>> r = cross_holdings(C, [47, 94], baseline=[94, 94], thresholds=0.8, failure_costs=47)
    >>> r.extra["value_before"].round(9).tolist(), r.extra["value_after"].round(9).tolist()
    ([84.0, 104.0], [7.0, 40.0])
    >>> r.failure_round.tolist(), r.top_source.tolist(), r.rounds
    ([0, 1], [1, 0], 1)
    """
    check_solver(tol, max_iter)
    C = check_holdings(cross_holdings, "cross_holdings", zero_diagonal=True)
    n = C.shape[0]
    labels = check_nodes(nodes, n, of="cross_holdings")
    x, x0 = primitive_values(primitive_assets, prices, baseline, baseline_prices, n)
    theta = check_vector(thresholds, "thresholds", n, hi=1.0)
    beta = check_vector(failure_costs, "failure_costs", n)
    if max_rounds is not None and max_rounds < 0:
        raise ValueError(f"max_rounds must be None or >= 0, got {max_rounds}")
    if solver not in ("auto", "lu", "iterative"):
        raise ValueError(f"solver must be 'auto', 'lu' or 'iterative', got {solver!r}")
    outside = 1.0 - np.asarray(C.sum(axis=0)).ravel()
    inverse = _IMinusCInverse(C, solver, tol=tol, max_iter=max_iter)

    value_before = outside * inverse.solve(x0)
    book, failed, failure_round, rounds, truncated = _egj_cascade(inverse, outside, x, value_before, theta, beta,
                                                                  max_rounds)
    value_after = outside * book
    loss = value_before - value_after
    from_failures = outside * inverse.solve(beta * failed) if failed.any() else np.zeros(n)
    top_source = _egj_top_sources(inverse, outside, beta, failed) if attribute else np.full(n, -1, dtype=np.int64)
    with np.errstate(all="ignore"):
        relative = np.where(value_before != 0, loss / value_before, np.nan)
    params = {"convention": _EGJ, "failure_test": "v_i < thresholds_i · value_before_i",
              "thresholds": _summary(theta), "failure_costs": _summary(beta), "max_rounds": max_rounds,
              "truncated": truncated, "solver": inverse.method}
    return ContagionResult(model="cross_holdings", nodes=labels, loss=loss, relative_loss=relative, failed=failed,
                           failure_round=failure_round, top_source=top_source, rounds=rounds,
                           extra={"value_before": value_before, "value_after": value_after, "book_value": book,
                                  "loss_from_failures": from_failures},
                           params=params)


def xos(
    equity_holdings: Any,
    debt_holdings: Any,
    external_assets: Any,
    debt_face: Any,
    *,
    external_assets_baseline: Any = None,
    nodes: Sequence[Hashable] | None = None,
    tol: float = 1e-12,
    max_iter: int = 1000,
) -> ContagionResult:
    """Self-consistent firm, equity and debt values under cross-holdings of both (Suzuki 2002; Fischer 2014).

    Parameters
    ----------
    equity_holdings, debt_holdings
        ``Mˢ``, ``Mᵈ`` (n × n, dense or scipy sparse): ``M[i, j]`` = share of j's equity / debt
        held by i; columns must sum to less than 1 (self-holdings are allowed, as in Suzuki).
    external_assets
        ``a ≥ 0`` after the shock (length n).
    debt_face
        ``d ≥ 0``, the nominal debt due (length n or scalar).
    external_assets_baseline
        ``a⁰`` before the shock; then ``loss = V⁰ − V`` is the drop in firm value and the failure
        waves are traced (below). Default: no shock, zero loss.
    nodes
        Labels, default ``range(n)``.
    tol, max_iter
        Picard stops when its a-posteriori error bound ``c/(1 − c) ‖ΔV‖₁`` (``c`` the largest
        column sum) is at most ``tol · max(‖V‖₁, ‖a‖₁ + ‖d‖₁)``; past ``max_iter`` steps it raises
        :class:`CrossHoldingsConvergenceError`.

    Notes
    -----
    With a baseline, Picard starts from the baseline values: its first step values each firm's
    shocked assets with everyone else's securities still at baseline prices, so a firm's
    ``failure_round`` is the step (counted from 0) at which it went below its debt for good.
    ``top_source`` is the counterparty j ≠ i with the largest ``Mˢ_ij ΔS_j + Mᵈ_ij ΔR_j``.
    ``extra``: ``firm_value`` ``V``, ``equity_value`` ``S``, ``debt_value`` ``R``,
    ``firm_value_before`` ``V⁰``.

    Examples
    --------
    Suzuki's four-firm example (as in FinNetValu's ``test_xos.jl``): every firm pays its debt.

    >>> Ms = [[0, .2, .3, .1], [.2, 0, .2, .1], [.1, .1, 0, .3], [.1, .1, .1, 0]]
    >>> Md = [[0, 0, .1, 0], [0, 0, 0, .1], [.1, 0, 0, .1], [0, .1, 0, 0]]
    >>> r = xos(Ms, Md, [2.0, 0.5, 0.6, 0.6], 0.8)
    >>> r.failed.any(), r.extra["debt_value"].tolist()
    (np.False_, [0.8, 0.8, 0.8, 0.8])
    """
    check_solver(tol, max_iter)
    Ms = check_holdings(equity_holdings, "equity_holdings", zero_diagonal=False)
    Md = check_holdings(debt_holdings, "debt_holdings", zero_diagonal=False)
    n = Ms.shape[0]
    if Md.shape != Ms.shape:
        raise ValueError(f"debt_holdings has shape {Md.shape} but equity_holdings has {Ms.shape}")
    labels = check_nodes(nodes, n, of="equity_holdings")
    a = check_vector(external_assets, "external_assets", n, scalar=False)
    d = check_vector(debt_face, "debt_face", n)
    col = np.maximum(np.asarray(Ms.sum(axis=0)).ravel(), np.asarray(Md.sum(axis=0)).ravel())
    c = float(col.max()) if n else 0.0
    Ms_op, Md_op = (Ms.toarray(), Md.toarray()) if n <= _DENSE_PICARD_MAX else (Ms, Md)
    a0 = a if external_assets_baseline is None else check_vector(external_assets_baseline,
                                                                    "external_assets_baseline", n, scalar=False)
    if np.array_equal(a0, a):  # no shock: one fixed point, no waves to trace
        V_now, iterations, _ = _xos_picard(Ms_op, Md_op, a, d, a.copy(), c, tol=tol, max_iter=max_iter)
        V0 = V_now
        failure_round = np.where(V_now < d, 0, -1)
    else:
        V0, _, _ = _xos_picard(Ms_op, Md_op, a0, d, a0.copy(), c, tol=tol, max_iter=max_iter)
        V_now, iterations, first = _xos_picard(Ms_op, Md_op, a, d, V0, c, tol=tol, max_iter=max_iter)
        failure_round = np.where(V_now < d, first, -1)
    S, R = np.maximum(0.0, V_now - d), np.minimum(d, V_now)
    S0, R0 = np.maximum(0.0, V0 - d), np.minimum(d, V0)
    failed = V_now < d
    loss = V0 - V_now
    contributions = sp.csr_array(Ms.multiply((S0 - S)[None, :]) + Md.multiply((R0 - R)[None, :]))
    top_source = _row_argmax(contributions, exclude_diagonal=True)
    with np.errstate(all="ignore"):
        relative = np.where(V0 != 0, loss / V0, np.nan)
    rounds = int(failure_round.max()) if failed.any() else 0
    params = {"convention": _XOS, "iterations": iterations, "contraction": c, "tol": tol,
              "baseline": external_assets_baseline is not None}
    return ContagionResult(model="xos", nodes=labels, loss=loss, relative_loss=relative, failed=failed,
                           failure_round=failure_round, top_source=top_source, rounds=rounds,
                           extra={"firm_value": V_now, "equity_value": S, "debt_value": R, "firm_value_before": V0},
                           params=params)


# --------------------------------------------------------------------------- kernels


class _IMinusCInverse:
    """Applies ``(I − C)⁻¹`` to a vector or a block of vectors: dense inverse, sparse LU, or the Neumann series."""

    def __init__(self, C: sp.csr_array, solver: str, *, tol: float, max_iter: int) -> None:
        n = C.shape[0]
        self.C, self.tol, self.max_iter = C, float(tol), int(max_iter)
        self.rate = float(np.asarray(C.sum(axis=0)).max()) if n and C.nnz else 0.0
        self.method = "iterative" if solver == "iterative" or (solver == "auto" and n > _DENSE_MAX) else "lu"
        if self.method == "lu" and n <= _DENSE_MAX:
            # cond₁(I − C) ≤ (1 + rate)/(1 − rate), so the explicit inverse is as accurate as LU solves
            # (and scipy's lu_solve is ~1000× slower on a block of right-hand sides than on a vector).
            self._dense = la.inv(np.eye(n) - C.toarray(), check_finite=False)
        elif self.method == "lu":
            self._sparse = splu(sp.csc_array(sp.eye_array(n, format="csc") - C))

    def solve(self, rhs: np.ndarray, *, tol: float | None = None) -> np.ndarray:
        if rhs.shape[0] == 0:
            return rhs.astype(np.float64)
        if self.method == "iterative":
            return self._neumann(rhs, self.tol if tol is None else tol)
        if self.C.shape[0] <= _DENSE_MAX:
            return np.asarray(self._dense @ rhs)
        return np.asarray(self._sparse.solve(rhs))

    def columns(self, cols: np.ndarray, weights: np.ndarray, *, tol: float) -> np.ndarray:
        """``(I − C)⁻¹[:, cols] · weights`` (one column per entry of ``cols``)."""
        if self.method == "lu" and self.C.shape[0] <= _DENSE_MAX:
            return np.asarray(self._dense[:, cols] * weights[None, :])
        rhs = np.zeros((self.C.shape[0], cols.size))
        rhs[cols, np.arange(cols.size)] = weights
        return self.solve(rhs, tol=tol)

    def _neumann(self, rhs: np.ndarray, tol: float) -> np.ndarray:
        # ‖C t‖₁ ≤ rate ‖t‖₁ for non-negative C, so the tail after a term t is at most rate/(1 − rate) ‖t‖₁.
        total, term = rhs.astype(np.float64), rhs.astype(np.float64)
        factor = self.rate / (1.0 - self.rate)
        size = np.abs(rhs).sum(axis=0)  # floor for the scale: total may cancel to ~0 when rhs has both signs
        for _ in range(self.max_iter):
            tail = factor * np.abs(term).sum(axis=0)
            if np.all(tail <= tol * np.maximum(np.abs(total).sum(axis=0), size)):
                return total
            term = self.C @ term
            total += term
        raise CrossHoldingsConvergenceError(
            f"cross_holdings: the Neumann series for (I − C)⁻¹ did not reach tol={tol} in max_iter={self.max_iter} "
            f"steps (largest column sum of C: {self.rate:.6g}); raise max_iter or use solver='lu'")


def _egj_cascade(inverse: _IMinusCInverse, outside: np.ndarray, x: np.ndarray, value_before: np.ndarray,
                 theta: np.ndarray, beta: np.ndarray,
                 max_rounds: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, bool]:
    """EGJ waves; returns the final book values, failed mask, failure rounds, last round, truncated."""
    n = x.shape[0]
    failed = np.zeros(n, dtype=bool)
    failure_round = np.full(n, -1, dtype=np.int64)
    floor = theta * value_before
    book = inverse.solve(x)
    wave = 0
    while True:
        new = (outside * book < floor) & ~failed
        if not new.any():
            return book, failed, failure_round, max(wave - 1, 0), False
        failed |= new
        failure_round[new] = wave
        book = inverse.solve(x - beta * failed)
        wave += 1
        if max_rounds is not None and wave > max_rounds:
            more = bool(((outside * book < floor) & ~failed).any())
            return book, failed, failure_round, wave - 1, more


def _egj_top_sources(inverse: _IMinusCInverse, outside: np.ndarray, beta: np.ndarray, failed: np.ndarray) -> np.ndarray:
    """Per organisation, the failed j ≠ i with the largest ``A_ij β_j`` (columns of A in blocks)."""
    n = failed.shape[0]
    best = np.zeros(n)
    source = np.full(n, -1, dtype=np.int64)
    costly = np.flatnonzero(failed & (beta > 0))
    cut = 1e-12 * float(beta.max()) if n else 0.0
    for start in range(0, costly.size, _BLOCK):
        cols = costly[start:start + _BLOCK]
        share = outside[:, None] * inverse.columns(cols, beta[cols], tol=max(inverse.tol, 1e-9))
        share[cols, np.arange(cols.size)] = 0.0  # i's own failure cost is not a counterparty's
        k = np.argmax(share, axis=1)
        top = share[np.arange(n), k]
        better = (top > best) & (top > cut)
        best[better], source[better] = top[better], cols[k[better]]
    return source


def _xos_picard(Ms: Any, Md: Any, a: np.ndarray, d: np.ndarray, start: np.ndarray, c: float,
                *, tol: float, max_iter: int) -> tuple[np.ndarray, int, np.ndarray]:
    """Picard iteration on firm values; returns V, steps taken, and the step each firm last went below its debt."""
    V = start
    below = V < d
    since = np.zeros(V.shape[0], dtype=np.int64)
    factor = c / (1.0 - c)
    # Floor for the scale: V may converge to 0, and with no outside assets and no debts (a shock
    # that wipes out every asset) only the starting values say how large the problem is.
    # The larger of the two, not a fallback for exactly 0: a debt of 1e-123 left after the shock is
    # no scale either (found by Hypothesis), and waiting for V to fall below it took past max_iter.
    size = max(float(np.abs(a).sum() + d.sum()), float(np.abs(start).sum()))
    for step in range(max_iter):
        nxt = a + Ms @ np.maximum(0.0, V - d) + Md @ np.minimum(d, V)
        now = nxt < d
        since[now & ~below] = step
        below = now
        change = float(np.abs(nxt - V).sum())
        V = nxt
        if factor * change <= tol * max(float(np.abs(V).sum()), size) or change == 0.0:
            return V, step + 1, since
    raise CrossHoldingsConvergenceError(
        f"xos: Picard iteration did not reach tol={tol} in max_iter={max_iter} steps "
        f"(largest column sum of the holdings: {c:.6g}); raise max_iter")


def _row_argmax(matrix: sp.csr_array, *, exclude_diagonal: bool) -> np.ndarray:
    """Per row, the column of the largest positive entry (smallest column on ties), ``-1`` if none."""
    coo = matrix.tocoo()
    rows, cols, vals = coo.row, coo.col, coo.data
    keep = (vals > 0) & ((rows != cols) if exclude_diagonal else True)
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    order = np.lexsort((cols, -vals, rows))  # per row: largest value first, then smallest column
    out = np.full(matrix.shape[0], -1, dtype=np.int64)
    first_rows, at = np.unique(rows[order], return_index=True)
    out[first_rows] = cols[order][at]
    return out


def _summary(values: np.ndarray) -> float | str:
    """A per-node parameter for ``params``: the value if uniform, else ``"per node"``."""
    return float(values[0]) if values.size and np.all(values == values[0]) else "per node"
