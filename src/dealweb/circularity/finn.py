r"""Finn cycling index: the share of the money handled in a web that has been round before.

Definition (as R ``enaR::enaFlow``)
-----------------------------------
Flows ``F[i, j] ≥ 0`` go from node ``i`` to node ``j``; ``z_i`` enters node ``i`` from outside the
network, ``y_i`` leaves it to the outside. Following ``enaFlow`` (SEELab/enaR, ``R/enaFlow.R``;
Fath & Borrett 2006, doi:10.1016/j.envsoft.2005.07.009; Borrett & Lau 2014,
doi:10.1111/2041-210X.12282)::

    T_i      = Σ_j F[j, i] + z_i           input-oriented throughflow
    G[j, i]  = F[i, j] / T_i               share of i's throughflow passed on to j (0 if T_i = 0)
    N        = (I − G)⁻¹                   integral flow intensities
    TST      = Σ_i T_i      TSTc = Σ_i ((n_ii − 1) / n_ii) · T_i      FCI = TSTc / TST
    Boundary = Σ_i z_i      APL  = TST / Boundary     BFI = Boundary / TST
    DFI      = Σ (G z) / TST               IFI = Σ ((N − I − G) z) / TST
    TSTp     = Σ F + Σ z + Σ y

This is the cycling index of Finn (1976), *Measures of ecosystem structure and function derived
from analysis of flows*, J. Theor. Biol. 56:363–380, doi:10.1016/0022-5193(76)90139-9.
``(n_ii − 1) / n_ii`` is the probability that a unit passing through ``i`` comes back to ``i``
before it leaves the network, so ``TSTc`` is the throughflow that has been round a loop.

Boundary flows of a deal web
----------------------------
A deal web records no outside money. **By default each company's books are closed with the
least outside money that balances them**: ``z_i = max(0, out_i − in_i)`` (a company that pays
more into the web than it gets from it had the difference from outside: revenue, cash,
investors) and ``y_i = max(0, in_i − out_i)`` (what it gets and does not pass on is spent or kept
outside). Then ``T_i = max(in_i, out_i)`` and every node balances. Any other balanced boundary
adds pass-through money ``s_i ≥ 0`` to both ``z_i`` and ``y_i``, which can only lower the index:
**the default FCI is an upper bound**, and ``DFI = BFI``. Pass real figures as ``inputs`` /
``outputs`` (arrays, or a Series keyed by node id); if only one is given the other closes the
books. Like enaR we only *warn* (:class:`UnbalancedModelWarning`) when a node is out of balance by
more than ``balance_tol`` (enaR's ``ssCheck``: 5 %) and compute anyway.

Differences from enaR
---------------------
* Self-loops (``F[i, i]``) are ignored; enaR counts them in ``T`` and ``G``.
* A closed sub-system (a strongly connected set of nodes that nothing leaves) has ``n_ii = ∞``:
  all its throughflow cycles. enaR's pseudo-inverse ``ginv`` gives meaningless numbers there;
  we use the limit, and ``IFI`` counts only the open part.
* ``DFI`` and ``IFI`` use ``Σ N z = Σ T`` (true whenever ``I − G`` is invertible, by the
  definition of ``T``), so they need no inverse.

Scaling
-------
Walks from ``i`` back to ``i`` stay in ``i``'s strongly connected component (SCC), so
``n_ii = [(I − G_SS)⁻¹]_ii`` within SCC ``S`` and 1 outside non-trivial SCCs; ``T`` is data and
needs no solve. SCCs of at most ``exact_limit`` nodes are inverted exactly (batched dense LU).
Larger ones are **estimated by random walks**, because probing estimators of ``diag(N)``
(Hutchinson; Bekas, Kokiopoulou & Saad 2007, doi:10.1016/j.apnum.2007.01.003) are biased through
``1 − 1/n_ii`` (30 probes gave 0.086 for an exact 0.019 on a 5 000-node SCC): ``TSTc_S = TST_S ·
P(return)`` for a walk that starts at node ``i`` with probability ``T_i / TST_S``, moves along
``F[i, j] / T_i`` and leaves with the rest — unbiased, with standard error
``√(p(1 − p)/K) · TST_S / TST`` for ``K = n_walks``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from dealweb.circularity._edges import edge_arrays
from dealweb.errors import ConvergenceError, Problem, ValidationError
from dealweb.network.graph import Network
from dealweb.network.results import Result

__all__ = ["FinnConvergenceError", "FinnResult", "UnbalancedModelWarning", "finn_cycling_index"]

#: Largest SCC ``method="exact"`` will invert densely (m² floats of memory, m³ time).
_EXACT_MAX = 15_000
#: Floats per batch of stacked small inverses.
_BATCH = 4_000_000


class FinnConvergenceError(ConvergenceError):
    """Random walks neither came back nor left within ``max_iter`` steps."""


class UnbalancedModelWarning(UserWarning):
    """Inputs + inflows differ from outputs + outflows at some node (the model is not at steady state)."""


@dataclass(frozen=True, kw_only=True, eq=False)
class FinnResult(Result):
    """Finn cycling index and enaR's flow statistics, with per-node cycling.

    Node arrays are aligned with ``nodes``. ``n_ii`` is the diagonal of ``N`` (``inf`` in a
    closed sub-system); ``cycled`` is ``((n_ii − 1)/n_ii) · T_i``. For nodes estimated by random
    walks (``walks > 0``) both are noisy per-node estimates (``nan`` where no walk started), and
    ``tstc`` uses the pooled estimate, whose standard error is ``fci_stderr · tst``.
    """

    nodes: tuple[Any, ...]
    throughflow: np.ndarray
    inputs: np.ndarray
    outputs: np.ndarray
    n_ii: np.ndarray
    cycled: np.ndarray
    walks: np.ndarray
    fci: float
    fci_stderr: float
    tst: float
    tstc: float
    tstp: float
    boundary: float
    apl: float
    bfi: float
    dfi: float
    ifi: float
    balanced: bool
    boundary_source: str
    method: str
    nodes_estimated: int
    node_names: tuple[str, ...] | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per node: throughflow, boundary flows, ``n_ii``, return probability, cycled throughflow."""
        names = list(self.node_names) if self.node_names is not None else [str(v) for v in self.nodes]
        with np.errstate(divide="ignore", invalid="ignore"):
            back = np.where(np.isinf(self.n_ii), 1.0, (self.n_ii - 1.0) / self.n_ii)
        return pd.DataFrame({"id": list(self.nodes), "name": names, "throughflow": self.throughflow,
                             "input": self.inputs, "output": self.outputs, "n_ii": self.n_ii,
                             "return_probability": back, "cycled_throughflow": self.cycled,
                             "walks": self.walks})

    def headline(self) -> dict[str, Any]:
        return {"fci": self.fci, "fci_stderr": self.fci_stderr, "tst": self.tst, "tstc": self.tstc,
                "tstp": self.tstp, "boundary": self.boundary, "apl": self.apl, "bfi": self.bfi,
                "dfi": self.dfi, "ifi": self.ifi, "balanced": self.balanced,
                "boundary_source": self.boundary_source, "method": self.method,
                "nodes_estimated": self.nodes_estimated}


