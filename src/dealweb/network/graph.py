"""The :class:`Network`: a deal web as numbers, ready for sparse kernels.

A network is a list of directed, weighted edges between integer-indexed nodes, kept as
parallel NumPy arrays (``int32`` indices, ``float64`` amounts) so that it scales to
millions of edges. Edge ``e`` carries ``amount[e]`` USD from node ``src[e]`` to node
``dst[e]``: the direction money (or value) moves, per
:data:`dealweb.model.semantics.SEMANTICS`. Parallel edges (several deals between one
pair) stay separate; :attr:`Network.flows` sums them into an ``n × n`` CSR matrix with
``flows[i, j]`` = total from ``i`` to ``j``.

A network comes from a ledger (:func:`dealweb.project`, which also records which deals
were left out and why) or from any edge list (:meth:`Network.from_edges`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from dealweb.errors import FormatError, Problem, ValidationError

__all__ = ["Network"]


def _empty(dtype: Any) -> np.ndarray:
    return np.empty(0, dtype=dtype)


@dataclass(frozen=True, eq=False)
class Network:
    """Directed, weighted edges between indexed nodes, with what was left out.

    Attributes
    ----------
    nodes
        Node ids; node ``i`` is ``nodes[i]``.
    src, dst, amount
        Edge arrays (``int32``, ``int32``, ``float64``): ``amount[e]`` flows ``src[e] → dst[e]``.
    edge_ids
        Deal id (or user edge id) of each edge, or ``None``.
    edge_kinds
        Deal kind of each edge, or ``None``.
    edge_dates
        Announcement day of each edge (``datetime64[D]``), or ``None``.
    edge_horizons
        Contract term in years (``nan`` when unknown), or ``None``.
    node_names, node_kinds
        Display names and entity kinds, or ``None``.
    undisclosed
        Ids of deals in scope that have no disclosed amount (no edge; every result lists them).
    excluded
        Deal id → why it is not in the network (status, superseded, filtered out, later than ``as_of``).
    params
        The projection's parameters, recorded in every result computed from this network.
    node_data
        Per-node attributes from a node table (outside means, buffers…), indexed by node id in
        node order, or ``None``.
    """

    nodes: tuple[str, ...]
    src: np.ndarray
    dst: np.ndarray
    amount: np.ndarray
    edge_ids: np.ndarray | None = None
    edge_kinds: np.ndarray | None = None
    edge_dates: np.ndarray | None = None
    edge_horizons: np.ndarray | None = None
    node_names: tuple[str, ...] | None = None
    node_kinds: tuple[str, ...] | None = None
    undisclosed: tuple[str, ...] = ()
    excluded: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    node_data: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        m = len(self.src)
        if not (len(self.dst) == len(self.amount) == m):
            raise ValueError("src, dst and amount must have the same length")
        for name in ("edge_ids", "edge_kinds", "edge_dates", "edge_horizons"):
            arr = getattr(self, name)
            if arr is not None and len(arr) != m:
                raise ValueError(f"{name} has {len(arr)} entries for {m} edges")
        if m and (int(self.src.max()) >= len(self.nodes) or int(self.dst.max()) >= len(self.nodes)
                  or int(self.src.min()) < 0 or int(self.dst.min()) < 0):
            raise ValueError("an edge refers to a node index outside 0…len(nodes)−1")
        if m and not (np.isfinite(self.amount).all() and (self.amount >= 0).all()):
            raise ValueError("edge amounts must be finite and non-negative")

    # ------------------------------------------------------------ shape

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        return len(self.src)

    @property
    def gross(self) -> float:
        """Total amount on all edges (the gross volume)."""
        return float(self.amount.sum())

    @cached_property
    def index(self) -> dict[str, int]:
        """Node id → node index."""
        return {node: i for i, node in enumerate(self.nodes)}

    @cached_property
    def flows(self) -> sp.csr_array:
        """``n × n`` CSR matrix, ``flows[i, j]`` = total amount from node ``i`` to node ``j``."""
        n = self.n_nodes
        matrix = sp.coo_array((self.amount, (self.src, self.dst)), shape=(n, n)).tocsr()
        matrix.sum_duplicates()
        return matrix

    def name(self, i: int) -> str:
        """Display name of node ``i`` (its id when there are no names)."""
        return self.node_names[i] if self.node_names is not None else self.nodes[i]

    def to_frame(self) -> pd.DataFrame:
        """One row per edge: source, target, amount and whatever edge data the network has."""
        nodes = np.asarray(self.nodes, dtype=object)
        data: dict[str, Any] = {"source": nodes[self.src], "target": nodes[self.dst], "amount": self.amount}
        for name, column in (("edge_ids", "id"), ("edge_kinds", "kind"), ("edge_dates", "date"),
                             ("edge_horizons", "horizon_years")):
            arr = getattr(self, name)
            if arr is not None:
                data[column] = arr
        return pd.DataFrame(data)

    def __repr__(self) -> str:
        return f"Network({self.n_nodes} nodes, {self.n_edges} edges, gross {self.gross:,.0f})"

    def _repr_html_(self) -> str:
        return (f"<p><b>Network</b>: {self.n_nodes} nodes, {self.n_edges} edges, gross {self.gross:,.0f}; "
                f"{len(self.undisclosed)} deals without amounts, {len(self.excluded)} left out</p>")

    # ------------------------------------------------------------ constructors

    @classmethod
    def from_edges(
        cls,
        edges: pd.DataFrame | str | os.PathLike[str] | Any,
        *,
        source: str = "source",
        target: str = "target",
        amount: str = "amount",
        edge_id: str | None = None,
        nodes: pd.DataFrame | Sequence[str] | str | os.PathLike[str] | None = None,
        node_id: str = "id",
        progress: Any = None,
    ) -> Network:
        """A network from any edge list: a DataFrame, a pyarrow Table, or a CSV or Parquet file.

        Files and Arrow tables go through :mod:`dealweb.network.load`: read in batches, only the
        needed columns, ids matched in Arrow without a Python object per edge, and
        ``progress(rows_done, rows_total)`` called after each batch.

        Parameters
        ----------
        edges
            The edge table, or a path to ``.csv`` / ``.parquet``.
        source, target, amount
            Column names of the payer, the recipient and the amount.
        edge_id
            Optional column of edge ids (kept in :attr:`edge_ids`).
        nodes
            Optional node table (a DataFrame or a Parquet/CSV path with column ``node_id``) or
            list of ids, to fix the node order and include nodes without edges; otherwise nodes
            are the ids seen, in order of first appearance. The table's other columns are kept
            as :attr:`node_data`.

        Raises
        ------
        FormatError
            A column is missing or the file cannot be read.
        ValidationError
            An amount is negative or not a finite number, or an edge names a node that is
            not in ``nodes`` (every offending row is listed, up to 20).

        Examples
        --------
        >>> net = Network.from_edges(pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "amount": [5.0, 3.0]}))
        >>> net.nodes, net.flows.toarray().tolist()
        (('a', 'b'), [[0.0, 5.0], [3.0, 0.0]])
        """
        label = "edges"
        if not isinstance(edges, pd.DataFrame):
            from dealweb.network import load

            options: dict[str, Any] = {"source": source, "target": target, "amount": amount, "edge_id": edge_id,
                                       "nodes": nodes, "node_id": node_id, "progress": progress}
            if isinstance(edges, (str, os.PathLike)):
                return load.read_edges(edges, **options)
            return load.from_arrow(edges, **options)
        node_data = None
        if isinstance(nodes, (str, os.PathLike)) or (isinstance(nodes, pd.DataFrame) and len(nodes.columns) > 1):
            from dealweb.network.load import read_nodes

            nodes, node_data = read_nodes(nodes, node_id)
        missing = [c for c in (source, target, amount, edge_id) if c and c not in edges.columns]
        if missing:
            raise FormatError([Problem(label, c, "missing_column", f"has no column {c!r}") for c in missing])
        values = pd.to_numeric(edges[amount], errors="coerce").to_numpy(dtype="float64")
        bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
        if bad.size:
            raise ValidationError([
                Problem(f"{label} row {int(r) + 2}", amount, "amount",
                        f"{_show(edges[amount].iloc[r])} is not a non-negative finite number") for r in bad[:20]])
        src_ids = edges[source].astype(str).to_numpy()
        dst_ids = edges[target].astype(str).to_numpy()
        if nodes is not None:
            node_ids = [str(x) for x in (nodes[node_id] if isinstance(nodes, pd.DataFrame) else nodes)]
            lookup = pd.Index(node_ids)
            src = lookup.get_indexer(pd.Index(src_ids))
            dst = lookup.get_indexer(pd.Index(dst_ids))
            unknown = np.flatnonzero((src < 0) | (dst < 0))
            if unknown.size:
                raise ValidationError([
                    Problem(f"{label} row {int(r) + 2}", source if src[r] < 0 else target, "unknown_node",
                            f"{(src_ids if src[r] < 0 else dst_ids)[r]!r} is not in the node table") for r in unknown[:20]])
        else:
            codes, uniques = pd.factorize(np.concatenate([src_ids, dst_ids]))
            node_ids = [str(u) for u in uniques]
            src, dst = codes[: len(src_ids)], codes[len(src_ids):]
        ids = edges[edge_id].astype(str).to_numpy(dtype=object) if edge_id else None
        return cls(tuple(node_ids), src.astype(np.int32), dst.astype(np.int32), values, edge_ids=ids,
                   params={"source": label}, node_data=node_data)

    @classmethod
    def from_query(cls, sql: str, *, connection: Any = None, source: str = "source", target: str = "target",
                   amount: str = "amount", edge_id: str | None = None, nodes: Any = None,
                   node_id: str = "id") -> Network:
        """A network from a SQL query run by DuckDB over Parquet/CSV files or a connection's tables.

        See :func:`dealweb.network.load.from_query` (needs ``dealweb[duckdb]``).
        """
        from dealweb.network.load import from_query

        return from_query(sql, connection=connection, source=source, target=target, amount=amount,
                          edge_id=edge_id, nodes=nodes, node_id=node_id)

    @classmethod
    def from_matrix(cls, flows: Any, nodes: Sequence[str] | None = None) -> Network:
        """A network from a square matrix (dense or sparse) of flows, ``flows[i, j]`` from ``i`` to ``j``.

        >>> Network.from_matrix([[0, 2], [1, 0]]).gross
        3.0
        """
        matrix = sp.coo_array(sp.csr_array(flows))
        n = matrix.shape[0]
        if matrix.shape != (n, n):
            raise ValueError(f"flows must be square, got {matrix.shape}")
        keep = matrix.data != 0
        names = tuple(nodes) if nodes is not None else tuple(str(i) for i in range(n))
        if len(names) != n:
            raise ValueError(f"{len(names)} node ids for a {n}×{n} matrix")
        return cls(names, matrix.row[keep].astype(np.int32), matrix.col[keep].astype(np.int32),
                   matrix.data[keep].astype(np.float64))


def _show(value: Any) -> str:
    """A cell value as a user typed it: ``-2.0``, ``'abc'``."""
    return repr(value.item() if isinstance(value, np.generic) else value)
