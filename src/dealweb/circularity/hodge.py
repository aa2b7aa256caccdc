r"""Helmholtz–Hodge decomposition of net flows: who is upstream, and how much flow goes in loops.

Definition
----------
For every unordered pair ``{i, j}`` (``i < j``) with money in either direction, the net flow is
``f_ij = F[i, j] − F[j, i]`` (positive: net from ``i`` to ``j``). With the pair–node incidence
``B`` (row of pair ``(i, j)``: ``+1`` at ``i``, ``−1`` at ``j``), the node potentials solve the
least-squares problem

.. math::

    \phi = \arg\min_\phi \lVert B\phi - f \rVert^2
    \iff L\phi = B^\top f, \qquad L = B^\top B = D - A,

where ``L`` is the (unweighted) Laplacian of the pair graph and ``(Bᵀf)_i = out_i − in_i`` is
node ``i``'s net outflow. ``φ`` is unique up to a constant on each connected component; we fix
its mean to 0 there. The gradient part is ``g = Bφ`` (``g_ij = φ_i − φ_j``) and the loop part
``c = f − g`` is divergence-free (``Bᵀc = 0``: as much net flow enters every node as leaves it)
and orthogonal to ``g``. The **loop share** is ``‖c‖² / ‖f‖²`` and the gradient share
``‖g‖² / ‖f‖² = 1 − loop share``.

This is the graph Hodge decomposition with unit pair weights of Jiang, Lim, Yao & Ye (2011),
*Statistical ranking and combinatorial Hodge theory*, Math. Program. 127:203–244,
doi:10.1007/s10107-010-0419-x (our ``c`` is their curl plus harmonic parts together), as used
for inter-firm money and transaction networks by Kichikawa, Iyetomi, Iino & Inoue (2019),
*Community structure based on circular flow in a large-scale transaction network*, Appl.
Netw. Sci. 4, doi:10.1007/s41109-019-0202-8 (their pair weighting may differ, so their
potentials need not equal ours).

Sign: **money flows downhill**. A payer has higher potential than its payee: the chain
``A → B → C`` gives ``φ_A > φ_B > φ_C``. High potential = upstream (funders, buyers); low =
downstream (where money ends up).

Caveats
-------
* The loop part is an ℓ² projection: it need not follow the deals' directions and may exceed a
  pair's amount, so it is not money that can be netted. For the amount that really goes round
  and could be set off, use :func:`dealweb.circularity.circulation.max_circulation`.
* Deals in both directions between a pair cancel in ``f`` first: equal reciprocal deals are invisible.
* Every pair counts once whatever its size: the potentials rank positions in the web; amounts
  enter only through ``f``.
* Potentials compare only within a connected component (each has mean 0); isolated nodes get 0.
* Self-loops are ignored.

Method
------
``solver="direct"`` grounds one node per connected component and solves the reduced Laplacian
with SuperLU; ``solver="cg"`` runs Jacobi-preconditioned conjugate gradients on ``L`` (consistent
right-hand side, so CG converges on the singular system). ``"auto"`` picks direct up to
5 000 nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator, cg, spsolve

from dealweb.circularity._edges import edge_arrays
from dealweb.errors import ConvergenceError
from dealweb.network.graph import Network
from dealweb.network.results import Result

__all__ = ["HodgeConvergenceError", "HodgeResult", "hodge_decomposition"]

_DIRECT_MAX = 5000


class HodgeConvergenceError(ConvergenceError):
    """Conjugate gradients did not reach ``tol`` within ``max_iter`` iterations."""


@dataclass(frozen=True, kw_only=True, eq=False)
class HodgeResult(Result):
    """Potentials per node and the gradient / loop split of net flow per pair.

    Pair arrays (``pair_i``, ``pair_j``, ``net_flow``, ``gradient``, ``loop``) have ``pair_i <
    pair_j`` and signs relative to ``i → j``; node arrays are aligned with ``nodes``.
    ``residual`` is ``‖Lφ − Bᵀf‖ / ‖Bᵀf‖``.
    """

    nodes: tuple[Any, ...]
    potential: np.ndarray
    net_outflow: np.ndarray
    component: np.ndarray
    pair_i: np.ndarray
    pair_j: np.ndarray
    net_flow: np.ndarray
    gradient: np.ndarray
    loop: np.ndarray
    loop_share: float
    gradient_share: float
    solver: str
    iterations: int
    residual: float
    node_names: tuple[str, ...] | None = None

    def _names(self) -> list[str]:
        return list(self.node_names) if self.node_names is not None else [str(v) for v in self.nodes]

    def to_frame(self) -> pd.DataFrame:
        """The node ranking: one row per node, highest potential (furthest upstream) first."""
        order = np.argsort(-self.potential, kind="stable")
        names = np.asarray(self._names(), dtype=object)
        return pd.DataFrame({"rank": np.arange(1, order.size + 1), "id": [self.nodes[i] for i in order],
                             "name": names[order], "potential": self.potential[order],
                             "net_outflow": self.net_outflow[order], "component": self.component[order]})

    def pairs_frame(self) -> pd.DataFrame:
        """One row per pair, oriented along its net flow: source, target, net flow, gradient and loop parts."""
        flip = self.net_flow < 0
        sign = np.where(flip, -1.0, 1.0)
        names = np.asarray(self._names(), dtype=object)
        src, dst = np.where(flip, self.pair_j, self.pair_i), np.where(flip, self.pair_i, self.pair_j)
        return pd.DataFrame({"source": [self.nodes[i] for i in src], "target": [self.nodes[j] for j in dst],
                             "source_name": names[src], "target_name": names[dst],
                             "net_flow": sign * self.net_flow, "gradient": sign * self.gradient, "loop": sign * self.loop})

    def headline(self) -> dict[str, Any]:
        """Loop share, solver figures, and the three highest and lowest potentials of the largest component."""
        ranked = self.to_frame()
        if len(ranked):  # potentials compare only within a connected component
            ranked = ranked[ranked["component"] == np.bincount(self.component).argmax()]
        return {"loop_share": self.loop_share, "gradient_share": self.gradient_share, "pairs": int(self.pair_i.size),
                "nodes": len(self.nodes), "components": int(np.unique(self.component).size),
                "most_upstream": ranked["name"].head(3).tolist(),
                "most_downstream": ranked["name"].tail(3).iloc[::-1].tolist(),
                "solver": self.solver, "iterations": self.iterations, "residual": self.residual}


def hodge_decomposition(
    flows_or_network: Network | Any,
    *,
    solver: Literal["auto", "direct", "cg"] = "auto",
    tol: float = 1e-10,
    max_iter: int = 10_000,
) -> HodgeResult:
    """Helmholtz–Hodge decomposition of net pair flows (Jiang, Lim, Yao & Ye 2011).

    Solves ``L φ = Bᵀ f`` (mean 0 per component), then ``g = Bφ`` and ``c = f − g``; loop share
    ``‖c‖² / ‖f‖²`` (``nan`` when there is no net flow at all). See the module docstring.

    Parameters
    ----------
    flows_or_network
        A :class:`~dealweb.network.Network`, or a square dense or scipy sparse matrix with
        ``flows[i, j]`` from ``i`` to ``j`` (nodes ``0 … n−1``). Self-loops are ignored.
    solver
        ``"direct"`` (sparse LU), ``"cg"`` (conjugate gradients) or ``"auto"`` (direct up to 5 000 nodes).
    tol
        Relative residual ``‖Lφ − Bᵀf‖ / ‖Bᵀf‖`` at which CG stops.
    max_iter
        Most CG iterations.

    Returns
    -------
    HodgeResult

    Raises
    ------
    ValidationError
        A flow is negative or not finite.
    ValueError
        The matrix is not square or an option is invalid.
    HodgeConvergenceError
        CG did not converge within ``max_iter`` iterations.

    Examples
    --------
    A chain ``0 → 1 → 2`` is all gradient; money flows downhill:

    >>> res = hodge_decomposition([[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    >>> res.potential.round(6).tolist(), round(res.loop_share, 12)
    ([1.0, 0.0, -1.0], 0.0)

    A 3-cycle is all loop, with equal potentials:

    >>> res = hodge_decomposition([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    >>> res.potential.round(6).tolist(), round(res.loop_share, 6)
    ([0.0, 0.0, 0.0], 1.0)
    """
    if solver not in ("auto", "direct", "cg"):
        raise ValueError(f"solver must be 'auto', 'direct' or 'cg', got {solver!r}")
    if not (0 < tol < 1) or max_iter < 1:
        raise ValueError("tol must be in (0, 1) and max_iter ≥ 1")
    net = flows_or_network if isinstance(flows_or_network, Network) else None
    nodes, src, dst, amount = _edges(flows_or_network)
    n = len(nodes)
    pair_i, pair_j, f = _net_pairs(n, src, dst, amount)
    phi, component, used, iterations, residual = _potentials(n, pair_i, pair_j, f, solver=solver, tol=tol,
                                                             max_iter=max_iter)
    g = phi[pair_i] - phi[pair_j]
    c = f - g
    total = float(f @ f)
    share = float(c @ c) / total if total > 0 else float("nan")
    return HodgeResult(
        nodes=nodes, potential=phi, net_outflow=_divergence(n, pair_i, pair_j, f), component=component,
        pair_i=pair_i, pair_j=pair_j, net_flow=f, gradient=g, loop=c, loop_share=share,
        gradient_share=float(g @ g) / total if total > 0 else float("nan"), solver=used,
        iterations=iterations, residual=residual, node_names=net.node_names if net is not None else None,
        network_params=dict(net.params) if net is not None else {},
        undisclosed=net.undisclosed if net is not None else (),
    )


# ------------------------------------------------------------------ kernel


def _net_pairs(n: int, src: np.ndarray, dst: np.ndarray, amount: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unordered pairs ``i < j`` with any flow, and their net flow ``F[i, j] − F[j, i]``."""
    keep = (src != dst) & (amount > 0)
    s, d, w = src[keep].astype(np.int64), dst[keep].astype(np.int64), amount[keep]
    key = np.minimum(s, d) * n + np.maximum(s, d)
    pairs, slot = np.unique(key, return_inverse=True)
    f = np.bincount(slot, weights=np.where(s < d, w, -w), minlength=pairs.size)
    return (pairs // max(n, 1)).astype(np.int64), (pairs % max(n, 1)).astype(np.int64), f


def _divergence(n: int, i: np.ndarray, j: np.ndarray, f: np.ndarray) -> np.ndarray:
    """``Bᵀf``: each node's net outflow over its pairs."""
    return np.bincount(i, weights=f, minlength=n) - np.bincount(j, weights=f, minlength=n)


def _potentials(n: int, i: np.ndarray, j: np.ndarray, f: np.ndarray, *, solver: str, tol: float,
                max_iter: int) -> tuple[np.ndarray, np.ndarray, str, int, float]:
    """Solve ``Lφ = Bᵀf`` with mean-zero ``φ`` per component; return φ, components, solver, iterations, residual."""
    rows, cols = np.concatenate([i, j]), np.concatenate([j, i])
    adjacency = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(n, n))
    degree = np.bincount(rows, minlength=n).astype(np.float64)
    laplacian = (sp.diags_array(degree, format="csr") - adjacency).tocsr()
    b = _divergence(n, i, j, f)
    k, component = connected_components(adjacency, directed=False)
    used = solver if solver != "auto" else ("direct" if n <= _DIRECT_MAX else "cg")
    iterations = 0
    if not np.any(b):
        phi = np.zeros(n)
    elif used == "direct":
        free = np.ones(n, dtype=bool)
        free[np.unique(component, return_index=True)[1]] = False  # ground one node per component
        phi = np.zeros(n)
        reduced = laplacian[free][:, free].tocsc()
        phi[free] = spsolve(reduced, b[free]) if reduced.shape[0] else 0.0
    else:
        inverse_degree = 1.0 / np.maximum(degree, 1.0)
        jacobi = LinearOperator((n, n), matvec=lambda x: inverse_degree * x.ravel(), dtype=np.float64)
        count = [0]

        def tick(_: np.ndarray) -> None:
            count[0] += 1

        phi, info = cg(laplacian, b, rtol=tol, atol=0.0, maxiter=max_iter, M=jacobi, callback=tick)
        iterations = count[0]
        if info != 0:
            raise HodgeConvergenceError(f"conjugate gradients did not reach tol={tol:g} in {max_iter} iterations")
    sizes = np.bincount(component, minlength=k)
    phi = phi - (np.bincount(component, weights=phi, minlength=k) / sizes)[component]
    scale = float(np.linalg.norm(b))
    residual = float(np.linalg.norm(laplacian @ phi - b)) / scale if scale > 0 else 0.0
    return phi, component, used, iterations, residual


# ------------------------------------------------------------------ input checks


def _edges(obj: Any) -> tuple[tuple[Any, ...], np.ndarray, np.ndarray, np.ndarray]:
    """Node ids and edge arrays of a Network or a square matrix, after checking amounts."""
    return edge_arrays(obj)
