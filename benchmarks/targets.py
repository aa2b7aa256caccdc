"""The performance bars of issue 17, each re-measured against its tight baseline in one run.

``python -m benchmarks.targets [--quick] [--only NAME[,NAME…]] [--json PATH]`` (``make bench``)
asks every module in :data:`SOURCES` for its :class:`Bar` rows and prints one table: the
measure, what it is compared with, the measured ratio (or time), the target and whether it holds,
with the date and the machine's load average before and after. Every ratio comes from a measure and
its baseline run side by side in the same invocation, on the same input; nothing here asserts a
timing (the tests only check that ``--quick`` runs and the table is well formed).

A source module exposes ``targets(quick: bool) -> list[Bar]``; ``quick`` picks small inputs so
the whole table runs in seconds (the smoke test uses it).

>>> Bar("demo", "a tight loop", 1.2, 1.5, "×", better="lower").holds
True
>>> Bar("demo", "a tight loop", 19.0, 20.0, "×", better="higher").holds
False
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

__all__ = ["SOURCES", "Bar", "collect", "main"]

#: Modules that contribute rows, in the order the table prints them.
SOURCES: tuple[str, ...] = (
    "benchmarks.kernels_bench",
    "benchmarks.circulation_bench",
    "benchmarks.montecarlo_bench",
)


@dataclass(frozen=True)
class Bar:
    """One measured bar: ``measured`` against ``target`` in ``unit`` (``"×"`` or ``"s"``).

    ``better="lower"``: the bar holds when measured ≤ target (a slowdown ratio, a time);
    ``better="higher"``: when measured ≥ target (a speed-up).
    """

    name: str
    baseline: str
    measured: float
    target: float
    unit: str
    better: Literal["lower", "higher"] = "lower"
    note: str = ""

    @property
    def holds(self) -> bool:
        return self.measured <= self.target if self.better == "lower" else self.measured >= self.target


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def collect(*, quick: bool = False, only: Sequence[str] | None = None) -> list[Bar]:
    """Every source's rows; a source that is missing or fails gives a row saying so."""
    rows: list[Bar] = []
    for name in SOURCES:
        short = name.rsplit(".", 1)[-1].removesuffix("_bench")
        if only and short not in only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            rows.append(Bar(short, "-", float("nan"), float("nan"), "", note=f"{name} does not exist yet"))
            continue
        if not hasattr(module, "targets"):
            rows.append(Bar(short, "-", float("nan"), float("nan"), "", note=f"{name} has no targets() yet"))
            continue
        rows.extend(module.targets(quick))
    return rows


def _fmt(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "-"
    return f"{value:.3g} s" if unit == "s" else f"{value:.2f}{unit}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.targets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs: a smoke run in seconds")
    parser.add_argument("--only", default="", help="comma-separated sources: kernels, circulation, montecarlo")
    parser.add_argument("--json", default=None, help="write the rows, date and load here")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    start, load0 = dt.datetime.now(dt.UTC), _load()
    rows = collect(quick=args.quick, only=only or None)
    load1 = _load()
    print(f"dealweb performance bars · {start:%Y-%m-%d %H:%M} UTC · {os.cpu_count()} CPUs · "
          f"load average {load0:.2f} before, {load1:.2f} after" + (" · quick inputs" if args.quick else ""))
    header = ("measure", "compared with", "measured", "target", "holds", "note")
    table = [header] + [
        (r.name, r.baseline, _fmt(r.measured, r.unit),
         ("≤ " if r.better == "lower" else "≥ ") + _fmt(r.target, r.unit) if r.target == r.target else "-",
         ("yes" if r.holds else "NO") if r.measured == r.measured else "-", r.note)
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(header))]
    for k, line in enumerate(table):
        print("  ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"date": start.isoformat(), "cpus": os.cpu_count(), "load_before": load0,
                       "load_after": load1, "quick": args.quick,
                       "rows": [asdict(r) | {"holds": r.holds} for r in rows]}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
