"""The bundled dataset: sourced, consistent, counted once, and holding the seed article's facts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from conftest import SEED_ARTICLE, shared_path
from dealweb import bundled_manifest, bundled_records, count_deals
from dealweb.model import Commitment, Consideration, Deal, Metric, Qualifier, RecordSet, Schedule, Status

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


def test_every_source_states_its_kind_and_where_it_was_read(data: RecordSet) -> None:
    # The via rule itself (an off-site link must say where it was read) is checked by problems() above.
    for d in data.deals:
        for s in d.sources:
            assert s.kind is not None, (d.id, str(s))
            assert not (s.via and not s.url), (d.id, str(s))


def test_the_audit_corrections_are_in_the_terms(data: RecordSet) -> None:
    deals = {d.id: d for d in data.deals}
    parents = {e.id: e.parent for e in data.entities}
    stargate = deals["D10"]
    assert stargate.commitment is Commitment.CEILING and {"D11", "D12", "D16", "D124"} <= set(stargate.covers)
    assert deals["D91"].consideration is Consideration.STOCK and parents["xai"] == "spacex"
    assert deals["D140"].consideration is Consideration.STOCK and deals["D140"].status is Status.SIGNED
    assert deals["D138b"].part_of == "D138" and deals["D138b"].commitment is Commitment.CEILING
    assert deals["D63"].commitment is Commitment.NON_BINDING
    assert all(deals[i].schedule is Schedule.PER_YEAR and deals[i].horizon_years for i in ("D83", "D89"))
    # Conditional tranches: Amazon's $35B is met (OpenAI's confidential S-1), the Anthropic pledges are not.
    assert deals["D99a"].part_of == "D99" and deals["D99a"].condition and deals["D99a"].condition_met
    assert deals["D120"].condition and deals["D120"].condition_met is None
    assert deals["D123"].condition and deals["D123"].condition_met is None
    # The Series H holds the upfront hyperscaler money once.
    assert deals["D120a"].part_of == deals["D123a"].part_of == "D137"
    assert deals["D64"].amount_usd == 7 * B and deals["D64a"].amount_usd == 27 * B and deals["D64a"].part_of is None
    assert deals["D58"].recipient == "microsoft" and "D110b" not in deals


def test_the_audits_missing_deals_are_in_and_sourced(data: RecordSet) -> None:
    ids = {d.id for d in data.deals}
    assert {f"D{i}" for i in range(155, 192)} <= ids
    added = [d for d in data.deals if d.id[1:4].isdigit() and int(d.id[1:4]) >= 155]
    assert all(d.sources and any(s.url for s in d.sources) for d in added)
    names = {e.id for e in data.entities}
    assert {"humain", "lumentum", "coherent", "disney", "intersect-power", "core-scientific"} <= names


def test_the_manifest_states_how_far_the_reporting_goes(data: RecordSet) -> None:
    reporting_to = bundled_manifest()["reporting_to"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", reporting_to)
    assert max(str(d.announced) for d in data.deals) <= reporting_to


def test_committed_counts_no_ceiling_stock_or_intra_group_money(data: RecordSet) -> None:
    c = count_deals(data.deals, basis="committed", entities=data.entities, as_of="2026-07-02")
    face = count_deals(data.deals, basis="face", entities=data.entities, as_of="2026-07-02")
    for deal_id in ("D10", "D91", "D140", "D191", "D138b", "D63"):
        assert c.counted.get(deal_id, 0) == 0, deal_id
    # The conditional tranches: Amazon's $35B is met by the as-of date, the Anthropic ones are not.
    assert c.counted["D99a"] == 35 * B and "D120" not in c.counted and "D123" not in c.counted
    # Stargate at face counts only what its covered contracts leave unexplained.
    assert face.counted["D10"] < 500 * B
    assert face.total() >= c.total() > 2 * 10**12
