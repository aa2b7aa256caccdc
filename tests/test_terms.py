"""Deal terms (consideration, commitment, schedule, condition), source kind and via: reading, rules, store."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from conftest import SRC
from dealweb.ledger import Ledger
from dealweb.ledger.store import _alembic_config, create_store_engine, resolve_url
from dealweb.model import (
    Commitment,
    Consideration,
    Deal,
    Entity,
    Schedule,
    Source,
    SourceKind,
    check_deal,
    check_ledger,
    from_mapping,
    to_cells,
)

B = Decimal(10) ** 9
PARTIES = [Entity("a", "A"), Entity("b", "B")]


def _deal(**terms: object) -> Deal:
    return Deal("D1", "2025", "acquisition", "a", "b", 10 * B, "exact", sources=SRC, **terms)  # type: ignore[arg-type]


def _messages(d: Deal) -> list[str]:
    return [str(p) for p in check_deal(d)]


def test_old_rows_take_the_default_terms() -> None:
    deal, problems = from_mapping(Deal, {"id": "D1", "announced": "2025", "kind": "debt", "payer": "a",
                                         "recipient": "b", "amount_usd": "5", "qualifier": "exact"}, "row 2")
    assert problems == [] and deal is not None
    assert (deal.consideration, deal.commitment, deal.schedule, deal.covers, deal.cash_usd, deal.condition,
            deal.condition_met) == (Consideration.CASH, Commitment.BINDING, Schedule.TOTAL, (), None, "", None)


def test_terms_read_from_cells_and_write_back() -> None:
    cells = to_cells(_deal(consideration="mixed", cash_usd=4 * B, commitment="ceiling", covers=("D2", "D3")))
    assert (cells["consideration"], cells["cash_usd"], cells["commitment"], cells["covers"]) == (
        "mixed", "4000000000", "ceiling", "D2; D3")
    back, problems = from_mapping(Deal, {**cells, "covers": "D2;D3"}, "row 2")
    assert problems == [] and back is not None and back.covers == ("D2", "D3")
    _, bad = from_mapping(Deal, {**cells, "schedule": "monthly"}, "deals.csv row 7")
    assert [str(p) for p in bad] == ["deals.csv row 7, schedule: 'monthly' is not one of: total, per_year [vocabulary]"]


@pytest.mark.parametrize(("terms", "expected"), [
    ({"consideration": "mixed"},
     "deal D1, cash_usd: is required when consideration is 'mixed': give the cash part in USD [cash_part]"),
    ({"consideration": "mixed", "cash_usd": 11 * B},
     "deal D1, cash_usd: the cash part 11000000000 is above the amount 10000000000 [cash_part]"),
    ({"cash_usd": 1 * B},
     "deal D1, cash_usd: is given but consideration is 'cash'; a cash part belongs to 'mixed' deals only [cash_part]"),
    ({"covers": ("D2",)},
     "deal D1, covers: names deals but commitment is 'binding'; only a 'ceiling' covers the deals that fill it [covers]"),
    ({"schedule": "per_year"},
     "deal D1, horizon_years: is required when schedule is 'per_year': the number of years the yearly amount is "
     "paid [schedule]"),
    ({"condition_met": "2026-01"},
     "deal D1, condition_met: is given but condition is empty; say what condition was met [condition]"),
])
def test_each_term_rule_names_its_field_and_rule(terms: dict[str, object], expected: str) -> None:
    assert _messages(_deal(**terms)) == [expected]


def test_well_formed_terms_pass() -> None:
    assert check_deal(_deal(consideration="mixed", cash_usd=10 * B)) == []
    assert check_deal(_deal(schedule="per_year", horizon_years=5, condition="IPO", condition_met="2026-03")) == []
    assert check_deal(_deal(commitment="ceiling", covers=("D2",))) == []


def test_covers_must_name_existing_deals() -> None:
    ceiling = _deal(commitment="ceiling", covers=("D2", "D9"))
    filled = Deal("D2", "2025", "compute_commitment", "a", "b", 3 * B, "exact", sources=SRC)
    assert [str(p) for p in check_ledger(PARTIES, [ceiling, filled])] == [
        "deal D1, covers: 'D9' is not a deal in the ledger [unknown_deal]"]


def test_source_six_part_form_and_json_form_round_trip() -> None:
    text_form = "Financial Times | OpenAI talks | 2025-09 | https://hn.jakechampion.name/x | outlet | hn.jakechampion.name"
    s = Source.parse(text_form)
    assert (s.kind, s.via, s.label, str(s)) == (SourceKind.OUTLET, "hn.jakechampion.name",
                                                "Financial Times via hn.jakechampion.name", text_form)
    assert Source.from_dict(s.to_dict()) == s
    assert Source.from_dict({"outlet": "Reuters", "url": "https://www.reuters.com/a"}).kind is None
    with pytest.raises(ValueError, match="source kind 'blog' is not one of: filing, company_release"):
        Source.parse("X | t | 2025 | https://x.example | blog")
    with pytest.raises(ValueError, match="at most 6"):
        Source.parse("a | b | 2025 | https://x.example | outlet | v | extra")


@pytest.mark.parametrize(("source", "ok"), [
    (Source("Financial Times", "t", None, "https://www.ft.com/content/1", "outlet"), True),
    (Source("Financial Times", "t", None, "https://hn.jakechampion.name/x", "outlet"), False),
    (Source("Financial Times", "t", None, "https://hn.jakechampion.name/x", "outlet", "hn.jakechampion.name"), True),
    (Source("Microsoft 10-Q", "t", None, "https://www.sec.gov/Archives/edgar/data/789019/x", "filing"), True),
    (Source("Nvidia", "t", None, "https://nvidianews.nvidia.com/news/x", "company_release"), True),
    (Source("Blog", "t", None, "https://someblog.example/x", "secondary"), True),
    (Source("Financial Times", "t", None, "https://hn.jakechampion.name/x"), True),  # no kind: not held to it
])
def test_a_source_does_not_claim_an_outlet_its_link_is_not(source: Source, ok: bool) -> None:
    problems = check_deal(_deal().evolve(sources=(source,)))
    assert (problems == []) is ok
    if not ok:
        assert [str(p) for p in problems] == [
            "deal D1, sources: source 1 names 'Financial Times' but its link is on hn.jakechampion.name; say where it "
            "was read with via (e.g. 'Financial Times | … | hn.jakechampion.name'), or fix the outlet [via]"]


def test_via_without_a_url_is_refused() -> None:
    problems = check_deal(_deal().evolve(sources=(Source("Reuters", "t", None, "", "outlet", "mirror.example"),)))
    assert [p.rule for p in problems] == ["via"]


def test_a_store_at_the_first_revision_upgrades_with_default_terms(tmp_path: Path) -> None:
    url = resolve_url(tmp_path / "old.sqlite")
    engine = create_store_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO entities VALUES ('a','A','other','[]','',0,'',NULL,''),"
                          "('b','B','other','[]','',0,'',NULL,'')"))
        conn.execute(text("INSERT INTO deals (id, announced, kind, payer, recipient, amount_usd, qualifier, currency, "
                          "status, supersedes, confidence, sources, description) VALUES ('D1','2025','debt','a','b',"
                          "'5','exact','USD','announced','[]','high',"
                          "'[{\"outlet\": \"Wire\", \"title\": \"\", \"date\": \"\", \"url\": \"\"}]','')"))
    engine.dispose()
    ledger = Ledger(url)
    try:
        assert ledger.revision == "0002"
        deal = ledger.deal("D1")
        assert (deal.consideration, deal.commitment, deal.schedule, deal.covers) == (
            Consideration.CASH, Commitment.BINDING, Schedule.TOTAL, ())
        ledger.edit(Deal, "D1", schedule="per_year", horizon_years=Decimal(5))
        assert ledger.deal("D1").schedule is Schedule.PER_YEAR
    finally:
        ledger.close()