def finn_cycling_index(
    flows_or_network: Network | Any,
    inputs: Any = None,
    outputs: Any = None,
    *,
    method: Literal["auto", "exact", "montecarlo"] = "auto",
    exact_limit: int = 2000,
    n_walks: int = 200_000,
    balance_tol: float = 0.05,
    tol: float = 1e-10,
    max_iter: int = 100_000,
    seed: int = 0,
) -> FinnResult:
    """Finn cycling index (Finn 1976) with enaR's ``enaFlow`` statistics.

    ``FCI = Σ_i ((n_ii − 1)/n_ii) T_i / Σ_i T_i`` with ``N = (I − G)⁻¹``,
    ``G[j, i] = F[i, j] / T_i`` and ``T_i = Σ_j F[j, i] + z_i`` (module docstring).

    Parameters
    ----------
    flows_or_network
        A :class:`~dealweb.network.Network`, or a square dense or scipy sparse matrix with
        ``flows[i, j]`` from ``i`` to ``j`` (nodes ``0 … n−1``). Self-loops are ignored.
    inputs, outputs
        Outside money into / out of each node: arrays of length ``n`` or Series keyed by node id
        (missing ids count 0). By default both close each node's books (module docstring), which
        makes the model balanced and the FCI an upper bound over balanced boundaries.
    method, exact_limit
        ``"exact"`` inverts every SCC, ``"montecarlo"`` estimates every open SCC by random walks,
        ``"auto"`` inverts SCCs of at most ``exact_limit`` nodes and estimates larger ones.
    n_walks, seed
        Number and seed of the random walks for the estimated SCCs.
    balance_tol
        Relative imbalance ``|in + z − out − y| / (out + y)`` above which a node is out of balance.
    tol
        An SCC from which at most this share of any node's throughflow leaks is closed (``n_ii = ∞``).
    max_iter
        Most steps a random walk may take.

    Returns
    -------
    FinnResult

    Raises
    ------
    ValidationError
        A flow or boundary value is negative or not finite.
    ValueError
        Bad shape, option, or unknown node id in ``inputs`` / ``outputs``.
    FinnConvergenceError
        A random walk took more than ``max_iter`` steps.

    Warns
    -----
    UnbalancedModelWarning
        The given boundary leaves some node out of balance (computed anyway, as enaR does).

    Examples
    --------
    A pays B 10 and B pays A 6. Closing the books: A had 4 from outside, B spent 4 outside, so
    ``T = (10, 10)``, ``G = [[0, 0.6], [1, 0]]``, ``N = [[2.5, 1.5], [2.5, 2.5]]`` and each
    throughflow comes back with probability ``1 − 1/2.5 = 0.6``.

    >>> res = finn_cycling_index([[0, 10], [6, 0]])
    >>> round(res.fci, 12), res.tst, round(res.tstc, 9), res.n_ii.round(12).tolist()
    (0.6, 20.0, 12.0, [2.5, 2.5])
    >>> res.apl, res.bfi, round(res.dfi, 12), round(res.ifi, 12)
    (5.0, 0.2, 0.2, 0.6)
    """
    if method not in ("auto", "exact", "montecarlo"):
        raise ValueError(f"method must be 'auto', 'exact' or 'montecarlo', got {method!r}")
    if exact_limit < 1 or n_walks < 1 or max_iter < 1 or not (balance_tol > 0) or not (0 <= tol < 1):
        raise ValueError("exact_limit, n_walks and max_iter must be ≥ 1, balance_tol > 0 and 0 ≤ tol < 1")
    net = flows_or_network if isinstance(flows_or_network, Network) else None
    nodes, flows = _flow_matrix(flows_or_network)
    inflow = np.asarray(flows.sum(axis=0), dtype=np.float64).ravel()
    outflow = np.asarray(flows.sum(axis=1), dtype=np.float64).ravel()
    z, y = _boundary_vector(inputs, nodes, "inputs"), _boundary_vector(outputs, nodes, "outputs")
    source = {(True, True): "closure", (False, True): "outputs_closed",
              (True, False): "inputs_closed", (False, False): "given"}[(z is None, y is None)]
    if z is None:
        z = np.maximum(outflow + (y if y is not None else 0.0) - inflow, 0.0)
    if y is None:
        y = np.maximum(inflow + z - outflow, 0.0)
    balanced = _check_balance(inflow + z, outflow + y, balance_tol, nodes)
    T = inflow + z
    cyc = _cycling(flows, T, method=method, exact_limit=exact_limit, n_walks=n_walks, tol=tol,
                   max_iter=max_iter, seed=seed)
    tst, bound = float(T.sum()), float(z.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = float(np.where(T > 0, z * outflow / T, 0.0).sum())
    apl = tst / bound if bound > 0 else (float("inf") if tst > 0 else float("nan"))
    return FinnResult(
        nodes=nodes, throughflow=T, inputs=z, outputs=y, n_ii=cyc.n_ii, cycled=cyc.cycled, walks=cyc.walks,
        fci=cyc.tstc / tst if tst > 0 else 0.0, fci_stderr=cyc.stderr / tst if tst > 0 else 0.0,
        tst=tst, tstc=cyc.tstc, tstp=float(flows.sum() + z.sum() + y.sum()), boundary=bound, apl=apl,
        bfi=_per(bound, tst), dfi=_per(direct, tst), ifi=_per(float(T[~cyc.closed].sum()) - bound - direct, tst),
        balanced=balanced, boundary_source=source, method=cyc.method, nodes_estimated=cyc.estimated,
        node_names=net.node_names if net is not None else None,
        network_params=dict(net.params) if net is not None else {},
        undisclosed=net.undisclosed if net is not None else (),
    )


def _per(part: float, whole: float) -> float:
    return part / whole if whole > 0 else float("nan")


# ------------------------------------------------------------------ kernel


class _Cycling(NamedTuple):
    n_ii: np.ndarray
    cycled: np.ndarray
    walks: np.ndarray
    tstc: float
    stderr: float
    method: str
    closed: np.ndarray
    estimated: int


def _cycling(flows: sp.csr_array, T: np.ndarray, *, method: str, exact_limit: int, n_walks: int, tol: float,
             max_iter: int, seed: int) -> _Cycling:
    """``n_ii`` and cycled throughflow per node, exact per SCC or by random walks."""
    n = len(T)
    coo = flows.tocoo()
    keep = T[coo.row] > 0  # enaR zeroes G's column of a node without throughflow
    src, dst, amount = coo.row[keep], coo.col[keep], coo.data[keep]
    live = sp.csr_array((amount, (src, dst)), shape=(n, n))
    k, lab = connected_components(live, directed=True, connection="strong")
    sizes = np.bincount(lab, minlength=k)
    inside = lab[src] == lab[dst]
    g = amount / T[src]
    retained = np.bincount(src[inside], weights=g[inside], minlength=n)
    least = np.full(k, np.inf)
    np.minimum.at(least, lab, retained)
    comps = np.flatnonzero(sizes > 1)
    closed = comps[least[comps] >= 1.0 - tol]
    open_ = comps[least[comps] < 1.0 - tol]
    big = sizes[open_] > exact_limit
    walk = open_ if method == "montecarlo" else open_[big] if method == "auto" else open_[:0]
    exact = np.setdiff1d(open_, walk)
    if exact.size and sizes[exact].max() > _EXACT_MAX:
        raise ValueError(f"an SCC has {sizes[exact].max()} nodes, too many to invert densely; use method='auto'")
    n_ii, cycled, walks = np.ones(n), np.zeros(n), np.zeros(n, dtype=np.int64)
    shut = np.isin(lab, closed)
    n_ii[shut], cycled[shut] = np.inf, T[shut]
    if exact.size:
        where = np.isin(lab, exact)
        n_ii[where] = _exact_diagonal(lab, sizes, exact, src[inside], dst[inside], g[inside], n)[where]
        with np.errstate(divide="ignore", invalid="ignore"):
            cycled[where] = (1.0 - 1.0 / n_ii[where]) * T[where]
    tstc, stderr = float(cycled.sum()), 0.0
    if walk.size:
        pool = np.flatnonzero(np.isin(lab, walk))
        if np.any(live.sum(axis=1)[pool] > T[pool] * (1.0 + 1e-9)):
            raise ValueError("random walks need out_i ≤ T_i (outputs ≥ 0 at balance); use method='exact'")
        rng = np.random.default_rng(seed)
        start, back = _walk(live, T, lab, pool, n_walks, max_iter, rng)
        walks, returns = np.bincount(start, minlength=n), np.bincount(start[back], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(walks > 0, returns / walks, np.nan)
            n_ii[pool] = 1.0 / (1.0 - rate[pool])
        cycled[pool] = rate[pool] * T[pool]
        mass, smoothed = float(T[pool].sum()), (back.sum() + 0.5) / (n_walks + 1.0)  # error > 0 at p = 0, 1
        tstc += back.mean() * mass
        stderr = float(np.sqrt(smoothed * (1.0 - smoothed) / n_walks) * mass)
    estimated = int(np.isin(lab, walk).sum())
    return _Cycling(n_ii, cycled, walks, tstc, stderr, "montecarlo" if walk.size else "exact", shut, estimated)


def _exact_diagonal(lab: np.ndarray, sizes: np.ndarray, comps: np.ndarray, src: np.ndarray, dst: np.ndarray,
                    g: np.ndarray, n: int) -> np.ndarray:
    """``diag((I − G_SS)⁻¹)`` for each SCC ``S`` in ``comps``, batching SCCs of equal size."""
    out = np.full(n, np.nan)
    members = np.flatnonzero(np.isin(lab, comps))
    members = members[np.argsort(lab[members], kind="stable")]
    first = np.flatnonzero(np.r_[True, lab[members][1:] != lab[members][:-1]])
    local = np.zeros(n, dtype=np.int64)
    local[members] = np.arange(members.size) - np.repeat(first, np.diff(np.r_[first, members.size]))
    edge_in = np.isin(lab[src], comps)
    src, dst, g = src[edge_in], dst[edge_in], g[edge_in]
    for m in np.unique(sizes[comps]):
        same = comps[sizes[comps] == m]
        step = max(1, _BATCH // (m * m))
        for lo in range(0, same.size, step):
            batch = same[lo:lo + step]
            slot = np.full(sizes.size, -1)
            slot[batch] = np.arange(batch.size)
            a = np.zeros((batch.size, m, m))
            a[:, np.arange(m), np.arange(m)] = 1.0
            sel = slot[lab[src]] >= 0
            a[slot[lab[src[sel]]], local[dst[sel]], local[src[sel]]] = -g[sel]  # (src, dst) pairs are unique
            try:
                inv = np.linalg.inv(a)
            except np.linalg.LinAlgError:  # only with unbalanced boundaries; enaR uses ginv too
                inv = np.linalg.pinv(a)
            nodes = members[slot[lab[members]] >= 0]
            out[nodes] = inv[slot[lab[nodes]], local[nodes], local[nodes]]
    return out


def _walk(live: sp.csr_array, T: np.ndarray, lab: np.ndarray, pool: np.ndarray, n_walks: int, max_iter: int,
          rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Start ``n_walks`` walks at nodes of ``pool`` (∝ T); return starts and whether each came back."""
    start = pool[rng.choice(pool.size, size=n_walks, p=T[pool] / T[pool].sum())]
    indptr, indices = live.indptr, live.indices
    cum = np.r_[0.0, np.cumsum(live.data)]
    alive, cur = np.arange(n_walks), start.copy()
    back = np.zeros(n_walks, dtype=bool)
    for _ in range(max_iter):
        if not alive.size:
            break
        lo, hi = indptr[cur], indptr[cur + 1]
        x = cum[lo] + rng.random(alive.size) * T[cur]
        move = x < cum[hi]  # otherwise the unit leaves the network
        alive, cur, x, lo, hi = alive[move], cur[move], x[move], lo[move], hi[move]
        edge = np.clip(np.searchsorted(cum, x, side="right") - 1, lo, hi - 1)
        nxt = indices[edge]
        home = nxt == start[alive]
        back[alive[home]] = True
        go_on = ~home & (lab[nxt] == lab[start[alive]])  # a walk that leaves the SCC cannot return
        alive, cur = alive[go_on], nxt[go_on]
    if alive.size:
        raise FinnConvergenceError(f"{alive.size} of {n_walks} random walks neither returned nor left after "
                                   f"{max_iter} steps; raise max_iter or use method='exact'")
    return start, back


# ------------------------------------------------------------------ input checks


def _flow_matrix(obj: Any) -> tuple[tuple[Any, ...], sp.csr_array]:
    """Node ids and the summed ``n × n`` CSR flow matrix without self-loops, after checking amounts."""
    nodes, src, dst, amount = edge_arrays(obj)
    keep = (src != dst) & (amount != 0)
    flows = sp.csr_array((amount[keep], (src[keep], dst[keep])), shape=(len(nodes), len(nodes)))
    flows.sum_duplicates()
    return nodes, flows


def _bad(values: np.ndarray) -> np.ndarray:
    return np.flatnonzero(~np.isfinite(values) | (values < 0))


def _boundary_vector(value: Any, nodes: tuple[Any, ...], name: str) -> np.ndarray | None:
    if value is None:
        return None
    if isinstance(value, pd.Series):
        known = set(nodes)
        unknown = [k for k in value.index if k not in known]
        if unknown:
            raise ValueError(f"{name} names nodes that are not in the network: {unknown[:10]}")
        value = value.reindex(list(nodes), fill_value=0.0).to_numpy(dtype=np.float64)
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != (len(nodes),):
        raise ValueError(f"{name} must have one value per node ({len(nodes)}), got shape {arr.shape}")
    if _bad(arr).size:
        raise ValidationError([Problem(f"{name}[{nodes[i]!r}]", name, "amount",
                                       f"{arr[i]!r} is not a non-negative finite number") for i in _bad(arr)[:20]])
    return arr


def _check_balance(t_in: np.ndarray, t_out: np.ndarray, tol: float, nodes: tuple[Any, ...]) -> bool:
    """enaR ``ssCheck``: every node's ``|T_in − T_out| / T_out`` below ``tol``; warn otherwise."""
    with np.errstate(divide="ignore", invalid="ignore"):
        error = np.where(t_out > 0, np.abs(t_in - t_out) / t_out, np.where(t_in > 0, np.inf, 0.0))
    off = np.flatnonzero(error >= tol)
    if off.size:
        worst = off[np.argsort(-error[off])][:3]
        shown = ", ".join(f"{nodes[i]!r} ({error[i]:.1%})" for i in worst)
        warnings.warn(UnbalancedModelWarning(
            f"model is not at steady state: inputs + inflows differ from outputs + outflows by ≥ {tol:.0%} at "
            f"{off.size} node(s), worst {shown}; computing anyway, as enaR does"), stacklevel=3)
    return not off.size
