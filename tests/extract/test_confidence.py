"""Confidence rests on general features of a reading, not on which sentence produced it (sentences written here)."""

from __future__ import annotations

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.confidence import CALIBRATION, calibrated, wilson_lower


def only(text: str) -> float:
    [c] = extract(text, directory=directory_for(None)).deals
    assert calibrated(c) == c.confidence
    return c.confidence


def test_one_figure_between_two_known_companies_is_high() -> None:
    assert only("Nvidia will sell $4 billion of chips to xAI.") >= 0.8


def test_two_figures_in_the_clause_keep_it_below_high() -> None:
    # the amount could be the other figure: not "certain"
    assert only("Nvidia will sell $4 billion of chips to xAI, up to $6 billion with options.") < 0.8


def test_an_unknown_party_keeps_it_below_high() -> None:
    assert only("Nvidia will sell $4 billion of chips to Zentrix Robotics.") < 0.8


def test_no_figure_keeps_it_below_high() -> None:
    assert only("Nvidia agreed to sell chips to xAI.") < 0.8


def test_talks_are_rumours() -> None:
    assert only("Nvidia is in advanced talks to sell $4 billion of chips to xAI.") == 0.3


def test_the_table_is_counts_and_only_the_high_group_can_reach_point_eight() -> None:
    assert all(0 <= right <= n for n, right in CALIBRATION.values())
    high = CALIBRATION["figure, known, one figure"]
    assert wilson_lower(high[1], high[0]) >= 0.8


def test_the_lower_bound_is_below_the_share_and_rises_with_evidence() -> None:
    assert wilson_lower(5, 5) < wilson_lower(20, 20) < 1
    assert all(wilson_lower(r, n) <= r / n for n in range(1, 30) for r in range(n + 1))
