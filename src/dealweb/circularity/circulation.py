r"""Maximum circulation (multilateral netting): how much of the gross volume goes round in circles.

Definition
----------
Edge ``e`` carries ``w_e ≥ 0`` from ``src[e]`` to ``dst[e]``; node ``i`` has the net position
``b_i = Σ_in w − Σ_out w`` (positive: a net recipient). The *residual* flow ``x*`` settles
every net position over the existing edges with the least gross volume,

.. math::

    x^* = \arg\min_x \sum_e x_e \quad\text{s.t.}\quad
    \sum_{e \in \mathrm{in}(i)} x_e - \sum_{e \in \mathrm{out}(i)} x_e = b_i \;\; \forall i,
    \qquad 0 \le x_e \le w_e .

The *circular* part ``c = w − x*`` is conserved at every node (``Σ_in c = Σ_out c``) with
``0 ≤ c ≤ w``, and it is a *maximum* circulation: no circulation inside ``w`` is larger.
The circular volume is ``C = Σ_e c_e = gross − Σ_e x*_e`` and the **circularity index** is
``C / gross ∈ [0, 1]``. The net internal debt ``NID = Σ_i max(b_i, 0)`` is the least any
settlement must move, and ``NID ≤ Σ_e x*_e``, with equality only when every unit of residual
flow runs over a single edge from a net payer to a net recipient.

This is the set-off of Fleischman & Dini (2021), *Mathematical Foundations for Balancing the
Payment System in the Trade Credit Market*, J. Risk Financial Manag. 14(9):452,
doi:10.3390/jrfm14090452 ("cleared = total debt − remaining"), and the *maximum circularity*
benchmark of Homs-Dones, MacKay, Sansom & Zhou (2025), *Circular Directional Flow
Decomposition of Networks*, arXiv:2506.12546.

What it means for a deal web
----------------------------
``C`` is the largest amount that could be settled by netting alone — money that goes round
and comes back to where it started (A invests in B, B buys from C, C buys from A). A high
index says much of the headline volume is the same money counted at every hop.

Caveats
-------
* Deal amounts are totals over different horizons (a five-year compute contract next to a
  one-off equity round), so ``C`` compares stocks of commitments, not flows per year.
* Deals without a disclosed amount are absent: the index describes the disclosed part of the
  web and is a lower bound on its circularity (adding edges never lowers ``C``).
* The decomposition ``c`` is not unique (several maximum circulations may exist); ``C`` and the
  index are.
* Self-loops (``src == dst``) are ignored: not in ``gross``, circular and residual set to 0.

Method
------
A circulation lives on cycles, and every cycle lies inside one strongly connected component
(SCC). Edges between SCCs therefore have ``c_e = 0, x_e = w_e`` and are pruned first
(:func:`scipy.sparse.csgraph.connected_components`); the remaining problem is block diagonal
by SCC and is solved once over the union of the SCCs' internal edges, which is the per-SCC
solve done in one call. ``solver="ortools"`` runs OR-Tools' cost-scaling
``SimpleMinCostFlow`` (unit cost, capacity ``w_e``, supply ``Σ_out − Σ_in``) on amounts
rounded down to integers at a power-of-ten ``scale``; node supplies come from the *rounded*
edge amounts so they balance exactly. ``solver="lp"`` solves the same LP with HiGHS (the generic
baseline and the cross-check).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from dealweb.circularity._edges import edge_arrays
from dealweb.errors import ConvergenceError
from dealweb.network.graph import Network
from dealweb.network.results import Result
from dealweb.progress import ProgressCallback, report

__all__ = ["CirculationResult", "CirculationSolverError", "max_circulation"]

#: Default scale keeps the rounded gross volume ≤ 2**53: integers stay exact in float64 and
#: int64 keeps 2**10 of headroom for the solver's sums.
_DEFAULT_LIMIT = 2.0**53
#: A user-chosen scale may go up to here (still two bits below the int64 ceiling).
_HARD_LIMIT = 2.0**62


class CirculationSolverError(ConvergenceError):
    """The min-cost-flow or LP solver did not report an optimal solution."""


@dataclass(frozen=True, kw_only=True, eq=False)
class CirculationResult(Result):
    """Maximum circulation of a network: per edge, per node and in total.

    Edge arrays (``src``, ``dst``, ``amount``, ``circular``, ``residual``, ``edge_ids``) are
    aligned with the input's edges; node arrays with ``nodes``.
    With OR-Tools, amounts are rounded *down* to multiples of ``1 / scale``, so
    ``circular_volume`` is attained by a circulation within the true amounts and the exact
    maximum lies in ``[circular_volume, circular_volume + rounding_error]`` (a worst-case
    bound, ``Σ_e (w_e − ⌊w_e⌋)·|SCC(e)|``; 0 when every amount is a multiple of ``1 / scale``).
    The LP reports ``rounding_error = 0``; its accuracy is HiGHS's feasibility tolerance.
    """

    nodes: tuple[Any, ...]
    src: np.ndarray
    dst: np.ndarray
    amount: np.ndarray
    circular: np.ndarray
    residual: np.ndarray
    net_position: np.ndarray
    circular_through: np.ndarray
    gross: float
    circular_volume: float
    residual_volume: float
    nid: float
    circularity_index: float
    solver: str
    scale: float | None
    rounding_error: float
    edges_in_cycles: int
    edge_ids: np.ndarray | None = None
    node_names: tuple[str, ...] | None = None

    @property
    def gross_in(self) -> np.ndarray:
        """Total amount into each node (self-loops excluded)."""
        return _node_sum(self.dst, self._counted(self.amount), len(self.nodes))

    @property
    def gross_out(self) -> np.ndarray:
        """Total amount out of each node (self-loops excluded)."""
        return _node_sum(self.src, self._counted(self.amount), len(self.nodes))

    def _counted(self, values: np.ndarray) -> np.ndarray:
        return np.where(self.src == self.dst, 0.0, values)

    def to_frame(self) -> pd.DataFrame:
        """One row per edge: source, target, amount, circular, residual (and deal id)."""
        nodes = np.asarray(self.nodes, dtype=object)
        data: dict[str, Any] = {"source": nodes[self.src], "target": nodes[self.dst], "amount": self.amount,
                                "circular": self.circular, "residual": self.residual}
        if self.edge_ids is not None:
            data["id"] = self.edge_ids
        return pd.DataFrame(data)

    def nodes_frame(self) -> pd.DataFrame:
        """One row per node: gross in/out, net position, circular throughput and its share of inflow."""
        gross_in = self.gross_in
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(gross_in > 0, self.circular_through / gross_in, np.nan)
        names = list(self.node_names) if self.node_names is not None else [str(n) for n in self.nodes]
        return pd.DataFrame({"id": list(self.nodes), "name": names, "gross_in": gross_in,
                             "gross_out": self.gross_out, "net_position": self.net_position,
                             "circular_through": self.circular_through, "circular_share_of_inflow": share})

    def headline(self) -> dict[str, Any]:
        return {"circularity_index": self.circularity_index, "gross": self.gross,
                "circular_volume": self.circular_volume, "residual_volume": self.residual_volume,
                "net_internal_debt": self.nid, "edges": len(self.src), "edges_in_cycles": self.edges_in_cycles,
                "solver": self.solver, "scale": self.scale, "rounding_error": self.rounding_error}


def max_circulation(
    flows_or_network: Network | Any,
    *,
    solver: Literal["ortools", "lp"] = "ortools",
    scale: float | None = None,
    progress: ProgressCallback | None = None,
) -> CirculationResult:
    """Maximum circulation and circularity index (Fleischman & Dini 2021; Homs-Dones et al. 2025).

    Solves ``min Σ x_e  s.t.  Σ_in x − Σ_out x = b_i,  0 ≤ x_e ≤ w_e`` (module docstring); the
    circular part is ``c = w − x*`` and the index ``Σ c / Σ w`` (0 when there is no volume).
    Self-loops are ignored: they are not in ``Σ w`` and get circular = residual = 0.

    Parameters
    ----------
    flows_or_network
        A :class:`~dealweb.network.Network` (result keeps entity ids, names and deal ids), or a
        square dense or scipy sparse matrix with ``flows[i, j]`` from ``i`` to ``j`` (nodes are
        ``0 … n−1``, one edge per non-zero entry).
    solver
        ``"ortools"`` (integer min-cost flow, fast) or ``"lp"`` (HiGHS linear program).
    scale
        OR-Tools only: amounts are multiplied by ``scale`` and rounded down to integers. By
        default the largest power of ten that keeps the volume in cycles ≤ 2**53 once scaled
        (see :attr:`CirculationResult.rounding_error`).
    progress
        Called as ``progress(stage, fraction)`` when each phase starts (:mod:`dealweb.progress`):
        ``"max circulation: strong components"``, ``"max circulation: min-cost flow"`` (or
        ``"…: HiGHS LP"``; one native call, fraction ``None``) and ``"max circulation: totals"``.

    Returns
    -------
    CirculationResult

    Raises
    ------
    ValidationError
        An amount is negative or not finite.
    ValueError
        The matrix is not square, the solver is unknown, or ``scale`` is unusable.
    CirculationSolverError
        The solver did not report an optimal solution.

    Examples
    --------
    A 3-cycle ``0 → 1 → 2 → 0`` with amounts 5, 3, 4 and a tail ``2 → 3`` of 2: the cycle's
    bottleneck 3 goes round, on three edges.

    >>> import numpy as np
    >>> flows = np.array([[0, 5, 0, 0], [0, 0, 3, 0], [4, 0, 0, 2], [0, 0, 0, 0]])
    >>> res = max_circulation(flows)
    >>> res.circular.tolist(), res.residual.tolist()
    ([3.0, 3.0, 3.0, 0.0], [2.0, 0.0, 1.0, 2.0])
    >>> res.circular_volume, res.gross, round(res.circularity_index, 4), res.nid
    (9.0, 14.0, 0.6429, 4.0)
    >>> max_circulation(flows, solver="lp").circular_volume
    9.0
    """
    if solver not in ("ortools", "lp"):
        raise ValueError(f"solver must be 'ortools' or 'lp', got {solver!r}")
    if scale is not None and (solver != "ortools" or not (math.isfinite(scale) and scale > 0)):
        raise ValueError("scale must be a positive finite number, and applies to solver='ortools' only")
    net = flows_or_network if isinstance(flows_or_network, Network) else None
    nodes, src, dst, amount = edge_arrays(flows_or_network)
    if net is None:  # a matrix: one edge per non-zero entry
        keep = amount != 0
        src, dst, amount = src[keep], dst[keep], amount[keep]
    n = len(nodes)
    circular, used_scale, error, in_cycles = _circulation_kernel(n, src, dst, amount, solver=solver, scale=scale,
                                                                 progress=progress)
    report(progress, "max circulation: totals", 0.0)
    counted = np.where(src == dst, 0.0, amount)
    residual = counted - circular
    net_position = _node_sum(dst, counted, n) - _node_sum(src, counted, n)
    gross = float(counted.sum())
    volume = float(circular.sum())
    return CirculationResult(
        nodes=nodes, src=src, dst=dst, amount=amount, circular=circular, residual=residual,
        net_position=net_position, circular_through=_node_sum(dst, circular, n), gross=gross,
        circular_volume=volume, residual_volume=float(residual.sum()),
        nid=float(np.maximum(net_position, 0.0).sum()),
        circularity_index=min(volume / gross, 1.0) if gross > 0 else 0.0,
        solver=solver, scale=used_scale, rounding_error=error, edges_in_cycles=in_cycles,
        edge_ids=net.edge_ids if net is not None else None,
        node_names=net.node_names if net is not None else None,
        network_params=dict(net.params) if net is not None else {},
        undisclosed=net.undisclosed if net is not None else (),
    )


# ------------------------------------------------------------------ kernel


def _circulation_kernel(
    n: int, src: np.ndarray, dst: np.ndarray, amount: np.ndarray, *, solver: str, scale: float | None,
    progress: ProgressCallback | None = None,
) -> tuple[np.ndarray, float | None, float, int]:
    """Circular amount per edge, the scale used, the rounding-error bound, edges inside SCCs."""
    circular = np.zeros(len(amount), dtype=np.float64)
    live = (src != dst) & (amount > 0)
    report(progress, "max circulation: strong components", 0.0)
    labels = _scc_labels(n, src[live], dst[live])
    inside = live.copy()
    inside[live] = labels[src[live]] == labels[dst[live]]
    edges = np.flatnonzero(inside)
    if edges.size == 0:
        return circular, (scale or 1.0) if solver == "ortools" else None, 0.0, 0
    # Compact node numbering over the nodes that sit on some cycle.
    used, codes = np.unique(np.concatenate([src[edges], dst[edges]]), return_inverse=True)
    tails, heads = codes[: edges.size], codes[edges.size:]
    w = amount[edges]
    if solver == "lp":
        report(progress, "max circulation: HiGHS LP", None)
        circular[edges] = _solve_lp(used.size, tails, heads, w)
        return circular, None, 0.0, int(edges.size)
    total = float(w.sum())
    if scale is None:
        scale = 10.0 ** min(math.floor(math.log10(_DEFAULT_LIMIT) - math.log10(total)), 300)
    elif total * scale > _HARD_LIMIT:
        raise ValueError(f"scale {scale:g} makes the volume in cycles ({total:g}) overflow int64; use a smaller scale")
    # Rounding down keeps the solved circulation inside the true amounts, so the reported
    # volume is attained and C(w) − C(⌊w⌋) ≤ Σ_e Δ_e·|SCC(e)|: cut a cycle decomposition of an
    # optimal circulation for w to fit ⌊w⌋; a cycle through e has at most |SCC(e)| edges.
    scaled = w * scale
    capacity = np.floor(scaled).astype(np.int64)
    report(progress, "max circulation: min-cost flow", None)
    residual = _solve_ortools(used.size, tails, heads, capacity)
    circular[edges] = np.minimum((capacity - residual) / scale, w)
    scc_size = np.bincount(labels)[labels[src[edges]]]
    error = float(((scaled - capacity) * scc_size).sum()) / scale
    return circular, scale, error, int(edges.size)


def _scc_labels(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Strong-component label of each node."""
    graph = sp.csr_array((np.ones(src.size, dtype=np.int32), (src, dst)), shape=(n, n))
    _, labels = connected_components(graph, directed=True, connection="strong")
    return np.asarray(labels)


