r"""DebtRank: how a loss of equity at some companies spreads as relative equity losses to their creditors.

Conventions
-----------
* ``exposures[i, j] = A_ij`` is **i's asset exposure to j**: what i loses if j's equity is wiped
  out (i lent to j, holds j's bonds or shares, prepaid j). It is the *assets* matrix of R
  ``NetworkRiskMeasures`` and the transpose of a liabilities matrix (``L[j, i]``: j owes i).
  Self-exposures are ignored.
* ``buffers[i] = E_i > 0`` is i's equity before the shock; losing it all is default.
* ``h_i ∈ [0, 1]`` is i's **relative equity loss**: ``h_i = 1`` means i's equity is gone (failed).
  ``shock`` is ``h(1)``, the loss the scenario inflicts before any contagion.
* Distress flows *against* the exposure: when j loses, its creditors i (``A_ij > 0``) lose
  ``A_ij · Δh_j``, i.e. ``Δh_i = (A_ij / E_i) Δh_j`` — the loss is written off at the same
  fraction as j's equity (the "linear" valuation of Bardoscia et al. 2015).

Battiston et al. 2012 (``variant="battiston2012"``)
----------------------------------------------------
Battiston, Puliga, Kaushik, Tasca & Caldarelli, *DebtRank: Too central to fail? Financial
networks, the FED and systemic risk*, Sci. Rep. 2:541 (2012), doi:10.1038/srep00541. The paper
writes the impact of j on i as ``W_ji`` and updates ``h_i(t) = min(1, h_i(t−1) + Σ_{j∈D} W_ji
h_j(t−1))``; whatever letter order one uses for A, the impact of j on i is *i's exposure to j over
i's equity*, which in our orientation is ::

    W[i, j] = min(1, A_ij / E_i)
    h_i(t)  = min(1, h_i(t−1) + Σ_{j ∈ D(t−1)} W[i, j] · h_j(t−1))

Each node is Undistressed, Distressed or Inactive. Shocked nodes (``h(1) > 0``) start
Distressed; a node Distressed at ``t−1`` is Inactive at ``t``; an Undistressed node whose ``h``
became positive is Distressed. So **every node propagates once**, the ``h`` it has when it turns
Distressed, and later losses it receives stay with it (a loop does not amplify). The run ends
when no node is Distressed (at most n waves). This is ``NetworkRiskMeasures::debt_rank_shock``
(which transposes its capped vulnerability matrix the same way). One consequence worth knowing:
the result is **not monotone in the shock** — shocking a node a little makes it propagate that
little at once and then go Inactive, where an unshocked node would later have passed on
everything it received. Raising a shock without changing which nodes are shocked is monotone.

Bardoscia et al. 2015 (``variant="bardoscia2015"``)
---------------------------------------------------
Bardoscia, Battiston, Caccioli & Caldarelli, *DebtRank: A microscopic foundation for shock
propagation*, PLOS ONE 10(6):e0130406 (2015), doi:10.1371/journal.pone.0130406 (correction
e0134888). With the interbank leverage matrix ``Λ_ij = A_ij / E_i(0)`` (not capped), ``h(0) = 0``
and ``h(1)`` the shock::

    h(t+1) = min(1, h(t) + Λ (h(t) − h(t−1)))

iterated until ``max_i |h_i(t+1) − h_i(t)| < tol`` (:class:`DebtRankConvergenceError` after
``max_iter`` updates). Every increment is passed on, so loops amplify. By induction on ``t``
the iterates equal Picard iterates of ``h ↦ min(1, h(1) + Λh)`` from 0, hence the limit is the
least solution of ``h = min(1, h(1) + Λh)`` and is monotone in the shock. If no node saturates
and ``ρ(Λ) < 1``, ``h(∞) = (I − Λ)⁻¹ h(1)`` and the contagion part is
``h(∞) − h(1) = Λ (I − Λ)⁻¹ h(1)``. The dynamics is stable iff the spectral radius
``ρ(Λ) < 1``; for ``ρ(Λ) ≥ 1`` a shock that reaches the unstable part grows until some node
fails. ``params`` reports ``spectral_radius``, computed per strongly connected component (dense
eigenvalues up to 100 nodes, ARPACK above, and a Collatz–Wielandt bracket where ARPACK does not
converge, e.g. on long cycles), ``spectral_radius_bounds`` (equal unless bracketed) and
``unstable``: ``True`` if ``ρ ≥ 1``, ``False`` if ``ρ < 1``, ``None`` if the bracket straddles 1.
``spectral_radius=False`` skips this diagnostic (all three ``None``); it changes no loss.

How it is computed (``method``; :mod:`dealweb.contagion._bardoscia`). ``"step"`` iterates the
update until the step is below ``tol``. ``"solve"`` (default) iterates it too, without the rows and
columns of saturated nodes, but once no node has failed for a while and the increments shrink, it
solves the rest of the run, which is then linear on the unsaturated nodes ``U`` the movers reach:
``h_U(∞) = h_U(t) + Σ_{k≥1} Λ_UU^k Δh_U(t)``, with ``(I − Λ_UU) z = Δh_U(t)`` (sparse LU or
BiCGSTAB). It accepts the solution only if it is the limit of the iteration (``z ≥ Δh_U(t)``, which
forces the series to converge) and no node of ``U`` comes within ``1e-9`` of failing; otherwise it
steps on. So ``failed`` and ``failure_round`` are those of stepping; ``h`` agrees with stepping to
about ``tol/(1 − r)`` (``r`` the contraction per update: what stepping's stopping rule leaves out)
and is the closer of the two to the exact limit. ``params``: ``method``, ``tail_solved``,
``tail_attempts``, and ``rounds_estimated``, the update at which stepping would have stopped,
estimated from the solved tail (``None`` when stepped). With a solved tail, ``rounds`` is the last
update actually iterated.

Outputs
-------
``relative_loss = h(T)``; ``loss = h(T) · E``; ``failed = h(T) ≥ 1``; ``failure_round`` the wave
in which ``h`` reached 1 (0 for nodes wiped out by the shock, −1 if never); ``top_source`` the
counterparty j with the largest cumulative contribution ``W[i, j] · h_j`` (Battiston) or
``Σ_t Λ_ij Δh_j(t)`` (Bardoscia; ``Λ_ij h_j(∞)`` with a solved tail, the limit of that sum) to i,
before the cap at 1 (−1 if i lost nothing beyond the shock; ties go to the smallest index);
``rounds`` the last wave that raised some ``h`` (with a solved tail: the last update iterated). The
**DebtRank** ``R = Σ_j h_j(T) v_j − Σ_j h_j(1) v_j`` is in ``params["debtrank"]``, with economic
values ``v`` normalised to sum to 1 as in ``NetworkRiskMeasures`` (default ``v ∝ E``, as in
Bardoscia et al.'s system-wide loss ``H``; Battiston et al. weighted banks by their share of the
network's interbank funding — pass such weights as ``economic_value``). ``extra`` holds
``h_initial`` and ``h_final``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Literal, NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigs

from dealweb.contagion._bardoscia import DebtRankConvergenceError, bardoscia
from dealweb.contagion._exposures import (
    ColumnProducts,
    Product,
    as_buffers,
    as_exposures,
    as_node_values,
    as_nodes,
    row_argmax,
)
from dealweb.contagion.result import ContagionResult

__all__ = ["DebtRankConvergenceError", "debtrank"]

#: Strongly connected components up to this size get a dense eigenvalue solve.
_DENSE_EIG_MAX = 100
#: Arnoldi restarts ARPACK may take before the Collatz–Wielandt fallback.
_ARPACK_MAXITER = 300
#: Arnoldi vectors ARPACK keeps (SciPy's default for k=1 is 20).
_ARPACK_NCV = 8
#: Most numbers in one stack of small dense blocks handed to ``np.linalg.eigvals`` (16 MB).
_STACK_ENTRIES = 2**21

_CONVENTION = ("exposures[i, j] = i's asset exposure to j (what i loses if j fails); "
               "h_i grows by (exposures[i, j] / buffers[i]) * (growth of h_j)")


def debtrank(
    exposures: Any,
    buffers: Any,
    shock: Any,
    *,
    variant: Literal["battiston2012", "bardoscia2015"] = "battiston2012",
    economic_value: Any = None,
    nodes: Sequence[Hashable] | None = None,
    max_iter: int = 1000,
    tol: float = 1e-12,
    method: Literal["solve", "step"] = "solve",
    spectral_radius: bool = True,
    attribute: bool = True,
) -> ContagionResult:
    """Relative equity losses after a shock, by DebtRank (Battiston et al. 2012 or Bardoscia et al. 2015).

    See the module docstring for the equations, the orientation of ``exposures`` and the
    difference between the two variants.

    Parameters
    ----------
    exposures
        n×n array or scipy sparse matrix; ``exposures[i, j]`` is what i loses if j fails
        completely. Finite, non-negative; the diagonal is ignored.
    buffers
        Equity ``E_i > 0`` of each node.
    shock
        Initial relative equity loss ``h(1)`` in ``[0, 1]``: an array of length n, a scalar for
        every node, or a mapping ``node label -> loss`` (other nodes 0).
    variant
        ``"battiston2012"`` (each node propagates once, impacts capped at 1) or
        ``"bardoscia2015"`` (every increment propagates, linear leverage matrix).
    economic_value
        Weights ``v`` of the DebtRank ``R`` (array or mapping, non-negative, normalised to sum
        1). Default: ``buffers`` normalised.
    nodes
        Labels of the n nodes (default ``0…n−1``).
    max_iter, tol
        ``bardoscia2015`` stops when no ``h`` moves by ``tol`` or more, and raises
        :class:`DebtRankConvergenceError` if that takes more than ``max_iter`` updates.
        ``battiston2012`` always ends within n waves and ignores both.
    method
        ``bardoscia2015`` only: ``"solve"`` solves the linear tail of the run once nobody fails any
        more (module docstring), ``"step"`` iterates to ``tol``. Same failures and failure rounds.
    spectral_radius
        ``bardoscia2015`` only: compute ``ρ(Λ)`` and report ``spectral_radius``,
        ``spectral_radius_bounds`` and ``unstable`` in ``params`` (default). ``False`` skips
        this diagnostic, which does not change any loss and costs as much as the run itself
        on large webs (ARPACK on the largest strongly connected component: 3–6 s at 10M
        edges); the three entries are then ``None``, and ``ρ`` is computed only if the run
        fails to converge, for the error message.
    attribute
        Compute ``top_source``, the neighbour whose propagated loss hit each node hardest (default).
        It takes one pass over every edge after the run; ``False`` skips it and leaves
        ``top_source`` at −1. Losses, failures, rounds and ``R`` are the same either way.

    Returns
    -------
    ContagionResult
        ``model`` is ``"debtrank_battiston2012"`` or ``"debtrank_bardoscia2015"``;
        ``params["debtrank"]`` is R.

    Examples
    --------
    A chain: node 0 lent 5 to node 1, node 1 lent 6 to node 2; node 2 loses 40 % of its equity.

    >>> A = [[0, 5, 0], [0, 0, 6], [0, 0, 0]]
    >>> r = debtrank(A, [10, 12, 4], [0, 0, 0.4])
    >>> r.relative_loss.round(6).tolist(), r.top_source.tolist(), r.rounds
    ([0.1, 0.2, 0.4], [1, 2, -1], 2)
    >>> round(r.params["debtrank"], 6)  # (0.1·10 + 0.2·12) / 26
    0.130769
    """
    if variant not in ("battiston2012", "bardoscia2015"):
        raise ValueError(f"variant must be 'battiston2012' or 'bardoscia2015', got {variant!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    if not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive finite number, got {tol!r}")
    if method not in ("solve", "step"):
        raise ValueError(f"method must be 'solve' or 'step', got {method!r}")
    A = as_exposures(exposures)
    n = A.shape[0]
    labels = as_nodes(nodes, n)
    E = as_buffers(buffers, n, positive=True)
    h1 = as_node_values(shock, labels, name="shock", lo=0.0, hi=1.0)
    if economic_value is None:
        v = E / E.sum() if n else E.copy()
        value_source = "buffers"
    else:
        v = as_node_values(economic_value, labels, name="economic_value", lo=0.0)
        if n and not v.sum() > 0:
            raise ValueError("economic_value must have a positive sum")
        v = v / v.sum() if n else v
        value_source = "given"

    impact = _leverage(A, E, cap=variant == "battiston2012")
    params: dict[str, Any] = {"variant": variant, "convention": _CONVENTION, "economic_value": value_source}
    if variant == "battiston2012":
        h, failure_round, propagated, rounds = _battiston_kernel(impact, h1)
        params["impact"] = "W[i, j] = min(1, exposures[i, j] / buffers[i])"
    else:
        rho: float | None = None
        bounds: tuple[float, float] | None = None
        unstable: bool | None = None
        if spectral_radius:
            bounds = _spectral_radius(impact)
            rho = (bounds[0] + bounds[1]) / 2
            unstable = True if bounds[0] >= 1.0 else False if bounds[1] < 1.0 else None
        params.update(impact="Lambda[i, j] = exposures[i, j] / buffers[i]", spectral_radius=rho,
                      spectral_radius_bounds=bounds, unstable=unstable, max_iter=int(max_iter), tol=float(tol))
        known = rho
        h, failure_round, propagated, rounds, tail = bardoscia(
            impact, h1, max_iter=int(max_iter), tol=float(tol), solve=method == "solve",
            rho=lambda: known if known is not None else sum(_spectral_radius(impact)) / 2)
        params.update(method=method, tail_solved=tail.solved, rounds_estimated=tail.rounds_estimated,
                      tail_attempts=tail.attempts)
    if attribute:
        top_source = row_argmax(impact, propagated)
        top_source[h <= h1] = -1
    else:
        top_source = np.full(n, -1, dtype=np.int64)
    params["debtrank"] = float(v @ (h - h1))
    return ContagionResult(
        model=f"debtrank_{variant}", nodes=labels, loss=h * E, relative_loss=h, failed=h >= 1.0,
        failure_round=failure_round, top_source=top_source, rounds=rounds,
        extra={"h_initial": h1, "h_final": h.copy()}, params=params)


def _leverage(A: sp.csr_array, E: np.ndarray, *, cap: bool) -> sp.csr_array:
    """``A_ij / E_i`` row by row, capped at 1 when ``cap`` (Battiston's impact matrix)."""
    data = A.data / np.repeat(E, np.diff(A.indptr))
    if cap:
        data = np.minimum(data, 1.0)
    return sp.csr_array((data, A.indices, A.indptr), shape=A.shape)  # A's index arrays: nothing changes them


def _battiston_kernel(W: sp.csr_array, h1: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Battiston et al. (2012) with U/D/I states; returns ``h(T)``, failure waves, the ``h`` each node propagated, rounds.

    The first :data:`ColumnProducts.FULL_FIRST` waves are whole-vector waves, one product each (what a
    plain loop does, without gathering the rows each wave reaches); a run still going after them goes on
    over the columns of the distressed nodes only (:func:`battiston_waves`), so a long cascade of a few
    nodes per wave does not cost a pass over the network per wave. The sums are the same either way.
    """
    columns = ColumnProducts(W)
    state = _dense_waves(columns.product, h1, ColumnProducts.FULL_FIRST)
    if not state.distressed.size:
        return state.h, state.failure_round, state.propagated, state.rounds
    columns.spent(state.wave)
    return battiston_waves(columns, h1, start=state)


class _Waves(NamedTuple):
    h: np.ndarray
    failure_round: np.ndarray
    propagated: np.ndarray
    inactive: np.ndarray
    distressed: np.ndarray  # indices of the nodes distressed now
    wave: int
    rounds: int


def _dense_waves(product: Product, h1: np.ndarray, limit: int) -> _Waves:
    """Up to ``limit`` waves of :func:`battiston_waves` on whole vectors: ``h + W·x`` with ``x`` = ``h`` on the
    distressed nodes, 0 elsewhere (a row no distressed node reaches gains ``+0.0``: its ``h`` is unchanged)."""
    n = h1.size
    h = h1.copy()
    failure_round = np.where(h >= 1.0, 0, -1)
    propagated = np.zeros(n)
    inactive = np.zeros(n, dtype=bool)
    distressed = h > 0
    x, gain, grew = np.empty(n), np.empty(n), np.empty(n, dtype=bool)
    wave = rounds = 0
    # Buffers made once, one pass per operation: at 100k edges the vector work weighs as much as the products.
    while wave < limit and distressed.any():
        wave += 1
        if wave == 1:
            h += 0.0  # -0.0 → 0.0, as the first full update h + W·x always did
        np.multiply(h, distressed, out=x)  # h on the distressed, +0.0 elsewhere (h ≥ 0 and finite)
        propagated += x  # each node is distressed once: it gets its h, the others +0.0
        product(x, out=gain)
        gain += h
        new = np.minimum(gain, 1.0, out=gain)
        inactive |= distressed
        if np.greater(new, h, out=grew).any():
            rounds = wave
            grew &= new >= 1.0  # reached 1 in this wave: a node below 1 has not failed yet
            failure_round[grew] = wave
        h, gain = new, h
        # h never falls, so the inactive (once distressed, h > 0) are a subset of h > 0.
        np.logical_xor(np.greater(h, 0.0, out=distressed), inactive, out=distressed)
    return _Waves(h, failure_round, propagated, inactive, np.flatnonzero(distressed), wave, rounds)


def battiston_waves(spread: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
                    h1: np.ndarray, *, start: _Waves | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The wave loop of Battiston et al. (2012), over any way of computing ``W[:, nodes] @ values``.

    ``spread(nodes, values)`` returns the rows reached and their gains (rows left out gain 0): column
    products here, a join over an edge DataFrame in :mod:`dealweb.spark`, so both backends share
    the states, the cap and the failure waves. ``start`` goes on from waves already run.
    """
    if start is None:
        n = h1.size
        h = h1.copy()
        failure_round = np.where(h >= 1.0, 0, -1)
        propagated = np.zeros(n)
        inactive = np.zeros(n, dtype=bool)
        distressed = np.flatnonzero(h > 0)
        wave = rounds = 0
    else:
        h, failure_round, propagated, inactive, distressed, wave, rounds = start
    while distressed.size:
        wave += 1
        if wave == 1:
            h += 0.0  # -0.0 → 0.0, as the first full update h + W·x always did
        propagated[distressed] = h[distressed]
        rows, gain = spread(distressed, h[distressed])  # only these rows move: h_i + 0 = h_i elsewhere
        new = np.minimum(1.0, h[rows] + gain)
        inactive[distressed] = True
        if (new > h[rows]).any():
            rounds = wave
        h[rows] = new
        failure_round[rows[(new >= 1.0) & (failure_round[rows] < 0)]] = wave
        distressed = np.flatnonzero((h > 0) & ~inactive)
    return h, failure_round, propagated, rounds


def _spectral_radius(L: sp.csr_array) -> tuple[float, float]:
    """Lower and upper bounds on ``ρ(Λ)`` (equal when solved): the largest over strongly connected components.

    Acyclic parts contribute 0. Components up to ``_DENSE_EIG_MAX`` nodes get dense eigenvalues;
    larger ones ARPACK for the eigenvalue of largest real part (the Perron root of an irreducible
    non-negative matrix) and, if that does not converge (long cycles cluster the spectrum), the
    Collatz–Wielandt bracket ``min_i (Λx)_i/x_i ≤ ρ ≤ max_i (Λx)_i/x_i`` along power iterates of ``I + Λ``.
    """
    if L.nnz == 0:
        return 0.0, 0.0
    n = L.shape[0]
    _, comp = connected_components(L, directed=True, connection="strong")
    sizes = np.bincount(comp)
    order = np.argsort(comp, kind="stable")  # each component's members in ascending order
    starts = np.concatenate(([0], np.cumsum(sizes)))
    local = np.empty(n, dtype=np.int64)  # a node's position among its component's members
    local[order] = np.arange(n) - starts[comp[order]]
    lo = hi = 0.0
    # Small components, batched by size: stacks of dense blocks of one size, one eigvals call per stack,
    # each stack at most _STACK_ENTRIES numbers (100 000 components of 100 nodes would be 8 GB at once).
    # Only the entries of rows in small components are gathered (on the 10M-edge benchmark one
    # component holds 89% of the nodes, and gathering every entry's row and owner cost ~1 s).
    in_small = (sizes[comp] > 1) & (sizes[comp] <= _DENSE_EIG_MAX)
    at = np.flatnonzero(np.repeat(in_small, np.diff(L.indptr)))
    rows = np.searchsorted(L.indptr, at, side="right") - 1
    owner, cols = comp[rows], L.indices[at]
    keep = owner == comp[cols]
    owner, at_row, at_col, values = owner[keep], local[rows[keep]], local[cols[keep]], L.data[at[keep]]
    del at, rows, cols, keep
    for size in np.unique(sizes[owner]):
        which = np.flatnonzero(sizes == size)
        slot = np.zeros(sizes.size, dtype=np.int64)
        slot[which] = np.arange(which.size)
        pick = np.flatnonzero(sizes[owner] == size)
        pick = pick[np.argsort(slot[owner[pick]], kind="stable")]  # by stack position, to cut into chunks
        at = slot[owner[pick]]
        per = max(1, _STACK_ENTRIES // int(size) ** 2)
        for first in range(0, which.size, per):
            part = pick[np.searchsorted(at, first):np.searchsorted(at, first + per)]
            blocks = np.zeros((min(per, which.size - first), int(size), int(size)))
            blocks[slot[owner[part]] - first, at_row[part], at_col[part]] = values[part]
            r = float(np.max(np.abs(np.linalg.eigvals(blocks))))
            lo, hi = max(lo, r), max(hi, r)
    whole: Product | None = None
    for c in np.flatnonzero(sizes > _DENSE_EIG_MAX):
        members = order[starts[c]:starts[c + 1]]
        if 2 * members.size > n:  # most of the web: multiply by all of L (zero elsewhere) rather than copy the block
            whole = whole or Product(L)
            operator = LinearOperator((members.size, members.size), dtype=np.float64,
                                      matvec=lambda v, m=members, p=whole: _on(p, m, v, n))
        else:  # one Product for all of ARPACK's calls, not one per call (each splits the matrix into row blocks)
            operator = LinearOperator((members.size, members.size), matvec=Product(_block(L, members, comp == c, local)),
                                      dtype=np.float64)
        try:
            # A short Arnoldi basis: on the 887k-node component of the 10M-edge benchmark 33 products
            # instead of 41, and 1.4 s instead of 2.4 s, most of it orthogonalising against fewer vectors.
            # A positive start (not ARPACK's random one): the same number on every call, with a positive
            # component along the Perron vector.
            r = float(np.real(eigs(operator, k=1, which="LR", return_eigenvectors=False, tol=1e-12, ncv=_ARPACK_NCV,
                                   maxiter=_ARPACK_MAXITER, v0=np.ones(members.size))[0]))
            c_lo, c_hi = r, r
        except ArpackNoConvergence:
            c_lo, c_hi = _collatz_wielandt(_block(L, members, comp == c, local))
        lo, hi = max(lo, c_lo), max(hi, c_hi)
    return lo, hi


def _on(product: Product, members: np.ndarray, v: np.ndarray, n: int) -> np.ndarray:
    """``L[members][:, members] @ v`` as ``(L @ x)[members]`` with ``x`` = ``v`` on ``members``, 0 elsewhere.

    The other columns add ``+0.0`` terms, so the sums are bitwise those of the block's product.
    """
    x = np.zeros(n)
    x[members] = np.ravel(v)
    out: np.ndarray = product(x)[members]
    return out


def _block(L: sp.csr_array, members: np.ndarray, inside: np.ndarray, local: np.ndarray) -> sp.csr_array:
    """``L[members][:, members]`` for ascending ``members`` (``inside`` their mask, ``local`` their positions)."""
    sub = L[members]
    keep = inside[sub.indices]
    indptr = np.concatenate(([0], np.cumsum(keep)))[sub.indptr]
    return sp.csr_array((sub.data[keep], local[sub.indices[keep]].astype(sub.indices.dtype), indptr),
                        shape=(members.size, members.size))


def _collatz_wielandt(L: sp.csr_array, *, steps: int = 2000, rtol: float = 1e-10) -> tuple[float, float]:
    """Bracket the Perron root of an irreducible non-negative ``L`` along power iterates of ``I + L`` (primitive)."""
    x = np.ones(L.shape[0])
    lo, hi = 0.0, np.inf
    for _ in range(steps):
        y = L @ x
        ratio = y / x
        lo, hi = max(lo, float(ratio.min())), min(hi, float(ratio.max()))
        if hi - lo <= rtol * hi:
            break
        x = x + y
        x /= x.max()
    return lo, hi
