"""Every contagion kernel against its tight SciPy loop, side by side in one process (issue 17).

``python -m benchmarks.kernels_bench [--sizes 100k,1M,10M] [--repeat N] [--many NODES,EDGES] [--threads]`` prints one row
per kernel and size: Eisenberg–Noe (fictitious default algorithm) against a tight Picard loop,
DebtRank (Battiston 2012 and Bardoscia 2015) against tight wave loops, Furfine and Gai–Kapadia
cascades against tight round loops (:mod:`benchmarks.baselines`), plus Eisenberg–Noe on a network
where many fail (300k nodes, 3M edges, log-normal outside assets) against the tight Picard loop.

How a ratio is measured: the input is built once (untimed); then dealweb's call and its baseline run
alternately, ``repeat`` times each, and the ratio is the best dealweb time over the best baseline
time, in wall time (the note also gives the ratio of CPU times, ``time.process_time``). Before the
ratio is reported the two answers are checked equal (payments, losses, ``h``, failures; the
tolerance is in :func:`_check`); a mismatch raises. dealweb is called as a user calls it with
``attribute=False`` (no ``top_source``); the note gives the default call's ratio too, with the
attribution. The contagion inputs are those of :mod:`benchmarks.baselines` (``clearing_inputs``,
``debtrank_inputs``, ``threshold_inputs``) on :func:`dealweb.scale.synth.synthetic_network` with
mean degree 10. Nothing here asserts a timing. The 10M size needs about 3 GB.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from benchmarks.baselines import (
    clearing_inputs,
    debtrank_inputs,
    threshold_inputs,
    tight_bardoscia,
    tight_battiston,
    tight_picard,
    tight_threshold,
)
from benchmarks.targets import Bar

__all__ = ["many_defaults_inputs", "measure", "targets", "thread_check"]

#: Kernel rows hold when dealweb takes at most this multiple of the tight loop; the many-defaults row at most 2×.
TARGET = 1.5
MANY_TARGET = 2.0
#: Seconds after which :func:`measure` starts no further repeat.
BUDGET = 60.0


def _size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k" if n >= 1000 else str(n)


def measure(ours: Callable[[], Any], base: Callable[[], Any], repeat: int,
            attributed: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Alternate ``ours``, ``base`` (and ``attributed``, dealweb's default call) ``repeat`` times each.

    Returns the best wall and CPU seconds of each, the ratios of ours to base (``ratio``: CPU time;
    ``wall_ratio``) and the last answers.
    """
    calls = {"ours": ours, "base": base, **({"attributed": attributed} if attributed else {})}
    wall = dict.fromkeys(calls, np.inf)
    cpu = dict.fromkeys(calls, np.inf)
    answers: dict[str, Any] = {}
    start = time.perf_counter()
    for k in range(repeat):
        if k and time.perf_counter() - start > BUDGET:  # a slow baseline (Bardoscia stepping at 10M): fewer repeats
            repeat = k
            break
        for name, call in calls.items():
            w, c = time.perf_counter(), time.process_time()
            answers[name] = call()
            w, c = time.perf_counter() - w, time.process_time() - c
            wall[name], cpu[name] = min(wall[name], w), min(cpu[name], c)
    out = {"repeat": repeat, "ours_s": wall["ours"], "base_s": wall["base"], "ours_cpu": cpu["ours"], "base_cpu": cpu["base"],
           "ratio": cpu["ours"] / max(cpu["base"], 1e-9), "wall_ratio": wall["ours"] / wall["base"], **answers}
    if attributed:
        out["attributed_ratio"] = cpu["attributed"] / max(cpu["base"], 1e-9)
    return out


def _note(what: str, out: dict[str, Any], detail: str) -> str:
    text = (f"{what}; {detail}; CPU dealweb {out['ours_cpu']:.3g} s, loop {out['base_cpu']:.3g} s (best of {out['repeat']}, "
            f"interleaved); wall ratio {out['wall_ratio']:.2f}")
    if "attributed_ratio" in out:
        text += f"; default call with top_source {out['attributed_ratio']:.2f}×"
    return text + f"; load {os.getloadavg()[0]:.2f}"


def _check(name: str, ok: bool, detail: str) -> None:
    if not ok:
        raise AssertionError(f"{name}: dealweb and the tight loop disagree ({detail}); no ratio reported")


