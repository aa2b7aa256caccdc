"""Deals whose sentence names both parties and still gave no candidate (issue 16, seventh round).

The sentences are our own, written after shapes seen in passages of several tuning sets: a
round's lead written "co-led" (the word was taken for an "X-led" descriptor and hid the
subject), a lead of a round named with the company's possessive ("led Y's series B
financing") or "for Y", a priced series read as a loan, money "pumped" or "injected" into a
company, and two companies that each sign a deal with one customer when no figure is given.
Each shape keeps a distractor that must stay empty.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for

M = Decimal(10) ** 6
EQ, CHIPS = "equity_investment", "chip_purchase"


def deals(text: str) -> set[tuple[str, str, str, Decimal | None]]:
    return {(c.payer.id, c.recipient.id, c.kind.value, c.amount)
            for c in extract(text, directory=directory_for(None), published="2026-03-02").deals}


@pytest.mark.parametrize(("text", "expected"), [
    # "co-led" is a verb here, not a descriptor such as "SoftBank-led"
    ("Qualcomm co-led a $75 million investment in Anthropic, the filing shows.", {("qualcomm", "anthropic", EQ, 75 * M)}),
    ("Last spring AMD co-led a $210 million round in Cohere.", {("amd", "cohere", EQ, 210 * M)}),
    # the company funded as a possessive inside the verb's object
    ("Salesforce led Cohere's $90 million series C round.", {("salesforce", "cohere", EQ, 90 * M)}),
    ("Intel led Mistral AI's series B financing last year.", {("intel", "mistral-ai", EQ, None)}),
    # "a round for X"
    ("Oracle led a $60 million funding round for xAI.", {("oracle", "xai", EQ, 60 * M)}),
])
def test_the_lead_of_a_round_is_its_investor(text: str, expected: set[tuple[str, str, str, Decimal | None]]) -> None:
    assert deals(text) == expected


def test_a_priced_series_is_no_loan() -> None:
    # "series B financing" is equity even though "financing" alone leans to debt
    found = deals("Intel led Mistral AI's series B financing last year.")
    assert {k for _, _, k, _ in found} == {EQ}


@pytest.mark.parametrize(("text", "expected"), [
    ("Samsung itself pumped $45 million into Cohere in March.", {("samsung", "cohere", EQ, 45 * M)}),
    ("Nvidia deepened its ties with Mistral AI, announcing a fresh $250 million capital injection.",
     {("nvidia", "mistral-ai", EQ, 250 * M)}),
])
def test_money_pumped_or_injected_is_an_investment(text: str,
                                                   expected: set[tuple[str, str, str, Decimal | None]]) -> None:
    assert deals(text) == expected


def test_two_sellers_without_a_figure_give_one_deal_each() -> None:
    found = deals("Micron and SK Hynix inked letters of intent on Monday to provide HBM chips for use in xAI's new clusters.")
    assert found == {("xai", "micron", CHIPS, None), ("xai", "sk-hynix", CHIPS, None)}


@pytest.mark.parametrize("text", [
    # an "X-led" descriptor is still background, and a share price pumped up is no deal
    "SoftBank-led investors watched as Cohere's shares pumped higher into the close.",
    # two sellers in a relative clause, and a share of a combined market, are no deals
    "Micron and SK Hynix, which supply memory chips to xAI, reported higher profits.",
    "Micron and SK Hynix together supply a combined share of memory chips to xAI.",
    # a co-founder is not a lead investor
    "The co-founder of Cohere previously led a research team at Google.",
])
def test_distractors_stay_empty(text: str) -> None:
    assert deals(text) == set()


@pytest.mark.parametrize(("text", "expected"), [
    # an opening phrase of time before "X said": the report is the sentence's own, not a trailing attribution
    ("On Friday, Nvidia said it had bought Groq.", {("nvidia", "groq", "acquisition", None)}),
    ("But on Monday, Microsoft said it acquired Inflection AI.", {("microsoft", "inflection-ai", "acquisition", None)}),
])
def test_a_report_after_an_opening_phrase_keeps_its_parties(text: str,
                                                            expected: set[tuple[str, str, str, Decimal | None]]) -> None:
    assert deals(text) == expected


def test_a_trailing_attribution_is_still_background() -> None:
    assert deals("On Monday, Nvidia said it was pleased with demand.") == set()
    assert deals("Demand for chips stayed strong this quarter, Nvidia said on Friday.") == set()


def test_a_description_of_a_company_names_no_thing_bought() -> None:
    # "the chip giant" refers back to the investor; it does not make the investment a chip purchase
    assert deals("Samsung will invest $250 million in Cohere in a wider tie-up between the memory chip maker and the "
                 "startup.") == {("samsung", "cohere", EQ, 250 * M)}
    assert deals("Google will invest $250 million in Cohere in a wider tie-up between the cloud provider and the "
                 "startup.") == {("google", "cohere", EQ, 250 * M)}
    assert deals("AMD will invest $300 million in Cohere under a broader pact between the chip giant and the "
                 "startup.") == {("amd", "cohere", EQ, 300 * M)}
