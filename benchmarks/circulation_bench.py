"""Maximum circulation against OR-Tools' cost scaling and the HiGHS LP, on the same input in one run.

``python -m benchmarks.circulation_bench [--edges 1e6] [--repeats 3] [--lp-timeout 300] [--no-ortools]``

On ``synthetic_network(edges / 10, edges, seed=0)`` it times, interleaved and best of ``--repeats``,
:func:`~dealweb.circularity.max_circulation` (the exact primal-dual solver, the default) and the same
call with ``solver="ortools"`` (OR-Tools' cost-scaling min-cost flow, the previous default), checks
that they give the same circular volume (both are exact on the same rounded amounts), and prints CPU
and wall seconds, the load average, the primal-dual phases and the certified gap. The HiGHS LP
(``solver="lp"``) runs once in a child process stopped after ``--lp-timeout`` seconds. It asserts no
timing.

:func:`targets` gives the rows of ``make bench`` (:mod:`benchmarks.targets`): our time at ten million
edges against the 60 s bar, the ratio to OR-Tools at one and ten million edges, the speed-up over
HiGHS at one million and the certified relative gap. ``quick=True`` uses 10 000 edges.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.targets import Bar
from dealweb.circularity.circulation import CirculationResult, max_circulation
from dealweb.network.graph import Network
from dealweb.scale.synth import synthetic_network

__all__ = ["Timing", "lp_in_child", "main", "targets", "time_solver"]

_GAP = 1e-3  # the relative gap asked of the early-stopping run


@dataclass(frozen=True)
class Timing:
    """Best-of CPU and wall seconds of one solver on one input, and its result."""

    solver: str
    cpu: float
    wall: float
    result: CirculationResult


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def network(edges: int) -> Network:
    """The benchmark input: ``edges / 10`` nodes, ``edges`` edges, seed 0."""
    return synthetic_network(max(edges // 10, 10), edges, seed=0)


def time_solver(net: Network, solver: str, gap: float | None = None) -> Timing:
    """One timed call (CPU via ``process_time``, which counts every thread of this process)."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    res = max_circulation(net, solver=solver, gap=gap)  # type: ignore[arg-type]
    name = solver if gap is None else f"{solver} gap={gap:g}"
    return Timing(name, time.process_time() - cpu0, time.perf_counter() - wall0, res)


def interleaved(net: Network, solvers: Sequence[str], repeats: int) -> dict[str, Timing]:
    """Best CPU time of each solver over ``repeats`` rounds, the solvers taking turns in each round."""
    best: dict[str, Timing] = {}
    for _ in range(repeats):
        for solver in solvers:
            t = time_solver(net, solver)
            if solver not in best or t.cpu < best[solver].cpu:
                best[solver] = t
    return best


def _lp_child(net: Network, queue: Any) -> None:
    t = time_solver(net, "lp")
    queue.put((t.cpu, t.wall, t.result.circular_volume))


