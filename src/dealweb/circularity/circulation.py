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
solve done in one call. The integer solvers work on amounts rounded down to integers at a
power-of-ten ``scale``; node supplies come from the *rounded* edge amounts so they balance exactly.

* ``solver="primal-dual"`` (the default) runs the primal-dual method of
  :mod:`dealweb.circularity._primal_dual`: a handful of phases, each a shortest-distance search in
  NumPy and one OR-Tools max flow, because with unit costs the optimal node potentials take only a
  few distinct values. It is exact, and three times faster than cost scaling in CPU time at one
  million edges on synthetic payment networks (docs/circularity.md has the numbers and the 10M run).
* ``solver="ortools"`` runs OR-Tools' cost-scaling ``SimpleMinCostFlow`` (unit cost, capacity
  ``w_e``, supply ``Σ_out − Σ_in``): the same optimum, the previous default.
* ``solver="lp"`` solves the same LP with HiGHS (the generic baseline and the cross-check).

Certified bound
---------------
Every result carries ``upper_bound ≥`` the exact maximum on the *true* amounts and
``gap_bound = upper_bound − circular_volume``. The bound is LP duality: for node potentials ``π``
and any circulation ``c`` within ``w``, ``Σ c_e = Σ c_e (1 + π_head − π_tail) ≤
Σ w_e max(0, 1 + π_head − π_tail)`` because the potential terms cancel at every node. The integer
solvers take ``π`` from their own optimum (the primal-dual labels, or shortest distances in the
residual graph for OR-Tools), so ``gap_bound`` is 0 when the amounts are multiples of ``1 / scale``
and otherwise the measured cost of rounding down, which is what ``rounding_error`` reports.
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
from dealweb.circularity._primal_dual import dual_gap, potentials_by_relaxation, primal_dual
from dealweb.errors import ConvergenceError
from dealweb.network.graph import Network
from dealweb.network.results import Result
from dealweb.progress import ProgressCallback, report

__all__ = ["CirculationResult", "CirculationSolverError", "max_circulation"]

SOLVERS = ("primal-dual", "ortools", "lp")

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
    With the integer solvers, amounts are rounded *down* to multiples of ``1 / scale``, so
    ``circular_volume`` is attained by a circulation within the true amounts, and the exact
    maximum on the true amounts lies in ``[circular_volume, upper_bound]``, a bracket certified
    by LP duality (module docstring); ``gap_bound = upper_bound − circular_volume`` and
    ``rounding_error`` (the same number) are 0 when every amount is a multiple of ``1 / scale``.
    The LP reports ``rounding_error = 0`` and the bound from HiGHS's duals; its accuracy is
    HiGHS's feasibility tolerance. ``phases`` counts the primal-dual phases (0 for the others).
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
    upper_bound: float = math.nan
    gap_bound: float = math.nan
    phases: int = 0
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

    @property
    def certificate(self) -> str:
        """How far ``circular_volume`` can be from the exact maximum, in words."""
        if not math.isfinite(self.gap_bound):
            return "no bound"
        if self.gap_bound == 0:
            return "exact (dual gap 0)"
        rel = self.gap_bound / self.circular_volume if self.circular_volume > 0 else math.inf
        return f"certified within {self.gap_bound:.6g} ({rel:.2e} of the value)"

    def to_frame(self) -> pd.DataFrame:
        """One row per edge: source, target, amount, circular, residual (and deal id).

        ``frame.attrs["certificate"]`` says how exact the circular amounts' total is.
        """
        nodes = np.asarray(self.nodes, dtype=object)
        data: dict[str, Any] = {"source": nodes[self.src], "target": nodes[self.dst], "amount": self.amount,
                                "circular": self.circular, "residual": self.residual}
        if self.edge_ids is not None:
            data["id"] = self.edge_ids
        frame = pd.DataFrame(data)
        frame.attrs["certificate"] = self.certificate
        return frame

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
                "solver": self.solver, "scale": self.scale, "rounding_error": self.rounding_error,
                "upper_bound": self.upper_bound, "gap_bound": self.gap_bound, "certificate": self.certificate}


