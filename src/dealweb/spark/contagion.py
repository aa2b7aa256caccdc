r"""Eisenberg–Noe clearing, DebtRank and Furfine cascades with the edges on Spark.

The same models, conventions and results as :mod:`dealweb.contagion` (read the module docstrings
of ``clearing``, ``debtrank`` and ``threshold``); only the work over the *edges* runs on Spark.
Orientation as :mod:`dealweb.contagion.on_network`: an edge ``src → dst`` with amount ``a`` is
money ``src`` owes ``dst``; in DebtRank and cascades ``dst`` is exposed to ``src``.

Division of labour
------------------
Edges stay in a DataFrame ``(src, dst, amount)`` (:func:`dealweb.spark.frames.edges_frame`);
parallel edges are summed per pair once and self-loops dropped (as ``Network.flows`` and the
array models do). Per-node vectors (``n`` floats) live on the driver. Every round of every model
is one pass over the edges: the round's *frontier* (defaulters, newly distressed or newly failed
nodes, usually a small set) is broadcast, joined to the edges on ``src`` and the products summed
per ``dst``; only those sums come back. A round therefore shuffles the frontier's out-edges, not
the whole edge list.

* **Clearing** — the fictitious default algorithm (Eisenberg & Noe 2001,
  doi:10.1287/mnsc.47.2.236.9835). Round ``k`` tests every node, ``e + received < p̄ − tol·s``;
  the insolvent set ``D`` only grows. When it grows, the edges inside ``D`` are collected and the
  defaulters' payments are the greatest clearing vector of that sub-network, solved on the driver
  by the single-machine :func:`~dealweb.contagion.eisenberg_noe` with outside cash
  ``e_i + Σ_{j∉D} L_ji`` (solvent debtors pay in full) and outside obligations
  ``p̄_i − Σ_{j∈D} L_ij`` (so every share ``L_ij / p̄_i`` is kept, pari passu). Each iterate stays
  above the greatest clearing vector and the set stops growing after at most ``n`` rounds, so the
  result is exact, as the FDA. ``method="picard"`` instead iterates ``p ← min(p̄, max(0, e + Πᵀp))``
  entirely as edge passes (no sub-network on the driver), until no payment moves by more than
  ``tol·s``; it converges geometrically. Outside creditors rank pari passu.
* **DebtRank** — Battiston et al. (2012), doi:10.1038/srep00541: each wave, the newly distressed
  nodes pass on ``W_ij h_j`` with ``W_ij = min(1, A_ij / E_i)``.
* **Furfine cascade** — Furfine (2003), doi:10.1353/mcb.2003.0004: each round, the new defaults'
  exposures times ``1 − R`` are added to their creditors' losses.

Results equal the single-machine results up to the order of floating-point sums (tests: 1e-9
relative). ``failure_round`` of the clearing counts this implementation's rounds, which solve the
defaulters' sub-network to its clearing vector where the single-machine FDA solves it as a linear
system, so a node can fail one round earlier here; which nodes fail, and every amount, agree.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from dealweb.contagion.clearing import ClearingConvergenceError, eisenberg_noe
from dealweb.contagion.debtrank import battiston_waves
from dealweb.contagion.result import ContagionResult
from dealweb.spark._session import session

__all__ = ["debtrank_spark", "eisenberg_noe_spark", "threshold_cascade_spark"]


# ------------------------------------------------------------------ edge passes


def _pairs(edges: Any) -> Any:
    """Parallel edges summed per ``(src, dst)``, self-loops and zero amounts dropped; cached."""
    from pyspark.sql import functions as F

    return (edges.where((F.col("src") != F.col("dst")) & (F.col("amount") > 0))
            .groupBy("src", "dst").agg(F.sum("amount").alias("amount")).localCheckpoint(eager=True))


def _frame(spark: Any, ids: np.ndarray, **columns: np.ndarray) -> Any:
    data = {"id": ids.astype(np.int32)}
    data.update({k: np.asarray(v, dtype=np.float64) for k, v in columns.items()})
    schema = ", ".join(["id int", *(f"{k} double" for k in columns)])  # explicit: the frame may be empty
    return spark.createDataFrame(pd.DataFrame(data), schema=schema)


def _spread(spark: Any, pairs: Any, ids: np.ndarray, values: np.ndarray, weight: Any, n: int) -> np.ndarray:
    """``Σ_{j ∈ ids} weight(edge j → i) · values_j`` for every ``i`` (a length-``n`` vector).

    ``ids`` is the round's frontier: broadcast and joined to the edges on ``src``.
    """
    from pyspark.sql import functions as F

    out = np.zeros(n)
    if ids.size == 0:
        return out
    frontier = F.broadcast(_frame(spark, ids, v=values).withColumnRenamed("id", "src"))
    sums = (pairs.join(frontier, "src").groupBy("dst").agg(F.sum(weight * F.col("v")).alias("s")).toPandas())
    if len(sums):
        out[sums["dst"].to_numpy(dtype=np.int64)] = sums["s"].to_numpy(dtype=np.float64)
    return out


def _top_source(spark: Any, pairs: Any, values: np.ndarray, weight: Any, n: int) -> np.ndarray:
    """Per ``dst``, the ``src`` with the largest positive ``weight · values_src`` (smallest index on ties), else −1."""
    from pyspark.sql import functions as F

    out = np.full(n, -1, dtype=np.int64)
    ids = np.flatnonzero(values > 0)
    if ids.size == 0:
        return out
    frontier = _frame(spark, ids, v=values[ids]).withColumnRenamed("id", "src")
    best = (pairs.join(frontier, "src").withColumn("c", weight * F.col("v")).where(F.col("c") > 0)
            .groupBy("dst").agg(F.max(F.struct(F.col("c"), (-F.col("src")).alias("neg"))).alias("m"))
            .select("dst", (-F.col("m.neg")).alias("src")).toPandas())
    if len(best):
        out[best["dst"].to_numpy(dtype=np.int64)] = best["src"].to_numpy(dtype=np.int64)
    return out


def _node_sums(pairs: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Total owed (``L·1``) and total due (``Lᵀ1``) per node."""
    from pyspark.sql import functions as F

    owes, due = np.zeros(n), np.zeros(n)
    for key, out in (("src", owes), ("dst", due)):
        pdf = pairs.groupBy(key).agg(F.sum("amount").alias("s")).toPandas()
        out[pdf[key].to_numpy(dtype=np.int64)] = pdf["s"].to_numpy(dtype=np.float64)
    return owes, due


