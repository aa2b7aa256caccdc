"""The bundled dataset: sourced, consistent, counted once, and holding the seed article's facts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from conftest import SEED_ARTICLE, shared_path
from dealweb import bundled_manifest, bundled_records, count_deals
from dealweb.model import Deal, Metric, Qualifier, RecordSet, Status

B = Decimal(10) ** 9


@pytest.fixture(scope="module")
def data() -> RecordSet:
    return bundled_records()


def find(data: RecordSet, **match: object) -> list[Deal]:
    return [d for d in data.deals if all(getattr(d, k) == v for k, v in match.items())]


def test_every_record_is_valid_and_sourced(data: RecordSet) -> None:
    assert data.problems() == []
    for rec in (*data.deals, *data.financials):
        assert rec.sources and all(s.url or s.outlet for s in rec.sources), rec.id
        assert rec.description, rec.id


def test_every_fact_row_is_in_the_dataset(data: RecordSet) -> None:
    ids = {d.id for d in data.deals}
    assert {f"D{i:02d}" for i in range(1, 155)} <= ids
    fin_ids = {f.id for f in data.financials}
    assert {f"V{i:02d}" for i in range(1, 77)} <= fin_ids


def test_manifest_names_a_version_and_coverage() -> None:
    m = bundled_manifest()
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", m["version"]) and "July 2026" in m["coverage_note"]


def test_seed_article_facts(data: RecordSet) -> None:
    msft = find(data, payer="microsoft", recipient="anthropic", kind="equity_investment")
    assert any(d.amount_usd == 5 * B and d.qualifier is Qualifier.UP_TO for d in msft)
    nvda = find(data, payer="nvidia", recipient="anthropic", kind="equity_investment")
    assert any(d.amount_usd == 10 * B and d.qualifier is Qualifier.UP_TO for d in nvda)
    azure = find(data, payer="anthropic", recipient="microsoft", kind="compute_commitment")
    assert any(d.amount_usd == 30 * B for d in azure)
    vals = {(f.entity, f.metric, f.value) for f in data.financials}
    assert ("anthropic", Metric.VALUATION_IMPLIED, 350 * B) in vals or ("anthropic", Metric.VALUATION, 350 * B) in vals
    assert any(e == "anthropic" and v == 183 * B for e, _, v in vals)
    assert any(f.entity == "microsoft" and f.counterparty == "openai" and f.metric is Metric.STAKE_VALUE
               and f.value == 135 * B for f in data.financials)
    assert any(f.entity == "microsoft" and f.counterparty == "openai" and f.metric is Metric.STAKE_PCT
               and f.value == 27 for f in data.financials)
    assert find(data, payer="amazon", recipient="anthropic", kind="equity_investment")
    amazon = next(e for e in data.entities if e.id == "amazon")
    assert "AWS" in amazon.aliases


def test_no_double_counting_in_known_families(data: RecordSet) -> None:
    c = count_deals(data.deals)
    # Microsoft's funding of OpenAI: D03 ($13B) is the aggregate of D01, D02 and D07.
    family = ("D01", "D02", "D03", "D07")
    assert sum(c.counted[i] for i in family) == 13 * B
    # SoftBank's 2025 round: D08 (up to $40B) holds the D09 tranche.
    assert sum(v for k, v in c.counted.items() if k == "D08" or k.startswith("D08") or k == "D09") == 40 * B
    # The Nvidia $100B LOI lapsed and was replaced: it adds nothing.
    assert "D18" in c.excluded and "D19" in c.excluded


def test_every_superseded_deal_is_excluded_from_default_totals(data: RecordSet) -> None:
    c = count_deals(data.deals)
    for d in data.deals:
        if d.status in (Status.SUPERSEDED, Status.TERMINATED, Status.RUMORED):
            assert d.id in c.excluded


def test_seed_article_text_matches_the_dataset(data: RecordSet) -> None:
    text = shared_path(SEED_ARTICLE).read_text(encoding="utf-8")
    for figure in ("$5 billion", "$10 billion", "$30 billion", "$350 billion"):
        assert figure in text
