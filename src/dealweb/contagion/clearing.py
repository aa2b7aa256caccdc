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
networks; BiCGSTAB does not mind). Before BiCGSTAB, defaulters that receive nothing from other
defaulters are paid exactly (``x_i = c_i``) and those no other defaulter receives from are paid
after the rest, by one product; BiCGSTAB solves the core that remains, on payments relative to what
each defaulter owes, from one Jacobi step below the previous round's payments, restarted from its
true residual until every residual is within ``1e-15`` of what its node owes, so small and large
defaulters are solved to the same relative accuracy (the previous plain BiCGSTAB stopped at a
relative 2-norm of ``1e-13``, which left errors near ``1e-8`` of a small defaulter's debts on 10M
edges). As with any solve, a nearly closed loop of defaulters (one that leaks a share ``ε`` of what
circulates) loses about ``1/ε`` in relative accuracy.

Every kernel works on the CSR arrays of ``L``, ``Lᵀ`` and ``Πᵀ`` built once per call: a round costs
one product with ``Πᵀ`` for the solvency test plus the defaulters' solve, a Picard iteration one
product with ``Πᵀ`` and a few vector operations. Large products may run on several
threads (``DEALWEB_THREADS``, default one: :class:`~dealweb.contagion._exposures.Product`); each
sum is still taken in SciPy's order, so the numbers do not depend on the thread count.

Losses and rounds
-----------------
``loss_i = Σ_j (L[j, i] − paid_ji)`` is what ``i``'s network debtors failed to pay it; outside
creditors' losses are in ``extra["outside_shortfall"]``, and the two add up to ``Σ (p̄ − p)``.
``failure_round`` is the round whose solvency test a node first failed: 0 means it fails even
if everyone pays it in full (fundamentally insolvent), ``k`` that it failed after the ``k``-th
re-computation of payments (FDA/GA round, or Picard iteration). ``rounds`` counts the rounds or
iterations that changed some payment, so nothing to clear is 0 rounds for every method; Picard
computes one more product than its rounds, the one that finds nothing moved by more than the slack.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import shortest_path
from scipy.sparse.linalg import LinearOperator, splu

from dealweb.contagion._checks import check_labels, check_non_negative, check_square
from dealweb.contagion._exposures import Product, bicgstab, matvec, norm, row_argmax, take
from dealweb.contagion.result import ContagionResult
from dealweb.errors import ConvergenceError

__all__ = ["ClearingConvergenceError", "eisenberg_noe", "rogers_veraart"]

_LU_LIMIT = 2000  # random networks fill in badly: LU on 10 000 defaulters takes minutes, BiCGSTAB 0.05 s
_RESIDUAL = 1e-15  # BiCGSTAB restarts until every residual is within this share of what the node owes
_RESTARTS = 3
_ACCEPT = 1e-12  # ... and gives up (falling back to LU) above this
_ROWS_SHARE = 8  # losses from the defaulters' rows of L while those hold under 1/8 of the entries
_LP_TOL = 1e-9  # HiGHS meets its feasibility tolerances only up to about this, relatively


class ClearingConvergenceError(ConvergenceError):
    """A clearing solver hit ``max_iter``, met a singular system, or the LP solver failed."""


class _Net(NamedTuple):
    L: sp.csr_array  # L[i, j]: what i owes j
    lt: sp.csr_array  # Lᵀ: row i holds what i is owed, by debtor (sorted)
    due: np.ndarray  # Lᵀ1: what each node is owed inside the network
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
    attribute: bool = True,
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
    attribute
        Compute ``top_source``, the debtor whose shortfall hit each node hardest (default). It costs
        a pass over the defaulters' entries of ``L`` after the clearing; ``False`` skips it and
        leaves ``top_source`` at −1. Payments, losses, failures and rounds are the same either way.

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
    return _result("eisenberg_noe", net, x, rounds, first, slack, labels, params, attribute=attribute)


