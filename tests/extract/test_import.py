"""Accepted candidates into the ledger: same validation as any import, all or nothing, the article as source."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest

import dealweb
from conftest import next_bundled_deal_id
from dealweb.errors import ValidationError
from dealweb.extract import extract, import_candidates
from dealweb.ledger import Ledger
from dealweb.model import Source

NEW_ID = next_bundled_deal_id()

ARTICLE = Source(outlet="Example Wire", title="Chip deals", date=dealweb.PartialDate.parse("2025-11-19"),
                 url="https://example.com/chips")


@pytest.fixture
def ledger() -> Iterator[Ledger]:
    led = dealweb.open(":memory:")
    yield led
    led.close()


def test_a_new_deal_is_added_with_the_article_as_its_only_source(ledger: Ledger) -> None:
    before = ledger.counts()
    x = extract("Nvidia will invest $3 billion in Nebius.", ledger=ledger, published="2025-11-19")
    result = import_candidates(ledger, x.deals, source=ARTICLE)
    [planned] = result.plan.planned
    assert planned.action == "new" and planned.record.id == NEW_ID
    deal = ledger.deal(NEW_ID)
    assert (deal.payer, deal.recipient, deal.kind.value, deal.amount_usd, str(deal.announced)) == (
        "nvidia", "nebius", "equity_investment", Decimal(3 * 10**9), "2025-11-19")
    assert deal.sources == (ARTICLE,)
    assert ledger.counts()["deal"] == before["deal"] + 1
    assert [c.action for c in ledger.history("deal", NEW_ID)] == ["create"]


def test_the_same_deal_gets_the_article_as_an_extra_source_not_a_second_row(ledger: Ledger) -> None:
    before = ledger.counts()
    old_sources = ledger.deal("D57").sources
    x = extract("Anthropic committed to buy $30 billion of Azure compute from Microsoft.", ledger=ledger,
                published="2025-11-18")
    result = import_candidates(ledger, x.deals, source=ARTICLE)
    assert [(p.action, p.record.id) for p in result.plan.planned] == [("add_source", "D57")]
    assert ledger.counts() == before
    assert ledger.deal("D57").sources == (*old_sources, ARTICLE)
    # Importing the same article again changes nothing.
    again = import_candidates(ledger, x.deals, source=ARTICLE)
    assert not again.report.changed


def test_unknown_parties_become_proposed_entities(ledger: Ledger) -> None:
    x = extract("Valor Equity Partners will invest $1 billion in xAI.", ledger=ledger, published="2025-11-19")
    result = import_candidates(ledger, x.deals, source=ARTICLE)
    assert [e.id for e in result.plan.new_entities] == ["valor-equity-partners"]
    assert ledger.entity("valor-equity-partners").name == "Valor Equity Partners"


def test_foreign_currency_is_converted_and_marked_estimate(ledger: Ledger) -> None:
    x = extract("ASML will invest €1 billion in Mistral AI.", ledger=ledger, published="2025-11-19")
    import_candidates(ledger, x.deals, source=ARTICLE)
    deal = ledger.deal(NEW_ID)
    assert (deal.amount_usd, deal.currency, deal.amount_original, deal.qualifier.value) == (
        Decimal(1170000000), "EUR", Decimal(10**9), "estimate")


def test_figures_are_imported_as_snapshots(ledger: Ledger) -> None:
    x = extract("Cerebras was valued at $8.1 billion.", ledger=ledger, published="2025-09-30")
    result = import_candidates(ledger, [], x.facts, source=ARTICLE)
    [planned] = result.plan.planned
    f = next(r for r in ledger.financial_records("cerebras") if r.id == planned.record.id)  # Cerebras has bundled figures too
    assert (planned.action, f.id, f.metric.value, f.value, f.sources) == (
        "new", planned.record.id, "valuation", Decimal(8100000000), (ARTICLE,))


def test_all_or_nothing_when_one_candidate_breaks_a_rule(ledger: Ledger) -> None:
    before = ledger.counts()
    x = extract("Nvidia will invest $3 billion in Nebius. Meta will rent $2 billion of capacity from Nscale.",
                ledger=ledger, published="2025-11-19")
    good, other = x.deals
    broken = replace(other, recipient=replace(other.recipient, id="Not An Id!"))  # a bad id, as a hand edit might make
    with pytest.raises(ValidationError) as err:
        import_candidates(ledger, [good, broken], source=ARTICLE)
    assert {p.rule for p in err.value.problems} == {"bad_id"}
    assert ledger.counts() == before


def test_a_candidate_without_a_date_is_a_named_problem(ledger: Ledger) -> None:
    x = extract("Nvidia will invest $3 billion in Nebius.", ledger=ledger)
    with pytest.raises(ValidationError) as err:
        import_candidates(ledger, x.deals, source=ARTICLE)
    assert str(err.value) == ("1 problem: candidate 1, date: no date in the text; give the article's publication date "
                              "(--published or 'published') [required]")


def test_an_article_without_any_source_field_is_refused(ledger: Ledger) -> None:
    x = extract("Nvidia will invest $3 billion in Nebius.", ledger=ledger, published="2025-11-19")
    with pytest.raises(ValidationError, match=r"\[missing_source\]"):
        import_candidates(ledger, x.deals, source=Source())


def test_dry_run_writes_nothing(ledger: Ledger) -> None:
    before = ledger.counts()
    x = extract("Nvidia will invest $3 billion in Nebius.", ledger=ledger, published="2025-11-19")
    result = import_candidates(ledger, x.deals, source=ARTICLE, dry_run=True)
    assert result.report.dry_run and result.report.added["deal"] == [NEW_ID]
    assert ledger.counts() == before
