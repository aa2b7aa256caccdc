"""Scale benchmark: the whole pipeline on one machine, and the Spark backend against it.

Single machine (``python -m benchmarks.pipeline_bench --nodes 1e6 --edges 1e7``): a synthetic
network and its balance sheets are written to Parquet by a child process (``dealweb synth``),
then this process runs the pipeline a user would run on their own files, stage by stage:

``load`` (edges + node table, :meth:`Network.from_edges`) → ``clearing`` (Eisenberg–Noe, outside
means cash + outside revenue) → ``debtrank`` (Battiston, the top 1 % of payers lose half their
equity) → ``scc`` (SciPy strong components) → ``circularity`` (maximum circulation, OR-Tools),
the measures of :mod:`dealweb.scale.pipeline`.

Each stage reports wall time and memory: the resident set size (RSS) is sampled from
``/proc/self/statm`` every 10 ms by a thread, giving the peak during the stage and the RSS at its
start (tracemalloc would slow NumPy-heavy code severalfold and misses native allocations).

Spark (``--spark``): the same network is cleared, ranked, split into SCCs and its circulation
solved by :mod:`dealweb.spark` in ``local[cores]`` mode, next to the single-machine call on the
same input, with the overhead ratio and the shuffle volume Spark measured: bytes written by
shuffle map tasks, summed over the job's stages from Spark's own status store (the data behind
its UI and REST API, read through the JVM gateway), divided by the rounds (edge passes) the
algorithm made. Monte Carlo: 256 clearings with random outside means on a network 100 times
smaller (the batched kernel's home ground), fanned out over partitions.

Run on a shared machine: the report prints the load average before and after.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from dealweb.progress import RssSampler

__all__ = ["RssSampler", "main", "run_pipeline", "run_spark_comparison"]

_MC_RUNS = 256


def _stage(rows: list[dict[str, Any]], name: str, call: Callable[[], Any], note: Callable[[Any], str] = str) -> Any:
    with RssSampler() as rss:
        t0 = time.perf_counter()
        value = call()
        seconds = time.perf_counter() - t0
    row = {"stage": name, "seconds": seconds, "peak_rss_mb": rss.peak / 2**20, "start_rss_mb": rss.start / 2**20,
           "note": note(value)}
    rows.append(row)
    print(f"{name:<12} {seconds:9.2f} s  peak {row['peak_rss_mb']:8.0f} MB  (start {row['start_rss_mb']:6.0f} MB)  "
          f"{row['note']}", flush=True)
    return value


def _generate(n_nodes: int, n_edges: int, seed: int, folder: Path) -> tuple[Path, Path, float]:
    edges, nodes = folder / f"edges-{n_nodes}-{n_edges}-{seed}.parquet", folder / f"nodes-{n_nodes}-{n_edges}-{seed}.parquet"
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if not (edges.exists() and nodes.exists()):
        subprocess.run([sys.executable, "-m", "dealweb", "synth", "--nodes", str(n_nodes), "--edges", str(n_edges),
                        "--seed", str(seed), "-o", str(edges), "--nodes-out", str(nodes)], check=True)
    return edges, nodes, time.perf_counter() - t0


def run_pipeline(edges: Path, nodes: Path) -> list[dict[str, Any]]:
    """Load → clearing → DebtRank → SCC → circularity in this process; one row per stage."""
    from dealweb.network import Network
    from dealweb.scale.pipeline import run_measure

    rows: list[dict[str, Any]] = []
    net = _stage(rows, "load", lambda: Network.from_edges(edges, nodes=nodes),
                 lambda v: f"{v.n_nodes:,} nodes, {v.n_edges:,} edges")
    for name in ("clearing", "debtrank", "scc", "circularity"):
        _stage(rows, name, functools.partial(run_measure, net, name), json.dumps)
    return rows


def _shuffle_bytes(spark: Any) -> int:
    """Bytes written by shuffle map tasks in all stages so far (Spark's status store)."""
    sc = spark.sparkContext
    gateway = sc._gateway
    stages = sc._jsc.sc().statusStore().stageList(None, False, False, gateway.new_array(gateway.jvm.double, 0), None)
    return int(sum(stages.apply(i).shuffleWriteBytes() for i in range(stages.size())))


def run_spark_comparison(n_nodes: int, n_edges: int, seed: int, cores: int, driver_memory: str,
                         only: str | None = None) -> list[dict[str, Any]]:
    """Each measure single-machine and on Spark ``local[cores]``; times, ratio, shuffle per round."""
    from dealweb.circularity.circulation import max_circulation
    from dealweb.contagion.on_network import clear_network, debtrank_network
    from dealweb.scale.pipeline import debtrank_shock
    from dealweb.scale.synth import balance_sheets, synthetic_network
    from dealweb.spark import (
        debtrank_spark,
        edges_frame,
        eisenberg_noe_spark,
        local_session,
        max_circulation_spark,
        monte_carlo_clearing,
        monte_carlo_spark,
        scc_spark,
    )

    net = synthetic_network(n_nodes, n_edges, seed=seed)
    sheets = balance_sheets(net, seed=seed)
    e = (sheets["cash"] + sheets["revenue_external"]).to_numpy()
    E = sheets["equity"].to_numpy()
    h1 = debtrank_shock(net)
    t0 = time.perf_counter()
    spark = local_session(cores, shuffle_partitions=2 * cores, driver_memory=driver_memory, app_name="dealweb-bench")
    startup = time.perf_counter() - t0
    rows: list[dict[str, Any]] = []

    def compare(name: str, single: Callable[[], Any], distributed: Callable[[], Any],
                rounds: Callable[[Any], int], value: Callable[[Any], float]) -> Any:
        t = time.perf_counter()
        one = single()
        t_single = time.perf_counter() - t
        before = _shuffle_bytes(spark)
        t = time.perf_counter()
        many = distributed()
        t_spark = time.perf_counter() - t
        shuffled = _shuffle_bytes(spark) - before
        k = max(rounds(many), 1)
        row = {"measure": name, "single_s": t_single, "spark_s": t_spark, "ratio": t_spark / max(t_single, 1e-9),
               "rounds": k, "shuffle_mb": shuffled / 2**20, "shuffle_mb_per_round": shuffled / 2**20 / k,
               "single_value": value(one), "spark_value": value(many)}
        rows.append(row)
        print(f"{name:<12} single {t_single:8.2f} s  spark {t_spark:8.2f} s  ×{row['ratio']:6.1f}  rounds {k:4d}  "
              f"shuffle {row['shuffle_mb']:9.1f} MB ({row['shuffle_mb_per_round']:.2f} MB/round)  "
              f"value {row['single_value']:.6g} / {row['spark_value']:.6g}", flush=True)
        return many

    from scipy.sparse.csgraph import connected_components

    if only in (None, "measures"):
        edges = compare("edges_frame", lambda: net.flows, lambda: edges_frame(net, spark=spark)[0].localCheckpoint(eager=True),
                        lambda _: 1, lambda _: float(net.n_edges))
        compare("clearing", lambda: clear_network(net, e), lambda: eisenberg_noe_spark(edges, e, n=net.n_nodes, spark=spark),
                lambda r: r.rounds + 1, lambda r: float(r.failed.sum()))
        compare("debtrank", lambda: debtrank_network(net, E, h1),
                lambda: debtrank_spark(edges, E, h1, n=net.n_nodes, spark=spark),
                lambda r: r.rounds + 1, lambda r: float(r.params["debtrank"]))
        scc = compare("scc", lambda: connected_components(net.flows, directed=True, connection="strong"),
                      lambda: scc_spark(edges, n=net.n_nodes, spark=spark),
                      lambda r: r.edge_passes if hasattr(r, "edge_passes") else 1,
                      lambda r: float(r.headline()["nontrivial_components"] if hasattr(r, "headline")
                                      else (np.bincount(r[1]) >= 2).sum()))
        compare("circularity", lambda: max_circulation(net),
                lambda: max_circulation_spark(edges, n=net.n_nodes, spark=spark, scc=scc),
                lambda r: 1, lambda r: float(r.circularity_index))
    if only in (None, "monte_carlo"):
        # The batched clearing solves dense systems per scenario: it is built for many scenarios on a
        # web of thousands of edges, so Monte Carlo is compared on a network 100 times smaller.
        small = synthetic_network(max(n_nodes // 100, 100), max(n_edges // 100, 400), seed=seed)
        e_small = balance_sheets(small, seed=seed)["cash"].to_numpy()
        compare("monte_carlo", lambda: monte_carlo_clearing(small.src, small.dst, small.amount, e_small, runs=_MC_RUNS,
                                                            seed=seed),
                lambda: monte_carlo_spark(small.src, small.dst, small.amount, e_small, runs=_MC_RUNS, seed=seed,
                                          spark=spark),
                lambda r: 1, lambda r: float(r.total_loss.mean()))
    rows.append({"measure": "spark_startup", "spark_s": startup})
    spark.stop()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pipeline_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", default="1e6", help="nodes (1e6, 100k…)")
    parser.add_argument("--edges", default="1e7", help="edges (1e7, 10M…)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")), help="where the Parquet files go")
    parser.add_argument("--spark", action="store_true", help="compare the Spark backend with single-machine instead")
    parser.add_argument("--cores", type=int, default=2, help="Spark local[cores]")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--only", choices=["measures", "monte_carlo"], help="--spark: run only this part")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    from dealweb.cli.scale_commands import parse_count

    n_nodes, n_edges = parse_count(args.nodes, "--nodes"), parse_count(args.edges, "--edges")
    info = {"machine": f"{os.cpu_count()} CPUs, {platform.platform()}, python {platform.python_version()}",
            "load_before": os.getloadavg(), "nodes": n_nodes, "edges": n_edges, "seed": args.seed}
    print(json.dumps(info), flush=True)
    if args.spark:
        rows = run_spark_comparison(n_nodes, n_edges, args.seed, args.cores, args.driver_memory, args.only)
    else:
        edges, nodes, seconds = _generate(n_nodes, n_edges, args.seed, args.dir)
        print(f"{'generate':<12} {seconds:9.2f} s  (child process: dealweb synth, Parquet written)", flush=True)
        rows = run_pipeline(edges, nodes)
        import resource

        info["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    info["load_after"] = os.getloadavg()
    print(json.dumps({k: info[k] for k in ("load_after", "max_rss_mb") if k in info}), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"info": info, "rows": rows}, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
