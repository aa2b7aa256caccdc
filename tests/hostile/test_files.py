"""Hostile files: every one is generated here, and each gives a clear error naming file and rule, fast.

Deep JSON, repeated keys, 5,000-digit numbers, Latin-1, YAML alias bombs, XLSX decompression
and entity bombs, XXE, spreadsheet formulas, silent-loss cases of FtM and CSV.
"""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from dealweb.errors import FormatError, ValidationError
from dealweb.ledger.formats import read, write
from dealweb.ledger.formats.limits import MAX_JSON_DEPTH, MAX_ZIP_ENTRIES
from dealweb.model import Deal, Entity, RecordSet, Source
from dealweb.model.cells import read_cell, safe_cell
from dealweb.stress import load_scenario

SRC = (Source(url="https://example.com/a"),)
ENTITIES = "id,name\na,A\nb,B\n"
DEALS_HEAD = "id,announced,kind,payer,recipient,amount_usd,qualifier,sources\n"


def _rules(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.rule for p in exc.value.problems}


def _doc(deals: str = "[]") -> str:
    return '{"format": "dealweb", "version": 1, "entities": [], "deals": ' + deals + "}"


# ------------------------------------------------------------------ JSON

@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_deep_json_is_refused(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.json"
    path.write_text(_doc("[" * depth + "]" * depth))
    with pytest.raises(FormatError) as info:
        read(path)
    assert _rules(info) == {"too_deep"}


def test_deep_ftm_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.ftm.json"
    path.write_text('{"id": "x", "schema": "Company", "properties": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    with pytest.raises(FormatError) as info:
        read(path)
    assert [p.where for p in info.value.problems] == ["deep.ftm.json line 1"] and _rules(info) == {"too_deep"}


def test_repeated_json_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.json"
    path.write_text('{"format": "dealweb", "format": "dealweb", "version": 1}')
    with pytest.raises(FormatError, match="appears twice"):
        read(path)


def test_a_5000_digit_integer_in_json_names_its_field(tmp_path: Path) -> None:
    deal = {"id": "D1", "announced": "2025", "kind": "debt", "payer": "a", "recipient": "b", "qualifier": "exact",
            "sources": ["https://example.com/a"]}
    text = json.dumps({"format": "dealweb", "version": 1, "entities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
                       "deals": [deal]}).replace('"qualifier"', '"amount_usd": ' + "9" * 5000 + ', "qualifier"')
    path = tmp_path / "big.json"
    path.write_text(text)
    with pytest.raises(ValidationError) as info:
        read(path)
    assert [(p.field, p.rule) for p in info.value.problems] == [("amount_usd", "amount_range")]


@pytest.mark.parametrize("amount", ["1e400", "1e308", "-1e400", "NaN", "Infinity"])
def test_amounts_outside_the_domain_in_csv(tmp_path: Path, amount: str) -> None:
    (tmp_path / "entities.csv").write_text(ENTITIES)
    (tmp_path / "deals.csv").write_text(DEALS_HEAD + f"D1,2025,debt,a,b,{amount},exact,https://example.com/a\n")
    with pytest.raises(ValidationError) as info:
        read(tmp_path)
    assert _rules(info) & {"amount_range", "negative_amount", "number"}


@pytest.mark.parametrize("name", ["entities.csv", "x.json", "x.ftm.json"])
def test_latin1_files_are_an_encoding_error(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    target.write_bytes("id,name\nnestl\u00e9,Nestl\u00e9\n".encode("latin-1"))
    with pytest.raises(FormatError) as info:
        read(target if name != "entities.csv" else tmp_path)
    assert _rules(info) == {"encoding"} and "UTF-8" in str(info.value)


# ------------------------------------------------------------------ scenarios (YAML/JSON)

def test_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    lines = ["a: &a ['x','x','x','x','x','x','x','x','x']"]
    for k in range(1, 12):
        lines.append(f"{chr(97 + k)}: &{chr(97 + k)} [" + ",".join([f"*{chr(96 + k)}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nname: bomb\nshocks: [{entity: x, fails: true}]\n")
    start = time.monotonic()
    with pytest.raises(FormatError, match="aliases"):
        load_scenario(path)
    assert time.monotonic() - start < 2


@pytest.mark.parametrize(("text", "suffix", "rule"), [
    ("name: a\nname: b\nshocks: [{entity: x, fails: true}]\n", ".yaml", "yaml"),
    ('{"name": "a", "name": "b", "shocks": []}', ".json", "json"),
    ("name: t\nshocks: [{entity: x, fails: true}]\nas_of: 2025-13-40\n", ".yaml", "date"),
    ("name: t\nshocks: [{entity: x, fails: true}]\nhorizon: 1.0e+20\n", ".yaml", "horizon"),
    ('{"name": "t", "shocks": [{"entity": "x", "fails": true}], "horizon": 1e20}', ".json", "horizon"),
])
def test_bad_scenarios_are_clear_errors(tmp_path: Path, text: str, suffix: str, rule: str) -> None:
    path = tmp_path / f"s{suffix}"
    path.write_text(text)
    with pytest.raises(ValidationError) as info:
        load_scenario(path)
    assert rule in _rules(info), info.value


def test_twenty_thousand_shocks_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"name": "many", "shocks": [{"entity": "x", "fails": True}] * 20_000}))
    with pytest.raises(ValidationError) as info:
        load_scenario(path)
    assert "too_many" in _rules(info)


def test_latin1_scenario_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("name: t\ntitle: Soci\u00e9t\u00e9\nshocks: [{entity: x, fails: true}]\n".encode("latin-1"))
    with pytest.raises(FormatError) as info:
        load_scenario(path)
    assert _rules(info) == {"encoding"}


# ------------------------------------------------------------------ XLSX

def _workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "entities"
    sheet.append(["id", "name"])
    sheet.append(["a", "A"])
    book.save(path)


def _rewrite(path: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path) as old:
        parts = {i.filename: old.read(i) for i in old.infolist()}
    parts.update(replace)
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


def test_xlsx_decompression_bomb_is_refused_from_the_directory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _workbook(path)
    _rewrite(path, {}, {"xl/media/zeros.bin": b"\0" * (40 * 2**20)})  # 40 MB that deflates to ~40 KB
    start = time.monotonic()
    with pytest.raises(FormatError, match="decompression bomb") as info:
        read(path)
    assert _rules(info) == {"too_large"} and time.monotonic() - start < 2


def test_xlsx_with_too_many_parts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "parts.xlsx"
    _workbook(path)
    _rewrite(path, {}, {f"xl/junk/{i}.xml": b"<a/>" for i in range(MAX_ZIP_ENTRIES + 1)})
    with pytest.raises(FormatError) as info:
        read(path)
    assert _rules(info) == {"too_large"}


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>',
    '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
])
def test_xlsx_entity_bombs_and_xxe_are_format_errors(tmp_path: Path, doctype: str) -> None:
    path = tmp_path / "evil.xlsx"
    _workbook(path)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    entity = "&f;" if "ENTITY f" in doctype else "&xxe;"
    head, body = sheet.split("?>", 1) if sheet.startswith("<?xml") else ("", sheet)
    evil = (head + "?>" if head else "") + doctype + body.replace(">A<", f">{entity}<")
    _rewrite(path, {"xl/worksheets/sheet1.xml": evil.encode()})
    start = time.monotonic()
    with pytest.raises(ValidationError) as info:
        read(path)
    assert time.monotonic() - start < 5
    assert "root:" not in str(info.value)


