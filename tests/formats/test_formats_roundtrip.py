"""Write then read gives the same records, in every format that reads; the registry dispatches."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from formats_sample import sample_records
from hypothesis import given, settings

from dealweb.errors import FormatError
from dealweb.ledger import formats
from dealweb.ledger.formats import FORMATS, Format, detect_format, read, write
from dealweb.model import RecordSet
from strategies import record_sets

READABLE = {"csv": "web", "xlsx": "web.xlsx", "json": "web.json", "ftm": "web.ftm.json"}


@pytest.fixture
def records() -> RecordSet:
    return sample_records()


def test_public_names_are_pinned() -> None:
    assert formats.__all__ == ["FORMATS", "Format", "detect_format", "read", "write"]
    assert sorted(FORMATS) == ["csv", "cyjs", "ftm", "gexf", "graphml", "json", "xlsx"]
    assert all(isinstance(f, Format) and f.writer and f.description for f in FORMATS.values())
    assert {n for n, f in FORMATS.items() if f.reader is None} == {"gexf", "graphml", "cyjs"}


@pytest.mark.parametrize("fmt", sorted(READABLE))
def test_sample_round_trips_exactly(fmt: str, tmp_path: Path, records: RecordSet) -> None:
    target = tmp_path / READABLE[fmt]
    written = write(records, target)
    assert all(p.exists() for p in written)
    back = read(target)
    assert back == records
    assert back.deals[0].amount_usd == Decimal("123456789012345.678125")  # D4, sorted first by date
    assert not [p for p in tmp_path.rglob("*.tmp")]


@settings(max_examples=40, deadline=None)
@given(records=record_sets())
def test_generated_record_sets_round_trip(records: RecordSet) -> None:
    # One drawn record set through every readable format: drawing costs more than writing.
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, name in READABLE.items():
            target = Path(tmp) / name
            write(records, target, format=fmt)
            assert read(target, format=fmt) == records, fmt


def test_csv_writes_our_columns_exactly(tmp_path: Path, records: RecordSet) -> None:
    from dealweb.model.codec import DEAL_COLUMNS, ENTITY_COLUMNS, FINANCIAL_COLUMNS

    written = write(records, tmp_path / "out")
    assert [p.name for p in written] == ["entities.csv", "deals.csv", "financials.csv"]
    heads = [p.read_text(encoding="utf-8").split("\n", 1)[0] for p in written]
    assert heads == [",".join(ENTITY_COLUMNS), ",".join(DEAL_COLUMNS), ",".join(FINANCIAL_COLUMNS)]


def test_csv_reads_explicit_files_and_a_bom(tmp_path: Path, records: RecordSet) -> None:
    entities, deals, financials = write(records, tmp_path / "out")
    deals.write_bytes(b"\xef\xbb\xbf" + deals.read_bytes())
    assert read([entities, deals, financials]) == records
    assert read([entities, deals]) == RecordSet(records.entities, records.deals, ())


def test_xlsx_keeps_numbers_as_numbers_only_when_exact(tmp_path: Path, records: RecordSet) -> None:
    from openpyxl import load_workbook

    write(records, tmp_path / "web.xlsx")
    sheet = load_workbook(tmp_path / "web.xlsx")["deals"]
    header = [c.value for c in sheet[1]]
    amounts = {row[0]: row[header.index("amount_usd")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert amounts["D1"] == 100_000_000_000 and isinstance(amounts["D1"], int)
    assert amounts["D5"] == 0.001
    assert amounts["D4"] == "123456789012345.678125"  # too many digits for a double
    assert amounts["D3"] is None


def test_json_document_shape_and_exact_numbers(tmp_path: Path, records: RecordSet) -> None:
    path = write(records, tmp_path / "web.json")[0]
    text = path.read_text(encoding="utf-8")
    assert '"amount_usd": 123456789012345.678125' in text
    doc = json.loads(text)
    assert (doc["format"], doc["version"], list(doc)) == ("dealweb", 1, ["format", "version", "entities", "deals",
                                                                        "financials"])
    assert doc["deals"][0]["sources"] == [{"outlet": "Chips 10-Q", "title": "", "date": "", "url": ""}]


def test_json_reads_cell_form_too(tmp_path: Path, records: RecordSet) -> None:
    from dealweb.model import to_cells

    doc = {"format": "dealweb", "version": 1, "entities": [to_cells(e) for e in records.entities],
           "deals": [to_cells(d) for d in records.deals], "financials": [to_cells(f) for f in records.financials]}
    path = tmp_path / "cells.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert read(path) == records


@pytest.mark.parametrize(("name", "expected"), [
    ("a.csv", "csv"), ("A.XLSX", "xlsx"), ("a.json", "json"), ("a.ftm.json", "ftm"), ("a.ftm", "ftm"),
    ("a.ijson", "ftm"), ("a.gexf", "gexf"), ("a.graphml", "graphml"), ("a.cyjs", "cyjs"), ("new-dir", "csv"),
])
def test_detect_format(name: str, expected: str, tmp_path: Path) -> None:
    assert detect_format(tmp_path / name) == expected


def test_detect_format_directory_and_unknown(tmp_path: Path) -> None:
    assert detect_format(tmp_path) == "csv"
    with pytest.raises(FormatError) as err:
        detect_format(tmp_path / "deals.txt")
    assert str(err.value) == (
        "1 problem: deals.txt: cannot tell the format from the name; use a directory (csv) or one of .csv, .xlsx, "
        ".json, .ftm.json, .ftm, .ijson, .gexf, .graphml, .cyjs, .cyjs.json, or name the format "
        "(csv, xlsx, json, ftm, gexf, graphml, cyjs) [unknown_format]")


def test_read_rejects_export_only_and_unknown_formats(tmp_path: Path, records: RecordSet) -> None:
    write(records, tmp_path / "web.gexf")
    with pytest.raises(FormatError, match=r"web\.gexf: gexf is an export format and cannot be read \[export_only\]"):
        read(tmp_path / "web.gexf")
    with pytest.raises(FormatError, match=r"'dot' is not a format; use one of csv, xlsx"):
        read(tmp_path / "web.gexf", format="dot")


def test_csv_write_wants_a_directory(tmp_path: Path, records: RecordSet) -> None:
    with pytest.raises(FormatError, match=r"deals\.csv: the csv format writes a directory"):
        write(records, tmp_path / "deals.csv")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, records: RecordSet,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "web.json"
    write(records, target)
    before = target.read_bytes()

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("dealweb.ledger.formats.jsondoc.dumps_exact", boom)
    with pytest.raises(RuntimeError):
        write(RecordSet(), target)
    assert target.read_bytes() == before

    def half(self: Path, *args: object, **kwargs: object) -> None:
        Path.write_bytes(self, b"{half")
        raise OSError("disk full")

    monkeypatch.undo()
    monkeypatch.setattr(Path, "write_text", half)
    with pytest.raises(OSError):
        write(RecordSet(), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["web.json"]


def test_bundled_dataset_round_trips_through_every_format(tmp_path: Path) -> None:
    from dealweb.ledger.bundled import bundled_records

    records = bundled_records()
    for fmt, name in READABLE.items():
        write(records, tmp_path / name)
        assert read(tmp_path / name) == records, fmt


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_stays_text(fmt: str, tmp_path: Path, records: RecordSet) -> None:
    deal = records.deals[0].evolve(description="=HYPERLINK(\"x\")", id="D0")
    changed = RecordSet.of(records.entities, (*records.deals, deal), records.financials)
    write(changed, tmp_path / READABLE[fmt])
    assert read(tmp_path / READABLE[fmt]) == changed
