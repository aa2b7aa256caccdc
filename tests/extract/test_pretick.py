"""Which candidates a review starts ticked: the cut the confidence fit chose on sets left out of it.

The cut is not a constant of the page: :mod:`dealweb.extract.fit_confidence` chooses it (the lowest
cut whose kept candidates were right at least 80% of the time, each labelled set read by a model
fitted on the others) and records it with its counts in the model file; the web page, the API and
``dealweb extract --review`` all ask :func:`dealweb.extract.starts_ticked`.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dealweb.extract import starts_ticked
from dealweb.extract.candidates import Candidate, Evidence, FactCandidate
from dealweb.extract.confidence import PRETICK_TABLE, ConfidenceModel, pretick_at, shipped_model
from dealweb.extract.fit_confidence import PRETICK_CUTS, PRETICK_PRECISION, Example, choose_pretick
from dealweb.extract.parties import PartyRef
from dealweb.extract.review import pretick_note
from dealweb.model.vocab import DealKind, Metric, Qualifier

P = lambda i: PartyRef(i, i, i)  # noqa: E731
DEAL = Candidate(P("oracle"), P("openai"), DealKind.COMPUTE_COMMITMENT, Decimal("3e9"), "USD", Qualifier.EXACT,
                 Evidence("", 0, 0), 0.5)


def _precision(pairs: list[tuple[float, bool]], cut: float) -> float | None:
    kept = [ok for p, ok in pairs if p >= cut]
    return sum(kept) / len(kept) if kept else None


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans(), st.booleans()), max_size=60))
def test_the_cut_is_the_lowest_that_keeps_the_promise(rows: list[tuple[float, bool, bool]]) -> None:
    examples = [Example("s", str(n), {}, ok, talks) for n, (_, ok, talks) in enumerate(rows)]
    chosen = choose_pretick(examples, [p for p, _, _ in rows], by="set")
    pairs = [(p, ok) for p, ok, talks in rows if not talks]
    assert chosen["at"] in PRETICK_CUTS
    assert chosen["kept"] == sum(p >= chosen["at"] for p, _ in pairs)
    assert chosen["right"] == sum(ok for p, ok in pairs if p >= chosen["at"])
    if chosen["at"] != PRETICK_CUTS[-1]:
        assert _precision(pairs, chosen["at"]) >= PRETICK_PRECISION  # type: ignore[operator]
    for lower in PRETICK_CUTS[:PRETICK_CUTS.index(chosen["at"])]:
        share = _precision(pairs, lower)
        assert share is None or share < PRETICK_PRECISION


def test_talks_never_count_towards_the_cut() -> None:
    right = [Example("s", str(n), {}, True, False) for n in range(4)]
    talks = [Example("s", f"t{n}", {}, False, True) for n in range(10)]
    chosen = choose_pretick(right + talks, [0.45] * 4 + [0.45] * 10, by="set")
    assert (chosen["at"], chosen["kept"], chosen["right"]) == (0.4, 4, 4)


def test_the_shipped_model_records_its_cut_and_what_it_kept() -> None:
    model = shipped_model()
    assert model is not None and model.pretick in PRETICK_CUTS
    pre = model.about["pretick"]
    assert pre["by"] == "leave one set out" and pre["target_precision"] == PRETICK_PRECISION
    assert pre["right"] >= PRETICK_PRECISION * pre["kept"] or pre["at"] == PRETICK_CUTS[-1]
    assert pretick_at() == model.pretick
    assert f"{model.pretick:.2f}" in pretick_note() and f"{pre['right']} of {pre['kept']}" in pretick_note()


def test_without_a_recorded_cut_the_table_cut_holds() -> None:
    assert pretick_at(None) == PRETICK_TABLE
    assert pretick_at(ConfidenceModel({}, 0.0)) == PRETICK_TABLE
    assert pretick_at(ConfidenceModel({}, 0.0, about={"pretick": {"at": "high"}})) == PRETICK_TABLE


def test_a_deal_starts_ticked_from_the_cut_up_and_talks_never() -> None:
    cut = pretick_at()
    assert starts_ticked(replace(DEAL, confidence=cut))
    assert not starts_ticked(replace(DEAL, confidence=round(cut - 0.01, 2)))
    assert not starts_ticked(replace(DEAL, confidence=0.9, notes=("talks, not a signed deal",)))


def test_figures_keep_the_table_cut() -> None:
    fact = FactCandidate(P("openai"), Metric.VALUATION, Decimal("1e10"), "USD", Qualifier.EXACT, Evidence("", 0, 0), 0.45)
    assert not starts_ticked(fact) and starts_ticked(replace(fact, confidence=0.7))
