"""One value domain for every field: what is refused, and that everything inside it goes all the way round.

A record that passes validation is stored (SQLite), counted, projected to floats, written in
every format (readable ones read back unchanged, graph exports parse), and serialised as JSON.
Values just outside the domain are refused with a rule name, whichever door they come in by.
"""

from __future__ import annotations

import json
import math
import tempfile
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import String

from conftest import SRC
from dealweb.ledger import Ledger, schema
from dealweb.ledger.formats import FORMATS, read, write
from dealweb.model import Deal, Entity, FinancialSnapshot, RecordSet, count_deals
from dealweb.model.codec import from_mapping, to_plain
from dealweb.model.domain import MAX_AMOUNT, MAX_HORIZON_YEARS, MAX_LENGTH
from dealweb.model.rules import check_deal, check_entity, check_financial
from dealweb.network import network
from strategies import record_sets

_SUFFIX = {"csv": "out", "xlsx": "out.xlsx", "json": "out.json", "ftm": "out.ftm.json", "gexf": "out.gexf",
           "graphml": "out.graphml", "cyjs": "out.cyjs"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=record_sets())
def test_every_valid_record_set_is_stored_counted_projected_exported_and_read_back(records: RecordSet) -> None:
    assert not records.problems()
    ledger = Ledger(":memory:")
    try:
        ledger.apply(records, reason="domain round trip")
        assert ledger.records() == records
        assert all(math.isfinite(float(v)) for v in ledger.deals()["counted_usd"])
    finally:
        ledger.close()
    counting = count_deals(records.deals)
    # a per-year deal counts its yearly amount times its horizon: at most MAX_AMOUNT × MAX_HORIZON_YEARS
    assert all(Decimal(0) <= v <= MAX_AMOUNT * MAX_HORIZON_YEARS for v in counting.counted.values())
    web = network(records, amount_policy="face")
    assert all(math.isfinite(x) for x in web.flows.data)
    json.dumps([to_plain(r) for r in (*records.entities, *records.deals, *records.financials)], allow_nan=False)
    with tempfile.TemporaryDirectory() as tmp:
        for name, fmt in FORMATS.items():
            target = Path(tmp) / _SUFFIX[name]
            written = write(records, target, format=name)
            if fmt.reader is not None:
                assert read(target, format=name) == records, name
            elif name in ("gexf", "graphml"):
                ET.parse(written[0])
            else:
                json.loads(written[0].read_text(encoding="utf-8"))


def _deal(**changes: object) -> Deal:
    base = Deal("D1", "2025", "debt", "a", "b", Decimal(5), "exact", sources=SRC)
    return base.evolve(**changes)


@pytest.mark.parametrize(("changes", "field", "rule"), [
    ({"amount_usd": Decimal("1e400")}, "amount_usd", "amount_range"),
    ({"amount_usd": Decimal("1e308")}, "amount_usd", "amount_range"),
    ({"amount_usd": Decimal("9" * 5000)}, "amount_usd", "amount_range"),
    ({"amount_usd": MAX_AMOUNT + 1}, "amount_usd", "amount_range"),
    ({"amount_usd": Decimal("0.0000001")}, "amount_usd", "precision"),
    ({"amount_usd": Decimal("1E-400")}, "amount_usd", "precision"),
    ({"high_usd": Decimal("Infinity")}, "high_usd", "not_finite"),
    ({"amount_original": Decimal("NaN")}, "amount_original", "not_finite"),
    ({"horizon_years": Decimal("1e20")}, "horizon_years", "horizon"),
    ({"horizon_years": Decimal(101)}, "horizon_years", "horizon"),
    ({"description": "nul\x00byte"}, "description", "control_character"),
    ({"description": "\x1b[31mred\x1b[0m"}, "description", "control_character"),
    ({"description": "bell\x07"}, "description", "control_character"),
    ({"description": "c1\x85"}, "description", "control_character"),
    ({"description": "x" * 20_001}, "description", "too_long"),
    ({"payer": "p" * 81}, "payer", "too_long"),
    ({"supersedes": tuple(f"S{i}" for i in range(101))}, "supersedes", "too_many"),
    ({"sources": (SRC[0].__class__(outlet="Wire\x00"),)}, "sources", "control_character"),
])
def test_values_outside_the_domain_are_refused_with_their_rule(changes: dict[str, object], field: str, rule: str) -> None:
    problems = check_deal(_deal(**changes))
    assert (field, rule) in {(p.field, p.rule) for p in problems}, problems


def test_inside_the_domain_edges_pass() -> None:
    assert not check_deal(_deal(amount_usd=MAX_AMOUNT, horizon_years=Decimal(100), description="line 1\n\tline 2"))
    assert not check_deal(_deal(amount_usd=Decimal("0.000001")))


@pytest.mark.parametrize(("entity", "field", "rule"), [
    (Entity("a", "A", ticker="T" * 33), "ticker", "too_long"),
    (Entity("a", "Evil\x1b]0;title\x07"), "name", "control_character"),
    (Entity("a", "Two\nlines"), "name", "control_character"),
    (Entity("a", "A", aliases=("ok", "b\x00d")), "aliases", "control_character"),
    (Entity("a", "\ud800"), "name", "control_character"),
])
def test_entity_text_outside_the_domain(entity: Entity, field: str, rule: str) -> None:
    assert (field, rule) in {(p.field, p.rule) for p in check_entity(entity)}


def test_financial_values_are_bounded() -> None:
    f = FinancialSnapshot("F1", "a", "2025", "cash", Decimal("1e16"), sources=SRC)
    assert [p.rule for p in check_financial(f)] == ["amount_range"]


def test_a_5000_digit_amount_from_a_file_is_a_problem_not_a_crash() -> None:
    deal, problems = from_mapping(Deal, {"id": "D1", "announced": "2025", "kind": "debt", "payer": "a",
                                         "recipient": "b", "amount_usd": "9" * 5000, "qualifier": "exact",
                                         "sources": "https://example.com/a"}, "deals.csv row 2")
    assert deal is not None and not problems
    assert [p.rule for p in check_deal(deal)] == ["amount_range"]
    assert len(str(check_deal(deal)[0])) < 200  # the message does not echo 5,000 digits


def test_every_database_column_holds_the_longest_value_the_domain_allows() -> None:
    for table in (schema.entities, schema.deals, schema.financials):
        for column in table.columns:
            if isinstance(column.type, String) and column.name in MAX_LENGTH and column.type.length:
                assert MAX_LENGTH[column.name] <= column.type.length, (table.name, column.name)


def test_the_domain_is_enforced_by_import_and_the_store(tmp_path: Path) -> None:
    (tmp_path / "entities.csv").write_text("id,name,ticker\na,A,\nb,B\x00,TOOLONGTICKERTOOLONGTICKERTOOLONGX\n")
    (tmp_path / "deals.csv").write_text("id,announced,kind,payer,recipient,amount_usd,qualifier,sources\n"
                                        "D1,2025,debt,a,b,1e400,exact,https://example.com/a\n")
    from dealweb.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        read(tmp_path)
    rules = {(p.where, p.field, p.rule) for p in info.value.problems}
    assert ("entities.csv row 3", "name", "control_character") in rules
    assert ("entities.csv row 3", "ticker", "too_long") in rules
    assert ("deals.csv row 2", "amount_usd", "amount_range") in rules
    ledger = Ledger(":memory:")
    with pytest.raises(ValidationError):
        ledger.add(Entity("a", "A\x00"))
    assert ledger.is_empty()
