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

__all__ = ["console", "err_console", "frame_rows", "print_error", "print_json", "print_rows"]

# Table view only: shorter headers and deal-kind labels so listings fit 80 columns.
# JSON and CSV always carry the full column names and values.
_HEADERS = {"announced": "date", "amount_usd": "amount", "qualifier": "qual", "confidence": "conf",
            "circular_share_of_inflow": "circular", "vendor_financed_direct": "vf direct",
            "vendor_financed_k": "vf cycles", "top_customer_share": "top cust.", "circularity_index": "index",
            "gross_volume": "gross", "circular_volume": "circular", "relative_loss": "of buffer",
            "mean_loss": "mean", "loss_p05": "p5", "loss_p50": "median", "loss_p95": "p95", "p_fail": "P(fail)",
            "p_new_failure": "P(new)", "horizon_years": "years", "baseline_shortfall": "short before",
            "loss": "shock loss"}
_SHORT = {"equity_investment": "equity", "compute_commitment": "compute", "chip_purchase": "chips",
          "revenue_share": "rev_share", "undisclosed": "undiscl.", "estimate": "est."}
_MAX_WORD = 40  # a one-word column up to this wide keeps its width (ids are never folded)
_KEEP_WIDTH = frozenset({"id", "rank", "announced", "date", "as_of", "amount_usd", "amount", "value", "volume", "when",
                         "bottleneck", "recycled", "gap_days", "circular", "index", "circular_share_of_inflow",
                         "vendor_financed_direct", "vendor_financed_k", "top_customer_share", "circularity_index",
                         "gross_volume", "circular_volume", "deals", "cycles", "inflow", "loss", "relative_loss",
                         "mean_loss", "loss_p05", "loss_p50", "loss_p95", "p_fail", "p_new_failure", "horizon_years",
                         "baseline_shortfall"})

console = Console(soft_wrap=False)
err_console = Console(stderr=True, soft_wrap=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def frame_rows(frame: Any) -> list[dict[str, Any]]:
    """Rows of a DataFrame as plain dicts, missing values as ``None``."""
    return [{str(k): v for k, v in row.items()} for row in frame.astype(object).where(frame.notna(), None)
            .to_dict(orient="records")]


def print_json(data: Any) -> None:
    """Machine-readable output on stdout (no colour, no wrapping)."""
    from dealweb.network.results import jsonable

    sys.stdout.write(json.dumps(jsonable(data), indent=2, ensure_ascii=False, default=_json_default,
                                allow_nan=False) + "\n")


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
        from dealweb.model.cells import safe_row

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow(safe_row(r.get(c) for c in columns))
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
    widths = [max([len(_HEADERS.get(c, c)), *(len(row[i]) for row in body)]) for i, c in enumerate(shown)]
    # Short columns (ids, dates, amounts) keep their width; the others share what is left of
    # the terminal and wrap at spaces, so no column is ever squeezed out of a narrow terminal.
    # A column of single words (ids, names of scenarios, kinds) is never cut mid-word either.
    kept = _kept_columns(shown, widths, body, console.width)
    caps = _share_width(shown, widths, console.width, kept)
    for c, width in zip(shown, widths, strict=True):
        numeric = c.endswith(("usd", "amount", "volume", "value", "paid", "received", "bottleneck", "recycled"))
        keep = c in kept
        table.add_column(_HEADERS.get(c, c), justify="right" if numeric else "left", overflow="fold",
                         no_wrap=keep, min_width=width if keep else None, max_width=None if keep else caps[c])
    for row in body:
        table.add_row(*(escape(text) for text in row))
    console.print(table)


def _kept_columns(columns: Sequence[str], widths: Sequence[int], body: Sequence[Sequence[str]], total: int) -> set[str]:
    """The columns shown at full width: the fixed ones, then one-word columns, narrowest first, while they fit."""
    kept = {c for c in columns if c in _KEEP_WIDTH}
    words = sorted((widths[i], c) for i, c in enumerate(columns)
                   if c not in kept and widths[i] <= _MAX_WORD and not any(" " in row[i] for row in body))

    def fits(keep: set[str]) -> bool:
        fixed = sum(w for c, w in zip(columns, widths, strict=True) if c in keep)
        return fixed + 6 * (len(columns) - len(keep)) + 3 * len(columns) <= total

    for _, column in words:
        if fits(kept | {column}):
            kept.add(column)
    return kept


def _share_width(columns: Sequence[str], widths: Sequence[int], total: int, kept: frozenset[str] | set[str]
                 = _KEEP_WIDTH) -> dict[str, int]:
    """Widths for the flexible columns: narrow ones get all they need, wide ones share the rest."""
    room = total - sum(w for c, w in zip(columns, widths, strict=True) if c in kept) - 3 * len(columns)
    flexible = sorted((w, c) for c, w in zip(columns, widths, strict=True) if c not in kept)
    caps: dict[str, int] = {}
    for left, (width, column) in zip(range(len(flexible), 0, -1), flexible, strict=True):
        caps[column] = max(6, min(width, room // left))
        room -= caps[column]
    return caps


def print_error(exc: DealwebError) -> None:
    """The one place a dealweb error becomes terminal text."""
    if isinstance(exc, ValidationError):
        n = len(exc.problems)
        err_console.print(f"Error: {n} problem{'s' if n != 1 else ''}; nothing was written.", markup=False)
        for p in exc.problems:
            err_console.print(f"  - {p}", markup=False, highlight=False)
    else:
        err_console.print(f"Error: {exc}", markup=False, highlight=False)
