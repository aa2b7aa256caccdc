"""Maximum circulation on Spark: strongly connected components, then one single-machine solve per component.

The circulation problem (:mod:`dealweb.circularity.circulation`; Fleischman & Dini 2021,
doi:10.3390/jrfm14090452) is block diagonal by strongly connected component: every cycle lies
inside one SCC, so edges between SCCs carry no circular money. Here

1. :func:`~dealweb.spark.scc.scc_spark` labels the SCCs;
2. the edges inside an SCC are grouped by component (``groupBy(component).applyInPandas``) and
   each group is solved by the single-machine :func:`~dealweb.circularity.max_circulation`
   (OR-Tools min-cost flow) on an executor;
3. the per-edge circular amounts come back as a DataFrame and their sum is the circular volume.

Amounts are rounded down to multiples of ``1 / scale`` as in the single-machine solver, with the
*same* scale (the default is computed from the total volume inside SCCs, over all components),
so the circular volume equals ``max_circulation(network).circular_volume`` up to the order of the
floating-point sums. Each component's solve also returns its certified dual gap (the LP-duality
bound of :mod:`dealweb.circularity.circulation`); the gaps add up over components, because the
problem is block diagonal, into ``gap_bound`` and ``upper_bound = circular_volume + gap_bound``.
A component must fit in one executor's memory; the largest one usually holds most of the edges of a
payment network (see docs/scale.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dealweb.network.results import Result
from dealweb.spark._session import session
from dealweb.spark.scc import SccResult, scc_spark

__all__ = ["SparkCirculation", "max_circulation_spark"]

_DEFAULT_LIMIT = 2.0**53  # as dealweb.circularity.circulation: the rounded volume in cycles stays exact


@dataclass(frozen=True, kw_only=True, eq=False)
class SparkCirculation(Result):
    """Circular volume and index of an edge DataFrame; ``edges`` is a DataFrame with a ``circular`` column."""

    gross: float
    circular_volume: float
    residual_volume: float
    circularity_index: float
    rounding_error: float
    scale: float
    edges_in_cycles: int
    components: int
    largest_component_edges: int
    edges: Any
    scc: SccResult

    @property
    def gap_bound(self) -> float:
        """Certified bound on how far ``circular_volume`` is below the exact maximum (the per-component gaps' sum)."""
        return self.rounding_error

    @property
    def upper_bound(self) -> float:
        """The exact maximum circulation is at most this."""
        return self.circular_volume + self.rounding_error

    def headline(self) -> dict[str, Any]:
        return {"circularity_index": self.circularity_index, "gross": self.gross,
                "circular_volume": self.circular_volume, "residual_volume": self.residual_volume,
                "edges_in_cycles": self.edges_in_cycles, "components": self.components,
                "largest_component_edges": self.largest_component_edges, "scale": self.scale,
                "rounding_error": self.rounding_error, "gap_bound": self.gap_bound, "upper_bound": self.upper_bound,
                "backend": "spark"}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"measure": k, "value": v} for k, v in self.headline().items()])


def max_circulation_spark(edges: Any, *, n: int, spark: Any = None, scale: float | None = None,
                          scc: SccResult | None = None, local_edges: int = 100_000) -> SparkCirculation:
    """Maximum circulation of the edge DataFrame ``(src, dst, amount)`` over nodes ``0 … n−1`` (module docstring).

    Parallel edges stay separate, as in :func:`~dealweb.circularity.max_circulation` on a network;
    self-loops are ignored. ``scc`` reuses components already computed; ``local_edges`` is passed to
    :func:`~dealweb.spark.scc.scc_spark`.
    """
    spark = session(spark)
    from pyspark.sql import functions as F

    live = edges.where((F.col("src") != F.col("dst")) & (F.col("amount") > 0))
    scc = scc if scc is not None else scc_spark(live, n=n, spark=spark, local_edges=local_edges)
    labels = scc.labels
    multi = np.flatnonzero(scc.sizes >= 2)
    comp = spark.createDataFrame(pd.DataFrame({"id": multi.astype(np.int32), "comp": labels[multi].astype(np.int64)}),
                                 schema="id int, comp long")
    inside = (live.join(comp.withColumnRenamed("id", "src").withColumnRenamed("comp", "cs"), "src")
              .join(comp.withColumnRenamed("id", "dst").withColumnRenamed("comp", "cd"), "dst")
              .where(F.col("cs") == F.col("cd")).select(F.col("cs").alias("comp"), "src", "dst", "amount")
              .localCheckpoint(eager=True))
    totals = inside.agg(F.sum("amount").alias("w"), F.count(F.lit(1)).alias("m")).first()
    gross_row = live.agg(F.sum("amount").alias("g")).first()
    gross = float(gross_row["g"] or 0.0)
    total, m_in = float(totals["w"] or 0.0), int(totals["m"] or 0)
    if scale is None:
        scale = 10.0 ** min(math.floor(math.log10(_DEFAULT_LIMIT) - math.log10(total)), 300) if total > 0 else 1.0
    solved = inside.groupBy("comp").applyInPandas(_solver(float(scale)),
                                                  "comp long, src int, dst int, amount double, circular double, "
                                                  "error double").localCheckpoint(eager=True)
    sums = solved.agg(F.sum("circular").alias("c"), F.sum("error").alias("err")).first()
    sizes = inside.groupBy("comp").count().agg(F.count(F.lit(1)).alias("k"), F.max("count").alias("big")).first()
    volume = float(sums["c"] or 0.0)
    return SparkCirculation(
        gross=gross, circular_volume=volume, residual_volume=gross - volume,
        circularity_index=min(volume / gross, 1.0) if gross > 0 else 0.0, rounding_error=float(sums["err"] or 0.0),
        scale=float(scale), edges_in_cycles=m_in, components=int(sizes["k"] or 0),
        largest_component_edges=int(sizes["big"] or 0), edges=solved.drop("error"), scc=scc)


def _solver(scale: float) -> Any:
    """The per-component function run on the executors (a closure over the common scale)."""

    def solve(pdf: pd.DataFrame) -> pd.DataFrame:
        from dealweb.circularity.circulation import max_circulation
        from dealweb.network.graph import Network

        src = pdf["src"].to_numpy(dtype=np.int64)
        dst = pdf["dst"].to_numpy(dtype=np.int64)
        used, codes = np.unique(np.concatenate([src, dst]), return_inverse=True)
        k = src.size
        net = Network(tuple(str(i) for i in used), codes[:k].astype(np.int32), codes[k:].astype(np.int32),
                      pdf["amount"].to_numpy(dtype=np.float64))
        res = max_circulation(net, scale=scale)
        out = pdf[["comp", "src", "dst", "amount"]].copy()
        out["circular"] = res.circular
        out["error"] = 0.0
        if len(out):
            out.loc[out.index[0], "error"] = res.rounding_error
        return out

    return solve