def rogers_veraart(
    liabilities: Any,
    external_assets: Any,
    *,
    alpha: float,
    beta: float,
    external_liabilities: Any = None,
    nodes: Sequence[Any] | None = None,
    tol: float = 1e-12,
    attribute: bool = True,
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
    liabilities, external_assets, external_liabilities, nodes, tol, attribute
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
    return _result("rogers_veraart", net, x, rounds, first, net.thr, labels, params, attribute=attribute)


# ------------------------------------------------------------------ kernels


def _fda(net: _Net, alpha: float, beta: float, max_iter: int) -> tuple[np.ndarray, int, np.ndarray]:
    """Fictitious default / GA rounds: stream payments, rounds, round of first insolvency per node."""
    x = net.cap.copy()
    first = np.full(x.size, -1)
    d = np.zeros(x.size, dtype=bool)
    product = Product(net.pi_t)
    for k in range(max_iter + 1):
        below = net.a + product(x) < net.cap - net.thr
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
    idx = np.flatnonzero(d)
    rows = net.pi_t[idx]  # what the insolvent receive, from everyone
    new = np.where(d, 0.0, net.cap)
    c = alpha * net.a[idx] + beta * matvec(rows, new)
    m = _columns(rows, d)
    m.data *= beta
    tiny = net.thr[idx]
    owed = net.cap[idx]
    step = c + m @ x[idx]
    live = step > 0  # nodes that pay nothing even now pay nothing below
    # Start the solve one Jacobi step below last round's payments: a new defaulter starts at what it can pay now.
    y = _solve(m, c, live, owed, np.clip(step, 0.0, x[idx]))
    if y is None or np.any(y < -tiny) or np.any(y > x[idx] + tiny) or np.any(c + m @ y > tiny + np.where(live, y, 0.0)):
        y = _upward(m, c, owed)  # only with senior outside creditors (c < 0) or a singular system
    new[idx] = np.clip(y, 0.0, x[idx])
    return new


def _columns(matrix: sp.csr_array, keep: np.ndarray) -> sp.csr_array:
    """``matrix[:, keep]`` for a boolean ``keep``, columns renumbered in order, without scipy's general indexing."""
    at = np.flatnonzero(take(keep, matrix.indices))
    indptr = np.searchsorted(at, matrix.indptr).astype(matrix.indptr.dtype)
    renumber = (np.cumsum(keep) - 1).astype(matrix.indices.dtype)
    return sp.csr_array((take(matrix.data, at), take(renumber, take(matrix.indices, at)), indptr),
                        shape=(matrix.shape[0], int(np.count_nonzero(keep))))


def _upward(m: sp.csr_array, c: np.ndarray, owed: np.ndarray) -> np.ndarray:
    """Fixed point of ``y = max(0, c + M y)`` from below; the set of payers grows each step."""
    y, live = np.zeros(c.size), np.zeros(c.size, dtype=bool)
    for _ in range(c.size + 1):
        now = live | (c + m @ y > 0)
        if np.array_equal(now, live):
            return y
        live = now
        z = _solve(m, c, live, owed)
        if z is None:
            raise ClearingConvergenceError("singular clearing system: a closed group of defaulters (check the inputs)")
        y = z
    raise ClearingConvergenceError("the inner clearing loop did not settle")


def _solve(m: sp.csr_array, c: np.ndarray, mask: np.ndarray, owed: np.ndarray,
           start: np.ndarray | None = None) -> np.ndarray | None:
    """``y_mask = (I − M_mask,mask)⁻¹ c_mask``, zero elsewhere; ``None`` if singular.

    ``owed`` (> 0) scales the iterative solve; ``start`` is its first guess (default zero).
    """
    y = np.zeros(c.size)
    k = int(np.count_nonzero(mask))
    if k == 0:
        return y
    sub = m if k == mask.size else _columns(m[np.flatnonzero(mask)], mask)
    b = c[mask]
    z = None
    if k > _LU_LIMIT:
        z = _bicgstab(sub, b, owed[mask], None if start is None else start[mask])
    if z is None:
        try:
            z = splu((sp.eye_array(k, format="csr") - sub).tocsc()).solve(b)
        except RuntimeError:  # "Factor is exactly singular"
            return None
    if not np.all(np.isfinite(z)):
        return None
    y[mask] = z
    return y


def _bicgstab(m: sp.csr_array, b: np.ndarray, owed: np.ndarray, start: np.ndarray | None) -> np.ndarray | None:
    """``y = (I − M)⁻¹ b`` with BiCGSTAB on the part of the system that needs it; ``None`` if that does not converge.

    A node that receives nothing from the others pays ``b_i`` exactly; a node none of the others
    receives from is paid for by one product once the rest is known. BiCGSTAB solves the remaining
    core (:func:`_krylov`).
    """
    k = b.size
    y = np.zeros(k)
    source = np.diff(m.indptr) == 0
    sink = np.bincount(m.indices, minlength=k) == 0
    y[source] = b[source]
    core = ~(source | sink)
    if core.any():
        rows = m[np.flatnonzero(core)]
        z = _krylov(_columns(rows, core), b[core] + matvec(rows, y), owed[core], None if start is None else start[core])
        if z is None:
            return None
        y[core] = z
    last = sink & ~source
    y[last] = b[last] + matvec(m[np.flatnonzero(last)], y)
    return y


def _krylov(m: sp.csr_array, b: np.ndarray, owed: np.ndarray, start: np.ndarray | None) -> np.ndarray | None:
    """``(I − M)⁻¹ b`` by BiCGSTAB on ``z = y / owed``; ``None`` if it does not converge.

    In those units every residual is relative to what its node owes, so a small defaulter is solved as
    accurately as a large one. After the first solve, restart from the true residual (iterative
    refinement, which also gets past a breakdown) until no residual exceeds ``_RESIDUAL``, at most
    ``_RESTARTS`` times; accept a solution whose residuals are all below ``_ACCEPT``.
    """
    k = b.size
    scaled = sp.csr_array((m.data * take(owed, m.indices) / np.repeat(owed, np.diff(m.indptr)), m.indices, m.indptr),
                          shape=m.shape)
    product = Product(scaled)

    def system(v: np.ndarray) -> np.ndarray:  # (I − S⁻¹MS) v
        out: np.ndarray = v - product(v)
        return out

    a = LinearOperator((k, k), matvec=system, dtype=np.float64)
    rhs = b / owed
    z = np.zeros(k) if start is None else start / owed
    residual = rhs - system(z)
    atol = _RESIDUAL * norm(rhs)
    for _ in range(_RESTARTS + 1):
        if np.max(np.abs(residual), initial=0.0) <= _RESIDUAL:
            break
        found, info = bicgstab(a, rhs, x0=z, rtol=0.0, atol=atol, maxiter=1000)
        if not np.all(np.isfinite(found)):
            return None
        again = rhs - system(found)
        if info > 0 and norm(again) >= norm(residual):
            break  # no progress within maxiter
        z, residual = found, again
        atol = 1e-4 * norm(residual)
    if np.max(np.abs(residual), initial=0.0) > _ACCEPT:
        return None
    solution: np.ndarray = z * owed
    return solution


def _picard(net: _Net, max_iter: int) -> tuple[np.ndarray, int, np.ndarray]:
    """``x ← min(cap, max(0, a + Πᵀx))`` from ``cap`` until no node moves more than its slack.

    Returns the payments, the number of iterations that moved some payment (the last product only
    confirms the fixed point, so nothing moving is 0 rounds, as for the FDA), and first failures.
    """
    n = net.cap.size
    x, new, gap = net.cap.copy(), np.empty(n), np.empty(n)
    hit, open_ = np.empty(n, dtype=bool), np.ones(n, dtype=bool)  # open_: not failed yet
    first = np.full(n, -1)
    low = net.cap - net.thr
    product = Product(net.pi_t)
    # Every buffer is made once: a fresh 8 MB array per step costs as much in page faults as a pass over it.
    for k in range(max_iter):
        product(x, out=new)
        new += net.a
        np.less(new, low, out=hit)
        if hit.any():  # most iterations fail nobody: skip the masking pass then
            hit &= open_
            first[hit] = k
            open_ &= ~hit
        np.clip(new, 0.0, net.cap, out=new)  # one pass for max(0, ·) then min(cap, ·); cap ≥ 0
        np.subtract(x, new, out=gap)  # ≥ 0: Φ is monotone, in floating point too, and x starts at its top
        if np.all(np.less_equal(gap, net.thr, out=hit)):
            return new, k, first
        x, new = new, x
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
            labels: tuple[Any, ...], params: dict[str, Any], *, attribute: bool = True) -> ContagionResult:
    """Payments, losses and their sources from the cleared stream ``x`` (``first=None``: no rounds, as the LP)."""
    x = np.where(x >= net.cap - thr, net.cap, x)  # within the slack counts as paid in full
    received = matvec(net.pi_t, x)
    ratio = _ratio(x, net.cap)
    if net.senior:  # outside creditors first: they get min(ℓ, cash), all of ℓ if the network is paid in full
        paid_out = np.where((x >= net.cap) & (net.cap > 0), net.ell, np.minimum(net.ell, np.maximum(0.0, net.e + received)))
        paid_out = np.where(paid_out >= net.ell - thr, net.ell, paid_out)
        p = np.where((x >= net.cap) & (paid_out >= net.ell), net.pbar, paid_out + x)
        outside = net.ell - paid_out
    else:
        p = x
        outside = net.ell * (1.0 - ratio)
    loss, top = _losses(net, ratio) if attribute else (_loss(net, ratio), np.full(ratio.size, -1, dtype=np.int64))
    before = net.e + net.due - net.pbar
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


