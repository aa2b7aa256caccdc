"""Text normalisation before extraction: wraps joined, wire furniture gone (texts written for these tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.text import clean_article

B = Decimal(10) ** 9


@pytest.mark.parametrize("opening", [
    "OSLO, March 3 (Reuters) - ",
    "OSLO, March 3 (Reuters) – ",
    "PARIS — ",
    "ST. LOUIS, Mo. (AP) — ",
    "09:15 AM EST, 03/03/2026 (MT Newswires) -- ",
    "BERLIN, March 3, 2026 /PRNewswire/ -- ",
    "PARIS, March 3 (AFP) - ",
    "Under the deal, OSLO, March 3 (Reuters) - ",
    "AUSTIN, Texas, March 3, 2026 /GLOBE NEWSWIRE/ -- ",
])
def test_wire_datelines_are_stripped(opening: str) -> None:
    assert clean_article(opening + "Nvidia will put $2 billion into Nokia.").text == "Nvidia will put $2 billion into Nokia."


@pytest.mark.parametrize("sentence", [
    # A ticker or an aside in brackets followed by a dash is not a dateline: the sentence before it is the deal.
    "Nvidia will sell $5 billion of GPUs to xAI (XAI) — the largest sale of its kind this year.",
    "Meta signed a 12-year lease with Blue Owl (OWL) - its biggest yet.",
    "Amazon, 10 days after its results (AMZN) — said it would invest $4 billion in Anthropic.",
    "Amazon, days after its results (AMZN) — said it would invest $4 billion in Anthropic.",
])
def test_a_bracket_and_dash_inside_a_sentence_is_not_a_dateline(sentence: str) -> None:
    assert clean_article(sentence).text == sentence


@pytest.mark.parametrize("furniture", [
    "By Ada Quill and Ben Ostrow",
    "By Ada Quill, Ben Ostrow and Cy Yu",
    "Reporting by Ada Quill in Oslo; Editing by Ben Ostrow",
    "(Additional reporting by Cy Yu; writing by Ada Quill)",
    "Photo: the company's campus in Oslo",
    "A worker walks past a server rack. REUTERS/Ada Quill",
    "Our Standards: The Thomson Reuters Trust Principles.",
    "Sign up here.",
    "Copyright 2026 The Daily Ledger. All rights reserved.",
])
def test_bylines_credits_and_boilerplate_lines_are_dropped(furniture: str) -> None:
    text = f"{furniture}\nNvidia will put $2 billion into Nokia.\n{furniture}"
    assert clean_article(text).text == "Nvidia will put $2 billion into Nokia."


def test_a_sentence_opening_with_by_is_not_a_byline() -> None:
    for line in ("By Friday, Oracle had agreed to buy the site.", "By the end of 2026, Meta will pay $3 billion."):
        assert clean_article(line).text == line


def test_hard_wraps_inside_a_sentence_are_joined_and_paragraph_breaks_kept() -> None:
    text = ("Meta will pay $3 billion to\nOracle for cloud capacity over five\nyears, the company said.\n\n"
            "Shares rose 2%.")
    assert clean_article(text).text == ("Meta will pay $3 billion to Oracle for cloud capacity over five years, the "
                                        "company said.\nShares rose 2%.")


def test_a_wrapped_press_release_keeps_a_credit_line_out_of_its_paragraph() -> None:
    text = ("OSLO, March 3 (Reuters) - Meta will pay $3 billion to\nOracle for cloud capacity, the\n"
            "companies said.\nPhoto: a data hall. REUTERS/Ada Quill\nSign up here.")
    assert clean_article(text).text == "Meta will pay $3 billion to Oracle for cloud capacity, the companies said."


def test_a_headline_line_stays_its_own_paragraph() -> None:
    text = "Nokia wins a backer\nNvidia will put $1 billion into Nokia."
    assert clean_article(text).text.split("\n") == ["Nokia wins a backer", "Nvidia will put $1 billion into Nokia."]


def test_a_wrapped_wire_story_gives_its_deal() -> None:
    text = ("LONDON, March 3 (Reuters) - Microsoft will invest\n$2 billion in Mistral, the\n"
            "French startup said on Tuesday.\n\n(Reporting by Ada Quill; Editing by Ben Ostrow)")
    found = extract(text, directory=directory_for(None)).deals
    assert [(c.payer.id, c.recipient.id, c.kind.value, c.amount) for c in found] == [
        ("microsoft", "mistral-ai", "equity_investment", 2 * B)]


def test_html_loses_its_byline_and_dateline() -> None:
    html = ("<html><body><p class='byline'>By Ada Quill</p><p>OSLO, March 3 (Reuters) - Nvidia will put $2 billion"
            " into Nokia.</p><p>Reporting by Ada Quill; Editing by Ben Ostrow</p></body></html>")
    assert clean_article(html).text == "Nvidia will put $2 billion into Nokia."
