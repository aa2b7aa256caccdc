"""Whole articles: one candidate per deal, the headline merged with its body sentence (texts written for these tests)."""

from __future__ import annotations

from decimal import Decimal

from dealweb.extract import extract
from dealweb.extract.articles import frame_support
from dealweb.extract.candidates import directory_for

B = Decimal(10) ** 9

STORY = """Nscale signs $10 billion deal with Microsoft
By Ada Quill
OSLO, March 3 (Reuters) - Nscale will supply Microsoft with computing
capacity worth $10 billion over five years, the British company said on
Tuesday.

Microsoft will pay Nscale $10 billion for the capacity, a spokesperson said.

Separately, Nvidia will invest $2 billion in Mistral, the French startup said.
(Reporting by Ada Quill; Editing by Ben Ostrow)
"""


def found(text: str) -> list[tuple[str, str, Decimal | None]]:
    return [(c.payer.id, c.recipient.id, c.amount) for c in extract(text, directory=directory_for(None)).deals]


def test_a_wrapped_story_gives_each_deal_once_in_the_direction_its_verbs_say() -> None:
    assert found(STORY) == [("microsoft", "nscale", 10 * B), ("nvidia", "mistral-ai", 2 * B)]


def test_the_kept_reading_cites_a_body_sentence_not_the_headline() -> None:
    [first, _] = extract(STORY, directory=directory_for(None)).deals
    assert first.evidence.sentence.endswith(".")
    assert "Reuters" not in first.evidence.sentence and "By Ada" not in first.evidence.sentence


def test_a_headline_above_a_dateline_is_its_own_paragraph() -> None:
    text = "Acme wins backer\nOSLO, March 3 (Reuters) - Nvidia will put\n$2 billion into Nokia, it said."
    assert extract(text).article.text.split("\n") == ["Acme wins backer", "Nvidia will put $2 billion into Nokia, it said."]


def test_frame_support_scores_direction_against_the_verb() -> None:
    text = "Nscale will supply Microsoft with capacity worth $10 billion."
    [c] = extract(text, directory=directory_for(None)).deals
    assert (c.payer.id, c.recipient.id) == ("microsoft", "nscale")
    assert frame_support(c) == 1
    from dataclasses import replace

    assert frame_support(replace(c, payer=c.recipient, recipient=c.payer)) == -1


def test_two_different_deals_between_the_same_pair_are_both_kept() -> None:
    text = ("Nebius will provide Meta with $3 billion of computing capacity. Meta also committed $2 billion to buy more"
            " capacity from Nebius.")
    assert found(text) == [("meta", "nebius", 3 * B), ("meta", "nebius", 2 * B)]
