"""Monte Carlo clearing of a large network, on one machine or fanned out over Spark workers.

Each run draws every node's outside means as ``e_i · U_i`` with ``U_i`` uniform on
``[low, high]`` (a system-wide revenue shock of random depth per firm) and clears the network
by Eisenberg–Noe (pari passu; :func:`~dealweb.contagion.clearing_batch`, runs as columns).

Run ``r`` draws its factors from ``numpy.random.default_rng([seed, r])``: every run has its own
stream, so the draws do not depend on how runs are grouped. The batched kernel clears runs as
columns, and its floating-point sums can round differently in the last bit when a run is cleared
beside other runs; so runs are always cleared in the same fixed blocks of run numbers
(``r // 32``), whoever clears them. :func:`monte_carlo_clearing` clears the blocks in one
process; :func:`monte_carlo_spark` gives each Spark partition whole blocks
(``spark.range(blocks).mapInPandas``), ships the network once per executor as a broadcast
variable, and runs the same kernel on its share. Same seed, same numbers: per-run totals and
failures equal bit for bit however the runs are partitioned; per-node means are sums over runs
added in whatever order Spark combines partitions, so they agree to a relative 1e-12 (the
tolerance docs/scale.md states and the tests use). Changing ``runs`` changes the last block's
members, so a run's total may then move in the last bit.

Examples
--------
>>> import numpy as np
>>> src, dst, amount = np.array([0, 1, 2]), np.array([1, 2, 0]), np.array([10.0, 10.0, 10.0])
>>> res = monte_carlo_clearing(src, dst, amount, np.array([1.0, 1.0, 1.0]), runs=4, seed=7, low=0.0, high=1.0)
>>> res.total_loss.shape, bool((res.total_loss == 0).all())   # a closed ring pays itself whatever the shock
((4,), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dealweb.contagion.batch import clearing_batch
from dealweb.network.results import Result
from dealweb.spark._session import session

__all__ = ["NetworkMonteCarlo", "draw_outside_means", "monte_carlo_clearing", "monte_carlo_spark"]

_CHUNK = 32


@dataclass(frozen=True, kw_only=True)
class NetworkMonteCarlo(Result):
    """Per run: total loss and number of failures; per node: mean loss and failure probability."""

    total_loss: np.ndarray
    failures: np.ndarray
    mean_loss: np.ndarray
    p_fail: np.ndarray
    runs: int
    seed: int

    def headline(self) -> dict[str, Any]:
        return {"runs": self.runs, "seed": self.seed, "total_loss_mean": float(self.total_loss.mean()),
                "total_loss_p95": float(np.quantile(self.total_loss, 0.95)),
                "failures_mean": float(self.failures.mean())}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"node": np.arange(self.mean_loss.size), "mean_loss": self.mean_loss, "p_fail": self.p_fail})


def draw_outside_means(e: np.ndarray, first: int, count: int, *, seed: int, low: float, high: float) -> np.ndarray:
    """``(n, count)`` outside means of runs ``first … first+count−1``; run ``r`` uses ``default_rng([seed, r])``."""
    out = np.empty((e.size, count))
    for j in range(count):
        out[:, j] = e * np.random.default_rng([seed, first + j]).uniform(low, high, e.size)
    return out


def _clear_runs(src: np.ndarray, dst: np.ndarray, amount: np.ndarray, e: np.ndarray, runs: np.ndarray, *,
                seed: int, low: float, high: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-run totals and failures, and per-node sums of losses and failures, over the given run numbers."""
    n = e.size
    totals, failures = np.zeros(runs.size), np.zeros(runs.size, dtype=np.int64)
    loss_sum, fail_sum = np.zeros(n), np.zeros(n)
    # Blocks by run number, not by position: a run's batch-mates never depend on who clears it.
    starts = np.flatnonzero(np.diff(runs // _CHUNK, prepend=-1))
    for lo, hi in zip(starts, [*starts[1:], runs.size], strict=True):
        block = runs[lo:hi]
        means = np.column_stack([draw_outside_means(e, int(r), 1, seed=seed, low=low, high=high)[:, 0] for r in block])
        res = clearing_batch(src, dst, amount, means, n=n)
        totals[lo:hi] = res.loss.sum(axis=0)
        failures[lo:hi] = res.failed.sum(axis=0)
        loss_sum += res.loss.sum(axis=1)
        fail_sum += res.failed.sum(axis=1)
    return totals, failures, loss_sum, fail_sum


def _checked(src: Any, dst: Any, amount: Any, e: Any, runs: int, low: float, high: float) -> tuple[np.ndarray, ...]:
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise ValueError(f"runs must be a whole number ≥ 1, got {runs!r}")
    if not 0.0 <= low <= high:
        raise ValueError(f"need 0 ≤ low ≤ high, got {low!r}, {high!r}")
    keep = np.asarray(src) != np.asarray(dst)  # self-loops are no obligation to anyone else
    return (np.asarray(src, np.int64)[keep], np.asarray(dst, np.int64)[keep],
            np.asarray(amount, np.float64)[keep], np.asarray(e, np.float64))


def monte_carlo_clearing(src: Any, dst: Any, amount: Any, external_assets: Any, *, runs: int = 100, seed: int = 0,
                         low: float = 0.5, high: float = 1.0) -> NetworkMonteCarlo:
    """``runs`` Eisenberg–Noe clearings with outside means ``e · U[low, high]`` per node and run (module docstring)."""
    s, d, a, e = _checked(src, dst, amount, external_assets, runs, low, high)
    totals, failures, loss_sum, fail_sum = _clear_runs(s, d, a, e, np.arange(runs), seed=seed, low=low, high=high)
    return NetworkMonteCarlo(total_loss=totals, failures=failures, mean_loss=loss_sum / runs, p_fail=fail_sum / runs,
                             runs=runs, seed=seed)


def monte_carlo_spark(src: Any, dst: Any, amount: Any, external_assets: Any, *, runs: int = 100, seed: int = 0,
                      low: float = 0.5, high: float = 1.0, partitions: int | None = None,
                      spark: Any = None) -> NetworkMonteCarlo:
    """:func:`monte_carlo_clearing` with the runs fanned out over Spark partitions; same seed, same numbers."""
    spark = session(spark)
    from pyspark.sql import functions as F

    s, d, a, e = _checked(src, dst, amount, external_assets, runs, low, high)
    shipped = spark.sparkContext.broadcast((s, d, a, e))
    parts = partitions or spark.sparkContext.defaultParallelism

    def work(batches: Any) -> Any:
        s_, d_, a_, e_ = shipped.value
        mine = [b["id"].to_numpy(dtype=np.int64) for b in batches]  # block numbers
        if not mine:
            return
        todo = np.concatenate([np.arange(k * _CHUNK, min((k + 1) * _CHUNK, runs)) for k in np.concatenate(mine)])
        if not todo.size:
            return
        totals, failures, loss_sum, fail_sum = _clear_runs(s_, d_, a_, e_, todo, seed=seed, low=low, high=high)
        yield pd.DataFrame({"kind": 0, "key": todo, "a": totals, "b": failures.astype(np.float64)})
        touched = np.flatnonzero((loss_sum != 0) | (fail_sum != 0))
        yield pd.DataFrame({"kind": 1, "key": touched, "a": loss_sum[touched], "b": fail_sum[touched]})

    blocks = -(-runs // _CHUNK)
    out = spark.range(0, blocks, numPartitions=min(parts, blocks)).mapInPandas(work, "kind int, key long, a double, b double")
    out = out.localCheckpoint(eager=True)
    per_run = out.where(F.col("kind") == 0).toPandas().sort_values("key")
    per_node = out.where(F.col("kind") == 1).groupBy("key").agg(F.sum("a").alias("a"), F.sum("b").alias("b")).toPandas()
    shipped.unpersist()
    mean_loss, p_fail = np.zeros(e.size), np.zeros(e.size)
    keys = per_node["key"].to_numpy(dtype=np.int64)
    mean_loss[keys] = per_node["a"].to_numpy(dtype=np.float64) / runs
    p_fail[keys] = per_node["b"].to_numpy(dtype=np.float64) / runs
    return NetworkMonteCarlo(total_loss=per_run["a"].to_numpy(dtype=np.float64),
                             failures=per_run["b"].to_numpy(dtype=np.int64), mean_loss=mean_loss, p_fail=p_fail,
                             runs=runs, seed=seed)
