r"""The Bardoscia et al. (2015) DebtRank iteration, with a shrinking matrix and a solved linear tail.

``h(t+1) = min(1, h(t) + Λ Δh(t))`` with ``Δh(t) = h(t) − h(t−1)``, ``h(0) = 0``, ``h(1)`` the shock
(see :mod:`dealweb.contagion.debtrank`). Two facts make it cheaper than one full product per update:

* **Saturated nodes drop out.** Once ``h_i = 1`` and the increment that took it there has been passed
  on, ``Δh_i = 0`` for ever (its column passes nothing on) and ``min(1, 1 + x) = 1`` (its row changes
  nothing). So while many nodes move, every update
  multiplies by ``Λ`` without the rows and columns of saturated nodes, rebuilt whenever nodes
  saturated since the last rebuild held :data:`_SHRINK_SHARE` of its entries. Hubs saturate first,
  so the entries fall faster than the nodes. The sums are bitwise those of the full product: the
  dropped terms are ``+0.0``.
* **The tail is linear.** While no further node saturates, ``Δh(t+k) = Λ_UU^k Δh(t)`` on the
  unsaturated set ``U`` that the moving nodes reach (nothing else moves again; leaving the rest out
  keeps parts the shock never reached, possibly with ``ρ > 1``, out of the solve), so
  ``h_U(∞) = h_U(t) + Σ_{k≥1} Λ_UU^k Δh_U(t) = h_U(t) − Δh_U(t) + z`` with ``(I − Λ_UU) z = Δh_U(t)``.
  After :data:`_QUIET` updates without a new failure (doubled after each rejected attempt), if the
  largest increment has been shrinking and no node's own increments, extrapolated at that rate,
  would take it to 1 (two cheap filters that only save futile solves), the kernel solves for ``z``
  (sparse LU up to :data:`_LU_MAX` unsaturated nodes, BiCGSTAB above) and accepts the result only
  if it is the limit of the iteration and nobody else fails: ``z ≥ Δh_U(t)`` up to ``tol`` (the
  increments to come are non-negative; a non-negative solution of ``(I − M) z = b ≥ 0`` bounds
  every partial sum of ``Σ M^k b``, so the series converges and ``z`` is its sum) and
  ``h_U(∞) < 1 − _MARGIN`` everywhere. Without saturation the iteration is exactly that series, so
  no node fails in the solved tail and ``failure_round`` is that of the pure iteration. Otherwise
  it goes on stepping from where it was, and the rejected ``z`` warms the next solve's start.

``solve=False`` (``method="step"``) only steps, with the same shrinking matrix. Both return ``h``,
``failure_round``, the cumulative ``h`` each node passed on (``propagated``; the whole of ``h(∞)``
in a solved tail, the limit of what stepping passes on), the last update that raised some ``h``
and a :class:`Tail` record.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order
from scipy.sparse.linalg import LinearOperator, splu

from dealweb.contagion._exposures import ColumnProducts, Product, bicgstab, take
from dealweb.errors import ConvergenceError

__all__ = ["DebtRankConvergenceError", "Tail", "bardoscia"]

#: Updates without a new failure before the first attempt to solve the tail; doubled after each rejection.
_QUIET = 8
#: A solved tail that brings a node within this of failing is rejected (its error is far below it).
_MARGIN = 1e-9
#: Unsaturated sets up to this size are solved by sparse LU, larger ones by BiCGSTAB.
_LU_MAX = 2000
#: Rebuild the matrix when nodes saturated since the last rebuild hold this share of its entries.
_SHRINK_SHARE = 0.25
#: BiCGSTAB steps per attempt (two products each) and restarts from the true residual.
_KRYLOV_MAXITER = 400
_RESTARTS = 3
#: Updates whose steps estimate the contraction rate (is a tail solve worth trying, to what residual).
_RATE_WINDOW = 16


class DebtRankConvergenceError(ConvergenceError):
    """The Bardoscia et al. (2015) iteration still moved by ``≥ tol`` after ``max_iter`` updates."""


class Tail(NamedTuple):
    """How the run ended: ``solved`` (the linear tail was solved after ``rounds`` updates) or stepped to ``tol``.

    ``rounds_estimated`` is the update at which pure stepping would have stopped, estimated from the
    solved tail (:func:`_estimate`; ``None`` when stepped); ``attempts`` counts tail solves tried,
    accepted or not.
    """

    solved: bool
    rounds_estimated: int | None
    attempts: int


class _Shrinking:
    """``Λ`` without the rows and columns of saturated nodes, rebuilt when enough entries have gone."""

    def __init__(self, matrix: sp.csr_array) -> None:
        self._set(matrix)

    def _set(self, matrix: sp.csr_array) -> None:
        self.matrix = matrix
        self.product = Product(matrix)
        self.degree = np.diff(matrix.indptr) + np.bincount(matrix.indices, minlength=matrix.shape[1])
        self.gone = 0  # entries of rows and columns saturated since the last rebuild (counted twice when both)
        self._columns: ColumnProducts | None = None

    @property
    def columns(self) -> ColumnProducts:
        if self._columns is None:
            self._columns = ColumnProducts(self.matrix, self.product)
        return self._columns

    def saturated(self, nodes: np.ndarray, alive: np.ndarray) -> None:
        """Note newly saturated ``nodes``; rebuild on ``alive`` (``h < 1``) once they hold enough entries."""
        self.gone += int(self.degree[nodes].sum())
        if self.gone >= _SHRINK_SHARE * self.matrix.nnz > 0:
            self._set(_restrict(self.matrix, alive, compress=False))


def _restrict(matrix: sp.csr_array, alive: np.ndarray, *, compress: bool) -> sp.csr_array:
    """The entries of ``matrix`` whose row and column are ``alive``: same shape, or only those (``compress``)."""
    keep = np.repeat(alive, np.diff(matrix.indptr))
    keep &= take(alive, matrix.indices)
    cut = np.concatenate(([0], np.cumsum(keep)))[matrix.indptr]
    indices = matrix.indices[keep]
    if not compress:
        return sp.csr_array((matrix.data[keep], indices, cut.astype(matrix.indptr.dtype)), shape=matrix.shape)
    rows = np.flatnonzero(alive)
    renumber = np.zeros(alive.size, dtype=matrix.indices.dtype)
    renumber[rows] = np.arange(rows.size, dtype=matrix.indices.dtype)
    indptr = np.concatenate(([0], np.cumsum(np.diff(cut)[rows]))).astype(matrix.indptr.dtype)
    return sp.csr_array((matrix.data[keep], take(renumber, indices), indptr), shape=(rows.size, rows.size))


def _downstream(matrix: sp.csr_array, alive: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """The ``alive`` nodes that ``sources`` reach through ``alive`` nodes (``j → i`` where ``Λ_ij > 0``), sources included.

    Elsewhere ``Δh`` stays zero for ever, and leaving those nodes out keeps parts the shock never
    reached, which may be unstable (``ρ > 1``), out of the solve.
    """
    n = alive.size
    kept = _restrict(matrix, alive, compress=False).tocsc()  # column j: the i that j passes to
    start = np.flatnonzero(sources & alive)
    # A virtual node n pointing at every source: one breadth-first search from it.
    graph = sp.csr_array((np.ones(kept.nnz + start.size), np.concatenate((kept.indices, start)),
                          np.concatenate((kept.indptr, [kept.nnz + start.size]))), shape=(n + 1, n + 1))
    reached = np.zeros(n + 1, dtype=bool)
    reached[breadth_first_order(graph, n, directed=True, return_predecessors=False)] = True
    return reached[:n]


def _solve(m: sp.csr_array, b: np.ndarray, start: np.ndarray | None, target: float) -> np.ndarray | None:
    """``z = (I − M)⁻¹ b``: sparse LU when small, else BiCGSTAB restarted from the true residual; ``None`` if it fails.

    BiCGSTAB stops when no residual exceeds ``target``.
    """
    k = b.size
    if k <= _LU_MAX:
        try:
            z: np.ndarray = splu((sp.eye_array(k, format="csc") - m.tocsc()).tocsc()).solve(b)
        except RuntimeError:  # exactly singular: a closed loop with ρ = 1
            return None
        return z if np.all(np.isfinite(z)) else None
    product = Product(m)

    def system(v: np.ndarray) -> np.ndarray:
        out: np.ndarray = v - product(v)
        return out

    a = LinearOperator((k, k), matvec=system, dtype=np.float64)
    z = b.copy() if start is None else start
    residual = b - system(z)
    for _ in range(_RESTARTS + 1):
        if np.max(np.abs(residual), initial=0.0) <= target:
            return z
        found, _info = bicgstab(a, b, x0=z, rtol=0.0, atol=target, maxiter=_KRYLOV_MAXITER)
        if not np.all(np.isfinite(found)):
            return None
        again = b - system(found)
        if np.max(np.abs(again)) >= np.max(np.abs(residual)):
            return None  # no progress
        z, residual = found, again
    return z if np.max(np.abs(residual), initial=0.0) <= target else None


def _rate(steps: deque[float], window: int = _RATE_WINDOW) -> float:
    """Mean contraction per update of the largest increment over the last ``window`` updates (``inf`` if unknown)."""
    last = list(steps)[-window - 1:]
    if len(last) < 2 or not last[-1] > 0 or not last[0] > 0:
        return float("inf")
    return float((last[-1] / last[0]) ** (1.0 / (len(last) - 1)))


def _contracting(steps: deque[float], quiet: int) -> bool:
    """Whether the increments shrank over the quiet updates: a tail solve is worth trying only then.

    Growing increments mean an unstable part is still filling up, so more nodes will fail: the solve
    would be rejected. This only saves work; acceptance rests on :func:`_try_tail`'s checks.
    """
    return _rate(steps, min(quiet, _RATE_WINDOW)) < 1.0


def _nobody_near(h: np.ndarray, delta: np.ndarray, rate: float) -> bool:
    """Whether no node would reach 1 if its own increments went on falling at ``rate``: worth a solve.

    A cheap guess (one pass) that skips solves bound to be rejected because a node is still filling
    up; acceptance rests on :func:`_try_tail`'s checks.
    """
    ahead = delta * (rate / (1.0 - rate))
    ahead += h
    return bool(ahead[h < 1.0].max(initial=0.0) < 1.0)


def _estimate(t: int, delta: np.ndarray, rest: np.ndarray, tol: float) -> int | None:
    """The update at which stepping would stop (largest increment below ``tol``), from the solved tail.

    If the increments fall geometrically, ``Δh(t + k) = r^k Δh(t)``, what is still to come after update
    ``t`` sums to ``Σ rest = Σ Δh(t) · r/(1 − r)``, so ``r = Σ rest / (Σ Δh(t) + Σ rest)``; the largest
    increment then falls below ``tol`` after ``log(tol/max Δh(t)) / log r`` more updates. Exact for one
    geometric mode (also one that alternates between nodes); with several, ``r`` is their mix, so
    a slow mode that still carries little makes the true count larger.
    """
    step = float(delta.max(initial=0.0))
    if step < tol:
        return t
    now, later = float(delta.sum()), float(rest.sum())
    rate = later / (now + later) if now + later > 0 else 0.0
    if not 0.0 < rate < 1.0:
        return None
    return t + max(1, int(np.ceil(np.log(tol / step) / np.log(rate))))


def bardoscia(lam: sp.csr_array, h1: np.ndarray, *, max_iter: int, tol: float, rho: Callable[[], float],
              solve: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, Tail]:
    """``h(T)``, failure rounds, what each node passed on, the last update that raised some ``h``, and the :class:`Tail`.

    Only the nodes that moved in the last update propagate. While they are many, an update is one
    product with the shrinking matrix and whole-vector operations in preallocated buffers (``Δh`` is
    zero elsewhere), and the tail may be solved; once they are few, an update costs only their
    columns (:class:`ColumnProducts`) and the rows those reach.
    """
    n = h1.size
    h = h1.copy()
    failure_round = np.where(h >= 1.0, 0, -1)
    propagated = np.zeros(n)
    shrinking = _Shrinking(lam)
    moving = np.flatnonzero(h > 0.0)  # h(1) − h(0) with h(0) = 0
    dh = h[moving]
    delta: np.ndarray | None = None  # Δh as a whole vector, while many nodes move
    count = moving.size
    rounds, step, attempts = 0, 0.0, 0
    quiet, last_failure, next_try = _QUIET, 0, 0
    steps: deque[float] = deque(maxlen=_RATE_WINDOW)
    warm: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # last rejected solve: U, z, h(t − 1) there
    spare = gain = np.empty(0)
    hit = open_ = np.empty(0, dtype=bool)
    fresh = np.zeros(0, dtype=np.int64)  # nodes saturated in the last update, whose last increment is still to pass on
    for t in range(1, max_iter + 1):
        if count == 0:
            return h, failure_round, propagated, rounds, Tail(False, None, attempts)
        if t == 1:
            h += 0.0  # -0.0 → 0.0, as the first full update h + Λ·Δh always did
        if delta is None and shrinking.columns.dense(moving.size):
            delta = np.zeros(n)
            delta[moving] = dh
        if delta is not None:  # whole vectors, in place: a fresh 8 MB array per step costs page faults
            if spare.size != n:
                spare, gain, hit, open_ = np.empty(n), np.empty(n), np.empty(n, dtype=bool), np.empty(n, dtype=bool)
            propagated += delta
            shrinking.product(delta, out=gain)
            if fresh.size:  # saturated in the last update: that product passed their last increment on
                shrinking.saturated(fresh, h < 1.0)
                fresh = fresh[:0]
            np.add(h, gain, out=spare)
            np.minimum(spare, 1.0, out=spare)
            np.subtract(spare, h, out=delta)
            h, spare = spare, h
            step = float(delta.max())
            if step > 0:
                rounds = t
                np.greater_equal(h, 1.0, out=hit)
                hit &= np.less(failure_round, 0, out=open_)
                if hit.any():
                    failure_round[hit] = t
                    last_failure = t
                    fresh = np.flatnonzero(hit)
            if step < tol:
                return h, failure_round, propagated, rounds, Tail(False, None, attempts)
            steps.append(step)
            if (solve and t - last_failure >= quiet and t >= next_try and _contracting(steps, quiet)
                    and _nobody_near(h, delta, _rate(steps))):
                attempts += 1
                before = h.copy()
                solved, warm = _try_tail(shrinking.matrix, h, delta, warm, tol, _rate(steps))
                if solved:
                    estimate = _estimate(t, delta, h - before, tol)
                    return h, failure_round, h.copy(), rounds, Tail(True, estimate, attempts)
                quiet *= 2
                next_try = t + quiet
            count = int(np.count_nonzero(delta))
            if not shrinking.columns.dense(count):
                moving = np.flatnonzero(delta)
                dh, delta = delta[moving], None
            continue
        propagated[moving] += dh
        rows, up_by = shrinking.columns(moving, dh)
        before = h[rows]
        after = np.minimum(1.0, before + up_by)
        up = after - before
        h[rows] = after
        step = float(up.max()) if up.size else 0.0
        if step > 0:
            rounds = t
            failure_round[rows[(after >= 1.0) & (failure_round[rows] < 0)]] = t
        if step < tol:
            return h, failure_round, propagated, rounds, Tail(False, None, attempts)
        grew = up > 0
        moving, dh = rows[grew], up[grew]
        count = moving.size
    raise DebtRankConvergenceError(
        f"DebtRank (Bardoscia 2015) still moved by {step:.3g} >= tol={tol:g} after max_iter={max_iter} updates "
        f"(spectral radius of the leverage matrix {rho():.6g}); raise max_iter or tol")


def _try_tail(matrix: sp.csr_array, h: np.ndarray, delta: np.ndarray,
              warm: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
              tol: float, rate: float) -> tuple[bool, tuple[np.ndarray, np.ndarray, np.ndarray] | None]:
    """Set ``h`` to ``h(∞)`` if the rest of the run is linear and nobody else fails (``True``); and the warm start.

    ``U`` is the unsaturated set the moving nodes reach (:func:`_downstream`): nothing else moves again.
    The solve stops at residuals below ``tol·(1 − rate)`` (``rate`` the observed contraction per update,
    clipped to ``[tol/100, tol]``): amplified by ``‖(I − Λ_UU)⁻¹‖ ≈ 1/(1 − rate)``, the error is then
    about ``tol``, below what stepping's own stopping rule leaves (up to ``tol·rate/(1 − rate)``).

    A rejected solve ``z`` on ``U`` is ``h(∞) − h(t − 1)`` of the linear run; from a later update
    ``t'`` the same limit needs ``z − (h(t' − 1) − h(t − 1))`` on the (smaller) new ``U``: the next start.
    """
    alive = _downstream(matrix, h < 1.0, delta > 0)
    b = delta[alive]
    before = h[alive] - b  # h(t − 1) on U
    start = None
    if warm is not None:
        old_alive, z_old, before_old = warm
        limit_old = np.zeros(h.size)
        limit_old[old_alive] = before_old + z_old  # h(∞) of the rejected solve
        start = np.where(old_alive[alive], limit_old[alive] - before, b)
    m = _restrict(matrix, alive, compress=True)
    z = _solve(m, b, start, tol * min(1.0, max(0.01, 1.0 - rate)))
    if z is None:
        return False, warm
    limit = before + z
    if np.all(z >= b - tol) and np.all(limit < 1.0 - _MARGIN):
        h[alive] = np.maximum(limit, h[alive])
        return True, None
    return False, (alive, z, before)