def _solve_ortools(n: int, tails: np.ndarray, heads: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Residual flow per arc: min-cost flow with unit costs, supply = rounded out − in."""
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

    supply = np.zeros(n, dtype=np.int64)
    np.add.at(supply, tails, capacity)
    np.subtract.at(supply, heads, capacity)
    mcf = SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int64), heads.astype(np.int64), capacity,
                                                    np.ones(tails.size, dtype=np.int64))
    mcf.set_nodes_supplies(np.arange(n, dtype=np.int64), supply)
    status = mcf.solve()
    if status != SimpleMinCostFlow.OPTIMAL:
        raise CirculationSolverError(f"OR-Tools min-cost flow ended with status {status.name}")
    return np.asarray(mcf.flows(arcs), dtype=np.int64)


def _solve_lp(n: int, tails: np.ndarray, heads: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Circular amount per arc from the LP ``min Σx, Bx = b, 0 ≤ x ≤ w`` (amounts normalised)."""
    norm = float(w.max())
    wn = w / norm
    m = w.size
    rows = np.concatenate([heads, tails])
    cols = np.concatenate([np.arange(m), np.arange(m)])
    vals = np.concatenate([np.ones(m), -np.ones(m)])
    incidence = sp.csr_array((vals, (rows, cols)), shape=(n, m))
    b = incidence @ wn
    res = linprog(np.ones(m), A_eq=incidence, b_eq=b, bounds=np.column_stack([np.zeros(m), wn]), method="highs")
    if res.status != 0:
        raise CirculationSolverError(f"HiGHS LP did not solve to optimality: {res.message}")
    x = np.clip(np.asarray(res.x, dtype=np.float64), 0.0, wn)
    return np.clip((wn - x) * norm, 0.0, w)


# ------------------------------------------------------------------ inputs


def _node_sum(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(index, weights=values, minlength=n).astype(np.float64)
