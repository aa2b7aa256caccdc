"""Downloads: the deals table as CSV or XLSX, and the whole ledger in any export format.

The deals table holds the columns of ``deals.csv`` plus ``counted_usd``, one row per deal,
cells written by :func:`dealweb.model.codec.to_cells` (sources joined with ``" ;; "``).
Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so text
cells that start so get a leading ``'`` in the CSV (OWASP "CSV injection",
:func:`dealweb.model.cells.safe_cell`, the rule of every CSV writer), and the XLSX
stores every text as text, never as a formula. Whole-ledger exports go through
:func:`dealweb.ledger.formats.write` unchanged (a multi-file format comes as a zip).

>>> import dealweb
>>> text = deals_csv(dealweb.bundled_records().deals[:1], {}).decode("utf-8-sig")
>>> text.splitlines()[0].split(",")[:3]
['id', 'announced', 'kind']
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from dealweb.ledger.formats import FORMATS, write
from dealweb.model.cells import safe_row
from dealweb.model.codec import DEAL_COLUMNS, to_cells
from dealweb.model.records import Deal
from dealweb.model.recordset import RecordSet

__all__ = ["EXPORT_MEDIA", "TABLE_COLUMNS", "deals_csv", "deals_xlsx", "export_file"]

TABLE_COLUMNS = (*DEAL_COLUMNS, "counted_usd")
_NUMERIC = frozenset({"amount_usd", "amount_original", "low_usd", "high_usd", "stake_pct", "horizon_years", "counted_usd"})
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Export format → (media type, file name suffix).
EXPORT_MEDIA: dict[str, tuple[str, str]] = {
    "csv": ("application/zip", ".zip"), "xlsx": (XLSX_MEDIA, ".xlsx"), "json": ("application/json", ".json"),
    "ftm": ("application/x-ndjson", ".ftm.json"), "gexf": ("application/xml", ".gexf"),
    "graphml": ("application/xml", ".graphml"), "cyjs": ("application/json", ".cyjs"),
}
assert set(EXPORT_MEDIA) == set(FORMATS)


def _cells(deal: Deal, counted: dict[str, float]) -> dict[str, str]:
    cells = to_cells(deal)
    cells["counted_usd"] = format(Decimal(repr(counted.get(deal.id, 0.0))).normalize(), "f")
    return cells


def deals_csv(deals: Sequence[Deal], counted: dict[str, float]) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so Excel reads the accents) of ``deals``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TABLE_COLUMNS)
    for d in deals:
        cells = _cells(d, counted)
        writer.writerow(safe_row(cells[c] for c in TABLE_COLUMNS))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def deals_xlsx(deals: Sequence[Deal], counted: dict[str, float]) -> bytes:
    """One workbook, sheet ``deals``: numbers as numbers, every text stored as text."""
    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = "deals"
    sheet.append(list(TABLE_COLUMNS))
    sheet.freeze_panes = "A2"
    for row, d in enumerate(deals, start=2):
        cells = _cells(d, counted)
        for col, name in enumerate(TABLE_COLUMNS, start=1):
            text = cells[name]
            if text == "":
                continue
            if name in _NUMERIC:
                sheet.cell(row=row, column=col, value=float(text))
            else:
                cell = sheet.cell(row=row, column=col, value=_printable(text))
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _printable(text: str) -> str:
    # XLSX cannot hold most C0 control characters; the CSV keeps them.
    return "".join(ch if ch in "\t\n\r" or ord(ch) >= 32 else "\ufffd" for ch in text)


def export_file(records: RecordSet, fmt: str) -> tuple[bytes, str, str]:
    """The whole ledger in ``fmt``: ``(content, media type, file name)``. CSV comes as a zip
    of ``entities.csv``, ``deals.csv`` and ``financials.csv``."""
    media, suffix = EXPORT_MEDIA[fmt]
    name = f"dealweb-export{suffix}"
    with tempfile.TemporaryDirectory(prefix="dealweb-export-") as tmp:
        target = Path(tmp) / ("dealweb-export" if fmt == "csv" else name)
        written = write(records, target, format=fmt)
        if fmt != "csv":
            return target.read_bytes(), media, name
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(written):
                archive.write(path, arcname=Path(path).name)
        return buffer.getvalue(), media, name
