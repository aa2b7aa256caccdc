"""XLSX: one workbook with the sheets ``entities``, ``deals`` and ``financials``.

The sheets hold the same columns as the CSV files. Amounts are written as numbers when
a spreadsheet's floating point keeps them (the shortest form of the double reads back as
the same decimal: ``0.1`` yes, ``12345678901234567890.125`` no), otherwise as text, so
a journalist can sum a column and nothing is rounded on the way back. Dates stay text
(``2025-09`` is not a spreadsheet date). Text that starts with ``=`` is stored as text,
never as a formula.

Reading accepts the sheet names other tools use (``nodes``/``elements``/``points``,
``edges``/``connections``/``links``, matched without regard to case) and their columns
(see :mod:`._tables`). Cells that come back as numbers or dates are passed to the codec
as they are; it reads both. Problems are named ``"book.xlsx sheet deals row 7"``.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError, InvalidFileException

from dealweb.errors import FormatError, ValidationError
from dealweb.ledger.formats._common import NOUNS, atomic_write, format_error, single_path
from dealweb.ledger.formats._tables import COLUMNS, ROLE_NAMES, ROLES, Table, read_tables
from dealweb.ledger.formats.limits import check_zip
from dealweb.model.codec import Record, to_cells
from dealweb.model.recordset import RecordSet

__all__ = ["read_xlsx", "write_xlsx"]

_FLOAT_INT_LIMIT = 2**53  # integers below this are exact in a spreadsheet's IEEE double


def _value(record: Any, name: str, cell: str) -> Any:
    """A number when the spreadsheet's double holds it exactly, else the codec's text."""
    value = getattr(record, name)
    if not isinstance(value, Decimal):
        return cell
    number = float(value)
    if not math.isfinite(number) or Decimal(repr(number)) != value:
        return cell
    return int(value) if value == value.to_integral_value() and abs(number) < _FLOAT_INT_LIMIT else number


def write_xlsx(records: RecordSet, path: Path) -> list[Path]:
    """Write ``records`` to one workbook at ``path``, atomically.

    Raises
    ------
    FormatError
        A text holds a control character that XLSX cannot store.
    """
    book = Workbook()
    book.remove(book.active)
    sections: tuple[tuple[str, Sequence[Record]], ...] = (
        ("entities", records.entities), ("deals", records.deals), ("financials", records.financials))
    for role, items in sections:
        sheet = book.create_sheet(role)
        sheet.append(list(COLUMNS[role]))
        sheet.freeze_panes = "A2"
        for row, record in enumerate(items, start=2):
            cells = to_cells(record)
            for col, name in enumerate(COLUMNS[role], start=1):
                value = _value(record, name, cells[name])
                if value == "":
                    continue
                try:
                    cell = sheet.cell(row=row, column=col, value=value)
                except IllegalCharacterError as exc:
                    raise format_error(f"{NOUNS[type(record)]} {record.id}", "xlsx_character",
                                       "holds a control character that .xlsx cannot store", field=name) from exc
                if isinstance(value, str):
                    cell.data_type = "s"  # "=…" is text here, not a formula
    with atomic_write(path) as tmp:
        book.save(tmp)
    return [path]


def _clean(value: Any) -> Any:
    # An integral float below 2**53 is exact as an int; the codec then sees 5000000000,
    # not "5000000000.0", in text columns such as a numeric ticker.
    if isinstance(value, float) and value.is_integer() and abs(value) < _FLOAT_INT_LIMIT:
        return int(value)
    return value


def read_xlsx(paths: Sequence[Path], context: RecordSet | None = None) -> RecordSet:
    """Read one workbook into a validated :class:`RecordSet`.

    Raises
    ------
    FormatError
        The file is not an XLSX workbook, has no ``entities`` or ``deals`` sheet, or a
        sheet lacks a required column.
    ValidationError
        Rows break field or ledger rules; every problem is listed.
    """
    path = single_path(paths, "xlsx")
    check_zip(path)  # sizes from the zip directory, before anything is inflated
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise format_error(path.name, "xlsx", f"is not an .xlsx workbook ({exc})") from exc
    except Exception as exc:  # the XML parser refusing an entity bomb or an external entity (XXE), and the like
        raise format_error(path.name, "xlsx", f"is not a workbook dealweb can read ({type(exc).__name__}: "
                                              f"{str(exc)[:200]})") from None
    try:
        return _read_book(book, path, context)
    except (FormatError, ValidationError):
        raise
    except Exception as exc:  # as above, met while the sheets are parsed row by row
        raise format_error(path.name, "xlsx", f"is not a workbook dealweb can read ({type(exc).__name__}: "
                                              f"{str(exc)[:200]})") from None


def _read_book(book: Any, path: Path, context: RecordSet | None) -> RecordSet:
    try:
        by_name = {ws.title.strip().lower(): ws for ws in book.worksheets}
        tables: list[tuple[str, Table]] = []
        for role in ROLES:
            name = next((n for n in ROLE_NAMES[role] if n in by_name), None)
            if name is None:
                continue
            sheet = by_name[name]
            rows = [tuple(_clean(v) for v in row) for row in sheet.iter_rows(values_only=True)]
            label = f"{path.name} sheet {sheet.title}"
            if not rows or not any(c is not None and str(c).strip() for c in rows[0]):
                raise format_error(label, "empty", "has no header row; the first row must name the columns")
            tables.append((role, Table(label, rows[0], list(enumerate(rows[1:], start=2)))))
    finally:
        book.close()
    if not any(role in ("entities", "deals") for role, _ in tables):
        raise format_error(path.name, "xlsx", f"has no sheet named entities or deals (sheets: "
                                              f"{', '.join(ws for ws in by_name) or 'none'})")
    return read_tables(tables, context)
