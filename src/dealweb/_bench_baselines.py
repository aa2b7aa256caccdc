"""Reference computations that :mod:`dealweb.bench` times next to each circularity measure.

Each baseline is the straightforward way to get the same number with standard tools, written
without the tricks the measure uses, so the benchmark shows what the measure's design buys.
They take a :class:`~dealweb.network.Network`, ignore self-loops like every measure, and
return a small dict of JSON-ready numbers whose keys match the measure's ``headline()`` where
the quantity is the same.

- :func:`nx_cycles` — simple cycles with networkx's ``simple_cycles(G, length_bound=L)``
  (Gupta & Suzumura, *Finding all bounded-length simple cycles in a directed graph*, 2021,
  arXiv:2105.10094), counted one by one in Python.
- :func:`finn_direct` — Finn's cycling index (Finn 1976, *Measures of ecosystem structure and
  function derived from analysis of flows*, J. Theor. Biol. 56:363–380,
  doi:10.1016/S0022-5193(76)80080-X) from the diagonal of ``N = (I − G)⁻¹``, by a dense
  inverse or, past :data:`DENSE_NODES` nodes, a sparse LU factorisation solved for every
  unit vector.
- :func:`hodge_lsqr` — the gradient/loop split of the Helmholtz–Hodge decomposition (Jiang,
  Lim, Yao & Ye 2011, *Statistical ranking and combinatorial Hodge theory*, Math. Program.
  127:203–244, doi:10.1007/s10107-010-0419-x): ``φ = argmin ‖Bφ − f‖₂`` with SciPy's
  ``lsqr`` on the incidence matrix (dense ``lstsq`` up to :data:`DENSE_ENTRIES` entries).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from dealweb.network.graph import Network

__all__ = ["DENSE_ENTRIES", "DENSE_NODES", "finn_direct", "hodge_lsqr", "nx_cycles"]

#: Largest node count for a dense inverse in :func:`finn_direct` (12 000² doubles are 1.2 GB; the
#: inverse needs about three such matrices at once).
DENSE_NODES = 12_000
#: Largest incidence matrix (pairs × nodes) that :func:`hodge_lsqr` solves densely.
DENSE_ENTRIES = 1_000_000


def _flows(net: Network) -> sp.csr_array:
    """Summed flows without self-loops."""
    flows = sp.csr_array(net.flows, copy=True)
    flows.setdiag(0)
    flows.eliminate_zeros()
    return flows


def nx_cycles(net: Network, *, max_length: int = 6) -> dict[str, Any]:
    """Count the simple cycles of 2 to ``max_length`` hops with networkx.

    Parallel deals between one pair are one hop, as in any simple digraph.

    >>> nx_cycles(Network.from_matrix([[0, 1, 0], [1, 0, 1], [1, 0, 0]]))
    {'cycles': 2, 'by_length': {2: 1, 3: 1}}
    """
    flows = sp.coo_array(_flows(net))
    graph = nx.DiGraph()
    graph.add_nodes_from(range(net.n_nodes))
    graph.add_edges_from(zip(flows.row.tolist(), flows.col.tolist(), strict=True))
    by_length: dict[int, int] = {}
    for cycle in nx.simple_cycles(graph, length_bound=max_length):
        by_length[len(cycle)] = by_length.get(len(cycle), 0) + 1
    return {"cycles": sum(by_length.values()), "by_length": dict(sorted(by_length.items()))}


def _throughflow(flows: sp.csr_array) -> np.ndarray:
    # The network is closed the way enaR's balance step assumes: a node's throughflow is the larger
    # of its inflow and outflow; the difference enters or leaves across the boundary.
    inflow = np.asarray(flows.sum(axis=0)).ravel()
    outflow = np.asarray(flows.sum(axis=1)).ravel()
    throughflow: np.ndarray = np.maximum(inflow, outflow)
    return throughflow


def finn_direct(net: Network) -> dict[str, Any]:
    """Finn cycling index ``FCI = Σ_i ((n_ii − 1)/n_ii)·T_i / Σ_i T_i`` with ``N = (I − G)⁻¹``.

    ``G[i, j] = f_ij / T_i`` (the share of ``i``'s throughflow going to ``j``) and
    ``T_i = max(inflow_i, outflow_i)``; input- and output-oriented ``N`` are similar matrices,
    so their diagonals agree. A node without throughflow has ``n_ii = 1``.

    Two nodes paying 1 and 2 to each other: ``T = (2, 2)``, ``G = [[0, ½], [1, 0]]``,
    ``N = [[2, 1], [2, 2]]``, so ``FCI = (½·2 + ½·2) / 4``:

    >>> finn_direct(Network.from_matrix([[0, 1], [2, 0]]))["fci"]
    0.5
    """
    flows = _flows(net)
    throughflow = _throughflow(flows)
    n = net.n_nodes
    with np.errstate(divide="ignore"):
        inv_t = np.where(throughflow > 0, 1.0 / throughflow, 0.0)
    g = sp.diags_array(inv_t) @ flows
    system = sp.eye_array(n, format="csc") - sp.csc_array(g)
    if n <= DENSE_NODES:
        method = "dense inverse"
        diag = np.diag(np.linalg.inv(system.toarray()))
    else:
        method = "sparse LU, one solve per node"
        lu = spla.splu(system)
        diag = np.empty(n)
        block = 256
        for start in range(0, n, block):
            stop = min(start + block, n)
            unit = np.zeros((n, stop - start))
            unit[np.arange(start, stop), np.arange(stop - start)] = 1.0
            diag[start:stop] = lu.solve(unit)[np.arange(start, stop), np.arange(stop - start)]
    total = float(throughflow.sum())
    cycled = float(((diag - 1.0) / diag * throughflow).sum())
    return {"fci": cycled / total if total else 0.0, "tst": total, "method": method}


def hodge_lsqr(net: Network, *, tol: float = 1e-10) -> dict[str, Any]:
    """Split the net flow on each linked pair into a gradient part and a loop part.

    ``f_e = F_ij − F_ji`` on each pair ``i < j`` with a flow either way; ``B`` is the pair–node
    incidence matrix (``(Bφ)_e = φ_j − φ_i``); ``φ = argmin ‖Bφ − f‖₂``; the loop share is
    ``‖f − Bφ‖² / ‖f‖²``.

    >>> hodge_lsqr(Network.from_matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]]))["loop_share"]  # a pure cycle
    1.0
    """
    flows = _flows(net)
    upper = sp.coo_array(sp.triu(flows - flows.T, k=1))
    both = sp.coo_array(sp.triu(flows + flows.T, k=1))  # pairs linked either way, even if they net to zero
    m, n = both.nnz, net.n_nodes
    f = np.asarray(sp.csr_array(upper)[both.row, both.col]).ravel()
    rows = np.repeat(np.arange(m), 2)
    cols = np.column_stack([both.row, both.col]).ravel()
    incidence = sp.csr_array((np.tile([-1.0, 1.0], m), (rows, cols)), shape=(m, n))
    if m * n <= DENSE_ENTRIES:
        method, iterations = "dense lstsq", 0
        phi = np.linalg.lstsq(incidence.toarray(), f, rcond=None)[0]
    else:
        method = "scipy lsqr"
        out = spla.lsqr(incidence, f, atol=tol, btol=tol, iter_lim=max(10 * n, 1000))
        phi, iterations = out[0], int(out[2])
    gradient = incidence @ phi
    total = float(f @ f)
    loop = float((f - gradient) @ (f - gradient))
    method += f", {iterations} iterations" if iterations else ""
    return {"loop_share": round(loop / total, 12) if total else 0.0, "pairs": m, "method": method}
