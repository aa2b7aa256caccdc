"""Spreadsheet-safe CSV cells: the one rule every CSV writer and reader of dealweb applies.

Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts with ``=``, ``+``,
``-`` or ``@`` — and, in some, a tab or carriage return — as a formula, so a deal description
such as ``=HYPERLINK("http://evil", "click")`` or ``=cmd|' /C calc'!A0`` would run when an
analyst opens an exported CSV. Following OWASP's advice on CSV injection, :func:`safe_cell`
puts a single quote ``'`` before such a cell; spreadsheets show the text and run nothing.

Plain numbers (``-5``, ``+1.5e3``) are left alone: they are not formulas, and escaping them
would turn numbers into text. A cell that itself starts with a quote is escaped too, so that
:func:`read_cell`, which dealweb's CSV importer applies to every cell, gives back exactly the
text that was written: ``read_cell(safe_cell(t)) == t`` for every string ``t``.

Examples
--------
>>> safe_cell("=SUM(A1:A2)"), safe_cell("@cmd"), safe_cell("-5"), safe_cell("plain")
("'=SUM(A1:A2)", "'@cmd", '-5', 'plain')
>>> read_cell("'=SUM(A1:A2)"), read_cell("'quoted'")
('=SUM(A1:A2)', "'quoted'")
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FORMULA_START", "read_cell", "safe_cell", "safe_row"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_ESCAPED = (*FORMULA_START, "'")


def safe_cell(value: Any) -> str:
    """The text to write in a CSV cell for ``value`` (``None`` is empty), quoted if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    if text.startswith("'") and text[1:2] and text[1:].startswith(_ESCAPED):
        return "'" + text
    return text


def read_cell(text: str) -> str:
    """Undo :func:`safe_cell`: drop the quote it added (and only that)."""
    if text.startswith("'") and text[1:].startswith(_ESCAPED):
        return text[1:]
    return text


def safe_row(values: Any) -> list[str]:
    """:func:`safe_cell` of each value of a row."""
    return [safe_cell(v) for v in values]
