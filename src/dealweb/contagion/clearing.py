r"""Payment clearing: who can pay whom when the web of obligations is settled at once.

Conventions (every function here)
---------------------------------
* ``L[i, j] ≥ 0`` is what ``i`` owes ``j`` inside the network (zero diagonal); ``e_i ≥ 0`` is
  ``i``'s cash from outside the network; ``ℓ_i ≥ 0`` is what ``i`` owes creditors outside it.
* Total obligations ``p̄ = L·1 + ℓ``. ``p_i`` is what ``i`` actually pays, in total.
* Equity before clearing ``e + Lᵀ1 − p̄`` (everyone pays in full); equity after clearing
  ``e + received − p̄``, where ``received`` is what the network actually paid in. It subtracts
  the full obligations ``p̄``, so it is negative for a defaulter.
* A node is solvent when ``e_i + received_i ≥ p̄_i`` (non-strict: zero equity pays in full), and
  fails when it pays less than it owes: ``p_i < p̄_i − tol·s_i`` with the scale
  ``s_i = max(1, p̄_i, e_i + Σ_j L[j, i])``, so ``tol`` is relative for large amounts.
* Seniority of outside creditors: ``"pari_passu"`` (default, as Eisenberg & Noe 2001 and R
  ``systemicrisk``): a defaulter pays each creditor, inside or outside, the same fraction of
  what it is owed, ``Π = L / p̄`` row-wise. ``"senior"``: outside creditors are paid first, the
  rest goes to network creditors pro rata, ``Π̃ = L / (L·1)``; network payments ``q`` then solve
  the clearing problem with external cash ``e − ℓ``, which can be negative.

Eisenberg–Noe (2001), doi:10.1287/mnsc.47.2.236.9835: ``p`` is the greatest fixed point of
``p = min(p̄, max(0, e + Πᵀp))``. Rogers–Veraart (2013), doi:10.1287/mnsc.1120.1569, add default
costs: an insolvent node realises ``α`` of its outside cash and ``β`` of its receivables,
``p_i = α e_i + β (Πᵀp)_i``.

Algorithm
---------
One kernel serves both models: the fictitious default algorithm of EN 2001, which is the
Greatest Clearing Vector Algorithm of RV 2013 (Def. 3.6) with ``α = β = 1``. Start with everyone
paying in full; in each round the insolvent set ``D`` grows, the solvent nodes ``S`` pay in full,
and ``x_D = max(0, α a_D + β Πᵀ_{DD} x_D + β Πᵀ_{SD} p̄_S)`` is solved exactly. The ``max(0, ·)``
only binds with senior outside creditors (``a = e − ℓ < 0``); it is handled by an inner loop over
the set of nodes that still pay something, which grows monotonically. Each outer iterate stays
above the greatest clearing vector and each inner one below the round's fixed point, so the result
is exact after at most ``n`` outer rounds. The linear systems are solved by sparse LU (up to 2 000
defaulters) or BiCGSTAB, falling back to LU when BiCGSTAB stalls (LU fills in badly on random
networks; BiCGSTAB does not mind). As with any solve, a nearly closed loop of defaulters (one that
leaks a share ``ε`` of what circulates) loses about ``1/ε`` in relative accuracy.

Losses and rounds
-----------------
``loss_i = Σ_j (L[j, i] − paid_ji)`` is what ``i``'s network debtors failed to pay it; outside
creditors' losses are in ``extra["outside_shortfall"]``, and the two add up to ``Σ (p̄ − p)``.
``failure_round`` is the round whose solvency test a node first failed: 0 means it fails even
if everyone pays it in full (fundamentally insolvent), ``k`` that it failed after the ``k``-th
re-computation of payments (FDA/GA round, or Picard iteration).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import shortest_path
from scipy.sparse.linalg import bicgstab, splu

from dealweb.contagion.result import ContagionResult
from dealweb.errors import ConvergenceError

__all__ = ["ClearingConvergenceError", "eisenberg_noe", "rogers_veraart"]

_LU_LIMIT = 2000  # random networks fill in badly: LU on 10 000 defaulters takes minutes, BiCGSTAB 0.05 s
_LP_TOL = 1e-9  # HiGHS meets its feasibility tolerances only up to about this, relatively


class ClearingConvergenceError(ConvergenceError):
    """A clearing solver hit ``max_iter``, met a singular system, or the LP solver failed."""


class _Net(NamedTuple):
    L: sp.csr_array  # L[i, j]: what i owes j
    e: np.ndarray
    ell: np.ndarray
    pbar: np.ndarray
    pi_t: sp.csr_array  # Πᵀ of the paid stream: row i holds the shares i receives
    a: np.ndarray  # outside cash of the stream (e, or e − ℓ when outside creditors are senior)
    cap: np.ndarray  # what the stream owes (p̄, or L·1 when senior)
    thr: np.ndarray  # tol × scale: the absolute slack of every test on node i
    senior: bool


def eisenberg_noe(
    liabilities: Any,
    external_assets: Any,
    *,
    external_liabilities: Any = None,
    seniority: Literal["pari_passu", "senior"] = "pari_passu",
    nodes: Sequence[Any] | None = None,
    method: Literal["fda", "picard", "lp"] = "fda",
    tol: float = 1e-12,
    max_iter: int | None = None,
) -> ContagionResult:
    """Eisenberg–Noe clearing payments (Eisenberg & Noe 2001, doi:10.1287/mnsc.47.2.236.9835).

    ``p`` is the greatest fixed point of ``p = min(p̄, max(0, e + Πᵀp))`` with ``p̄ = L·1 + ℓ`` and
    ``Π = L / p̄`` row-wise (pari passu; see the module docstring for the senior variant).

    Parameters
    ----------
    liabilities
        ``n × n`` dense or scipy sparse matrix, ``L[i, j]`` = what ``i`` owes ``j``; zero diagonal.
    external_assets
        ``e_i ≥ 0``, node ``i``'s cash from outside the network.
    external_liabilities
        ``ℓ_i ≥ 0``, what ``i`` owes outside creditors (default none).
    seniority
        ``"pari_passu"``: outside creditors share pro rata with network creditors;
        ``"senior"``: outside creditors are paid first.
    nodes
        Node labels (default ``range(n)``).
    method
        ``"fda"`` fictitious default algorithm (exact, at most ``n`` rounds); ``"picard"``
        iterates ``p ← Φ(p)`` from ``p̄``; ``"lp"`` maximises ``Σp`` s.t. ``p ≤ e + Πᵀp``,
        ``0 ≤ p ≤ p̄`` with HiGHS (pari passu only: seniority is not linear). Picard and LP are
        cross-checks: Picard converges only geometrically, and the LP is accurate to about 1e-9 of
        the largest obligation (it counts shortfalls below ``1e-9·s_i`` as paid in full).
    tol
        Relative slack of the solvency test (module docstring); Picard's stopping step.
    max_iter
        Most rounds (FDA, default ``n + 1``) or iterations (Picard, default 100 000).

    Returns
    -------
    ContagionResult
        ``loss_i`` = what ``i``'s network debtors failed to pay it, ``Σ_j (L[j, i] − paid_ji)``;
        ``relative_loss`` = loss / equity before (``nan`` where that is ≤ 0); ``failure_round``:
        FDA round in which ``i`` first failed (0 = fails with full payments from everyone,
        i.e. fundamentally insolvent), Picard's iteration, or for the LP the length of the
        shortest chain of failed debtors back to a fundamental default; ``top_source`` = the
        debtor with the largest shortfall to ``i``. ``extra``: ``payments`` (p), ``obligations``
        (p̄), ``shortfall`` (p̄ − p), ``outside_shortfall`` (what ``i``'s outside creditors
        miss), ``equity_before``, ``equity_after``.

    Raises
    ------
    ValueError
        Inputs of the wrong shape, negative or non-finite amounts, a non-zero diagonal, unknown options.
    ClearingConvergenceError
        ``max_iter`` reached, a singular system, or the LP solver failed.

    Examples
    --------
    Three banks (Siebenbrunner, NetworkValuation, EN example): bank 0 is insolvent from the start,
    bank 1 only once bank 0 pays less.

    >>> res = eisenberg_noe([[0, 20, 10], [5, 0, 24], [10, 0, 0]], [10, 10, 10])
    >>> (res.extra["payments"] * 11).round(9).tolist(), res.failure_round.tolist()
    ([270.0, 290.0, 110.0], [0, 1, -1])
    """
    if seniority not in ("pari_passu", "senior"):
        raise ValueError(f"seniority must be 'pari_passu' or 'senior', got {seniority!r}")
    if method not in ("fda", "picard", "lp"):
        raise ValueError(f"method must be 'fda', 'picard' or 'lp', got {method!r}")
    if method == "lp" and seniority == "senior":
        raise ValueError("method='lp' needs seniority='pari_passu': senior outside creditors make the problem non-linear")
    net, labels = _network(liabilities, external_assets, external_liabilities, nodes, tol, senior=seniority == "senior")
    n = net.e.size
    if max_iter is not None and max_iter < 1:
        raise ValueError(f"max_iter must be ≥ 1, got {max_iter}")
    if method == "fda":
        x, rounds, first = _fda(net, 1.0, 1.0, max_iter if max_iter is not None else n + 1)
    elif method == "picard":
        x, rounds, first = _picard(net, max_iter if max_iter is not None else 100_000)
    else:
        x, rounds, first = _lp(net), 0, None
    slack = net.thr * (max(1.0, _LP_TOL / tol) if method == "lp" else 1.0)
    params = {"seniority": seniority, "method": method, "tol": tol}
    return _result("eisenberg_noe", net, x, rounds, first, slack, labels, params)


def rogers_veraart(
    liabilities: Any,
    external_assets: Any,
    *,
    alpha: float,
    beta: float,
    external_liabilities: Any = None,
    nodes: Sequence[Any] | None = None,
    tol: float = 1e-12,
) -> ContagionResult:
    """Rogers–Veraart clearing with default costs (Rogers & Veraart 2013, Management Science
    59(4):882–898, doi:10.1287/mnsc.1120.1569).

    ``Λ_i = p̄_i`` if ``e_i + (ΠᵀΛ)_i ≥ p̄_i``, else ``α e_i + β (ΠᵀΛ)_i``; the greatest clearing
    vector by their Greatest Clearing Vector Algorithm (Def. 3.6): the insolvent set ``I`` grows
    each round and ``Λ_I = (I − βΠᵀ_II)⁻¹(α e_I + β Πᵀ_{S→I} p̄_S)``. Outside creditors rank
    pari passu (``Π = L / p̄``, as R ``systemicrisk::default_clearing``). ``α = β = 1`` is
    Eisenberg–Noe.

    Parameters
    ----------
    liabilities, external_assets, external_liabilities, nodes, tol
        As :func:`eisenberg_noe`.
    alpha, beta
        Shares in ``[0, 1]`` of outside assets and of interbank receivables an insolvent node realises.

    Returns
    -------
    ContagionResult
        As :func:`eisenberg_noe`, with ``failure_round`` the GA round in which a node became
        insolvent; ``equity_after`` is the book value ``e + ΠᵀΛ − p̄`` (before default costs).

    Examples
    --------
    The same three banks with half of everything lost on default: ``Λ = (1815, 1450, 1690) / 169``.

    >>> res = rogers_veraart([[0, 20, 10], [5, 0, 24], [10, 0, 0]], [10, 10, 10], alpha=0.5, beta=0.5)
    >>> (res.extra["payments"] * 169).round(9).tolist(), res.rounds
    ([1815.0, 1450.0, 1690.0], 2)
    """
    for name, value in (("alpha", alpha), ("beta", beta)):
        if not (isinstance(value, (int, float, np.number)) and 0.0 <= float(value) <= 1.0):
            raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    net, labels = _network(liabilities, external_assets, external_liabilities, nodes, tol, senior=False)
    x, rounds, first = _fda(net, float(alpha), float(beta), net.e.size + 1)
    params = {"alpha": float(alpha), "beta": float(beta), "seniority": "pari_passu", "tol": tol}
    return _result("rogers_veraart", net, x, rounds, first, net.thr, labels, params)


# ------------------------------------------------------------------ kernels


def _fda(net: _Net, alpha: float, beta: float, max_iter: int) -> tuple[np.ndarray, int, np.ndarray]:
    """Fictitious default / GA rounds: stream payments, rounds, round of first insolvency per node."""
    x = net.cap.copy()
    first = np.full(x.size, -1)
    d = np.zeros(x.size, dtype=bool)
    for k in range(max_iter + 1):
        below = net.a + net.pi_t @ x < net.cap - net.thr
        first[below & (first < 0)] = k
        grown = d | (below & (net.cap > 0))  # the insolvent set only grows (GA, RV 2013 Def. 3.6)
        if np.array_equal(grown, d):
            return x, k, first
        if k == max_iter:
            break
        d = grown
        x = _round(net, x, d, alpha, beta)
    raise ClearingConvergenceError(f"the fictitious default algorithm did not settle within max_iter={max_iter} rounds")


def _round(net: _Net, x: np.ndarray, d: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """Solvent nodes pay their cap; solve ``y = max(0, c + M y)`` for the insolvent ones."""
    new = np.where(d, 0.0, net.cap)
    c = alpha * net.a[d] + beta * (net.pi_t @ new)[d]
    m = (beta * net.pi_t[d][:, d]).tocsr()
    tiny = net.thr[d]
    live = c + m @ x[d] > 0  # nodes that pay nothing even now pay nothing below
    y = _solve(m, c, live)
    if y is None or np.any(y < -tiny) or np.any(y > x[d] + tiny) or np.any(c + m @ y > tiny + np.where(live, y, 0.0)):
        y = _upward(m, c)  # only with senior outside creditors (c < 0) or a singular system
    new[d] = np.clip(y, 0.0, x[d])
    return new


def _upward(m: sp.csr_array, c: np.ndarray) -> np.ndarray:
    """Fixed point of ``y = max(0, c + M y)`` from below; the set of payers grows each step."""
    y, live = np.zeros(c.size), np.zeros(c.size, dtype=bool)
    for _ in range(c.size + 1):
        now = live | (c + m @ y > 0)
        if np.array_equal(now, live):
            return y
        live = now
        z = _solve(m, c, live)
        if z is None:
            raise ClearingConvergenceError("singular clearing system: a closed group of defaulters (check the inputs)")
        y = z
    raise ClearingConvergenceError("the inner clearing loop did not settle")


def _solve(m: sp.csr_array, c: np.ndarray, mask: np.ndarray) -> np.ndarray | None:
    """``y_mask = (I − M_mask,mask)⁻¹ c_mask``, zero elsewhere; ``None`` if singular."""
    y = np.zeros(c.size)
    k = int(mask.sum())
    if k == 0:
        return y
    a = (sp.eye_array(k, format="csr") - m[mask][:, mask]).tocsc()
    b = c[mask]
    z = None
    if k > _LU_LIMIT:
        z, info = bicgstab(a, b, rtol=1e-13, atol=0.0, maxiter=1000)
        z = z if info == 0 and np.all(np.isfinite(z)) else None
    if z is None:
        try:
            z = splu(a).solve(b)
        except RuntimeError:  # "Factor is exactly singular"
            return None
    if not np.all(np.isfinite(z)):
        return None
    y[mask] = z
    return y


def _picard(net: _Net, max_iter: int) -> tuple[np.ndarray, int, np.ndarray]:
    """``x ← min(cap, max(0, a + Πᵀx))`` from ``cap`` until no node moves more than its slack."""
    x = net.cap.copy()
    first = np.full(x.size, -1)
    for k in range(max_iter):
        inflow = net.a + net.pi_t @ x
        first[(inflow < net.cap - net.thr) & (first < 0)] = k
        new = np.minimum(net.cap, np.maximum(0.0, inflow))
        if np.all(np.abs(new - x) <= net.thr):
            return new, k + 1, first
        x = new
    raise ClearingConvergenceError(f"Picard iteration did not converge within max_iter={max_iter} iterations")


def _lp(net: _Net) -> np.ndarray:
    """``max Σp  s.t.  (I − Πᵀ)p ≤ e,  0 ≤ p ≤ p̄`` (as R ``systemicrisk::default_clearing``) with HiGHS."""
    from scipy.optimize import OptimizeWarning, linprog  # 1 s to import; only this cross-check needs it

    n = net.e.size
    if n == 0:
        return np.zeros(0)
    a_ub = sp.eye_array(n, format="csr") - net.pi_t
    unit = float(max(1.0, net.cap.max(), net.a.max()))  # HiGHS's tolerances are absolute: solve in units of the largest
    bounds = np.c_[np.zeros(n), net.cap / unit]
    # HiGHS drops matrix entries below small_matrix_value (default 1e-9), which can open or close a loop of debts.
    tight = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10, "small_matrix_value": 1e-12}
    message = ""
    for opts in (tight, {"small_matrix_value": 1e-12}):  # retry with the default tolerances if tight ones fail
        with warnings.catch_warnings():  # scipy does not know small_matrix_value and passes it on with a warning
            warnings.simplefilter("ignore", OptimizeWarning)
            res = linprog(-np.ones(n), A_ub=a_ub, b_ub=net.a / unit, bounds=bounds, method="highs", options=opts)
        message = res.message
        if res.status == 0:
            p = np.clip(np.asarray(res.x, dtype=np.float64) * unit, 0.0, net.cap)
            if np.all(np.abs(np.minimum(net.cap, net.a + net.pi_t @ p) - p) <= 1e-6 * unit):  # a clearing vector
                return p
            message = "the solution is not a clearing vector"
    raise ClearingConvergenceError(f"the clearing LP failed: {message}")


def _waves(L: sp.csr_array, failed: np.ndarray, fundamental: np.ndarray) -> np.ndarray:
    """Shortest chain of failed debtors from a fundamental default to each failed node (0 for those)."""
    n = failed.size
    coo = L.tocoo()
    keep = failed[coo.row] & failed[coo.col] & (coo.row != coo.col)
    roots = np.flatnonzero(fundamental)
    src, dst = np.r_[coo.row[keep], np.full(roots.size, n)], np.r_[coo.col[keep], roots]
    graph = sp.csr_array((np.ones(src.size), (src, dst)), shape=(n + 1, n + 1))
    dist = shortest_path(graph, directed=True, unweighted=True, indices=n)[:n]
    return np.where(failed, np.where(np.isfinite(dist), dist - 1, 1), -1).astype(np.int64)


# ------------------------------------------------------------------ result


def _result(model: str, net: _Net, x: np.ndarray, rounds: int, first: np.ndarray | None, thr: np.ndarray,
            labels: tuple[Any, ...], params: dict[str, Any]) -> ContagionResult:
    """Payments, losses and their sources from the cleared stream ``x`` (``first=None``: no rounds, as the LP)."""
    n = net.e.size
    x = np.where(x >= net.cap - thr, net.cap, x)  # within the slack counts as paid in full
    received = net.pi_t @ x
    ratio = _ratio(x, net.cap)
    if net.senior:  # outside creditors first: they get min(ℓ, cash), all of ℓ if the network is paid in full
        paid_out = np.where((x >= net.cap) & (net.cap > 0), net.ell, np.minimum(net.ell, np.maximum(0.0, net.e + received)))
        paid_out = np.where(paid_out >= net.ell - thr, net.ell, paid_out)
        p = np.where((x >= net.cap) & (paid_out >= net.ell), net.pbar, paid_out + x)
        outside = net.ell - paid_out
    else:
        p = x
        outside = net.ell * (1.0 - ratio)
    coo = net.L.tocoo()
    short = coo.data * (1.0 - ratio[coo.row])  # what debtor row failed to pay creditor col
    loss = np.bincount(coo.col, weights=short, minlength=n)
    top = np.full(n, -1, dtype=np.int64)
    pos = short > 0
    order = np.lexsort((-short[pos], coo.col[pos]))
    cols, rows = coo.col[pos][order], coo.row[pos][order]
    head = np.r_[True, cols[1:] != cols[:-1]] if cols.size else np.zeros(0, dtype=bool)
    top[cols[head]] = rows[head]
    before = net.e + np.asarray(net.L.sum(axis=0)).ravel() - net.pbar
    failed = p < net.pbar - thr
    if first is None:
        first = _waves(net.L, failed, failed & (before < -thr))
        rounds = int(first.max()) + 1 if failed.any() else 0
    failure_round = np.where(failed, np.where(first >= 0, first, rounds), -1).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(before > 0, loss / before, np.nan)
    extra = {"payments": p, "obligations": net.pbar, "shortfall": net.pbar - p, "outside_shortfall": outside,
             "equity_before": before, "equity_after": net.e + received - net.pbar}
    return ContagionResult(model=model, nodes=labels, loss=loss, relative_loss=relative, failed=failed,
                           failure_round=failure_round, top_source=top, rounds=rounds, extra=extra, params=params)


def _ratio(x: np.ndarray, cap: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(cap > 0, x / cap, 1.0)


# ------------------------------------------------------------------ input checks


def _network(liabilities: Any, external_assets: Any, external_liabilities: Any, nodes: Sequence[Any] | None,
             tol: float, *, senior: bool) -> tuple[_Net, tuple[Any, ...]]:
    if not (isinstance(tol, (int, float)) and 0.0 < tol < 1.0):
        raise ValueError(f"tol must be a number in (0, 1), got {tol!r}")
    L = _check_matrix(liabilities)
    n = L.shape[0]
    e = _check_vector(external_assets, n, "external_assets")
    ell = np.zeros(n) if external_liabilities is None else _check_vector(external_liabilities, n, "external_liabilities")
    labels = tuple(range(n)) if nodes is None else tuple(nodes)
    if len(labels) != n:
        raise ValueError(f"nodes must name the {n} nodes of liabilities, got {len(labels)} labels")
    owed = np.asarray(L.sum(axis=1), dtype=np.float64).ravel()
    pbar = owed + ell
    cap = owed if senior else pbar
    share = L.copy()  # row i over cap_i; a row with entries has cap_i ≥ each of them > 0
    share.data = share.data / np.repeat(cap, np.diff(share.indptr))
    pi_t = sp.csr_array(share.T)
    scale = np.maximum(np.maximum(1.0, pbar), e + np.asarray(L.sum(axis=0)).ravel())
    a = e - ell if senior else e
    return _Net(L, e, ell, pbar, pi_t, a, cap, tol * scale, senior), labels


def _check_matrix(liabilities: Any) -> sp.csr_array:
    if sp.issparse(liabilities):
        L = sp.csr_array(liabilities, dtype=np.float64, copy=True)  # sum_duplicates and eliminate_zeros work in place
    else:
        dense = np.asarray(liabilities, dtype=np.float64)
        if dense.ndim != 2:
            raise ValueError(f"liabilities must be a square n × n matrix, got shape {dense.shape}")
        L = sp.csr_array(dense)
    if L.shape[0] != L.shape[1]:
        raise ValueError(f"liabilities must be a square n × n matrix, got shape {L.shape}")
    L.sum_duplicates()
    coo = L.tocoo()
    bad = np.flatnonzero(~np.isfinite(coo.data) | (coo.data < 0))
    if bad.size:
        i, j, v = coo.row[bad[0]], coo.col[bad[0]], coo.data[bad[0]]
        raise ValueError(f"liabilities must be finite and ≥ 0: liabilities[{i}, {j}] = {float(v)!r} ({bad.size} bad entries)")
    diag = np.flatnonzero(L.diagonal())
    if diag.size:
        raise ValueError(f"liabilities must have a zero diagonal (nobody owes itself): liabilities[{diag[0]}, {diag[0]}] "
                         f"= {float(L.diagonal()[diag[0]])!r}")
    L.eliminate_zeros()
    return L


def _check_vector(value: Any, n: int, name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have one value per node ({n}), got shape {arr.shape}")
    bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0))
    if bad.size:
        raise ValueError(f"{name} must be finite and ≥ 0: {name}[{bad[0]}] = {float(arr[bad[0]])!r}")
    return arr
