"""How the CLI shows things: Rich tables for people, JSON and CSV for pipes, errors on stderr.

Everything here turns library results into text; nothing decides anything.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dealweb.errors import DealwebError, ValidationError

__all__ = ["console", "err_console", "print_error", "print_json", "print_rows"]

# Table view only: shorter headers and deal-kind labels so listings fit 80 columns.
# JSON and CSV always carry the full column names and values.
_HEADERS = {"announced": "date", "amount_usd": "amount", "qualifier": "qual", "confidence": "conf"}
_SHORT = {"equity_investment": "equity", "compute_commitment": "compute", "chip_purchase": "chips",
          "revenue_share": "rev_share", "undisclosed": "undiscl.", "estimate": "est."}
_KEEP_WIDTH = frozenset({"id", "announced", "date", "as_of", "amount_usd", "amount", "value", "volume", "when"})

console = Console(soft_wrap=False)
err_console = Console(stderr=True, soft_wrap=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def print_json(data: Any) -> None:
    """Machine-readable output on stdout (no colour, no wrapping)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n")


def print_rows(
    rows: Sequence[dict[str, Any]],
    *,
    columns: Sequence[str],
    fmt: str = "table",
    title: str | None = None,
    table_columns: Sequence[str] | None = None,
    formatters: dict[str, Any] | None = None,
    empty: str = "nothing found",
) -> None:
    """Print a listing as a Rich table, JSON (all columns) or CSV (all columns)."""
    if fmt == "json":
        print_json([{c: r.get(c) for c in columns} for r in rows])
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: "" if r.get(c) is None else r.get(c) for c in columns})
        return
    if not rows:
        console.print(empty)
        return
    shown = list(table_columns or columns)
    formatters = formatters or {}
    def cell(c: str, value: Any) -> str:
        if c in formatters:
            return str(formatters[c](value))
        text = "" if value is None else str(value)
        return _SHORT.get(text, text) if c in ("kind", "qualifier") else text

    body = [[cell(c, r.get(c)) for c in shown] for r in rows]
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    for i, c in enumerate(shown):
        numeric = c.endswith(("usd", "amount", "volume", "value", "paid", "received"))
        prose = c in ("description", "name", "notes", "reason", "changed")
        widest = max((len(row[i]) for row in body), default=0)
        # Short columns (ids, dates, amounts) never shrink; long ones give way in a narrow terminal.
        table.add_column(_HEADERS.get(c, c), justify="right" if numeric else "left", overflow="fold" if prose else "ellipsis",
                         no_wrap=not prose, max_width=36 if prose else None,
                         min_width=widest if c in _KEEP_WIDTH else None)
    for row in body:
        table.add_row(*(escape(text) for text in row))
    console.print(table)


def print_error(exc: DealwebError) -> None:
    """The one place a dealweb error becomes terminal text."""
    if isinstance(exc, ValidationError):
        n = len(exc.problems)
        err_console.print(f"Error: {n} problem{'s' if n != 1 else ''}; nothing was written.", markup=False)
        for p in exc.problems:
            err_console.print(f"  - {p}", markup=False, highlight=False)
    else:
        err_console.print(f"Error: {exc}", markup=False, highlight=False)
