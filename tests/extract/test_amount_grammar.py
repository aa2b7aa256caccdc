"""Amount grammar: where the figure sits, what it is per, and which party it belongs to (sentences written here)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import extract
from dealweb.extract.amounts import find_money
from dealweb.extract.candidates import directory_for

B = Decimal(10) ** 9


def found(text: str) -> list[tuple[str, str, str, Decimal | None, str, str]]:
    return [(c.payer.id, c.recipient.id, c.kind.value, c.amount, c.currency, c.qualifier.value)
            for c in extract(text, directory=directory_for(None)).deals]


@pytest.mark.parametrize(("phrase", "amount", "currency"), [
    ("a $1.25-billion order", Decimal("1.25") * B, "USD"),
    ("A$2 billion", 2 * B, "AUD"),
    ("₹18,000 crore", Decimal(18000) * 10**7, "INR"),
    ("a 3.1 trillion-won contract", Decimal("3.1") * 10**12, "KRW"),
    ("EUR 750 million", 750 * 10**6, "EUR"),
])
def test_figures_in_many_spellings(phrase: str, amount: Decimal, currency: str) -> None:
    [m] = find_money(phrase)
    assert (m.amount, m.currency) == (amount, currency)


@pytest.mark.parametrize(("phrase", "period"), [
    ("$1 billion a year", "year"), ("$1 billion annually", "year"), ("$40 million per month", "month"),
    ("$5 million quarterly", "quarter"), ("$1 billion", ""),
])
def test_per_period_figures_name_their_period(phrase: str, period: str) -> None:
    assert find_money(phrase)[0].period == period


def test_per_year_amounts_keep_their_years() -> None:
    [c] = extract("Apple will pay Google $1 billion a year over five years to license Gemini.",
                  directory=directory_for(None)).deals
    assert (c.amount, c.period, c.horizon_years, c.kind.value) == (B, "year", Decimal(5), "licensing")


def test_between_x_and_y_is_one_range() -> None:
    [m] = find_money("between $17.4 billion and $19.4 billion")
    assert (m.low, m.high, m.amount, m.qualifier.value) == (Decimal("17.4") * B, Decimal("19.4") * B,
                                                             Decimal("19.4") * B, "estimate")


def test_worth_after_the_noun() -> None:
    assert found("OpenAI signed a deal for GPUs worth $90B with AMD.") == [
        ("openai", "amd", "chip_purchase", 90 * B, "USD", "exact")]


def test_gapping_gives_both_investors() -> None:
    assert found("Nvidia will invest up to $10 billion and Microsoft up to $5 billion in Anthropic.") == [
        ("nvidia", "anthropic", "equity_investment", 10 * B, "USD", "up_to"),
        ("microsoft", "anthropic", "equity_investment", 5 * B, "USD", "up_to")]


def test_respectively_and_a_second_deal_in_one_sentence() -> None:
    assert found("AMD and Nvidia will invest $1 billion and $2 billion respectively in xAI, while Oracle will buy "
                 "$3 billion of chips from AMD.") == [
        ("amd", "xai", "equity_investment", B, "USD", "exact"), ("nvidia", "xai", "equity_investment", 2 * B, "USD", "exact"),
        ("oracle", "amd", "chip_purchase", 3 * B, "USD", "exact")]


@pytest.mark.parametrize("addon", ["a further", "an additional"])
def test_an_add_on_is_its_own_deal(addon: str) -> None:
    assert found(f"Google will invest {addon} $4B in Anthropic.") == [
        ("google", "anthropic", "equity_investment", 4 * B, "USD", "exact")]


def test_an_add_on_clause_keeps_the_counterparty_of_the_clause_before() -> None:
    assert found("Amazon has invested $4 billion in Anthropic and will invest an additional $2.75 billion.") == [
        ("amazon", "anthropic", "equity_investment", 4 * B, "USD", "exact"),
        ("amazon", "anthropic", "equity_investment", Decimal("2.75") * B, "USD", "exact")]


def test_made_an_investment_too() -> None:
    assert found("Nvidia made a $2 billion investment in xAI too.") == [
        ("nvidia", "xai", "equity_investment", 2 * B, "USD", "exact")]


def test_paying_a_provider_with_no_kind_word_buys_what_it_sells() -> None:
    assert found("Microsoft will pay CoreWeave $10 billion, or $2 billion a year through 2030.") == [
        ("microsoft", "coreweave", "compute_commitment", 10 * B, "USD", "exact")]


def test_non_usd_amounts_stay_in_their_currency() -> None:
    assert found("Reliance will invest ₹10,000 crore in Jio, and Google will invest A$1.5 billion in Canva.") == [
        ("reliance", "jio", "equity_investment", Decimal(10000) * 10**7, "INR", "exact"),
        ("google", "canva", "equity_investment", Decimal("1.5") * B, "AUD", "exact")]


def test_each_with_no_figure_gives_one_undisclosed_deal_per_investor() -> None:
    assert found("Microsoft put $10 billion into OpenAI, while Amazon and Google have each poured billions into "
                 "Anthropic.") == [
        ("microsoft", "openai", "equity_investment", 10 * B, "USD", "exact"),
        ("amazon", "anthropic", "equity_investment", None, "USD", "undisclosed"),
        ("google", "anthropic", "equity_investment", None, "USD", "undisclosed")]


def test_several_investors_with_no_each_and_no_figure_stay_an_aggregate() -> None:
    assert found("Amazon and Google will invest in Anthropic.") == []


def test_a_financing_split_into_equity_and_debt_gives_one_deal_per_instrument() -> None:
    assert found("Mistral's new financing consists of €300m in equity and €100m in debt, the paper said.") == [
        ("venture-investors", "mistral-ai", "equity_investment", 300 * 10**6, "EUR", "exact"),
        ("bank-lenders", "mistral-ai", "debt", 100 * 10**6, "EUR", "exact")]