def _vector(value: Any, n: int, name: str, *, default: float | None = None) -> np.ndarray:
    if value is None:
        if default is None:
            raise ValueError(f"{name} is required")
        return np.full(n, default)
    arr = np.asarray(value, dtype=np.float64)
    arr = np.full(n, float(arr)) if arr.ndim == 0 else arr
    if arr.shape != (n,):
        raise ValueError(f"{name} needs one value per node ({n}), got shape {arr.shape}")
    if not (np.isfinite(arr).all() and (arr >= 0).all()):
        raise ValueError(f"{name} must be finite and non-negative")
    return arr


def _labels(nodes: Any, n: int) -> tuple[Any, ...]:
    return tuple(range(n)) if nodes is None else tuple(nodes)


# ------------------------------------------------------------------ clearing


def eisenberg_noe_spark(
    edges: Any,
    external_assets: Any,
    *,
    n: int,
    external_liabilities: Any = None,
    nodes: Any = None,
    method: Literal["fda", "picard"] = "fda",
    tol: float = 1e-12,
    max_iter: int | None = None,
    spark: Any = None,
) -> ContagionResult:
    """Eisenberg–Noe clearing over an edge DataFrame (module docstring); pari passu outside creditors.

    Parameters
    ----------
    edges
        DataFrame ``(src, dst, amount)``: ``src`` owes ``dst`` the amount (node indices ``0 … n−1``).
    external_assets, external_liabilities
        ``e`` and ``ℓ`` per node, in node order (as :func:`~dealweb.contagion.eisenberg_noe`).
    n
        Number of nodes.
    nodes
        Node labels for the result (default ``0 … n−1``).
    method
        ``"fda"`` (exact; the defaulters' sub-network is solved on the driver) or ``"picard"``.
    tol, max_iter
        As :func:`~dealweb.contagion.eisenberg_noe` (Picard's default ``max_iter`` is 10 000).

    Returns
    -------
    ContagionResult
        As :func:`~dealweb.contagion.eisenberg_noe`; ``params`` adds ``backend="spark"``.
    """
    if method not in ("fda", "picard"):
        raise ValueError(f"method must be 'fda' or 'picard', got {method!r}")
    spark = session(spark)
    from pyspark.sql import functions as F

    e = _vector(external_assets, n, "external_assets")
    ell = _vector(external_liabilities, n, "external_liabilities", default=0.0)
    pairs = _pairs(edges)
    owes, due = _node_sums(pairs, n)
    pbar = owes + ell
    thr = tol * np.maximum(np.maximum(1.0, pbar), e + due)
    pairs_p = pairs.join(_frame(spark, np.arange(n), p=np.where(pbar > 0, pbar, 1.0)).withColumnRenamed("id", "src"),
                         "src").localCheckpoint(eager=True)
    first = np.full(n, -1)
    if method == "fda":
        x, rounds = _fda(spark, pairs_p, e, ell, pbar, owes, due, thr, first, tol, max_iter or n + 1)
    else:
        x, rounds = _picard(spark, pairs_p, e, pbar, due, thr, first, max_iter or 10_000)
    x = np.where(x >= pbar - thr, pbar, x)
    ratio = np.where(pbar > 0, x / np.where(pbar > 0, pbar, 1.0), 1.0)
    short = np.flatnonzero(ratio < 1.0)
    loss = _spread(spark, pairs_p, short, 1.0 - ratio[short], F.col("amount"), n)
    received = due - loss
    top = _top_source(spark, pairs, 1.0 - ratio, F.col("amount"), n)
    failed = x < pbar - thr
    before = e + due - pbar
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(before > 0, loss / before, np.nan)
    failure_round = np.where(failed, np.where(first >= 0, first, rounds), -1).astype(np.int64)
    extra = {"payments": x, "obligations": pbar, "shortfall": pbar - x, "outside_shortfall": ell * (1.0 - ratio),
             "equity_before": before, "equity_after": e + received - pbar}
    params = {"seniority": "pari_passu", "method": method, "tol": tol, "backend": "spark"}
    return ContagionResult(model="eisenberg_noe", nodes=_labels(nodes, n), loss=loss, relative_loss=relative,
                           failed=failed, failure_round=failure_round, top_source=top, rounds=rounds, extra=extra,
                           params=params)


