"""The Spark backend: the same measures with the edges in a Spark DataFrame (``pip install 'dealweb[spark]'``).

For networks past one machine (national payment and trade-credit networks, ownership registers),
on a Spark cluster you already have. Importing this package does not import pyspark; each function
does, and raises :class:`SparkUnavailableError` (a :class:`~dealweb.errors.MissingDependencyError`)
when pyspark or Java is missing. GraphFrames is not needed.

====================================== ======================================================
:func:`edges_frame`                    a Network or Parquet edge list as ``(src, dst, amount)``
:func:`eisenberg_noe_spark`            clearing payments (FDA, exact; or Picard)
:func:`debtrank_spark`                 DebtRank (Battiston et al. 2012)
:func:`threshold_cascade_spark`        Furfine default cascade
:func:`scc_spark`                      strongly connected components (trim + colouring)
:func:`max_circulation_spark`          maximum circulation, one single-machine solve per SCC
:func:`monte_carlo_spark`              Monte Carlo clearing, runs fanned out over workers
====================================== ======================================================

Results are the single-machine result types (``ContagionResult``) or small ones with
``headline()`` / ``to_frame()``, and equal the single-machine numbers up to the order of
floating-point sums. See docs/scale.md for running on a cluster.
"""

from __future__ import annotations

from dealweb.spark._session import SparkUnavailableError, local_session, require_spark
from dealweb.spark.circulation import SparkCirculation, max_circulation_spark
from dealweb.spark.contagion import debtrank_spark, eisenberg_noe_spark, threshold_cascade_spark
from dealweb.spark.frames import edges_frame, node_frame, to_vector
from dealweb.spark.montecarlo import NetworkMonteCarlo, draw_outside_means, monte_carlo_clearing, monte_carlo_spark
from dealweb.spark.scc import SccResult, canonical_labels, scc_spark

__all__ = [
    "NetworkMonteCarlo",
    "SccResult",
    "SparkCirculation",
    "SparkUnavailableError",
    "canonical_labels",
    "debtrank_spark",
    "draw_outside_means",
    "edges_frame",
    "eisenberg_noe_spark",
    "local_session",
    "max_circulation_spark",
    "monte_carlo_clearing",
    "monte_carlo_spark",
    "node_frame",
    "require_spark",
    "scc_spark",
    "threshold_cascade_spark",
    "to_vector",
]