def max_circulation(
    flows_or_network: Network | Any,
    *,
    solver: Literal["primal-dual", "ortools", "lp"] = "primal-dual",
    scale: float | None = None,
    gap: float | None = None,
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
        ``"primal-dual"`` (exact integer primal-dual method, fastest), ``"ortools"`` (OR-Tools'
        cost-scaling min-cost flow, the same optimum) or ``"lp"`` (HiGHS linear program).
    scale
        Integer solvers only: amounts are multiplied by ``scale`` and rounded down to integers. By
        default the largest power of ten that keeps the volume in cycles ≤ 2**53 once scaled
        (see :attr:`CirculationResult.rounding_error`).
    gap
        ``None`` (default): exact. A relative gap in ``(0, 1)``, primal-dual only: the solver may
        stop early once it can certify ``(upper_bound − circular_volume) ≤ gap / 2 ·
        circular_volume`` for the rounded amounts (the last phases move tiny amounts); rounding
        adds its own certified part, so check ``gap_bound`` and ``certificate`` on the result.
    progress
        Called as ``progress(stage, fraction)`` when each phase starts (:mod:`dealweb.progress`):
        ``"max circulation: strong components"``, then ``"max circulation: primal-dual (phase k)"``
        with the share of net positions settled so far (or ``"…: min-cost flow"`` / ``"…: HiGHS LP"``,
        one native call, fraction ``None``), ``"max circulation: certificate"`` and
        ``"max circulation: totals"``.

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
    >>> res.upper_bound, res.gap_bound, res.certificate
    (9.0, 0.0, 'exact (dual gap 0)')
    """
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}; got {solver!r}")
    if scale is not None and (solver == "lp" or not (math.isfinite(scale) and scale > 0)):
        raise ValueError("scale must be a positive finite number, and applies to the integer solvers "
                         "('primal-dual', 'ortools') only")
    if gap is not None and (solver != "primal-dual" or not (0 < gap < 1)):
        raise ValueError(f"gap must be a relative gap strictly between 0 and 1, and applies to solver='primal-dual' "
                         f"only; got gap={gap!r} with solver={solver!r}")
    net = flows_or_network if isinstance(flows_or_network, Network) else None
    nodes, src, dst, amount = edge_arrays(flows_or_network)
    if net is None:  # a matrix: one edge per non-zero entry
        keep = amount != 0
        src, dst, amount = src[keep], dst[keep], amount[keep]
    n = len(nodes)
    circular, used_scale, bound, in_cycles, phases = _circulation_kernel(n, src, dst, amount, solver=solver,
                                                                         scale=scale, gap=gap or 0.0,
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
        solver=solver, scale=used_scale, rounding_error=0.0 if solver == "lp" else bound, edges_in_cycles=in_cycles,
        upper_bound=volume + bound, gap_bound=bound, phases=phases,
        edge_ids=net.edge_ids if net is not None else None,
        node_names=net.node_names if net is not None else None,
        network_params=dict(net.params) if net is not None else {},
        undisclosed=net.undisclosed if net is not None else (),
    )


# ------------------------------------------------------------------ kernel


def _circulation_kernel(
    n: int, src: np.ndarray, dst: np.ndarray, amount: np.ndarray, *, solver: str, scale: float | None,
    gap: float = 0.0, progress: ProgressCallback | None = None,
) -> tuple[np.ndarray, float | None, float, int, int]:
    """Circular amount per edge, the scale used, the certified gap, edges inside SCCs, primal-dual phases."""
    circular = np.zeros(len(amount), dtype=np.float64)
    live = (src != dst) & (amount > 0)
    report(progress, "max circulation: strong components", 0.0)
    labels = _scc_labels(n, src[live], dst[live])
    inside = live.copy()
    inside[live] = labels[src[live]] == labels[dst[live]]
    edges = np.flatnonzero(inside)
    if edges.size == 0:
        return circular, (scale or 1.0) if solver != "lp" else None, 0.0, 0, 0
    # Compact node numbering over the nodes that sit on some cycle.
    on_cycle = np.zeros(n, dtype=bool)
    on_cycle[src[edges]] = True
    on_cycle[dst[edges]] = True
    code = np.cumsum(on_cycle) - 1  # the same numbering as np.unique, without its sort
    used = np.flatnonzero(on_cycle)
    tails, heads = code[src[edges]], code[dst[edges]]
    w = amount[edges]
    if solver == "lp":
        report(progress, "max circulation: HiGHS LP", None)
        circular[edges], duals = _solve_lp(used.size, tails, heads, w)
        report(progress, "max circulation: certificate", None)
        return circular, None, _lp_gap(tails, heads, w, circular[edges], duals), int(edges.size), 0
    total = float(w.sum())
    if scale is None:
        scale = 10.0 ** min(math.floor(math.log10(_DEFAULT_LIMIT) - math.log10(total)), 300)
    elif total * scale > _HARD_LIMIT:
        raise ValueError(f"scale {scale:g} makes the volume in cycles ({total:g}) overflow int64; use a smaller scale")
    # Rounding down keeps the solved circulation inside the true amounts, so the reported volume
    # is attained; the dual certificate below measures what the rounding can have cost.
    capacity = np.floor(w * scale).astype(np.int64)
    phases = 0
    if solver == "primal-dual":
        circ_int, pi, phases = primal_dual(used.size, tails, heads, capacity, progress=progress, gap=gap)
    else:
        report(progress, "max circulation: min-cost flow", None)
        circ_int = capacity - _solve_ortools(used.size, tails, heads, capacity)
        report(progress, "max circulation: certificate", None)
        pi = potentials_by_relaxation(used.size, tails, heads, capacity, circ_int)
    circ = np.minimum(circ_int / scale, w)
    circular[edges] = circ
    gap = dual_gap(tails, heads, w, circ, pi)
    return circular, scale, gap, int(edges.size), phases


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


def _solve_lp(n: int, tails: np.ndarray, heads: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Circular amount per arc from the LP ``min Σx, Bx = b, 0 ≤ x ≤ w`` (amounts normalised), and its node duals."""
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
    duals = np.asarray(res.eqlin.marginals, dtype=np.float64)
    return np.clip((wn - x) * norm, 0.0, w), duals


def _lp_gap(tails: np.ndarray, heads: np.ndarray, w: np.ndarray, circular: np.ndarray, duals: np.ndarray) -> float:
    """``Σ w max(0, 1 + π_head − π_tail) − Σ c`` for the better of ``π = ∓duals`` (any ``π`` is a valid bound).

    The LP's circulation is conserved only to HiGHS's tolerance, so the bound is taken as a whole
    sum rather than as the per-edge terms of :func:`dual_gap`.
    """
    bounds = [float((w * np.maximum(0.0, 1.0 + pi[heads] - pi[tails])).sum()) for pi in (-duals, duals)]
    return max(min(bounds) - float(circular.sum()), 0.0)


# ------------------------------------------------------------------ inputs


def _node_sum(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(index, weights=values, minlength=n).astype(np.float64)
