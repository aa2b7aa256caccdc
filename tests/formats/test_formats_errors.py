"""Malformed inputs fail with every problem, each named by file, row and column, in exact words."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from dealweb.errors import FormatError, ValidationError
from dealweb.ledger.formats import read

ENTITIES = "id,name\na,A\nb,B\n"
HEADER = "id,announced,kind,payer,recipient,amount_usd,qualifier,sources\n"
KINDS = ("equity_investment, compute_commitment, chip_purchase, warrant, debt, lease, backstop, revenue_share, "
         "licensing, jv, acquisition")


def _read_csv(tmp_path: Path, deals: str, entities: str = ENTITIES) -> list[str]:
    """Read a CSV pair that must fail; the problems as text."""
    (tmp_path / "entities.csv").write_text(entities, encoding="utf-8")
    (tmp_path / "deals.csv").write_text(deals, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read(tmp_path)
    return [str(p) for p in err.value.problems]


def _format_error(path: Path) -> str:
    with pytest.raises(FormatError) as err:
        read(path)
    return str(err.value)


def test_missing_required_column_rejects_the_file(tmp_path: Path) -> None:
    (tmp_path / "entities.csv").write_text(ENTITIES, encoding="utf-8")
    (tmp_path / "deals.csv").write_text("id,announced,kind,payer,amount_usd\nD1,2025,debt,a,5\n", encoding="utf-8")
    assert _format_error(tmp_path) == (
        "1 problem: deals.csv: is missing the required columns 'recipient', 'qualifier', 'sources' [missing_column]")


def test_bad_date(tmp_path: Path) -> None:
    assert _read_csv(tmp_path, HEADER + "D1,2025-13,debt,a,b,5,exact,Wire\n") == [
        "deals.csv row 2, announced: month 13 is not 1–12 [date]"]


def test_negative_amount(tmp_path: Path) -> None:
    assert _read_csv(tmp_path, HEADER + "D1,2025,debt,a,b,5,exact,Wire\nD2,2025,debt,a,b,-5,exact,Wire\n") == [
        "deals.csv row 3, amount_usd: -5 is negative; amounts are zero or more [negative_amount]"]


def test_unknown_entity(tmp_path: Path) -> None:
    assert _read_csv(tmp_path, HEADER + "D1,2025,debt,ghost,b,5,exact,Wire\n") == [
        "deals.csv row 2, payer: 'ghost' is not an entity in the ledger [unknown_entity]"]


def test_duplicate_id_names_both_rows(tmp_path: Path) -> None:
    assert _read_csv(tmp_path, HEADER + "D1,2025,debt,a,b,5,exact,Wire\nD1,2025,lease,b,a,6,exact,Wire\n") == [
        "deals.csv row 2, deals.csv row 3, id: the id 'D1' is used 2 times [duplicate_id]"]


def test_a_row_with_three_problems_reports_all_three(tmp_path: Path) -> None:
    assert _read_csv(tmp_path, HEADER + "D1,2025,debt,a,b,5,exact,Wire\nD2,2025-13,loan,a,b,-5,exact,Wire\n") == [
        "deals.csv row 3, announced: month 13 is not 1–12 [date]",
        f"deals.csv row 3, kind: 'loan' is not one of: {KINDS} [vocabulary]",
        "deals.csv row 3, amount_usd: -5 is negative; amounts are zero or more [negative_amount]",
    ]


def test_every_row_is_reported_in_file_order(tmp_path: Path) -> None:
    problems = _read_csv(
        tmp_path,
        HEADER.strip() + ",part_of\n"
        "D1,2025,debt,a,a,5,exact,Wire,D2\nD2,2025,debt,a,b,,exact,,D1\nD3,2025-02-30,debt,a,zz,5,maybe,Wire,\n",
        entities="id,name,country\na,A,USA\nb,,\n",
    )
    assert problems == [
        "entities.csv row 2, country: 'USA' is not a two-letter ISO 3166 code [country]",
        "entities.csv row 3, name: is required and empty [required]",
        "deals.csv row 2, recipient: payer and recipient are both 'a' [same_party]",
        "deals.csv row 2, part_of: its part_of links go round in a circle [part_of_cycle]",
        "deals.csv row 3, amount_usd: is empty but the qualifier is 'exact'; give an amount or use 'undisclosed' "
        "[missing_amount]",
        "deals.csv row 3, sources: every deal needs at least one source (a URL or outlet and title) [missing_source]",
        "deals.csv row 3, part_of: its part_of links go round in a circle [part_of_cycle]",
        "deals.csv row 4, announced: day 30 does not exist in 2025-02 [date]",
        "deals.csv row 4, qualifier: 'maybe' is not one of: exact, up_to, estimate, undisclosed [vocabulary]",
        "deals.csv row 4, recipient: 'zz' is not an entity in the ledger [unknown_entity]",
    ]


def test_an_entity_with_a_bad_kind_is_still_checked(tmp_path: Path) -> None:
    assert _read_csv(tmp_path, HEADER + "D1,2025,debt,a,b,5,exact,Wire\n",
                     entities="id,name,kind,country\na,A,robot,USA\nb,B,,\n") == [
        "entities.csv row 2, kind: 'robot' is not one of: ai_lab, cloud_provider, chipmaker, neocloud, data_center, "
        "investor, bank, government, other [vocabulary]",
        "entities.csv row 2, country: 'USA' is not a two-letter ISO 3166 code [country]",
    ]


def test_a_reference_to_an_unreadable_row_is_not_reported_twice(tmp_path: Path) -> None:
    # Entity b cannot be read (no name); the deal paying it must not add "unknown entity b".
    assert _read_csv(tmp_path, HEADER + "D1,2025,debt,a,b,5,exact,Wire\n", entities="id,name\na,A\nb,\n") == [
        "entities.csv row 3, name: is required and empty [required]"]


def test_extra_cells_and_duplicate_columns(tmp_path: Path) -> None:
    assert _read_csv(tmp_path, HEADER + "D1,2025,debt,a,b,5,exact,Wire,,oops\n") == [
        "deals.csv row 2: has a value in column 10 but the header has only 8 columns [extra_cells]"]
    (tmp_path / "deals.csv").write_text(HEADER.strip() + ",ID\n", encoding="utf-8")
    assert _format_error(tmp_path) == (
        "1 problem: deals.csv: has the column 'id' twice (columns 1 and 9) [duplicate_column]")


def test_unreadable_csv_files(tmp_path: Path) -> None:
    (tmp_path / "entities.csv").write_bytes("id,name\né,x\n".encode("latin-1"))
    assert _format_error(tmp_path / "entities.csv") == (
        "1 problem: entities.csv: is not UTF-8 text (byte 8: invalid continuation byte); save it as UTF-8 [encoding]")
    (tmp_path / "entities.csv").write_text("id;name\na;A\n", encoding="utf-8")
    assert _format_error(tmp_path / "entities.csv") == (
        "1 problem: entities.csv: has one column only; it looks separated by ';', but dealweb reads comma-separated "
        "files [csv]")
    (tmp_path / "entities.csv").write_text("", encoding="utf-8")
    assert _format_error(tmp_path / "entities.csv") == (
        "1 problem: entities.csv: has no header row; the first row must name the columns [empty]")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _format_error(empty) == (
        f"1 problem: empty: has neither entities.csv nor deals.csv (nor nodes.csv/edges.csv): {empty} [not_found]")


def test_xlsx_problems_name_the_sheet(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "entities"
    for row in (["id", "name"], ["a", "A"], ["b", "B"]):
        book.active.append(row)
    deals = book.create_sheet("deals")
    for row in (HEADER.strip().split(","), ["D1", 2025, "debt", "a", "b", 5, "exact", "Wire"],
                [], ["D2", "2025", "debt", "a", "b", -1.5, "exact", "Wire"]):
        deals.append(row)
    book.save(tmp_path / "web.xlsx")
    with pytest.raises(ValidationError) as err:
        read(tmp_path / "web.xlsx")
    assert [str(p) for p in err.value.problems] == [
        "web.xlsx sheet deals row 4, amount_usd: -1.5 is negative; amounts are zero or more [negative_amount]"]
    (tmp_path / "bad.xlsx").write_text("not a zip", encoding="utf-8")
    assert _format_error(tmp_path / "bad.xlsx") == (
        "1 problem: bad.xlsx: is not an .xlsx workbook (File is not a zip file) [xlsx]")


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "web.json"
    path.write_text('{"format": "dealweb",\n "version": 1,\n "deals": [}\n', encoding="utf-8")
    assert _format_error(path) == "1 problem: web.json line 3 column 12: is not valid JSON: Expecting value [json]"
    path.write_text('{"format": "dealweb", "version": 2}', encoding="utf-8")
    assert _format_error(path) == "1 problem: web.json: has version 2; this dealweb reads version 1 [version]"
    path.write_text('{"entities": []}', encoding="utf-8")
    assert _format_error(path) == (
        '1 problem: web.json: is not a dealweb document: it needs "format": "dealweb" [json]')


def test_json_records_are_named_by_section_and_index(tmp_path: Path) -> None:
    path = tmp_path / "web.json"
    path.write_text('{"format": "dealweb", "version": 1, "entities": [{"id": "a", "name": "A"}, 7],'
                    ' "deals": [{"id": "D1", "announced": "2025", "kind": "debt", "payer": "a", "recipient": "x",'
                    ' "amount_usd": 1e3, "qualifier": "exact", "sources": ["Wire"]}]}', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read(path)
    assert [str(p) for p in err.value.problems] == [
        "web.json entities[1]: is int, not an object [json]",
        "web.json deals[0], recipient: 'x' is not an entity in the ledger [unknown_entity]",
    ]


def test_ftm_lines_that_are_not_json_are_all_listed(tmp_path: Path) -> None:
    path = tmp_path / "web.ftm.json"
    path.write_text('{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\nnot json\n\n{"id": 3}\n',
                    encoding="utf-8")
    assert _format_error(path) == (
        "2 problems: web.ftm.json line 2 column 1: is not valid JSON: Expecting value [json]; "
        'web.ftm.json line 4: is not an FtM entity: it needs "id", "schema" and "properties" [ftm]')


def test_writers_refuse_what_their_format_cannot_hold(tmp_path: Path) -> None:
    from dealweb.ledger.formats import write
    from dealweb.model import Entity, FinancialSnapshot, RecordSet

    control = RecordSet.of([Entity("a", "A", notes="bell\x07")])
    with pytest.raises(FormatError) as err:
        write(control, tmp_path / "web.xlsx")
    assert str(err.value) == (
        "1 problem: entity a, notes: holds a control character that .xlsx cannot store [xlsx_character]")
    orphan = RecordSet.of([Entity("a", "A")], [], [FinancialSnapshot("V1", "ghost", "2025", "cash", 1, sources=("W",))])
    with pytest.raises(FormatError) as err:
        write(orphan, tmp_path / "web.ftm.json")
    assert str(err.value) == (
        "1 problem: financial V1, entity: 'ghost' is not an entity in the set; FtM keeps a figure on its holder's "
        "Company [unknown_entity]")
    assert not list(tmp_path.iterdir())
