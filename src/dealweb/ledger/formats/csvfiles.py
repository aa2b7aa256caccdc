"""CSV: ``entities.csv``, ``deals.csv`` and ``financials.csv`` in one directory.

Columns are :data:`~dealweb.model.codec.ENTITY_COLUMNS`,
:data:`~dealweb.model.codec.DEAL_COLUMNS` and
:data:`~dealweb.model.codec.FINANCIAL_COLUMNS`, values as
:func:`~dealweb.model.codec.to_cells` writes them (UTF-8, comma-separated, ``\\n`` line
ends, cells quoted when needed). Writing always writes all three files, so an export
never leaves a stale file from an earlier one beside the new ones.

Reading takes a directory or explicit files. A file is recognised by its name
(``entities``/``nodes``/``elements``/``points``, ``deals``/``edges``/``connections``/
``links``, ``financials``) or, failing that, by its columns, so a Gephi, Kumu or
Flourish node and edge pair reads as it is (see :mod:`._tables` for the column
mapping). A UTF-8 byte-order mark is accepted. Problems are named by file and row as a
spreadsheet shows them, the header being row 1: ``"deals.csv row 7"``.

Cells are written spreadsheet-safe and read back exactly by :mod:`dealweb.model.cells`: a
text that a spreadsheet would run as a formula (``=…``, ``+…``, ``-…``, ``@…``) is written
with a leading ``'``, which reading drops again. Files are size-checked before reading
(:mod:`.limits`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from dealweb.ledger.formats._common import atomic_write, format_error
from dealweb.ledger.formats._tables import COLUMNS, ROLE_NAMES, ROLES, Table, read_tables, role_of
from dealweb.ledger.formats.limits import read_text
from dealweb.model.cells import read_cell, safe_row
from dealweb.model.codec import to_cells
from dealweb.model.recordset import RecordSet

__all__ = ["read_csv", "write_csv"]

_FILES = {role: f"{role}.csv" for role in ROLES}


def _load(path: Path) -> Table:
    """The header and rows of one CSV file; a FormatError when it is no CSV text."""
    if not path.is_file():
        raise format_error(path.name, "not_found", f"no such file: {path}")
    text = read_text(path)
    try:
        rows = [[read_cell(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), strict=True)]
    except csv.Error as exc:
        raise format_error(path.name, "csv", f"is not valid CSV: {exc}") from exc
    if not rows or not any(c.strip() for c in rows[0]):
        raise format_error(path.name, "empty", "has no header row; the first row must name the columns")
    if len(rows[0]) == 1 and (sep := next((s for s in ";\t" if s in rows[0][0]), None)):
        raise format_error(path.name, "csv", f"has one column only; it looks separated by {sep!r}, "
                                             "but dealweb reads comma-separated files")
    return Table(path.name, rows[0], list(enumerate(rows[1:], start=2)))


def _files_in(directory: Path) -> list[Path]:
    found = []
    for role in ROLES:
        for name in ROLE_NAMES[role]:
            candidate = directory / f"{name}.csv"
            if candidate.is_file():
                found.append(candidate)
                break
    if not any(role_of(p.stem, []) in ("entities", "deals") for p in found):
        raise format_error(directory.name or str(directory), "not_found",
                           f"has neither entities.csv nor deals.csv (nor nodes.csv/edges.csv): {directory}")
    return found


def read_csv(paths: Sequence[Path], context: RecordSet | None = None) -> RecordSet:
    """Read a CSV directory, or explicit CSV files, into a validated :class:`RecordSet`.

    Parameters
    ----------
    paths
        One directory, or one or more ``.csv`` files (at most one of each table).

    Raises
    ------
    FormatError
        A file is missing, not UTF-8, not CSV, lacks a required column, or two files
        hold the same table.
    ValidationError
        Rows break field or ledger rules; every problem is listed.
    """
    if len(paths) == 1 and paths[0].is_dir():
        paths = _files_in(paths[0])
    tables: list[tuple[str, Table]] = []
    for path in paths:
        table = _load(path)
        role = role_of(path.stem, table.header)
        clash = next((t.label for r, t in tables if r == role), None)
        if clash is not None:
            raise format_error(path.name, "files", f"holds {role} like {clash}; give one file per table")
        tables.append((role, table))
    return read_tables(tables, context)


def write_csv(records: RecordSet, path: Path) -> list[Path]:
    """Write ``entities.csv``, ``deals.csv`` and ``financials.csv`` into directory ``path``.

    The directory is created if needed; each file is written atomically.

    Returns
    -------
    list of Path
        The three files written.
    """
    if path.suffix.lower() == ".csv" or path.is_file():
        raise format_error(path.name, "csv_directory",
                           "the csv format writes a directory of entities.csv, deals.csv and financials.csv; "
                           "give a directory path")
    written = []
    for role, items in (("entities", records.entities), ("deals", records.deals), ("financials", records.financials)):
        target = path / _FILES[role]
        with atomic_write(target) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(COLUMNS[role])
            for record in items:
                cells = to_cells(record)
                writer.writerow(safe_row(cells[c] for c in COLUMNS[role]))
        written.append(target)
    return written
