"""Confidence rests on general features of a reading, not on which sentence produced it (sentences written here)."""

from __future__ import annotations

from pathlib import Path

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.confidence import CALIBRATION, calibrated
from dealweb.extract.devset import evaluate_dir


def only(text: str) -> float:
    [c] = extract(text, directory=directory_for(None)).deals
    assert calibrated(c) == c.confidence
    return c.confidence


HIGH = "Nvidia will sell $4 billion of chips to xAI."


def test_one_figure_between_two_known_companies_is_the_highest_group() -> None:
    assert only(HIGH) >= 0.6  # pre-ticked in the review table


def test_two_figures_in_the_clause_never_outrank_one() -> None:
    # the amount could be the other figure: not "certain"
    assert only("Nvidia will sell $4 billion of chips to xAI, up to $6 billion with options.") <= only(HIGH)


def test_an_unknown_party_never_outranks_known_ones() -> None:
    assert only("Nvidia will sell $4 billion of chips to Zentrix Robotics.") <= only(HIGH)


def test_no_figure_is_low() -> None:
    # right 3 times in 13 on held-out real news: not pre-ticked
    assert only("Nvidia agreed to sell chips to xAI.") < 0.6


def test_talks_are_rumours() -> None:
    assert only("Nvidia is in advanced talks to sell $4 billion of chips to xAI.") == 0.3


def test_the_table_is_counts() -> None:
    assert all(0 <= right <= n for n, right in CALIBRATION.values())
    assert set(CALIBRATION) == {"figure, known, one figure", "figure, known, several figures",
                                "figure, a party unknown", "no figure"}


def test_on_the_blind_set_no_group_is_right_less_often_than_its_confidence_says() -> None:
    # The blind set (tests/extract/blind_set) was used neither to write rules nor to fit the table. Confidence is
    # a function of the candidate's group, so candidates with one confidence value are one group.
    score = evaluate_dir(Path(__file__).with_name("blind_set"))
    by_value: dict[float, list[bool]] = {}
    for conf, ok in score.confidences:
        by_value.setdefault(conf, []).append(ok)
    assert by_value, "the blind set gave no candidates"
    for conf, oks in by_value.items():
        assert sum(oks) / len(oks) >= conf, (conf, len(oks), sum(oks))
    n, right = score.calibration(0.8)
    assert n == 0 or right / n >= 0.9
