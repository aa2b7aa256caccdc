"""Benchmark Monte Carlo stress against looping the single-scenario solver, in one process.

``python -m benchmarks.montecarlo_bench [--runs 10000] [--loop-runs 300] [--scenario openai-fails]``

On the bundled web it times :func:`~dealweb.stress.monte_carlo` (all draws as columns of one
matrix) and, as the baseline, the plain way: for each draw, :func:`~dealweb.contagion.eisenberg_noe`
on the drawn amounts without and with the shock (the two clearings a draw needs), for
``--loop-runs`` draws, scaled to ``--runs``. Both use the same balance sheets and the same draws
(the baseline replays the batch's sampled amounts), and the script checks that they agree on
who fails in every looped draw before it prints the ratio. It asserts no timing.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

import dealweb
from dealweb.contagion import balance_sheets, eisenberg_noe
from dealweb.stress.montecarlo import _deal_factors, monte_carlo
from dealweb.stress.scenario import load_scenario
from dealweb.stress.shocks import liquidity_inputs

__all__ = ["main"]


def _loop(sheets: object, scenario: object, runs: int, seed: int) -> tuple[float, np.ndarray]:
    """Seconds for ``runs`` draws cleared one by one, and who failed under the shock (n × runs)."""
    ob = sheets.obligations  # type: ignore[attr-defined]
    idx = sheets.index  # type: ignore[attr-defined]
    n = sheets.n  # type: ignore[attr-defined]
    src = np.array([idx[x] for x in ob["debtor"]])
    dst = np.array([idx[x] for x in ob["creditor"]])
    rng = np.random.default_rng(seed)
    leg_deal, factors = _deal_factors(ob, runs, rng, up_to_low=0.0, estimate_spread=0.25)
    base_in = liquidity_inputs(sheets, ())  # type: ignore[arg-type]
    hit_in = liquidity_inputs(sheets, scenario.shocks)  # type: ignore[attr-defined, arg-type]
    fallback = ~sheets.has_means  # type: ignore[attr-defined]
    failed = np.zeros((n, runs), dtype=bool)
    start = time.perf_counter()
    for s in range(runs):
        drawn = base_in.leg_amount * factors[leg_deal, s]
        owes = np.bincount(src, weights=drawn, minlength=n)
        for inputs in (base_in, hit_in):
            amounts = inputs.leg_amount * factors[leg_deal, s] * inputs.payment_cap[src]
            L = sp.coo_array((amounts, (src, dst)), shape=(n, n)).tocsr()
            e = np.where(fallback, owes, inputs.external_assets)
            res = eisenberg_noe(L, e)
        failed[:, s] = res.failed | ((hit_in.payment_cap < 1) & (sheets.owes > 0))  # type: ignore[attr-defined]
    return time.perf_counter() - start, failed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.montecarlo_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--loop-runs", type=int, default=300)
    parser.add_argument("--scenario", default="openai-fails")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    records = dealweb.bundled_records()
    scenario = load_scenario(args.scenario).evolve(up_to=1.0, estimate=1.0, amount_policy="face")
    sheets = balance_sheets(records, as_of=scenario.as_of, assumptions=scenario.assumptions)
    monte_carlo(records, scenario, runs=10, seed=args.seed, sheets=sheets)  # warm up imports and caches
    times = []
    for _ in range(3):
        start = time.perf_counter()
        mc = monte_carlo(records, scenario, runs=args.runs, seed=args.seed, sheets=sheets)
        times.append(time.perf_counter() - start)
    batched = min(times)
    loop_seconds, loop_failed = _loop(sheets, scenario, args.loop_runs, args.seed)
    same = monte_carlo(records, scenario, runs=args.loop_runs, seed=args.seed, sheets=sheets)
    agree = bool((same.failed == loop_failed).all())
    per_run = loop_seconds / args.loop_runs
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Monte Carlo on the bundled web ({sheets.n} companies, {len(sheets.obligations)} obligation legs), "
          f"scenario {scenario.name}, {os.cpu_count()} CPUs, load {load:.2f}")
    print(f"  batched monte_carlo, {args.runs} runs: {batched:.3f} s (best of 3; {batched / args.runs * 1e6:.1f} µs per run)")
    print(f"  loop of eisenberg_noe, {args.loop_runs} runs: {loop_seconds:.3f} s "
          f"({per_run * 1e6:.0f} µs per run; {per_run * args.runs:.1f} s scaled to {args.runs})")
    print(f"  failures agree run by run: {agree}")
    print(f"  ratio (loop / batched, per run): {per_run * args.runs / batched:.1f}x")
    print(f"  total loss mean {mc.headline()['total_loss_mean'] / 1e9:.1f} $B")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