def test_not_a_zip_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 this is no zip")
    with pytest.raises(FormatError):
        read(path)


# ------------------------------------------------------------------ spreadsheet formulas

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3",
            "=cmd|' /C calc'!A0", "\tTAB", "'=already quoted", "'", "-5", "plain"]


@pytest.mark.parametrize("text", FORMULAS)
def test_safe_cell_round_trips_and_defuses(text: str) -> None:
    cell = safe_cell(text)
    assert read_cell(cell) == text
    assert not cell.startswith(("=", "+", "@", "\t")) and (not cell.startswith("-") or cell == "-5")


def test_csv_export_is_spreadsheet_safe_and_reads_back(tmp_path: Path) -> None:
    entities = [Entity("a", "=A()", notes="@notes"), Entity("b", "+B")]
    deals = [Deal(f"D{i}", "2025", "debt", "a", "b", 5, "exact", sources=SRC, description=text)
             for i, text in enumerate(FORMULAS) if text == text.strip()]  # the codec strips cells
    records = RecordSet.of(entities, deals)
    write(records, tmp_path / "out")
    for name in ("entities.csv", "deals.csv"):
        for row in csv.reader(io.StringIO((tmp_path / "out" / name).read_text())):
            assert not any(cell.startswith(("=", "+", "@", "\t")) for cell in row), row
    assert read(tmp_path / "out") == records


# ------------------------------------------------------------------ no silent loss

def test_two_csv_rows_with_one_id_are_both_named(tmp_path: Path) -> None:
    (tmp_path / "entities.csv").write_text(ENTITIES)
    (tmp_path / "deals.csv").write_text(DEALS_HEAD + "D1,2025,debt,a,b,5,exact,https://example.com/a\n"
                                        "D1,2025,debt,b,a,7,exact,https://example.com/b\n")
    with pytest.raises(ValidationError) as info:
        read(tmp_path)
    assert [(p.where, p.rule) for p in info.value.problems] == [("deals.csv row 2, deals.csv row 3", "duplicate_id")]


def _ftm(tmp_path: Path, *lines: dict[str, object]) -> Path:
    path = tmp_path / "x.ftm.json"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_unknown_ftm_schema_is_a_problem_not_a_skip(tmp_path: Path) -> None:
    path = _ftm(tmp_path, {"id": "a", "schema": "Company", "properties": {"name": ["A"]}},
                {"id": "v", "schema": "Vessel", "properties": {"name": ["Boat"]}})
    with pytest.raises(ValidationError) as info:
        read(path)
    assert [(p.where, p.rule) for p in info.value.problems] == [("x.ftm.json line 2", "ftm_schema")]


def test_ftm_id_that_disagrees_with_its_record_is_refused(tmp_path: Path) -> None:
    records = RecordSet.of([Entity("a", "A"), Entity("b", "B")])
    write(records, tmp_path / "good.ftm.json")
    lines = [json.loads(x) for x in (tmp_path / "good.ftm.json").read_text().splitlines()]
    lines[1]["id"] = "a"  # entity b's line now claims to be a: it would rename a
    path = _ftm(tmp_path, *lines)
    with pytest.raises(ValidationError) as info:
        read(path)
    assert {"ftm_id", "duplicate_id"} & _rules(info)


def test_repeated_ftm_ids_are_refused(tmp_path: Path) -> None:
    line = {"id": "a", "schema": "Company", "properties": {"name": ["A"]}}
    with pytest.raises(ValidationError) as info:
        read(_ftm(tmp_path, line, line))
    assert [(p.where, p.rule) for p in info.value.problems] == [("x.ftm.json line 2", "duplicate_id")]