def _fda(spark: Any, pairs_p: Any, e: np.ndarray, ell: np.ndarray, pbar: np.ndarray, owes: np.ndarray,
         due: np.ndarray, thr: np.ndarray, first: np.ndarray, tol: float, max_iter: int) -> tuple[np.ndarray, int]:
    from pyspark.sql import functions as F

    n = e.size
    x = pbar.copy()
    d = np.zeros(n, dtype=bool)
    missing = np.zeros(n)  # Σ_j L_ji (1 − x_j / p̄_j): what the defaulters fail to pay i
    for k in range(max_iter + 1):
        below = e + due - missing < pbar - thr
        first[below & (first < 0)] = k
        grown = d | (below & (pbar > 0))
        if np.array_equal(grown, d):
            return x, k
        if k == max_iter:
            break
        d = grown
        members = np.flatnonzero(d)
        inside = F.broadcast(_frame(spark, members).withColumnRenamed("id", "dst"))
        out_d = pairs_p.join(F.broadcast(_frame(spark, members).withColumnRenamed("id", "src")), "src")
        sub = out_d.join(inside, "dst").select("src", "dst", "amount").toPandas()
        x = _solve_defaulters(sub, members, e, ell, pbar, owes, due, tol, x)
        ratio = x[members] / pbar[members]
        missing = _spread(spark, pairs_p, members, 1.0 - ratio, F.col("amount"), n)
    raise ClearingConvergenceError(f"the fictitious default algorithm did not settle within max_iter={max_iter} rounds")