def many_defaults_inputs(n_nodes: int, n_edges: int, *, seed: int = 0) -> tuple[sp.csr_array, np.ndarray]:
    """``(L, e)`` where many fail: the synthetic network's obligations, its outside assets halved with log-normal noise.

    ``e_i = 0.5 · (cash_i + revenue_external_i) · exp(0.5 Z_i)`` (:func:`dealweb.scale.synth.balance_sheets`,
    ``Z`` standard normal): about one node in four fails, over several default rounds, while Picard
    settles in a few dozen products, the case where each exact round's solve weighs most.
    """
    from dealweb.scale.synth import balance_sheets, synthetic_network

    net = synthetic_network(n_nodes, n_edges, seed=seed)
    (L, _), _ = clearing_inputs(net, seed=seed)
    sheets = balance_sheets(net, seed=seed)
    outside = (sheets["cash"] + sheets["revenue_external"]).to_numpy(dtype=np.float64)
    e = 0.5 * outside * np.exp(0.5 * np.random.default_rng([seed, 7]).standard_normal(L.shape[0]))
    return L, e


def _clearing(L: sp.csr_array, e: np.ndarray, repeat: int, label: str, target: float, what: str) -> Bar:
    from dealweb.contagion import eisenberg_noe

    out = measure(lambda: eisenberg_noe(L, e, attribute=False), lambda: tight_picard(L, e), repeat,
                  lambda: eisenberg_noe(L, e))
    res, (p, loss, products) = out["ours"], out["base"]
    scale = np.maximum(1.0, np.maximum(res.extra["obligations"], e))
    gap = float(np.max(np.abs(res.extra["payments"] - p) / scale, initial=0.0))
    _check(label, gap <= 1e-8 and np.allclose(res.loss, loss, rtol=1e-7, atol=1e-6 * float(scale.max())),
           f"largest payment gap {gap:.3g} of a node's scale")
    detail = f"{int(res.failed.sum())} fail, {res.rounds} FDA rounds vs {products} Picard products"
    return Bar(label, "tight SciPy Picard loop", out["ratio"], target, "×", note=_note(what, out, detail))


def _debtrank(args: tuple[Any, ...], variant: str, repeat: int, label: str) -> Bar:
    from dealweb.contagion import debtrank

    A, E, h1 = args
    kw: dict[str, Any] = {"variant": variant, "attribute": False}
    if variant == "bardoscia2015":
        kw.update(spectral_radius=False, max_iter=100_000)
        base: Callable[[], Any] = lambda: tight_bardoscia(A, E, h1)  # noqa: E731
    else:
        base = lambda: tight_battiston(A, E, h1)  # noqa: E731
    out = measure(lambda: debtrank(A, E, h1, **kw), base, repeat, lambda: debtrank(A, E, h1, **(kw | {"attribute": True})))
    res, (h, steps) = out["ours"], out["base"]
    gap = float(np.max(np.abs(res.relative_loss - h), initial=0.0))
    _check(label, gap <= (0.0 if variant == "battiston2012" else 1e-9), f"largest gap in h {gap:.3g}")
    detail = f"{int(res.failed.sum())} fail, {steps} loop steps"
    return Bar(label, f"tight SciPy {'wave' if variant == 'battiston2012' else 'update'} loop", out["ratio"],
               TARGET, "×", note=_note(label.split(",")[1].strip(), out, detail))


def _threshold(args: tuple[Any, ...], rule: str, repeat: int, label: str) -> Bar:
    from dealweb.contagion import threshold_cascade

    A, K, initial = args
    split = rule == "gai_kapadia"
    out = measure(lambda: threshold_cascade(A, K, initial, rule=rule, attribute=False),
                  lambda: tight_threshold(A, K, initial, equal_split=split), repeat,
                  lambda: threshold_cascade(A, K, initial, rule=rule))
    res, (loss, failed, rounds, extra) = out["ours"], out["base"]
    _check(label, bool(np.array_equal(res.failed, failed)) and np.allclose(res.loss, loss, rtol=1e-12, atol=0.0)
           and all(np.allclose(res.extra[k], v, rtol=1e-12, atol=0.0) for k, v in extra.items()),
           f"{int((res.failed != failed).sum())} nodes fail differently, or the extras differ")
    detail = f"{int(failed.sum())} fail in {rounds} rounds"
    return Bar(label, "tight SciPy round loop", out["ratio"], TARGET, "×",
               note=_note(label.split(",")[1].strip(), out, detail))