def lp_in_child(net: Network, timeout: float) -> tuple[float, float, float] | None:
    """HiGHS LP's (CPU s, wall s, volume) in a forked child, or ``None`` if it ran past ``timeout`` seconds."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_lp_child, args=(net, queue), daemon=True)
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    out: tuple[float, float, float] = queue.get(timeout=5)
    return out


def _same(a: CirculationResult, b: CirculationResult) -> bool:
    """Equal circular volumes (both exact on the same rounded amounts; the sums' order may differ)."""
    return abs(a.circular_volume - b.circular_volume) <= 1e-9 * max(a.circular_volume, 1.0)


def _rel_gap(res: CirculationResult) -> float:
    return 100.0 * res.gap_bound / res.circular_volume if res.circular_volume > 0 else 0.0


def targets(quick: bool) -> list[Bar]:
    """The circulation rows of ``make bench``: time at 10M edges, ratios to OR-Tools and HiGHS, certified gap."""
    big, mid = (10_000, 10_000) if quick else (10_000_000, 1_000_000)
    repeats = 3 if quick else 2
    lp_timeout = 60.0 if quick else 300.0
    rows: list[Bar] = []
    size = f"{mid:,} edges"
    net = network(mid)
    best = interleaved(net, ["primal-dual", "ortools"], repeats)
    ours, ort = best["primal-dual"], best["ortools"]
    if not _same(ours.result, ort.result):
        raise AssertionError(f"primal-dual {ours.result.circular_volume!r} != OR-Tools {ort.result.circular_volume!r}")
    rows.append(Bar(f"max circulation, {size}", "OR-Tools cost scaling (the old default)", ours.cpu / ort.cpu, 1.0,
                    "×", note=f"CPU {ours.cpu:.3g} s vs {ort.cpu:.3g} s (wall {ours.wall:.3g} vs {ort.wall:.3g}), "
                              f"best of {repeats} interleaved; same volume; load {_load():.2f}"))
    lp = lp_in_child(net, lp_timeout)
    if lp is None:
        rows.append(Bar(f"max circulation, {size}", "HiGHS LP", lp_timeout / ours.wall, 42.0, "×", better="higher",
                        note=f"HiGHS did not finish within {lp_timeout:.0f} s: the speed-up is at least this"))
    else:
        ok = abs(lp[2] - ours.result.circular_volume) <= 1e-6 * ours.result.gross
        rows.append(Bar(f"max circulation, {size}", "HiGHS LP", lp[0] / ours.cpu, 42.0, "×", better="higher",
                        note=f"CPU {lp[0]:.3g} s vs {ours.cpu:.3g} s; volumes agree within HiGHS tolerance: {ok}"))
    del net, best
    load = _load()
    net = network(big) if big != mid else network(mid)
    bracket = time_solver(net, "primal-dual", gap=_GAP)
    if big != mid:
        ours = time_solver(net, "primal-dual")
        load = _load()
        ort = time_solver(net, "ortools")
        same = _same(ours.result, ort.result)
        rows.append(Bar(f"max circulation, {big:,} edges", "OR-Tools cost scaling (the old default)",
                        ours.cpu / ort.cpu, 1.0, "×",
                        note=f"CPU {ours.cpu:.1f} s vs {ort.cpu:.1f} s, one run each; same volume: {same}"))
    res, loose = ours.result, bracket.result
    rows.insert(0, Bar(f"max circulation time, {big:,} edges, exact", "target", ours.wall, 60.0, "s",
                       note=f"wall; CPU {ours.cpu:.3g} s; load {load:.2f}; "
                            f"{res.phases} primal-dual phases; {res.certificate}"))
    rows.insert(1, Bar(f"max circulation time, {big:,} edges, gap={_GAP:g}", "target", bracket.wall, 60.0, "s",
                       note=f"wall; CPU {bracket.cpu:.3g} s; {loose.phases} primal-dual phases; "
                            f"{loose.certificate}"))
    rows.append(Bar(f"max circulation certified gap, {big:,} edges, gap={_GAP:g}", "1 % of the value",
                    _rel_gap(loose), 1.0, "%",
                    note=f"(upper bound − value) / value; value {loose.circular_volume:.6g}, upper bound "
                         f"{loose.upper_bound:.6g}; exact {res.circular_volume:.6g} inside: "
                         f"{loose.circular_volume <= res.circular_volume <= loose.upper_bound}"))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.circulation_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--edges", type=float, default=1e6)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--lp-timeout", type=float, default=0.0, help="run HiGHS for at most this long (0: skip it)")
    parser.add_argument("--no-ortools", action="store_true", help="time only the primal-dual solver")
    parser.add_argument("--gap", type=float, default=0.0, help="also time the primal-dual solver with this gap")
    args = parser.parse_args(argv)
    edges = int(args.edges)
    cpu0 = time.process_time()
    net = network(edges)
    print(f"synthetic_network({max(edges // 10, 10):,}, {edges:,}, seed=0): {time.process_time() - cpu0:.1f} s CPU; "
          f"{os.cpu_count()} CPUs; load {_load():.2f}")
    solvers = ["primal-dual"] if args.no_ortools else ["primal-dual", "ortools"]
    best = interleaved(net, solvers, args.repeats)
    if args.gap > 0:
        best["bracket"] = time_solver(net, "primal-dual", gap=args.gap)
    for t in best.values():
        r = t.result
        print(f"  {t.solver:20s} CPU {t.cpu:7.2f} s  wall {t.wall:7.2f} s  volume {r.circular_volume:.10g}  "
              f"index {r.circularity_index:.6f}  phases {r.phases}  {r.certificate}  load {_load():.2f}")
    if "ortools" in best:
        ours, ort = best["primal-dual"], best["ortools"]
        print(f"  same volume: {_same(ours.result, ort.result)}; CPU ratio primal-dual / OR-Tools "
              f"{ours.cpu / ort.cpu:.3f}")
    if args.lp_timeout > 0:
        lp = lp_in_child(net, args.lp_timeout)
        print("  HiGHS LP: " + (f"did not finish within {args.lp_timeout:.0f} s" if lp is None else
                                f"CPU {lp[0]:.1f} s wall {lp[1]:.1f} s volume {lp[2]:.10g}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
