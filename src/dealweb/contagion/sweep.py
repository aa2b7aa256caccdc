r"""Eisenberg–Noe clearing of many runs on one small fixed network: a sweep over its strongly connected parts.

Monte Carlo stress clears the same web thousands of times with different amounts. Here the web's
structure is analysed once (:class:`RunSweep`) and every run is then a column of one block.

Why a sweep is exact
--------------------
Payments flow along the edges ``i → j`` (``i`` owes ``j``). Group the nodes that owe something into
strongly connected components and order the components so that every edge runs from an earlier
to a later one (a topological order of the condensation). Once every earlier node's payment is
final, a node outside any cycle pays ``p_i = min(κ_i·p̄_i, e_i + Σ_j Π_ji p_j)``: one step, the unique
value consistent with what it receives. A component with a cycle clears its own small system with
the fictitious default algorithm (Eisenberg & Noe 2001, doi:10.1287/mnsc.47.2.236.9835): from
``x = κp̄`` each round adds to the default set ``D`` the members with ``a + Πᵀx < κp̄ − s`` and solves
``(I − Πᵀ_DD) x_D = a_D + Πᵀ_{D,S} κp̄_S`` exactly, by Gaussian elimination run across all columns at
once (no pivoting: ``I − Πᵀ_DD`` is diagonally dominant by columns, since nobody pays out more than
it owes). Greatest fixed points compose along the order (the clearing map is monotone), so the
sweep returns the greatest clearing vector, that of :func:`~dealweb.contagion.clearing_batch`, up to
rounding. A component larger than ``max_component`` nodes makes the sweep decline
(:attr:`RunSweep.small` is False): use :func:`~dealweb.contagion.clearing_batch` there.

Conventions and slack are those of :mod:`dealweb.contagion.batch`: pari passu outside creditors
(``p̄ = L·1 + ℓ``, ``Π = L / p̄``), outside cash ``e ≥ 0``, a payment cap ``κ`` per node, the slack
``s = tol·max(1, p̄, e + Σ_j L_ji)``; a payment within ``s`` of its cap counts as the cap, and a node
fails when ``p < p̄ − s``. Every column is verified at the end, ``|min(κp̄, e + Πᵀp) − p| ≤ s`` node by
node; a column that fails (a singular system: a closed group of defaulters) is cleared again by
:func:`~dealweb.contagion.clearing_batch`, which raises if it is not exact either.

Every operation acts on each column on its own, in the same order whatever the other columns are,
so a run's numbers are the same bit for bit however runs are grouped into blocks.

Examples
--------
E1 of models.md as in :mod:`dealweb.contagion.batch`: nodes 0 and 1 owe each other (one component),
node 2 owes node 0; twice the outside cash in the second run:

>>> web = RunSweep([0, 0, 1, 1, 2], [1, 2, 0, 2, 0], 3)
>>> res = web.clear(np.array([20.0, 10, 5, 24, 10]), np.array([[10.0, 20], [10, 20], [10, 20]]))
>>> (res.payments * 11).round(9).tolist(), res.failed.tolist()
([[270.0, 330.0], [290.0, 319.0], [110.0, 110.0]], [[True, False], [True, False], [False, False]])
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from dealweb.contagion.batch import clearing_batch

__all__ = ["Loaded", "RunSweep", "SweepClearing"]


@dataclass(frozen=True)
class SweepClearing:
    """Clearing of ``S`` runs; arrays are ``(n, S)``, column ``s`` is run ``s``.

    ``payments`` ``p``, ``obligations`` ``p̄``, ``received`` ``Πᵀp`` (what each node's network debtors
    paid it), ``failed`` ``p < p̄ − s``; ``exact`` ``(S,)`` is all True (columns that failed the sweep's
    check were cleared again by :func:`~dealweb.contagion.clearing_batch`); ``rechecked`` counts them.
    """

    payments: np.ndarray
    obligations: np.ndarray
    received: np.ndarray
    failed: np.ndarray
    exact: np.ndarray
    rechecked: int


@dataclass(frozen=True)
class Loaded:
    """:meth:`RunSweep.load`: the amounts ``(m, S)``, the payers' obligations ``p̄``, every edge's ``Πᵀ`` weight
    per run and what the payers are owed."""

    amounts: np.ndarray
    obligations: np.ndarray
    weights: np.ndarray
    incoming: np.ndarray


@dataclass(frozen=True)
class _Step:
    lo: int  # the step's nodes are positions lo … hi−1 of the payers' order
    hi: int
    ext: np.ndarray  # edges into the step from earlier steps
    ext_src: np.ndarray  # their debtors' positions
    ext_in: sp.csr_array  # (hi − lo) × len(ext): which node each edge pays
    cyclic: bool
    inner: np.ndarray  # edges inside the component (cyclic steps)
    inner_src: np.ndarray  # local positions 0 … c−1
    inner_dst: np.ndarray
    inner_in: sp.csr_array  # c × len(inner): which member each inside edge pays
    inner_cells: sp.csr_array  # c² × len(inner): the cell (dst, src) of Πᵀ each inside edge adds to


class RunSweep:
    """A fixed network ``src[e]`` owes ``dst[e]`` (amounts given per run to :meth:`clear`), analysed once.

    Parameters
    ----------
    src, dst
        ``(m,)`` node indices; self-loops are rejected, parallel edges add up.
    n
        Number of nodes.
    external_liabilities
        ``None`` or ``(n,)``: outside creditors, pari passu.
    tol
        Relative slack, as :func:`~dealweb.contagion.clearing_batch`.
    max_component
        Largest strongly connected component the sweep clears (its systems are dense).
    """

    def __init__(self, src: Any, dst: Any, n: int, external_liabilities: Any = None, *, tol: float = 1e-12,
                 max_component: int = 12) -> None:
        src_a, dst_a = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
        if src_a.ndim != 1 or src_a.shape != dst_a.shape:
            raise ValueError(f"src and dst must be 1-D and of equal length, got {src_a.shape} and {dst_a.shape}")
        if src_a.size and (min(src_a.min(), dst_a.min()) < 0 or max(src_a.max(), dst_a.max()) >= n):
            raise ValueError(f"src and dst must be node indices in [0, {n})")
        if (src_a == dst_a).any():
            raise ValueError("src and dst must differ (nobody owes itself)")
        if not 0.0 < tol < 1.0:
            raise ValueError(f"tol must be a number in (0, 1), got {tol!r}")
        ell = np.zeros(n) if external_liabilities is None else np.asarray(external_liabilities, dtype=np.float64)
        if ell.shape != (n,) or not (np.isfinite(ell).all() and (ell >= 0).all()):
            raise ValueError(f"external_liabilities must be (n,) = ({n},), finite and ≥ 0")
        self.src, self.dst, self.n, self.ell, self.tol = src_a, dst_a, n, ell, float(tol)
        m = src_a.size
        payer = np.zeros(n, dtype=bool)
        payer[src_a] = True
        payer |= ell > 0
        graph = sp.csr_array((np.ones(m), (src_a, dst_a)), shape=(n, n))
        _, label = connected_components(graph, directed=True, connection="strong")
        level = _levels(label, src_a, dst_a)
        nodes = np.flatnonzero(payer)
        comp_size = np.bincount(label, minlength=label.max() + 1 if n else 0)
        cyclic = comp_size[label[nodes]] > 1
        # Order: by level; in a level the acyclic nodes first, then each cyclic component in one run.
        nodes = nodes[np.lexsort((nodes, label[nodes], cyclic, level[label[nodes]]))]
        cyclic = comp_size[label[nodes]] > 1
        self.nodes = nodes
        pos = np.full(n, -1, dtype=np.int64)
        pos[nodes] = np.arange(nodes.size)
        self.pos = pos
        self.largest = int(comp_size[label[nodes]].max()) if nodes.size else 0
        self.small = self.largest <= max_component
        k = nodes.size
        self.src_pos = pos[src_a]
        to_payer = pos[dst_a] >= 0
        self.out = sp.csr_array((np.ones(m), (self.src_pos, np.arange(m))), shape=(k, m))  # owed = out @ A
        self.into = sp.csr_array((np.ones(m), (dst_a, np.arange(m))), shape=(n, m))  # received = into @ (A · share)
        self.into_payers = sp.csr_array((np.ones(int(to_payer.sum())), (pos[dst_a[to_payer]], np.flatnonzero(to_payer))),
                                        shape=(k, m))
        self.ell_p = ell[nodes]
        steps: list[_Step] = []
        key = np.stack([level[label[nodes]], np.where(cyclic, label[nodes], -1)])
        starts = np.flatnonzero(np.any(np.diff(key, axis=1, prepend=-2) != 0, axis=0)) if k else np.zeros(0, np.int64)
        bounds = [*starts.tolist(), k]
        for lo, hi in pairwise(bounds):
            members = (pos[dst_a] >= lo) & (pos[dst_a] < hi)
            inside = members & (self.src_pos >= lo) & (self.src_pos < hi)
            ext = np.flatnonzero(members & ~inside)
            inner = np.flatnonzero(inside)
            c, q = hi - lo, inner.size
            i_src, i_dst = self.src_pos[inner] - lo, pos[dst_a[inner]] - lo
            steps.append(_Step(lo, hi, ext, self.src_pos[ext],
                               sp.csr_array((np.ones(ext.size), (pos[dst_a[ext]] - lo, np.arange(ext.size))),
                                            shape=(c, ext.size)),
                               bool(cyclic[lo]), inner, i_src, i_dst,
                               sp.csr_array((np.ones(q), (i_dst, np.arange(q))), shape=(c, q)),
                               sp.csr_array((np.ones(q), (i_dst * c + i_src, np.arange(q))), shape=(c * c, q))))
        self.steps = steps

    def load(self, amounts: np.ndarray, runs: int = 1) -> Loaded:
        """What depends only on the amounts (``(m,)`` repeated ``runs`` times, or ``(m, S)``): reused by :meth:`clear`."""
        if not self.small:
            raise ValueError(f"a strongly connected component of {self.largest} nodes is too large for the sweep; "
                             "use clearing_batch")
        A = np.asarray(amounts, dtype=np.float64)
        if A.ndim == 1:
            A = np.ascontiguousarray(np.broadcast_to(A[:, None], (A.size, runs)))
        pbar = np.asarray(self.out @ A)
        pbar += self.ell_p[:, None]
        inv = np.divide(1.0, pbar, out=np.zeros_like(pbar), where=pbar > 0)
        return Loaded(A, pbar, A * inv[self.src_pos], np.asarray(self.into_payers @ A))

    def clear(self, amounts: np.ndarray | Loaded, external_assets: np.ndarray,
              payment_cap: np.ndarray | None = None) -> SweepClearing:
        """Clear every column: ``amounts`` ``(m,)`` or ``(m, S)`` (or :meth:`load`'s answer), ``external_assets``
        ``(n,)`` or ``(n, S)``, ``payment_cap`` ``None`` or ``(n,)``.

        The inputs are trusted (finite, ``≥ 0``, caps in ``[0, 1]``): Monte Carlo builds them itself.
        """
        e_all = np.asarray(external_assets, dtype=np.float64)
        loaded = amounts if isinstance(amounts, Loaded) else self.load(amounts, e_all.shape[1] if e_all.ndim == 2 else 1)
        A, pbar, w = loaded.amounts, loaded.obligations, loaded.weights
        S = A.shape[1]
        kappa = np.ones(self.n) if payment_cap is None else np.asarray(payment_cap, dtype=np.float64)
        nodes = self.nodes
        e = e_all[nodes] if e_all.ndim == 2 else np.broadcast_to(e_all[nodes, None], (nodes.size, S))
        cap = pbar * kappa[nodes, None]
        slack = np.maximum(pbar, 1.0)
        np.maximum(slack, e + loaded.incoming, out=slack)
        slack *= self.tol
        floor = cap - slack
        x = np.empty_like(pbar)
        for st in self.steps:
            lo, hi = st.lo, st.hi
            a = e[lo:hi] + np.asarray(st.ext_in @ (w[st.ext] * x[st.ext_src])) if st.ext.size else np.array(e[lo:hi])
            if st.cyclic:
                x[lo:hi] = _component(st, w, a, cap[lo:hi], floor[lo:hi])
            else:
                x[lo:hi] = np.where(a >= floor[lo:hi], cap[lo:hi], a)
        received = np.asarray(self.into @ (w * x[self.src_pos]))
        g = e + received[nodes]
        exact = np.all(np.abs(np.minimum(cap, g) - x) <= slack, axis=0)  # nan fails too
        failed = np.zeros((self.n, S), dtype=bool)
        failed[nodes] = x < pbar - slack
        payments = np.zeros((self.n, S))
        payments[nodes] = x
        obligations = np.zeros((self.n, S))
        obligations[nodes] = pbar
        bad = np.flatnonzero(~exact)
        if bad.size:  # a singular component system: clear those runs the general way (raises if still inexact)
            again = clearing_batch(self.src, self.dst, A[:, bad], e_all if e_all.ndim == 1 else e_all[:, bad], n=self.n,
                                   external_liabilities=self.ell, payment_cap=kappa, tol=self.tol)
            payments[:, bad], failed[:, bad] = again.payments, again.failed
            obligations[:, bad] = again.obligations
            received[:, bad] = np.asarray(self.into @ (A[:, bad] * again.paid_share[self.src]))
            exact[bad] = again.exact
        return SweepClearing(payments=payments, obligations=obligations, received=received, failed=failed,
                             exact=exact, rechecked=int(bad.size))


def _levels(label: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Longest-path level of every component in the condensation (sources at 0)."""
    count = int(label.max()) + 1 if label.size else 0
    cs, cd = label[src], label[dst]
    keep = cs != cd
    pairs = np.unique(np.stack([cs[keep], cd[keep]], axis=1), axis=0) if keep.any() else np.zeros((0, 2), np.int64)
    succ: list[list[int]] = [[] for _ in range(count)]
    indeg = np.zeros(count, dtype=np.int64)
    for a, b in pairs.tolist():
        succ[a].append(b)
        indeg[b] += 1
    level = np.zeros(count, dtype=np.int64)
    ready = np.flatnonzero(indeg == 0).tolist()
    while ready:
        c = ready.pop()
        for b in succ[c]:
            level[b] = max(level[b], level[c] + 1)
            indeg[b] -= 1
            if indeg[b] == 0:
                ready.append(b)
    return level


def _component(st: _Step, w: np.ndarray, a: np.ndarray, cap: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Fictitious default inside one strongly connected component, every column at once (module docstring)."""
    c = st.hi - st.lo
    wi = w[st.inner]
    si, di = st.inner_src, st.inner_dst

    def inflow(v: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return np.asarray(st.inner_in @ (weights * v[si]))

    x = cap.copy()
    d = a + inflow(x, wi) < floor
    todo = np.flatnonzero(d.any(axis=0))
    for _ in range(c + 1):
        if not todo.size:
            break
        dt, at, capt, wt = d[:, todo], a[:, todo], cap[:, todo], wi[:, todo]
        rhs = np.where(dt, at + inflow(np.where(dt, 0.0, capt), wt), capt)
        # I − Πᵀ_DD, with the rows and columns of members outside D left as the identity.
        mat = -np.asarray(st.inner_cells @ np.where(dt[di] & dt[si], wt, 0.0)).reshape(c, c, todo.size)
        for i in range(c):
            mat[i, i] += 1.0
        y = _eliminate(mat, rhs)
        x[:, todo] = y
        grown = dt | (at + inflow(y, wt) < floor[:, todo])
        more = np.any(grown != dt, axis=0)
        d[:, todo] = grown
        todo = todo[more]
    return x


def _eliminate(mat: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve ``mat[:, :, s] · y[:, s] = rhs[:, s]`` for every column ``s`` by Gaussian elimination without pivoting."""
    c = mat.shape[0]
    for k in range(c - 1):
        for i in range(k + 1, c):
            f = mat[i, k] / mat[k, k]
            mat[i, k + 1:] -= f * mat[k, k + 1:]
            rhs[i] -= f * rhs[k]
    y = np.empty_like(rhs)
    for k in range(c - 1, -1, -1):
        acc = rhs[k].copy()
        for j in range(k + 1, c):
            acc -= mat[k, j] * y[j]
        y[k] = acc / mat[k, k]
    return y