def rows_for(n_edges: int, repeat: int, *, seed: int = 0, show: Callable[[Bar], None] | None = None) -> list[Bar]:
    """The five kernel rows on ``synthetic_network(n_edges // 10, n_edges)`` (``show`` sees each as it is done)."""
    from dealweb.scale.synth import synthetic_network

    net = synthetic_network(max(n_edges // 10, 10), n_edges, seed=seed)
    size = f"{_label(n_edges)} edges"
    (L, e), _ = clearing_inputs(net, seed=seed)
    rows: list[Bar] = []

    def add(row: Bar) -> None:
        rows.append(row)
        if show:
            show(row)

    add(_clearing(L, e, repeat, f"Eisenberg–Noe, {size}", TARGET, size))
    del L, e
    dr, _ = debtrank_inputs(net, seed=seed)
    add(_debtrank(dr, "battiston2012", repeat, f"DebtRank Battiston, {size}"))
    add(_debtrank(dr, "bardoscia2015", repeat, f"DebtRank Bardoscia, {size}"))
    del dr
    th, _ = threshold_inputs(net, seed=seed)
    add(_threshold(th, "furfine", repeat, f"Furfine, {size}"))
    add(_threshold(th, "gai_kapadia", repeat, f"Gai–Kapadia, {size}"))
    return rows


def many_defaults_row(n_nodes: int, n_edges: int, repeat: int, *, seed: int = 0) -> Bar:
    L, e = many_defaults_inputs(n_nodes, n_edges, seed=seed)
    what = f"many defaults, {_label(n_nodes)} nodes, {_label(n_edges)} edges, log-normal outside assets"
    return _clearing(L, e, repeat, f"Eisenberg–Noe, {what.split(',')[0]}", MANY_TARGET, what)


def targets(quick: bool) -> list[Bar]:
    """Rows for ``make bench``: 100k, 1M and 10M edges and the many-defaults network (``quick``: ~10k edges)."""
    if quick:
        return [*rows_for(10_000, 2), many_defaults_row(3_000, 30_000, 2)]
    rows = []
    for n_edges, repeat in ((100_000, 7), (1_000_000, 5), (10_000_000, 3)):
        rows.extend(rows_for(n_edges, repeat))
    rows.append(many_defaults_row(300_000, 3_000_000, 3))
    return rows


def thread_check(n_edges: int, *, repeat: int = 5, seed: int = 0) -> dict[str, float]:
    """Best CPU and wall milliseconds of one ``Πᵀ @ x`` product on 1 and on 2 threads, interleaved (``--threads``).

    The measurement behind :func:`dealweb.contagion._exposures._threads`'s default of one thread.
    """
    from dealweb.contagion import _exposures
    from dealweb.scale.synth import synthetic_network

    (L, _), _ = clearing_inputs(synthetic_network(max(n_edges // 10, 10), n_edges, seed=seed), seed=seed)
    matrix = sp.csr_array(L.T)
    saved = _exposures._PARALLEL_NNZ, _exposures._threads
    try:
        _exposures._PARALLEL_NNZ, _exposures._threads = 1, lambda: 2
        two = _exposures.Product(matrix)
    finally:
        _exposures._PARALLEL_NNZ, _exposures._threads = saved
    one = _exposures.Product(matrix)
    x, out = np.random.default_rng(seed).random(matrix.shape[1]), np.empty(matrix.shape[0])
    inner = max(1, int(2e7 // max(n_edges, 1)))
    best = {k: [np.inf, np.inf] for k in ("1", "2")}
    for _ in range(repeat):
        for name, product in (("1", one), ("2", two)):
            w, c = time.perf_counter(), time.process_time()
            for _ in range(inner):
                product(x, out=out)
            w, c = (time.perf_counter() - w) / inner, (time.process_time() - c) / inner
            best[name] = [min(best[name][0], w), min(best[name][1], c)]
    return {"one_wall_ms": best["1"][0] * 1e3, "two_wall_ms": best["2"][0] * 1e3,
            "one_cpu_ms": best["1"][1] * 1e3, "two_cpu_ms": best["2"][1] * 1e3}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kernels_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100k,1M,10M", help="edge counts, e.g. 100k,1M,10M")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved repeats per measure (best of)")
    parser.add_argument("--many", default="300k,3M", help="nodes,edges of the many-defaults network ('' to skip)")
    parser.add_argument("--threads", action="store_true", help="only time one product on 1 and 2 threads per size")
    args = parser.parse_args(argv)
    load0 = os.getloadavg()[0]
    if args.threads:
        for text in args.sizes.split(","):
            r = thread_check(_size(text), repeat=args.repeat)
            print(f"{text.strip():>5} edges: one thread {r['one_wall_ms']:.3g} ms wall ({r['one_cpu_ms']:.3g} CPU), "
                  f"two threads {r['two_wall_ms']:.3g} ms wall ({r['two_cpu_ms']:.3g} CPU); load {os.getloadavg()[0]:.2f}",
                  flush=True)
        return 0
    print(f"contagion kernels vs tight SciPy loops · {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · "
          f"{os.cpu_count()} CPUs · load {load0:.2f}", flush=True)
    def show(row: Bar) -> None:
        print(f"{row.name:36} {row.measured:6.2f}× (≤ {row.target}×, {'holds' if row.holds else 'NO'})  {row.note}",
              flush=True)

    for text in args.sizes.split(","):
        if text.strip():
            rows_for(_size(text), args.repeat, show=show)
    if args.many.strip():
        nodes, edges = (_size(t) for t in args.many.split(","))
        show(many_defaults_row(nodes, edges, args.repeat))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
