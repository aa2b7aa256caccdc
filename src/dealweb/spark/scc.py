"""Strongly connected components of an edge DataFrame: trimming, then forward–backward colouring.

Money can only go round inside a strongly connected component (SCC), so the SCCs prune what
cannot be circular before the maximum circulation is solved (:mod:`dealweb.spark.circulation`).

Algorithm (the colouring algorithm of Orzan, *On distributed verification and verified
distribution*, PhD thesis, VU Amsterdam 2004; Slota, Rajamanickam & Madduri, IPDPS 2014,
doi:10.1109/IPDPS.2014.64, for its use on large graphs), in outer rounds over the edges still
undecided:

1. **Trim.** A node with no in-edge or no out-edge among the undecided nodes is an SCC on its
   own; remove it, and repeat (up to ``trim_passes`` times per round). On payment networks most
   one-sided firms go here.
2. **Colour forward.** Every node starts with its own index as colour; a node takes the smallest
   colour among its in-neighbours until nothing changes (min-label propagation along edges).
   Afterwards ``colour(v)`` is the smallest index that reaches ``v``, and every SCC lies inside
   one colour class. Edges between colour classes are dropped for good.
3. **Search backward.** From each root (``colour(v) = v``) walk edges backward inside its class;
   what the walk reaches is the root's SCC, labelled with the root's index, which is also the
   smallest index in the SCC. Those nodes are decided.

Each propagation step is one pass over the remaining edges: the step's frontier (nodes whose
colour changed, or that were just reached) is joined to the edges and only the per-node minimum
(or the reached sources) comes back to the driver, which keeps the ``n`` labels. The edge frame is
rebuilt and checkpointed (``localCheckpoint``) once per outer round, so the query plan does not
grow with the iterations. When at most ``local_edges`` edges remain they are collected and
finished with SciPy (``connected_components(connection="strong")``); ``local_edges=0`` keeps
everything on Spark.

Labels are canonical: each node gets the smallest node index of its SCC, so two runs (or SciPy's
labels mapped the same way) compare with ``==``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from dealweb.network.results import Result
from dealweb.spark._session import session

__all__ = ["SccResult", "canonical_labels", "scc_spark"]


@dataclass(frozen=True, kw_only=True)
class SccResult(Result):
    """Strongly connected components: ``labels[i]`` is the smallest node index in ``i``'s SCC."""

    labels: np.ndarray
    rounds: int
    edge_passes: int
    local_finish_edges: int

    @property
    def sizes(self) -> np.ndarray:
        """Size of each node's SCC."""
        sizes: np.ndarray = np.bincount(self.labels, minlength=self.labels.size)[self.labels]
        return sizes

    def headline(self) -> dict[str, Any]:
        counts = np.bincount(self.labels, minlength=self.labels.size)
        return {"nodes": int(self.labels.size), "components": int((counts > 0).sum()),
                "nontrivial_components": int((counts >= 2).sum()), "largest": int(counts.max(initial=0)),
                "rounds": self.rounds, "edge_passes": self.edge_passes, "local_finish_edges": self.local_finish_edges}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"node": np.arange(self.labels.size), "scc": self.labels, "size": self.sizes})


def canonical_labels(labels: np.ndarray) -> np.ndarray:
    """Relabel components by their smallest member: ``out[i] = min{j : labels[j] == labels[i]}``.

    >>> canonical_labels(np.array([5, 3, 5, 3])).tolist()
    [0, 1, 0, 1]
    """
    labels = np.asarray(labels)
    first = np.full(int(labels.max(initial=-1)) + 1, labels.size, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(labels.size))
    out: np.ndarray = first[labels]
    return out


def scc_spark(edges: Any, *, n: int, spark: Any = None, trim_passes: int = 3, local_edges: int = 100_000,
              max_rounds: int = 10_000) -> SccResult:
    """Strongly connected components of the edge DataFrame ``(src, dst, …)`` over nodes ``0 … n−1`` (module docstring)."""
    spark = session(spark)
    from pyspark.sql import functions as F

    labels = np.arange(n, dtype=np.int64)
    decided = np.zeros(n, dtype=bool)
    live = (edges.where(F.col("src") != F.col("dst")).select("src", "dst").distinct().localCheckpoint(eager=True))
    passes = 0
    for rounds in range(1, max_rounds + 1):
        count = live.count()
        passes += 1
        if count == 0:
            return SccResult(labels=labels, rounds=rounds - 1, edge_passes=passes, local_finish_edges=0)
        if count <= local_edges:
            _finish_locally(live.toPandas(), labels, decided)
            return SccResult(labels=labels, rounds=rounds - 1, edge_passes=passes + 1, local_finish_edges=int(count))
        live, used = _trim(spark, live, decided, trim_passes)
        passes += used
        colour, used = _colour(spark, live, n, decided)
        passes += used
        same = (live.join(_broadcast(_ids(spark, colour, "src", "cs")), "src")
                .join(_broadcast(_ids(spark, colour, "dst", "cd")), "dst"))
        same = same.where(F.col("cs") == F.col("cd")).select("src", "dst").localCheckpoint(eager=True)
        reached, used = _backward(spark, same, colour, decided)
        passes += used + 1
        labels[reached] = colour[reached]
        decided[reached] = True
        undecided = np.flatnonzero(~decided)
        keep = _frame(spark, undecided)
        live = (same.join(_broadcast(keep.withColumnRenamed("id", "src")), "src")
                .join(_broadcast(keep.withColumnRenamed("id", "dst")), "dst").localCheckpoint(eager=True))
    raise RuntimeError(f"SCC colouring did not finish within {max_rounds} rounds")


