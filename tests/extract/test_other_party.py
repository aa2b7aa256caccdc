"""Deals whose other party is not named in the deal's own sentence: a new company opening the sentence before and
then called "the startup", a round whose investors are left unnamed, sentences glued by a lost paragraph break.

Every text here was written for these tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.text import sentences

M = Decimal(10) ** 6
B = Decimal(10) ** 9


def deals(text: str) -> list[tuple[str, str, str, Decimal | None]]:
    found = extract(text, directory=directory_for(None)).deals
    return [(c.payer.id, c.recipient.id, c.kind.value, c.amount) for c in found]


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
