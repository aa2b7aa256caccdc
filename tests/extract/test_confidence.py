"""Confidence rests on general features of a reading, not on which sentence produced it (sentences written here)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.confidence import CALIBRATION, calibrated, table_confidence
from dealweb.extract.devset import evaluate_dir


def only(text: str) -> float:
    [c] = extract(text, directory=directory_for(None)).deals
    assert calibrated(c) == c.confidence
    return c.confidence


def table(text: str) -> float:
    """The fallback group table's confidence (what a package without the model file gives)."""
    [c] = extract(text, directory=directory_for(None)).deals
    return table_confidence(c)


HIGH = "Nvidia will sell $4 billion of chips to xAI."


def test_one_figure_between_two_known_companies_is_pre_ticked() -> None:
    assert only(HIGH) >= 0.6  # pre-ticked in the review table
    assert table(HIGH) >= 0.6


# The table's groups are ordered by hand; the learned model's weights for the same features come from the data
# (tests/extract/test_confidence_model.py checks the model's own properties).


def test_in_the_table_two_figures_in_the_clause_never_outrank_one() -> None:
    # the amount could be the other figure: not "certain" (the same reading without the one-figure signal)
    [c] = extract(HIGH, directory=directory_for(None)).deals
    assert "one_figure" in c.signals
    assert table_confidence(replace(c, signals=c.signals - {"one_figure"})) <= table_confidence(c)


def test_in_the_table_an_unknown_party_never_outranks_known_ones() -> None:
    assert table("Nvidia will sell $4 billion of chips to Zentrix Robotics.") <= table(HIGH)


def test_no_figure_is_low() -> None:
    # figureless readings are the weak point on unseen real news: not pre-ticked
    assert only("Nvidia agreed to sell chips to xAI.") < 0.6
    assert table("Nvidia agreed to sell chips to xAI.") < 0.6


def test_talks_are_rumours() -> None:
    assert only("Nvidia is in advanced talks to sell $4 billion of chips to xAI.") == 0.3


def test_the_table_is_counts() -> None:
    assert all(0 <= right <= n for n, right in CALIBRATION.values())
    assert set(CALIBRATION) == {"figure, known, one figure", "figure, known, several figures",
                                "figure, a party unknown", "no figure"}


def _at_most(right: int, n: int, p: float) -> float:
    """P(at most ``right`` of ``n`` are right) when each is right with probability ``p`` (binomial)."""
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(right + 1))


def test_on_the_blind_set_the_confidence_promises_no_more_than_it_keeps() -> None:
    # The blind set (tests/extract/blind_set) was used neither to write rules nor to fit the model or the table.
    score = evaluate_dir(Path(__file__).with_name("blind_set"))
    assert score.confidences, "the blind set gave no candidates"
    n = len(score.confidences)
    mean = sum(c for c, _ in score.confidences) / n
    share = sum(ok for _, ok in score.confidences) / n
    assert share >= mean - 0.05, (n, mean, share)  # on average it does not claim more than it is right
    # "At or above 0.8" promises nine in ten: a count that would be unlikely (p < 0.05) if that held fails.
    high, right = score.calibration(0.8)
    assert high == 0 or _at_most(right, high, 0.9) >= 0.05, (high, right)


def test_the_binomial_tail() -> None:
    assert _at_most(3, 3, 0.9) == 1.0
    assert math.isclose(_at_most(2, 3, 0.9), 1 - 0.9**3)
    assert _at_most(15, 20, 0.9) < 0.05 < _at_most(7, 10, 0.9)
