"""A network at a glance: size, volume, components, reciprocity, the largest strongly connected part.

What a user wants to see first after loading someone else's network (``dealweb load-network``):
whether it is one web or many islands, how much of it could be circular at all (money can only
go round inside a strongly connected component), and how often a payment is answered by one
in the other direction. Everything is one or two sparse passes (SciPy's ``connected_components``).

Examples
--------
>>> from dealweb.network import Network
>>> net = Network.from_matrix([[0, 2, 0, 0], [1, 0, 3, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
>>> s = network_stats(net)
>>> s.components, s.largest_scc_nodes, s.largest_scc_edges, s.reciprocity
(2, 2, 2, 0.6666666666666666)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from dealweb.network.graph import Network
from dealweb.network.results import Result

__all__ = ["NetworkStats", "network_stats"]


@dataclass(frozen=True, kw_only=True)
class NetworkStats(Result):
    """Summary numbers of a :class:`Network`.

    Attributes
    ----------
    nodes, edges
        Counts (parallel edges count separately; self-loops included).
    gross
        Total amount on all edges.
    components
        Weakly connected components (isolated nodes count as one each).
    largest_component_nodes
        Nodes in the largest weakly connected component.
    strong_components
        Strongly connected components with at least two nodes (where money can go round).
    largest_scc_nodes, largest_scc_edges
        Nodes and distinct directed pairs inside the largest strongly connected component.
    edges_in_sccs
        Distinct directed pairs (no self-loops) with both ends in the same strong component.
    reciprocity
        Share of distinct directed pairs ``i → j`` (``i ≠ j``) whose reverse ``j → i`` also exists.
    node_attributes
        Columns of the node table kept as :attr:`Network.node_data`.
    """

    nodes: int
    edges: int
    gross: float
    components: int
    largest_component_nodes: int
    strong_components: int
    largest_scc_nodes: int
    largest_scc_edges: int
    edges_in_sccs: int
    reciprocity: float
    node_attributes: tuple[str, ...] = ()

    def headline(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "edges": self.edges, "gross": self.gross, "components": self.components,
                "largest_component_nodes": self.largest_component_nodes, "strong_components": self.strong_components,
                "largest_scc_nodes": self.largest_scc_nodes, "largest_scc_edges": self.largest_scc_edges,
                "edges_in_sccs": self.edges_in_sccs, "reciprocity": self.reciprocity,
                "node_attributes": list(self.node_attributes)}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"measure": k, "value": v} for k, v in self.headline().items()])


def network_stats(net: Network) -> NetworkStats:
    """Size, volume, weak and strong components and reciprocity of ``net`` (module docstring)."""
    n = net.n_nodes
    keep = net.src != net.dst
    pattern = sp.csr_array((np.ones(int(keep.sum()), dtype=np.int8), (net.src[keep], net.dst[keep])), shape=(n, n))
    pattern.sum_duplicates()
    pattern.data[:] = 1
    weak, weak_labels = connected_components(pattern, directed=True, connection="weak")
    _, strong_labels = connected_components(pattern, directed=True, connection="strong")
    sizes = np.bincount(strong_labels, minlength=1) if n else np.zeros(1, np.int64)
    coo = pattern.tocoo()
    rows, cols = coo.row, coo.col
    inside = strong_labels[rows] == strong_labels[cols] if n else np.zeros(0, bool)
    big = int(np.argmax(sizes)) if n else -1
    mutual = int((pattern.multiply(pattern.T)).nnz)
    return NetworkStats(
        nodes=n, edges=net.n_edges, gross=net.gross, components=int(weak),
        largest_component_nodes=int(np.bincount(weak_labels).max()) if n else 0,
        strong_components=int((sizes >= 2).sum()), largest_scc_nodes=int(sizes.max()) if n and sizes.max() >= 2 else 0,
        largest_scc_edges=int((inside & (strong_labels[rows] == big)).sum()) if n and sizes.max() >= 2 else 0,
        edges_in_sccs=int(inside.sum()), reciprocity=mutual / pattern.nnz if pattern.nnz else 0.0,
        node_attributes=tuple(str(c) for c in net.node_data.columns) if net.node_data is not None else (),
        network_params=dict(net.params), undisclosed=net.undisclosed)