def _frame(spark: Any, ids: np.ndarray, **columns: np.ndarray) -> Any:
    data: dict[str, Any] = {"id": np.asarray(ids, dtype=np.int32)}
    data.update({k: np.asarray(v, dtype=np.int64) for k, v in columns.items()})
    schema = ", ".join(["id int", *(f"{k} long" for k in columns)])  # explicit: the frame may be empty
    return spark.createDataFrame(pd.DataFrame(data), schema=schema)


def _broadcast(frame: Any) -> Any:
    """Hint Spark to ship a node frame to every task instead of shuffling the edges to it."""
    from pyspark.sql import functions as F

    return F.broadcast(frame)


def _ids(spark: Any, colour: np.ndarray, key: str, name: str) -> Any:
    """``(key, name)`` = (node, colour) for the nodes with a colour (``colour ≥ 0``)."""
    have = np.flatnonzero(colour >= 0)
    return _frame(spark, have, c=colour[have]).withColumnRenamed("id", key).withColumnRenamed("c", name)


def _trim(spark: Any, live: Any, decided: np.ndarray, passes: int) -> tuple[Any, int]:
    """Drop nodes with no in- or no out-edge among the live edges (each is an SCC on its own)."""

    used = 0
    for _ in range(passes):
        outs = live.select("src").distinct().toPandas()["src"].to_numpy(dtype=np.int64)
        ins = live.select("dst").distinct().toPandas()["dst"].to_numpy(dtype=np.int64)
        used += 2
        both = np.intersect1d(outs, ins)
        gone = np.setdiff1d(np.union1d(outs, ins), both)
        if gone.size == 0:
            break
        decided[gone] = True  # labels stay their own index
        keep = _frame(spark, both)
        live = (live.join(_broadcast(keep.withColumnRenamed("id", "src")), "src")
                .join(_broadcast(keep.withColumnRenamed("id", "dst")), "dst").localCheckpoint(eager=True))
    return live, used


def _colour(spark: Any, live: Any, n: int, decided: np.ndarray) -> tuple[np.ndarray, int]:
    """Forward min-label propagation over the live edges; ``-1`` for decided nodes."""
    from pyspark.sql import functions as F

    colour = np.where(decided, -1, np.arange(n, dtype=np.int64))
    frontier = np.flatnonzero(~decided)
    used = 0
    while frontier.size:
        sent = _frame(spark, frontier, c=colour[frontier]).withColumnRenamed("id", "src")
        best = live.join(F.broadcast(sent), "src").groupBy("dst").agg(F.min("c").alias("m")).toPandas()
        used += 1
        dst = best["dst"].to_numpy(dtype=np.int64)
        m = best["m"].to_numpy(dtype=np.int64)
        lower = m < colour[dst]
        colour[dst[lower]] = m[lower]
        frontier = dst[lower]
    return colour, used


def _backward(spark: Any, same: Any, colour: np.ndarray, decided: np.ndarray) -> tuple[np.ndarray, int]:
    """From every root (``colour[v] == v``), walk same-colour edges backward; the nodes reached."""

    reached = np.zeros(colour.size, dtype=bool)
    frontier = np.flatnonzero((colour == np.arange(colour.size)) & ~decided)
    reached[frontier] = True
    used = 0
    while frontier.size:
        sent = _frame(spark, frontier).withColumnRenamed("id", "dst")
        found = same.join(_broadcast(sent), "dst").select("src").distinct().toPandas()["src"].to_numpy(dtype=np.int64)
        used += 1
        frontier = found[~reached[found]]
        reached[frontier] = True
    return np.flatnonzero(reached), used


def _finish_locally(rest: pd.DataFrame, labels: np.ndarray, decided: np.ndarray) -> None:
    """The last few edges: SciPy's strong components on the undecided nodes, canonically labelled."""
    nodes = np.flatnonzero(~decided)
    src = np.searchsorted(nodes, rest["src"].to_numpy(dtype=np.int64))
    dst = np.searchsorted(nodes, rest["dst"].to_numpy(dtype=np.int64))
    k = nodes.size
    graph = sp.csr_array((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(k, k))
    _, local = connected_components(graph, directed=True, connection="strong")
    labels[nodes] = nodes[canonical_labels(np.asarray(local))]
    decided[nodes] = True
