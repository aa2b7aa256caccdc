"""Node and edge tables from Gephi, Kumu and Flourish read as they are, or fail saying what is missing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from dealweb.errors import ValidationError
from dealweb.ledger.formats import read
from dealweb.model import DealKind, EntityKind, PartialDate, Source


def _files(tmp_path: Path, **tables: str) -> list[Path]:
    paths = []
    for name, text in tables.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _problems(err: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(p) for p in err.value.problems]


def test_gephi_nodes_and_edges_with_our_extra_columns(tmp_path: Path) -> None:
    paths = _files(
        tmp_path,
        nodes="Id,Label,country\nnvidia,NVIDIA,US\nopenai,OpenAI,us\n",
        edges=("Source,Target,Type,Weight,Id,Label,Time Interval,qualifier,sources\n"
               'nvidia,openai,equity_investment,100000000000,D1,First tranche,"<[2025-09-22, 2035-09-30]>",'
               "up_to,https://wire.example/a\n"
               'openai,nvidia,Debt,1.5,D2,,"<[2026-01, Infinity]>",exact,Example Wire\n'),
    )
    records = read(paths)
    assert [(e.id, e.name, e.country) for e in records.entities] == [("nvidia", "NVIDIA", "US"),
                                                                     ("openai", "OpenAI", "US")]
    d1, d2 = records.deals
    assert (d1.id, d1.payer, d1.recipient, d1.kind, d1.amount_usd) == (
        "D1", "nvidia", "openai", DealKind.EQUITY_INVESTMENT, Decimal("100000000000"))
    assert (d1.announced, d1.end, d1.description) == (PartialDate(2025, 9, 22), PartialDate(2035, 9, 30),
                                                      "First tranche")
    assert d1.sources == (Source(url="https://wire.example/a"),)
    # Gephi's Type is the kind when it is one of ours (any case); an open end stays open.
    assert (d2.kind, d2.amount_usd, d2.announced, d2.end) == (DealKind.DEBT, Decimal("1.5"), PartialDate(2026, 1), None)


def test_kumu_elements_and_connections_link_by_label(tmp_path: Path) -> None:
    paths = _files(
        tmp_path,
        elements="Label,ID,Type,Description,Tags\nOpenAI,openai,ai_lab,Maker of ChatGPT,lab\n"
                 "NVIDIA,nvidia,Organization,,\n",
        connections="From,To,Type,Strength,ID,announced,qualifier,sources\n"
                    "NVIDIA,OpenAI,equity_investment,5000000000,K1,2025-09,exact,Reuters | Deal\n",
    )
    records = read(paths)
    openai = records.entities[1]
    assert (openai.id, openai.name, openai.kind, openai.notes) == ("openai", "OpenAI", EntityKind.AI_LAB,
                                                                   "Maker of ChatGPT")
    assert records.entities[0].kind is EntityKind.OTHER  # "Organization" is not one of ours: ignored
    (deal,) = records.deals
    assert (deal.payer, deal.recipient, deal.amount_usd) == ("nvidia", "openai", Decimal(5000000000))
    assert deal.sources == (Source("Reuters", "Deal"),)


def test_flourish_points_and_links(tmp_path: Path) -> None:
    paths = _files(
        tmp_path,
        points="id,name,group\noracle,Oracle,cloud_provider\nopenai,OpenAI,ai_lab\n",
        links="source,target,value,id,kind,announced,qualifier,sources,horizon_years\n"
              "openai,oracle,300000000000,F1,compute_commitment,2025-09,exact,https://wire.example/o,5\n",
    )
    records = read(paths)
    assert [e.kind for e in records.entities] == [EntityKind.AI_LAB, EntityKind.CLOUD_PROVIDER]
    (deal,) = records.deals
    assert (deal.payer, deal.recipient, deal.amount_usd, deal.horizon_years) == (
        "openai", "oracle", Decimal(300000000000), Decimal(5))


def test_foreign_tables_are_recognised_in_a_directory_and_a_workbook(tmp_path: Path) -> None:
    _files(tmp_path, nodes="Id,Label\na,A\nb,B\n",
           edges="Source,Target,Id,kind,announced,qualifier,sources\na,b,X1,debt,2025,undisclosed,Wire\n")
    assert [d.id for d in read(tmp_path).deals] == ["X1"]

    book = Workbook()
    book.active.title = "Elements"
    for row in (["Label", "ID"], ["A", "a"], ["B", "b"]):
        book.active.append(row)
    links = book.create_sheet("Connections")
    for row in (["From", "To", "Strength", "ID", "kind", "announced", "qualifier", "sources"],
                ["A", "B", 2.5, "K9", "lease", "2025-10", "estimate", "Wire"]):
        links.append(row)
    book.save(tmp_path / "kumu.xlsx")
    (deal,) = read(tmp_path / "kumu.xlsx").deals
    assert (deal.payer, deal.recipient, deal.amount_usd) == ("a", "b", Decimal("2.5"))


def test_gephi_edges_without_our_columns_say_what_is_needed(tmp_path: Path) -> None:
    paths = _files(tmp_path, nodes="Id,Label\nnvidia,NVIDIA\nopenai,OpenAI\n",
                   edges="Source,Target,Type,Weight,Id\nnvidia,openai,Directed,1,e1\nopenai,nvidia,,2,e2\n")
    with pytest.raises(ValidationError) as err:
        read(paths)
    assert _problems(err) == [
        "edges.csv row 2: lacks announced, kind, qualifier, sources, which dealweb needs for every deal; "
        "add columns with those names ('Directed' is not a deal kind) [needs_columns]",
        "edges.csv row 3: lacks announced, kind, qualifier, sources, which dealweb needs for every deal; "
        "add columns with those names [needs_columns]",
    ]


def test_kumu_elements_without_ids_say_what_is_needed(tmp_path: Path) -> None:
    paths = _files(tmp_path, elements="Label,Type\nOpenAI,Company\n")
    with pytest.raises(ValidationError) as err:
        read(paths)
    assert _problems(err) == [
        "elements.csv row 2: lacks id, which dealweb needs for every entity; add a column with that name "
        "[needs_columns]",
    ]


def test_flourish_links_without_our_columns_say_what_is_needed(tmp_path: Path) -> None:
    paths = _files(tmp_path, points="id,name\na,A\nb,B\n", links="source,target,value\na,b,10\n")
    with pytest.raises(ValidationError) as err:
        read(paths)
    assert _problems(err) == [
        "links.csv row 2: lacks id, announced, kind, qualifier, sources, which dealweb needs for every deal; "
        "add columns with those names [needs_columns]",
    ]


def test_a_malformed_gephi_interval_is_reported_once(tmp_path: Path) -> None:
    paths = _files(tmp_path, nodes="Id,Label\na,A\nb,B\n",
                   edges="Source,Target,Id,kind,qualifier,sources,Time Interval\n"
                         "a,b,X1,debt,undisclosed,Wire,2025 to 2030\n")
    with pytest.raises(ValidationError) as err:
        read(paths)
    assert _problems(err) == [
        "edges.csv row 2, Time Interval: '2025 to 2030' is not a Gephi time interval such as "
        "<[2025-09-22, 2030-12-31]> [date]",
    ]


def test_our_kind_column_wins_over_gephi_type(tmp_path: Path) -> None:
    paths = _files(tmp_path, nodes="Id,Label\na,A\nb,B\n",
                   edges="Source,Target,Type,Id,Kind,Announced,Qualifier,Sources\n"
                         "a,b,Directed,X1,lease,2025,undisclosed,Wire\n")
    (deal,) = read(paths).deals
    assert deal.kind is DealKind.LEASE