def _losses(net: _Net, ratio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What each node's debtors failed to pay it, ``Σ_j L[j, i] (1 − ratio_j)``, and the debtor who failed it most.

    Each sum runs over the debtors in order from zero, bitwise as ``np.bincount`` over ``L``'s
    entries did (the shortfall of a debtor paying in full is ``+0.0``, so leaving it out changes
    nothing); with no debts at all it is float zeros. Few defaulters: from
    their rows of ``L``; many: per creditor, from the rows of ``Lᵀ``.
    """
    n = ratio.size
    L, lt = net.L, net.lt
    debtors = np.flatnonzero(ratio < 1.0)
    starts, counts = L.indptr[debtors], np.diff(L.indptr)[debtors]
    if not lt.nnz or int(counts.sum()) * _ROWS_SHARE > lt.nnz:
        short = take(1.0 - ratio, lt.indices)
        short *= lt.data  # what each debtor failed to pay creditor i
        owed_to = sp.csr_array((short, lt.indices, lt.indptr), shape=lt.shape)
        loss = matvec(owed_to, np.ones(n)) if lt.nnz else np.zeros(n)
        return loss, row_argmax(owed_to)
    at = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts) + np.arange(int(counts.sum()))
    debtor = np.repeat(debtors, counts)
    creditor = L.indices[at]
    short = L.data[at] * (1.0 - ratio)[debtor]
    loss = np.bincount(creditor, weights=short, minlength=n) if at.size else np.zeros(n)
    top = np.full(n, -1, dtype=np.int64)
    pos = short > 0
    order = np.lexsort((debtor[pos], -short[pos], creditor[pos]))  # by creditor, largest shortfall, smallest debtor
    first = creditor[pos][order]
    head = np.r_[True, first[1:] != first[:-1]] if first.size else np.zeros(0, dtype=bool)
    top[first[head]] = debtor[pos][order][head]
    return loss, top


def _loss(net: _Net, ratio: np.ndarray) -> np.ndarray:
    """``Σ_j L[j, i] (1 − ratio_j)`` by one product with ``Lᵀ``: each sum over the debtors in order from zero,
    bitwise as :func:`_losses` (a debtor paying in full adds ``+0.0``)."""
    if not net.lt.nnz:
        return np.zeros(ratio.size)
    return matvec(net.lt, 1.0 - ratio)


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
    labels = check_labels(nodes, n, of="liabilities")
    owed = np.zeros(n)  # L·1 as scipy's L.sum(axis=1) computes it, without its overhead
    rows = np.flatnonzero(np.diff(L.indptr))
    owed[rows] = np.add.reduceat(L.data, L.indptr[rows])
    pbar = owed + ell
    cap = owed if senior else pbar
    lt = sp.csr_array(L.T)  # sorted: CSC to CSR conversion orders every row
    # Πᵀ[i, j] = L[j, i] / cap_j, on Lᵀ's index arrays; a row of L with entries has cap_j ≥ each of them > 0.
    share = take(cap, lt.indices)
    np.divide(lt.data, share, out=share)
    pi_t = sp.csr_array((share, lt.indices, lt.indptr), shape=lt.shape)
    due = matvec(lt, np.ones(n))
    scale = np.maximum(np.maximum(1.0, pbar), e + due)
    a = e - ell if senior else e
    return _Net(L, lt, due, e, ell, pbar, pi_t, a, cap, tol * scale, senior), labels


def _check_matrix(liabilities: Any) -> sp.csr_array:
    # A float CSR input is used as it is, without a copy, unless it must change (sum_duplicates and
    # eliminate_zeros work in place): 10M entries are 120 MB to copy and to fault in.
    L, shared = check_square(liabilities, "liabilities")
    if not L.has_canonical_format:
        L = L.copy() if shared else L
        shared = False
        L.sum_duplicates()
    check_non_negative(L, "liabilities")
    diag = np.flatnonzero(L.diagonal())
    if diag.size:
        raise ValueError(f"liabilities must have a zero diagonal (nobody owes itself): liabilities[{diag[0]}, {diag[0]}] "
                         f"= {float(L.diagonal()[diag[0]])!r}")
    if not L.data.all():
        L = L.copy() if shared else L
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
