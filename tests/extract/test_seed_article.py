"""The seed article (../shared/reference/seed-article.txt): the deals and figures the issue names, nothing from the bio."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from dealweb.extract import Extraction, extract

B = Decimal(10) ** 9


@pytest.fixture(scope="module")
def seed(seed_article: Path) -> Extraction:
    return extract(seed_article.read_bytes(), published="2025-11-19")


def test_the_three_deals_with_parties_kinds_amounts_and_qualifiers(seed: Extraction) -> None:
    got = {(c.payer.id, c.recipient.id, c.kind.value, c.amount, c.qualifier.value) for c in seed.deals}
    assert got == {
        ("microsoft", "anthropic", "equity_investment", 5 * B, "up_to"),
        ("nvidia", "anthropic", "equity_investment", 10 * B, "up_to"),
        ("anthropic", "microsoft", "compute_commitment", 30 * B, "exact"),
    }


def test_valuation_and_the_earlier_valuation(seed: Extraction) -> None:
    valuations = {(f.entity.id, f.value, str(f.date)) for f in seed.facts if f.metric.value == "valuation"}
    assert valuations == {("anthropic", 350 * B, "2025-11-19"), ("anthropic", 183 * B, "2025-09")}


def test_microsofts_openai_stake(seed: Extraction) -> None:
    stakes = {(f.entity.id, f.metric.value, f.value, f.qualifier.value, f.counterparty.id if f.counterparty else None)
              for f in seed.facts if f.metric.value.startswith("stake")}
    assert stakes == {("microsoft", "stake_value", 135 * B, "exact", "openai"),
                      ("microsoft", "stake_pct", Decimal(27), "estimate", "openai")}


def test_every_candidate_points_at_its_sentence_in_the_cleaned_text(seed: Extraction) -> None:
    for c in [*seed.deals, *seed.facts]:
        ev = c.evidence
        assert seed.article.text[ev.start:ev.end] == ev.sentence


def test_nothing_from_the_author_bio_or_the_widgets(seed: Extraction) -> None:
    text = seed.article.text
    assert "Anuj" not in text and "Banaras" not in text and "Taboola" not in text and "Advertisement" not in text
    assert text.rstrip().endswith("collapse of the US economy could follow.")
    named = {c.payer.id for c in seed.deals} | {c.recipient.id for c in seed.deals} | {f.entity.id for f in seed.facts}
    assert named == {"microsoft", "nvidia", "anthropic"}  # the bio's Apple and Google never appear


def test_the_ai_lab_background_sentences_give_no_deal(seed: Extraction) -> None:
    # "Microsoft is also an investor in ... OpenAI", "The Amazon-backed company", AWS as primary cloud provider.
    parties = {(c.payer.id, c.recipient.id) for c in seed.deals}
    assert ("microsoft", "openai") not in parties and ("amazon", "anthropic") not in parties
    assert ("anthropic", "amazon") not in parties
