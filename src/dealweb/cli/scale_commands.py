"""``dealweb load-network`` and ``dealweb synth``: networks from your own files, and large synthetic ones."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from dealweb.cli import app
from dealweb.cli.ledger_commands import JsonFlag
from dealweb.cli.output import console, err_console, print_json
from dealweb.errors import Problem, ValidationError

_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?(?:e\d+)?)\s*([kKmMgG]?)\s*$")
_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}


def parse_count(text: str, flag: str) -> int:
    """``1e6``, ``10M``, ``100k`` or ``2500`` as a whole number; anything else names the flag."""
    match = _SIZE.match(text)
    value = float(match.group(1)) * _UNITS[match.group(2).lower()] if match else -1.0
    if not match or value != int(value):
        raise ValidationError([Problem(flag, "", "count", f"{text!r} is not a whole number like 2500, 1e6 or 10M")])
    return int(value)


@contextmanager
def _progress(label: str, enabled: bool) -> Iterator[Any]:
    """A Rich progress bar on stderr fed by the loader's ``progress(done, total)`` callback."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


class _StageDisplay:
    """A ``progress(stage, fraction)`` callback (:mod:`dealweb.progress`) shown on stderr.

    On a terminal: a transient Rich line with a spinner, the stage name, a bar when the fraction is
    known, and the time spent in the stage. With ``log`` each stage that ends is also printed as
    ``stage: 1.2 s`` (kept in logs and pipes, where no live display is drawn).
    """

    def __init__(self, *, live: bool, log: bool) -> None:
        self.live, self.log = live, log
        self.stage: str | None = None
        self.started = 0.0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _StageDisplay:
        if self.live:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 TimeElapsedColumn(), console=err_console, transient=True)
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self._end_stage()
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stage: str, fraction: float | None) -> None:
        if stage != self.stage:
            self._end_stage()
            self.stage, self.started = stage, time.perf_counter()
            if self._bar is not None:
                self._task = self._bar.add_task(stage, total=None)
        if self._bar is not None:
            self._bar.update(self._task, total=None if fraction is None else 1.0, completed=fraction or 0.0)

    def print(self, text: str) -> None:
        """A line on stderr that stays (above the live display, if any)."""
        (self._bar.console if self._bar is not None else err_console).print(text, markup=False, highlight=False)

    def _end_stage(self) -> None:
        if self.stage is None:
            return
        if self.log:
            self.print(f"{self.stage}: {time.perf_counter() - self.started:.1f} s")
        if self._bar is not None:
            self._bar.remove_task(self._task)
        self.stage = None


@app.command("load-network")
def load_network(
    edges: Annotated[Path | None, typer.Argument(help="Edge list: .parquet, .csv or .tsv (not needed with --sql).")] = None,
    nodes: Annotated[Path | None, typer.Option("--nodes", help="Node table (.parquet/.csv): ids and attributes.")] = None,
    source: Annotated[str, typer.Option("--source", help="Column of the payer / debtor.")] = "source",
    target: Annotated[str, typer.Option("--target", help="Column of the recipient / creditor.")] = "target",
    amount: Annotated[str, typer.Option("--amount", help="Column of the amount.")] = "amount",
    node_id: Annotated[str, typer.Option("--node-id", help="Id column of the node table.")] = "id",
    sql: Annotated[str | None, typer.Option("--sql", help="DuckDB query giving the edge list (over files).")] = None,
    measures: Annotated[str | None, typer.Option(
        "--measures", help="Also run, comma-separated: scc, circularity, clearing, debtrank.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Load an edge list (and node table) into a network; print its summary, optionally run measures."""
    from dealweb.network import Network
    from dealweb.network.stats import network_stats
    from dealweb.scale.pipeline import MEASURES, run_measures

    wanted = [m.strip() for m in (measures or "").split(",") if m.strip()]
    unknown = [m for m in wanted if m not in MEASURES]
    if unknown:
        raise ValidationError([Problem("--measures", m, "unknown_measure", f"must be one of {', '.join(MEASURES)}")
                               for m in unknown])
    if (edges is None) == (sql is None):
        raise ValidationError([Problem("load-network", "", "one_input", "give either an EDGES file or --sql, not both")])
    if sql is not None:
        net = Network.from_query(sql, source=source, target=target, amount=amount, nodes=nodes, node_id=node_id)
    else:
        assert edges is not None
        with _progress(f"reading {edges.name}", not as_json and err_console.is_terminal) as update:
            net = Network.from_edges(edges, source=source, target=target, amount=amount, nodes=nodes, node_id=node_id,
                                     progress=update)
    summary = network_stats(net).headline()
    with _StageDisplay(live=not as_json and err_console.is_terminal, log=False) as display:
        results = run_measures(net, wanted, progress=display, on_stage=lambda timing: display.print(timing.line()))
    if as_json:
        print_json({"network": summary, "measures": results})
        return
    from rich.table import Table

    table = Table(title=f"network from {net.params.get('source', 'query')}", show_header=False, box=None)
    table.add_column("measure", no_wrap=True)
    table.add_column("value", justify="right", overflow="fold")
    for key, value in summary.items():
        table.add_row(key, _show(value))
    for name, head in results.items():
        for key, value in head.items():
            table.add_row(f"{name}: {key}", _show(value))
    console.print(table)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return str(value)


@app.command("synth")
def synth(
    output: Annotated[Path, typer.Option("--output", "-o", help="Edge list to write (.parquet).")],
    nodes: Annotated[str, typer.Option("--nodes", help="Number of nodes: 1e6, 100k, 2500.")] = "1e4",
    edges: Annotated[str, typer.Option("--edges", help="Number of edges: 1e7, 10M, 25000.")] = "1e5",
    seed: Annotated[int, typer.Option("--seed", help="Same sizes and seed, same network.")] = 0,
    nodes_out: Annotated[Path | None, typer.Option(
        "--nodes-out", help="Also write balance sheets (id, cash, revenue_external, equity…) here (.parquet).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Write a seeded synthetic money network (heavy-tailed, reciprocal pairs, loops) as Parquet."""
    from dealweb.scale.synth import write_synthetic

    n_nodes, n_edges = parse_count(nodes, "--nodes"), parse_count(edges, "--edges")
    with _StageDisplay(live=not as_json and err_console.is_terminal, log=True) as display:
        written = write_synthetic(output, n_nodes, n_edges, seed=seed, nodes_path=nodes_out, progress=display)
    if as_json:
        print_json({k: str(v) if isinstance(v, Path) else v for k, v in written.items()})
        return
    console.print(f"wrote {written['edges']:,} edges between {written['nodes']:,} nodes to {output}", markup=False,
                  highlight=False, soft_wrap=True)
    if nodes_out is not None:
        console.print(f"wrote balance sheets of {written['nodes']:,} nodes to {nodes_out}", markup=False,
                      highlight=False, soft_wrap=True)
