"""Benchmark Monte Carlo stress against per-run loops of single clearings, in one process.

``python -m benchmarks.montecarlo_bench [--runs 10000] [--loop-runs 300] [--scenario openai-fails]``

On the bundled web it times :func:`~dealweb.stress.monte_carlo` (all draws cleared as one block)
next to two per-run baselines, both replaying the batch's draws on the same balance sheets:

- the **tight loop** (:func:`tight_loop`): for each draw, the dense ``n × n`` liabilities matrix
  built with one ``bincount`` and :func:`benchmarks.baselines.en_dense` (fictitious default in
  NumPy, no bookkeeping) without and with the shock, for all ``--runs`` draws;
- the **library loop**: :func:`~dealweb.contagion.eisenberg_noe` on each draw, for ``--loop-runs``
  draws, scaled to ``--runs``.

Before it prints a ratio it checks that each loop agrees with the batch on who fails in every
draw and (tight loop) on every company's loss to a relative 1e-9. Times are CPU seconds
(``time.process_time``), best of three repeats with batch and loop interleaved; wall time and
the load average are printed beside them. It asserts no timing. :func:`targets` gives the rows
of ``make bench`` (``benchmarks.targets``).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

import dealweb
from benchmarks.baselines import en_dense
from dealweb.contagion import BalanceSheets, balance_sheets, eisenberg_noe
from dealweb.stress.montecarlo import MonteCarloResult, _deal_factors, monte_carlo
from dealweb.stress.scenario import Scenario, load_scenario
from dealweb.stress.shocks import liquidity_inputs

__all__ = ["main", "targets", "tight_loop"]

_TARGET_RATIO = 20.0
_TARGET_SECONDS = 0.1


def _draws(sheets: BalanceSheets, scenario: Scenario, runs: int, seed: int) -> dict[str, Any]:
    """The inputs every per-run loop replays: edges, the batch's deal factors and both sides' inputs."""
    ob = sheets.obligations
    idx = sheets.index
    src = np.array([idx[x] for x in ob["debtor"]], dtype=np.int64)
    dst = np.array([idx[x] for x in ob["creditor"]], dtype=np.int64)
    leg_deal, factors = _deal_factors(ob, runs, np.random.default_rng(seed), up_to_low=0.0, estimate_spread=0.25)
    return {"src": src, "dst": dst, "leg_deal": leg_deal, "factors": factors,
            "base": liquidity_inputs(sheets, ()), "hit": liquidity_inputs(sheets, scenario.shocks)}


def tight_loop(sheets: BalanceSheets, scenario: Scenario, runs: int, seed: int) -> tuple[float, float, np.ndarray,
                                                                                               np.ndarray]:
    """CPU and wall seconds of ``runs`` draws cleared one by one with :func:`en_dense`; losses and failures (n × runs).

    Pari passu outside creditors only (the bundled scenarios' setting). Per draw: the drawn leg
    amounts, one ``bincount`` into a dense matrix per side (base, shocked), outside means of
    companies without figures set to what they owe ("pays in full"), two clearings, and the loss
    ``received_base − received_shocked + e_base − e_shocked`` as :func:`~dealweb.stress.monte_carlo`.
    """
    if scenario.params.get("seniority", "pari_passu") != "pari_passu":
        raise ValueError("the tight loop clears pari passu outside creditors only")
    d = _draws(sheets, scenario, runs, seed)
    n = sheets.n
    src, dst, leg_deal, factors, base, hit = d["src"], d["dst"], d["leg_deal"], d["factors"], d["base"], d["hit"]
    flat = src * n + dst
    fallback = ~sheets.has_means if sheets.assumptions.no_figures == "pays_in_full" else np.zeros(n, dtype=bool)
    ell = sheets.external_liabilities
    capped = (hit.payment_cap < 1.0) & (sheets.owes > 0)
    same_legs = bool((base.leg_amount == hit.leg_amount).all())
    losses, failed = np.empty((n, runs)), np.empty((n, runs), dtype=bool)
    cpu, wall = time.process_time(), time.perf_counter()
    for s in range(runs):
        f = factors[leg_deal, s]
        L_base = np.bincount(flat, weights=base.leg_amount * f, minlength=n * n).reshape(n, n)
        L_hit = L_base if same_legs else np.bincount(flat, weights=hit.leg_amount * f, minlength=n * n).reshape(n, n)
        owes = L_base.sum(axis=1)
        e_base = np.where(fallback, owes, base.external_assets)
        e_hit = np.where(fallback, owes, hit.external_assets)
        _, _, received_base = en_dense(L_base, e_base, ell, base.payment_cap)
        _, fails, received_hit = en_dense(L_hit, e_hit, ell, hit.payment_cap)
        losses[:, s] = received_base - received_hit + (e_base - e_hit)
        failed[:, s] = fails | capped
    return time.process_time() - cpu, time.perf_counter() - wall, losses, failed


def _library_loop(sheets: BalanceSheets, scenario: Scenario, runs: int, seed: int) -> tuple[float, np.ndarray]:
    """CPU seconds for ``runs`` draws cleared one by one with ``eisenberg_noe``, and who failed under the shock."""
    d = _draws(sheets, scenario, runs, seed)
    src, dst, leg_deal, factors, base_in, hit_in = d["src"], d["dst"], d["leg_deal"], d["factors"], d["base"], d["hit"]
    n = sheets.n
    fallback = ~sheets.has_means
    failed = np.zeros((n, runs), dtype=bool)
    start = time.process_time()
    for s in range(runs):
        drawn = base_in.leg_amount * factors[leg_deal, s]
        owes = np.bincount(src, weights=drawn, minlength=n)
        for inputs in (base_in, hit_in):
            amounts = inputs.leg_amount * factors[leg_deal, s] * inputs.payment_cap[src]
            L = sp.coo_array((amounts, (src, dst)), shape=(n, n)).tocsr()
            e = np.where(fallback, owes, inputs.external_assets)
            res = eisenberg_noe(L, e)
        failed[:, s] = res.failed | ((hit_in.payment_cap < 1) & (sheets.owes > 0))
    return time.process_time() - start, failed


def _agree(mc: MonteCarloResult, losses: np.ndarray, failed: np.ndarray) -> bool:
    return bool((mc.failed == failed).all() and np.allclose(mc.losses, losses, rtol=1e-9, atol=1e-3))


def _setup(scenario_name: str) -> tuple[Any, Scenario, BalanceSheets]:
    records = dealweb.bundled_records()
    scenario = load_scenario(scenario_name).evolve(up_to=1.0, estimate=1.0, amount_policy="face")
    sheets = balance_sheets(records, as_of=scenario.as_of, assumptions=scenario.assumptions)
    monte_carlo(records, scenario, runs=10, sheets=sheets)  # warm up imports and caches
    return records, scenario, sheets


def measure(runs: int, *, seed: int = 0, repeat: int = 3, scenario_name: str = "openai-fails") -> dict[str, Any]:
    """Batch and tight loop on the same ``runs`` draws, interleaved, best of ``repeat``; raises if they disagree."""
    records, scenario, sheets = _setup(scenario_name)
    batch_cpu = batch_wall = loop_cpu = loop_wall = np.inf
    load = [os.getloadavg()[0]]
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        mc = monte_carlo(records, scenario, runs=runs, seed=seed, sheets=sheets)
        batch_cpu, batch_wall = min(batch_cpu, time.process_time() - cpu), min(batch_wall, time.perf_counter() - wall)
        c, w, losses, failed = tight_loop(sheets, scenario, runs, seed)
        loop_cpu, loop_wall = min(loop_cpu, c), min(loop_wall, w)
        if not _agree(mc, losses, failed):
            raise AssertionError("the tight loop and monte_carlo disagree on who fails or the losses")
    load.append(os.getloadavg()[0])
    return {"runs": runs, "nodes": sheets.n, "legs": len(sheets.obligations), "scenario": scenario.name,
            "batch_cpu": batch_cpu, "batch_wall": batch_wall, "loop_cpu": loop_cpu, "loop_wall": loop_wall,
            "load": load}


def targets(quick: bool) -> list[Any]:
    """``make bench`` rows: the batch against the tight per-run loop, and CPU seconds per 10k runs."""
    from benchmarks.targets import Bar

    runs = 300 if quick else 10_000
    m = measure(runs)
    note = (f"bundled web ({m['nodes']} companies, {m['legs']} legs), {m['scenario']}, {runs} runs, CPU s best of 3 "
            f"interleaved (wall batch {m['batch_wall']:.3f} s, loop {m['loop_wall']:.3f} s); load "
            f"{m['load'][0]:.2f}→{m['load'][1]:.2f}; losses and failures checked equal")
    per_10k = m["batch_cpu"] * 10_000 / runs
    return [Bar("Monte Carlo, all runs as one block", "tight per-run dense NumPy loop (en_dense)",
                m["loop_cpu"] / m["batch_cpu"], _TARGET_RATIO, "×", better="higher", note=note),
            Bar("Monte Carlo CPU per 10k runs", "-", per_10k, _TARGET_SECONDS, "s", better="lower",
                note=f"{runs} runs scaled to 10k" if runs != 10_000 else "10k runs measured")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.montecarlo_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--loop-runs", type=int, default=300)
    parser.add_argument("--scenario", default="openai-fails")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    records, scenario, sheets = _setup(args.scenario)
    m = measure(args.runs, seed=args.seed, scenario_name=args.scenario)
    lib_cpu, lib_failed = _library_loop(sheets, scenario, args.loop_runs, args.seed)
    same = monte_carlo(records, scenario, runs=args.loop_runs, seed=args.seed, sheets=sheets)
    agree = bool((same.failed == lib_failed).all())
    per_run = lib_cpu / args.loop_runs
    batch = m["batch_cpu"]
    print(f"Monte Carlo on the bundled web ({m['nodes']} companies, {m['legs']} obligation legs), scenario "
          f"{scenario.name}, {os.cpu_count()} CPUs, load {m['load'][0]:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"  batched monte_carlo, {args.runs} runs: {batch:.4f} s CPU, {m['batch_wall']:.4f} s wall "
          f"(best of 3; {batch / args.runs * 1e6:.2f} µs CPU per run)")
    print(f"  tight loop of en_dense, {args.runs} runs: {m['loop_cpu']:.3f} s CPU, {m['loop_wall']:.3f} s wall "
          f"({m['loop_cpu'] / args.runs * 1e6:.1f} µs per run); losses and failures agree with the batch: True")
    print(f"  ratio (tight loop / batched, CPU): {m['loop_cpu'] / batch:.1f}x (target ≥ {_TARGET_RATIO:.0f}x)")
    print(f"  loop of eisenberg_noe, {args.loop_runs} runs: {lib_cpu:.3f} s CPU "
          f"({per_run * 1e6:.0f} µs per run; {per_run * args.runs:.1f} s scaled to {args.runs})")
    print(f"  failures agree run by run: {agree}")
    print(f"  ratio (loop / batched, per run): {per_run * args.runs / batch:.1f}x")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