def _solve_defaulters(sub: pd.DataFrame, members: np.ndarray, e: np.ndarray, ell: np.ndarray, pbar: np.ndarray,
                      owes: np.ndarray, due: np.ndarray, tol: float, x: np.ndarray) -> np.ndarray:
    """Payments of the defaulters: the clearing vector of their sub-network, solvent debtors paying in full."""
    k = members.size
    local = np.searchsorted(members, sub["src"].to_numpy()), np.searchsorted(members, sub["dst"].to_numpy())
    amount = sub["amount"].to_numpy(dtype=np.float64)
    L = sp.csr_array((amount, local), shape=(k, k))
    inside_out = np.bincount(local[0], weights=amount, minlength=k)
    inside_in = np.bincount(local[1], weights=amount, minlength=k)
    cash = e[members] + np.maximum(due[members] - inside_in, 0.0)
    outside = np.maximum(pbar[members] - inside_out, 0.0)
    res = eisenberg_noe(L, cash, external_liabilities=outside, tol=tol)
    out = x.copy()
    out[members] = np.minimum(res.extra["payments"], x[members])
    return out


def _picard(spark: Any, pairs_p: Any, e: np.ndarray, pbar: np.ndarray, due: np.ndarray, thr: np.ndarray,
            first: np.ndarray, max_iter: int) -> tuple[np.ndarray, int]:
    from pyspark.sql import functions as F

    n = e.size
    x = pbar.copy()
    for k in range(1, max_iter + 1):
        ratio = np.where(pbar > 0, x / np.where(pbar > 0, pbar, 1.0), 1.0)
        short = np.flatnonzero(ratio < 1.0)
        missing = _spread(spark, pairs_p, short, 1.0 - ratio[short], F.col("amount"), n)
        nxt = np.minimum(pbar, np.maximum(0.0, e + due - missing))
        first[(nxt < pbar - thr) & (first < 0)] = k - 1
        if np.all(np.abs(nxt - x) <= thr):
            return nxt, k
        x = nxt
    raise ClearingConvergenceError(f"Picard iteration did not settle within max_iter={max_iter} iterations")


# ------------------------------------------------------------------ DebtRank and cascades


