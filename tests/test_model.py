"""The model's rules, dates, codec, semantics and counting, against hand-made answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SRC
from dealweb.errors import ValidationError
from dealweb.model import (
    SEMANTICS,
    Deal,
    DealKind,
    Entity,
    FinancialSnapshot,
    PartialDate,
    RecordSet,
    check_ledger,
    count_deals,
    from_mapping,
    to_cells,
    to_plain,
)


def deal(**kw: object) -> Deal:
    base: dict[str, object] = dict(id="D1", announced="2025", kind="debt", payer="a", recipient="b",
                                   amount_usd=Decimal(5), qualifier="exact", sources=SRC)
    base.update(kw)
    return Deal(**base)  # type: ignore[arg-type]


ENTS = [Entity("a", "A"), Entity("b", "B")]


def rules(*deals: Deal, entities: list[Entity] = ENTS, fins: list[FinancialSnapshot] = ()) -> list[str]:  # type: ignore[assignment]
    return [f"{p.where}|{p.field}|{p.rule}|{p.message}" for p in check_ledger(entities, deals, fins)]


def test_valid_deal_has_no_problems() -> None:
    assert rules(deal()) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"payer": "zz"}, "deal D1|payer|unknown_entity|'zz' is not an entity in the ledger"),
    ({"recipient": "a"}, "deal D1|recipient|same_party|payer and recipient are both 'a'"),
    ({"amount_usd": Decimal(-1)}, "deal D1|amount_usd|negative_amount|-1 is negative; amounts are zero or more"),
    ({"amount_usd": None}, "deal D1|amount_usd|missing_amount|is empty but the qualifier is 'exact'; "
                           "give an amount or use 'undisclosed'"),
    ({"qualifier": "undisclosed"}, "deal D1|amount_usd|undisclosed_amount|is given but the qualifier is "
                                   "'undisclosed'; use 'estimate', or put a guess in low_usd/high_usd"),
    ({"start": "2026", "end": "2025-06"}, "deal D1|end|dates|start 2026 is after end 2025-06"),
    ({"stake_pct": Decimal(101)}, "deal D1|stake_pct|stake_range|101 is outside 0–100 percent"),
    ({"sources": ()}, "deal D1|sources|missing_source|every deal needs at least one source (a URL or outlet and title)"),
    ({"low_usd": Decimal(9), "high_usd": Decimal(3)}, "deal D1|low_usd|range|low 9 is above high 3"),
    ({"horizon_years": Decimal(0)}, "deal D1|horizon_years|horizon|0 is not a positive number of years"),
    ({"part_of": "D9"}, "deal D1|part_of|unknown_deal|'D9' is not a deal in the ledger"),
    ({"id": "D 1"}, "deal D 1|id|bad_id|'D 1' is not an id: letters, digits and -_.: only, at most 80"),
])
def test_each_rule_has_a_specific_message(changes: dict[str, object], expected: str) -> None:
    assert rules(deal(**changes)) == [expected]


def test_duplicate_ids_and_part_of_cycle() -> None:
    found = rules(deal(id="X", part_of="Y"), deal(id="Y", part_of="X"), deal(id="Y", part_of="X"))
    assert "deal Y|id|duplicate_id|the id 'Y' is used 2 times" in found
    assert "deal X|part_of|part_of_cycle|its part_of links go round in a circle" in found


def test_entity_and_financial_rules() -> None:
    ents = [Entity("a", "A", parent="b"), Entity("b", "B", parent="a"), Entity("Bad Id", "")]
    fins = [FinancialSnapshot("V1", "a", "2025", "stake_pct", Decimal(120), sources=SRC)]
    found = rules(entities=ents, fins=fins)
    assert "entity Bad Id|id|bad_id|'Bad Id' is not a slug: lowercase letters, digits and -_. only, at most 80" in found
    assert "entity Bad Id|name|required|is required and empty" in found
    assert "entity a|parent|parent_cycle|its parent links go round in a circle" in found
    assert "financial V1|value|stake_range|120 is outside 0–100 percent" in found
    assert "financial V1|counterparty|required|a stake_pct needs the company held as counterparty" in found


def test_recordset_validate_raises_with_every_problem() -> None:
    rs = RecordSet.of(ENTS, [deal(recipient="a", amount_usd=None)])
    with pytest.raises(ValidationError) as info:
        rs.validate()
    assert [p.rule for p in info.value.problems] == ["same_party", "missing_amount"]
    assert str(info.value).startswith("2 problems: deal D1, recipient: payer and recipient are both 'a'")


# ----------------------------------------------------------------- dates

@pytest.mark.parametrize(("text", "first", "last"), [
    ("2024", "2024-01-01", "2024-12-31"), ("2024-02", "2024-02-01", "2024-02-29"), ("2025-09-22", "2025-09-22", "2025-09-22"),
])
def test_partial_date_bounds(text: str, first: str, last: str) -> None:
    d = PartialDate.parse(text)
    assert (str(d), d.first_day().isoformat(), d.last_day().isoformat()) == (text, first, last)


@pytest.mark.parametrize(("text", "message"), [
    ("2025-13", "month 13 is not 1–12"), ("2025-02-30", "day 30 does not exist in 2025-02"),
    ("25-01", "'25-01' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"), ("1800", "year 1800 is outside 1900–2200"),
])
def test_partial_date_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PartialDate.parse(text)


@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1), max_value=__import__("datetime").date(2200, 12, 31)),
       st.sampled_from(["year", "month", "day"]))
def test_partial_date_text_round_trip_and_order(day: object, precision: str) -> None:
    full = PartialDate.parse(day)  # type: ignore[arg-type]
    d = PartialDate(full.year, full.month if precision != "year" else 0, full.day if precision == "day" else 0)
    assert PartialDate.parse(str(d)) == d
    assert d.first_day() <= full.first_day() <= d.last_day()
    assert d <= full


# ----------------------------------------------------------------- codec

def test_codec_reports_every_bad_field() -> None:
    row = {"id": "D1", "announced": "2025-13", "kind": "loan", "payer": "a", "recipient": "b",
           "amount_usd": "1,000", "qualifier": "exact", "sources": "x | y | not-a-date"}
    record, problems = from_mapping(Deal, row, "deals.csv row 2")
    assert record is None
    assert [str(p) for p in problems] == [
        "deals.csv row 2, announced: month 13 is not 1–12 [date]",
        "deals.csv row 2, kind: 'loan' is not one of: equity_investment, compute_commitment, chip_purchase, warrant, "
        "debt, lease, backstop, revenue_share, licensing, jv, acquisition [vocabulary]",
        "deals.csv row 2, amount_usd: '1,000' is not a number: write it without thousands separators [number]",
        "deals.csv row 2, sources: source 1: 'not-a-date' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD [source]",
    ]


def test_codec_round_trips_cells_and_plain(small_records: RecordSet) -> None:
    for rec in (*small_records.entities, *small_records.deals, *small_records.financials):
        for shape in (to_cells, to_plain):
            back, problems = from_mapping(type(rec), shape(rec), "x")
            assert problems == [] and back == rec


# ----------------------------------------------------------------- semantics & counting

def test_every_deal_kind_has_semantics() -> None:
    assert set(SEMANTICS) == set(DealKind)
    assert SEMANTICS[DealKind.DEBT].repaid and SEMANTICS[DealKind.BACKSTOP].contingent
    assert SEMANTICS[DealKind.COMPUTE_COMMITMENT].spread and not SEMANTICS[DealKind.CHIP_PURCHASE].spread


def test_counting_resolves_aggregates_supersessions_and_statuses(small_records: RecordSet) -> None:
    c = count_deals(small_records.deals)
    # D3 ($13B aggregate) explains $11B through its tranches; the rest ($2B) counts on D3 itself.
    assert (c.counted["D3"], c.counted["D3a"], c.counted["D3b"]) == (Decimal("2e9"), Decimal("1e9"), Decimal("10e9"))
    assert c.excluded == {"D4": "status superseded"}
    assert c.undisclosed == ("D6",)
    assert c.total() == Decimal("10e9") + Decimal("30e9") + Decimal("13e9") + Decimal("30e9")


def test_live_superseding_deal_removes_an_announced_one() -> None:
    old = deal(id="A", status="announced")
    new = deal(id="B", supersedes=("A",), amount_usd=Decimal(7))
    c = count_deals([old, new])
    assert c.excluded == {"A": "superseded by B"} and c.total() == Decimal(7)


def test_parts_larger_than_aggregate_count_in_full() -> None:
    agg = deal(id="A", amount_usd=Decimal(10))
    parts = [deal(id="P1", part_of="A", amount_usd=Decimal(8)), deal(id="P2", part_of="A", amount_usd=Decimal(6))]
    c = count_deals([agg, *parts])
    assert c.counted["A"] == 0 and c.total() == Decimal(14)


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=6), st.integers(0, 10**7))
def test_family_counts_max_of_aggregate_and_parts(parts: list[int], aggregate: int) -> None:
    deals = [deal(id="A", amount_usd=Decimal(aggregate))]
    deals += [deal(id=f"P{i}", part_of="A", amount_usd=Decimal(v)) for i, v in enumerate(parts)]
    assert count_deals(deals).total() == max(aggregate, sum(parts))
