"""Deals whose other party is not named in the deal's own sentence: a new company opening the sentence before and
then called "the startup", a round whose investors are left unnamed, sentences glued by a lost paragraph break.

Every text here was written for these tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import deal_tuples as deals
from dealweb.extract.text import sentences

M = Decimal(10) ** 6
B = Decimal(10) ** 9


# --- sentences --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    # a name spelt with a lower-case start opens a sentence
    ("Quillwave raised $5 million. xAI raised $6 billion.", ["Quillwave raised $5 million.", "xAI raised $6 billion."]),
    ("It was a busy week. d-Matrix closed a round.", ["It was a busy week.", "d-Matrix closed a round."]),
    # a lost paragraph break glued two sentences together
    ("Funds joined, among others.Tallbird raised $9 million.", ["Funds joined, among others.", "Tallbird raised $9 million."]),
    ("The round closed on May 6.Tallbird said so.", ["The round closed on May 6.", "Tallbird said so."]),
    # … but names and addresses with a dot stay whole
    ("Amazon.Com sold it. Then 01.AI bought.", ["Amazon.Com sold it.", "Then 01.AI bought."]),
    ("The price rose 2.5.Next came more.", ["The price rose 2.5.Next came more."]),
    ("See example.com for more. It is new.", ["See example.com for more.", "It is new."]),
])
def test_sentence_ends(text: str, expected: list[str]) -> None:
    assert [s.text for s in sentences(text)] == expected


# --- a round whose investors are not named ------------------------------------------------------------------------

def test_a_list_of_rounds_gives_each_round_to_the_investor_group() -> None:
    text = ("Quillwave, a drone software startup, raised $40 million in a Series B round. Tallbird Robotics closed a"
            " $120 million Series C round on Friday. Meanwhile Orrin Labs raised $15 million in seed funding.")
    assert deals(text) == [("venture-investors", "quillwave", "equity_investment", 40 * M),
                           ("venture-investors", "tallbird-robotics", "equity_investment", 120 * M),
                           ("venture-investors", "orrin-labs", "equity_investment", 15 * M)]


def test_investors_listed_after_the_round_with_no_figure_are_the_group() -> None:
    text = ("Quillwave raised $40 million in a Series B round. Investors included Nvidia, Sequoia Capital and"
            " Tallbird Ventures.")
    assert deals(text) == [("venture-investors", "quillwave", "equity_investment", 40 * M)]


def test_the_round_included_lists_the_group_too() -> None:
    text = "Quillwave raised $40 million last month. The round included Nvidia and Sequoia Capital."
    assert deals(text) == [("venture-investors", "quillwave", "equity_investment", 40 * M)]


def test_a_named_investor_with_its_own_figure_is_not_pooled() -> None:
    # The next sentence gives an investor's own part: the round is not left to the pooled group.
    text = "Quillwave raised $40 million in a Series B round. Nvidia put $25 million into it."
    assert ("venture-investors", "quillwave", "equity_investment", 40 * M) not in deals(text)


def test_a_lead_named_next_still_wins_over_the_group() -> None:
    text = "Quillwave raised $40 million in a Series B round. Sequoia Capital led the round."
    assert deals(text) == [("sequoia-capital", "quillwave", "equity_investment", 40 * M)]


# --- "the startup" for a new company named just before ------------------------------------------------------------

def test_the_startup_is_the_new_company_that_opened_the_sentence_before() -> None:
    text = ("Quillwave, which two former pilots founded in 2023, had a strong year. The startup raised $50 million in a"
            " round led by Tallbird Capital.")
    assert deals(text) == [("tallbird-capital", "quillwave", "equity_investment", 50 * M)]


def test_the_company_raising_alone_is_the_new_company_and_the_group_pays() -> None:
    text = "Quillwave, a maker of drone software, grew fast. The company raised $50 million last month."
    assert deals(text) == [("venture-investors", "quillwave", "equity_investment", 50 * M)]


def test_a_typed_description_does_not_reach_a_new_company_of_unknown_kind() -> None:
    # "the chipmaker" needs a company the ledger knows as a chipmaker; a new name of unknown kind is no antecedent.
    text = "Quillwave, a maker of drone software, grew fast. The chipmaker raised $50 million last month."
    assert all(d[1] != "quillwave" for d in deals(text))


def test_the_startup_is_never_a_listed_company() -> None:
    # Nvidia's shares are listed: "the startup" cannot be Nvidia, so it is Mistral.
    text = "Nvidia talked to Mistral about chips. The startup will buy $2 billion of GPUs from Nvidia."
    assert [d[:3] for d in deals(text)] == [("mistral-ai", "nvidia", "chip_purchase")]


# --- raises in other words, and the lead told next -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Quillwave secured $120 million in Series A funding.",
    "Quillwave has landed a $120 million investment.",
    "Quillwave, founded by two former pilots, raised $120 million.",
])
def test_raises_in_other_words_go_to_the_investor_group(text: str) -> None:
    assert deals(text) == [("venture-investors", "quillwave", "equity_investment", 120 * M)]


def test_an_aside_after_the_subject_does_not_make_it_an_investor_in_the_company_before() -> None:
    # "xAI" raised money; it did not invest in the company whose raise was told before.
    text = ("Tallbird Robotics, a drone maker, raised $1 billion. xAI, founded in 2023, raised $6 billion, valuing"
            " the company at $24 billion.")
    assert deals(text) == [("venture-investors", "tallbird-robotics", "equity_investment", 1 * B),
                           ("venture-investors", "xai", "equity_investment", 6 * B)]


def test_a_lead_named_in_an_aside_of_the_next_sentence() -> None:
    text = "Quillwave landed a $90 million investment. The round, led by Sequoia Capital, values it at $1 billion."
    assert deals(text) == [("sequoia-capital", "quillwave", "equity_investment", 90 * M)]


def test_the_company_of_an_opening_clause_of_time() -> None:
    text = "Two months after Quillwave announced its launch, the company raised $70 million at a $600 million valuation."
    assert deals(text) == [("venture-investors", "quillwave", "equity_investment", 70 * M)]


def test_an_opening_clause_of_contrast_names_no_antecedent() -> None:
    # "Unlike OpenAI, the company …": OpenAI is the one the company is not.
    text = "Unlike OpenAI, the company raised $5 million."
    assert all(d[1] != "openai" for d in deals(text))


def test_the_startup_paid_is_the_new_company_named_before_when_no_known_one_fits() -> None:
    # Google is listed and the payer: "the startup" is the new company of the sentence before.
    text = ("Quillwave.ai signed a partnership with Google. Under the agreement, Google will pay the startup $300 million"
            " to license its models.")
    assert deals(text) == [("google", "quillwave-ai", "licensing", 300 * M)]


def test_the_startup_needs_a_sign_that_a_new_name_is_a_company() -> None:
    # "Quillwave" alone could be anything (a product, a place): no party from it.
    text = "Quillwave met Google. Google will pay the startup $300 million to license its models."
    assert all(d[1] != "quillwave" for d in deals(text))


def test_a_ticker_printed_after_a_name_is_not_part_of_it() -> None:
    text = "Quillwave Corp. QW-T agreed to buy Tallbird Robotics TB-N for $5 million."
    assert deals(text) == [("quillwave", "tallbird-robotics", "acquisition", 5 * M)]


@pytest.mark.parametrize("opener", ["Additionally,", "Under the new agreement,", "At the same time,", "Initially,"])
def test_the_company_after_an_opening_adverb(opener: str) -> None:
    text = (f"Quillwave Robotics opened its second plant in March. {opener} the company secured a $65 million loan"
            " from Tallbird Bank.")
    assert deals(text) == [("tallbird-bank", "quillwave-robotics", "debt", 65 * M)]


def test_investors_as_the_subject_of_pouring_money_in_are_the_group() -> None:
    assert deals("Investors have poured another $40 million into Quillwave Robotics.") == [
        ("venture-investors", "quillwave-robotics", "equity_investment", 40 * M)]
    assert deals("Its investors poured $40 million into Quillwave Robotics.") == []


def test_a_figure_reported_by_a_party_in_the_next_sentence_completes_the_deal() -> None:
    text = "Quillwave will buy chips from Nvidia. Nvidia estimates that the order is worth $2 billion."
    assert deals(text) == [("quillwave", "nvidia", "chip_purchase", 2 * B)]


def test_a_heading_line_between_the_deal_and_its_figure_does_not_count() -> None:
    text = ("Under the deal, Samsung will produce processors developed by Google. A trade paper first reported it."
            "\nDetails\nSamsung estimates the contract is worth over $1 billion.")
    assert deals(text) == [("google", "samsung", "chip_purchase", 1 * B)]


@pytest.mark.parametrize("text", [
    "Quillwave Labs closed a $400 million Debt Facility to expand its campus.",
    "Quillwave Labs has completed a private offering of $400 million in 3.5% Convertible Senior Notes due 2031.",
])
def test_an_instrument_in_capitals_is_never_a_party(text: str) -> None:
    found = deals(text)
    assert found and all(not {"debt-facility", "convertible-senior-notes"} & {d[0], d[1]} for d in found)
    assert all(d[1] == "quillwave-labs" for d in found)


def test_existing_investors_is_no_company() -> None:
    text = "Existing investors including Sequoia Capital have approached Quillwave Labs about buying staff shares."
    assert all("existing" not in d[:2] for d in deals(text))