def debtrank_spark(edges: Any, buffers: Any, shock: Any, *, n: int, nodes: Any = None, spark: Any = None) -> ContagionResult:
    """DebtRank (Battiston et al. 2012) over an edge DataFrame: ``dst`` loses ``amount · h_src`` / its equity.

    ``buffers`` (equity ``E > 0``) and ``shock`` (``h(1)`` in ``[0, 1]``) are vectors in node order.
    The result equals :func:`~dealweb.contagion.debtrank_network` (``variant="battiston2012"``).
    """
    spark = session(spark)
    from pyspark.sql import functions as F

    E = _vector(buffers, n, "buffers")
    if not (E > 0).all():
        raise ValueError("buffers must be positive")
    h1 = _vector(shock, n, "shock")
    if (h1 > 1).any():
        raise ValueError("shock must be in [0, 1]")
    pairs = _pairs(edges)
    weighted = (pairs.join(_frame(spark, np.arange(n), E=E).withColumnRenamed("id", "dst"), "dst")
                .withColumn("w", F.least(F.lit(1.0), F.col("amount") / F.col("E"))).localCheckpoint(eager=True))

    def spread(distressed: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gain = _spread(spark, weighted, distressed, values, F.col("w"), n)
        rows = np.flatnonzero(gain)
        return rows, gain[rows]

    h, failure_round, propagated, rounds = battiston_waves(spread, h1)
    top = _top_source(spark, weighted, propagated, F.col("w"), n)
    top[h <= h1] = -1
    v = E / E.sum() if n else E
    params = {"variant": "battiston2012", "impact": "W[i, j] = min(1, exposures[i, j] / buffers[i])",
              "economic_value": "buffers", "debtrank": float(v @ (h - h1)), "backend": "spark"}
    return ContagionResult(model="debtrank_battiston2012", nodes=_labels(nodes, n), loss=h * E, relative_loss=h,
                           failed=h >= 1.0, failure_round=failure_round, top_source=top, rounds=rounds,
                           extra={"h_initial": h1, "h_final": h.copy()}, params=params)


def threshold_cascade_spark(edges: Any, buffers: Any, initial_defaults: Any, *, n: int, recovery: float = 0.0,
                            nodes: Any = None, spark: Any = None) -> ContagionResult:
    """Furfine default cascade over an edge DataFrame: ``dst`` loses ``(1 − R) · amount`` when ``src`` defaults.

    ``buffers`` ``K ≥ 0`` in node order; ``initial_defaults`` a boolean mask or node indices;
    ``recovery`` a scalar rate. A node fails when its loss **exceeds** its buffer (``strict=True``).
    The result equals :func:`~dealweb.contagion.cascade_network` (``rule="furfine"``).
    """
    spark = session(spark)
    from pyspark.sql import functions as F

    K = _vector(buffers, n, "buffers")
    if not 0.0 <= float(recovery) <= 1.0:
        raise ValueError(f"recovery must be in [0, 1], got {recovery!r}")
    lgd = 1.0 - float(recovery)
    mask = np.asarray(initial_defaults)
    if mask.dtype != bool:
        idx, mask = mask.astype(np.int64), np.zeros(n, dtype=bool)
        mask[idx] = True
    pairs = _pairs(edges)
    failure_round = np.where(mask, 0, -1)
    acc = np.zeros(n)
    new = np.flatnonzero(mask)
    rounds = 0
    while new.size:
        gain = _spread(spark, pairs, new, np.full(new.size, lgd), F.col("amount"), n)
        rows = np.flatnonzero(gain)
        acc[rows] += gain[rows]
        broke = acc[rows] > K[rows]
        new = rows[broke & (failure_round[rows] < 0)]
        if new.size:
            rounds += 1
            failure_round[new] = rounds
    failed = failure_round >= 0
    top = _top_source(spark, pairs, np.where(failed, lgd, 0.0), F.col("amount"), n)
    _, assets = _node_sums(pairs, n)
    single = _top_value(pairs, lgd, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(K > 0, acc / np.where(K > 0, K, 1.0), np.nan)
        lost = _spread(spark, pairs, np.flatnonzero(failed), np.ones(int(failed.sum())), F.col("amount"), n)
        share_lost = np.where(assets > 0, lost / np.where(assets > 0, assets, 1.0), 0.0)
        ratio = np.where(assets > 0, K / np.where(assets > 0, assets, 1.0), np.inf)
    params = {"rule": "furfine", "strict": True, "equal_split": False, "test": "loss > buffer",
              "recovery": float(recovery), "initial_defaults": int(mask.sum()), "backend": "spark"}
    return ContagionResult(model="furfine", nodes=_labels(nodes, n), loss=acc, relative_loss=relative, failed=failed,
                           failure_round=failure_round, top_source=top, rounds=rounds,
                           extra={"interbank_assets": assets, "share_lost": share_lost, "capital_ratio": ratio,
                                  "vulnerable": single > K}, params=params)


def _top_value(pairs: Any, lgd: float, n: int) -> np.ndarray:
    """``max_j (1 − R) A_ij`` per creditor ``i``: the largest single loss it can take."""
    from pyspark.sql import functions as F

    out = np.zeros(n)
    pdf = pairs.groupBy("dst").agg(F.max("amount").alias("m")).toPandas()
    out[pdf["dst"].to_numpy(dtype=np.int64)] = lgd * pdf["m"].to_numpy(dtype=np.float64)
    return out
