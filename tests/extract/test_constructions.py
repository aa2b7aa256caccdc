"""The constructions news uses, one known answer each (sentences written for these tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import Candidate, extract
from dealweb.extract.amounts import context_role, find_money
from dealweb.extract.candidates import directory_for

B = Decimal(10) ** 9
M = Decimal(10) ** 6


def deals(text: str, published: str | None = None) -> list[tuple[str, str, str, Decimal | None, str]]:
    found: list[Candidate] = extract(text, directory=directory_for(None), published=published).deals
    return [(c.payer.id, c.recipient.id, c.kind.value, c.amount, c.qualifier.value) for c in found]


@pytest.mark.parametrize(("phrase", "amount", "currency", "qualifier"), [
    ("up to $5 billion", 5 * B, "USD", "up_to"),
    ("as much as $2.5bn", Decimal("2.5") * B, "USD", "up_to"),
    ("about $750 million", 750 * M, "USD", "estimate"),
    ("roughly US$1.2 billion", Decimal("1.2") * B, "USD", "estimate"),
    ("more than $20 billion", 20 * B, "USD", "estimate"),
    ("€1.3 billion", Decimal("1.3") * B, "EUR", "exact"),
    ("£500m", 500 * M, "GBP", "exact"),
    ("$1.4 trillion", Decimal("1.4") * 10**12, "USD", "exact"),
    ("5 billion dollars", 5 * B, "USD", "exact"),
])
def test_money_phrases(phrase: str, amount: Decimal, currency: str, qualifier: str) -> None:
    [m] = find_money(f"The company will pay {phrase} for it.")
    assert (m.amount, m.currency, m.qualifier.value) == (amount, currency, qualifier)


def test_a_range_keeps_both_ends_and_is_an_estimate() -> None:
    [m] = find_money("a $3-4 billion order")
    assert (m.low, m.high, m.amount, m.qualifier.value) == (3 * B, 4 * B, 4 * B, "estimate")


@pytest.mark.parametrize(("sentence", "role"), [
    ("Nvidia posted revenue of $57 billion.", "revenue"),
    ("Apple approved a $100 billion share buyback.", "buyback"),
    ("Its market value topped $5 trillion.", "market"),
    ("OpenAI was valued at $500 billion.", "valuation"),
    ("The shares were priced at $40 each.", "price"),
    ("Capital spending will reach $72 billion.", "capex"),
    ("Microsoft will invest $2 billion in the lab.", "deal"),
])
def test_figures_that_are_not_deals_are_told_apart(sentence: str, role: str) -> None:
    assert context_role(sentence, find_money(sentence)[0]) == role


def test_respectively_pairs_payers_and_amounts_in_order() -> None:
    assert deals("Nvidia and AMD will invest $300 million and $200 million respectively in xAI.") == [
        ("nvidia", "xai", "equity_investment", 300 * M, "exact"), ("amd", "xai", "equity_investment", 200 * M, "exact")]


def test_several_payers_with_one_figure_is_an_aggregate_not_a_deal_each() -> None:
    assert deals("Microsoft and Nvidia will together invest up to $15 billion in Anthropic.") == []


def test_a_company_backing_the_buyer_is_not_a_party() -> None:
    got = deals("Poolside, which is also backed by Nvidia, agreed to rent $2 billion of cloud capacity from CoreWeave.")
    assert got == [("poolside", "coreweave", "compute_commitment", 2 * B, "exact")]


def test_an_x_backed_company_is_background() -> None:
    got = deals("The Amazon-backed startup Anthropic will pay Fluidstack $3 billion to build data centres.")
    assert got == [("anthropic", "fluidstack", "compute_commitment", 3 * B, "exact")]


def test_passive_voice() -> None:
    assert deals("A $1 billion stake in Nokia was acquired by Nvidia.") == [
        ("nvidia", "nokia", "equity_investment", 1 * B, "exact")]


def test_passive_valuation_is_a_fact_not_a_deal() -> None:
    x = extract("Cerebras was valued at $8.1 billion.", directory=directory_for(None), published="2025-09-30")
    assert x.deals == []
    assert [(f.entity.id, f.metric.value, f.value) for f in x.facts] == [("cerebras", "valuation", Decimal("8.1") * B)]


def test_two_deals_in_one_sentence() -> None:
    got = deals("Meta will rent $3 billion of capacity from Nebius, and Nvidia will invest $700 million in Nebius.")
    assert got == [("meta", "nebius", "compute_commitment", 3 * B, "exact"),
                   ("nvidia", "nebius", "equity_investment", 700 * M, "exact")]


def test_the_amount_in_the_next_sentence() -> None:
    got = deals("Microsoft agreed to lease a data centre campus from Crusoe. The lease is worth about $4 billion.")
    assert got == [("microsoft", "crusoe", "lease", 4 * B, "estimate")]


def test_billions_without_a_figure_is_undisclosed() -> None:
    assert deals("Oracle signed a multibillion-dollar deal to buy AMD chips.") == [
        ("oracle", "amd", "chip_purchase", None, "undisclosed")]


def test_hearsay_makes_a_stated_figure_an_estimate() -> None:
    assert deals("Google will reportedly invest $1 billion in Anthropic.") == [
        ("google", "anthropic", "equity_investment", 1 * B, "estimate")]


def test_a_loan_and_a_bond_sale() -> None:
    assert deals("Morgan Stanley lent CoreWeave $2 billion.") == [("morgan-stanley", "coreweave", "debt", 2 * B, "exact")]
    assert deals("Alphabet sold $17 billion of bonds.") == [("bond-investors", "google", "debt", 17 * B, "exact")]


def test_warrant_and_backstop() -> None:
    assert deals("Cipher Mining granted Google warrants for 24 million shares.") == [
        ("cipher-mining", "google", "warrant", None, "undisclosed")]
    assert deals("Google will backstop $1.4 billion of Fluidstack's lease payments.") == [
        ("google", "fluidstack", "backstop", Decimal("1.4") * B, "exact")]


def test_money_that_is_not_a_deal_makes_no_candidate() -> None:
    assert deals("Nvidia's quarterly revenue rose to $57 billion and its market value passed $4 trillion.") == []
    assert deals("Oracle's backlog grew to $455 billion.") == []


def test_new_companies_are_proposed_with_a_slug() -> None:
    x = extract("Valor Equity Partners will invest $1 billion in xAI.", directory=directory_for(None))
    [c] = x.deals
    assert (c.payer.id, c.payer.known, c.recipient.id, c.recipient.known) == ("valor-equity-partners", False, "xai", True)
    assert c.confidence < 0.8


def test_aliases_resolve_to_ledger_entities() -> None:
    assert deals("OpenAI will buy $38 billion of cloud services from AWS.")[0][:2] == ("openai", "amazon")
    assert deals("Anthropic will buy $30 billion of compute on Microsoft Azure.")[0][:2] == ("anthropic", "microsoft")


def test_dates_explicit_relative_and_published() -> None:
    x = extract("On 3 March 2025 Nvidia said it will invest $1 billion in Nokia.", directory=directory_for(None),
                published="2025-11-19")
    assert str(x.deals[0].date) == "2025-03-03" and x.deals[0].date_source == "explicit"
    x = extract("Nvidia said on Monday it will invest $1 billion in Nokia.", directory=directory_for(None),
                published="2025-11-19")
    assert str(x.deals[0].date) == "2025-11-17" and x.deals[0].date_source == "relative"
    x = extract("Nvidia will invest $1 billion in Nokia.", directory=directory_for(None), published="2025-11-19")
    assert str(x.deals[0].date) == "2025-11-19" and x.deals[0].date_source == "published"
    assert extract("Nvidia will invest $1 billion in Nokia.", directory=directory_for(None)).deals[0].date is None


def test_horizon() -> None:
    [c] = extract("Meta will spend $14 billion on CoreWeave cloud capacity over six years.",
                  directory=directory_for(None)).deals
    assert c.horizon_years == 6


def test_the_amount_in_a_later_clause() -> None:
    assert deals("Microsoft signed a cloud deal with OpenAI; it is worth $10 billion.") == [
        ("openai", "microsoft", "compute_commitment", 10 * B, "exact")]


def test_raised_from_names_the_investor_and_a_sale_to_names_the_buyer() -> None:
    assert deals("Anthropic raised $13 billion from ICONIQ and others.") == [
        ("iconiq", "anthropic", "equity_investment", 13 * B, "exact")]
    assert deals("Intel sold a 10% stake to the US government for $8.9 billion.") == [
        ("us-government", "intel", "equity_investment", Decimal("8.9") * B, "exact")]
    assert deals("SoftBank sold its entire Nvidia stake for $5.8 billion.") == []  # sold to the market: no counterparty
