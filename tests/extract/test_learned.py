"""The learned reader (dealweb.extract.learned) and its fit (dealweb.extract.fit_learned), on sentences we write."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealweb.errors import FormatError
from dealweb.extract import extract
from dealweb.extract.candidates import Candidate, directory_for
from dealweb.extract.fit_learned import THRESHOLDS, Labelled, _choose, fit_dirs, fit_rows, format_fit, learned_candidates, main
from dealweb.extract.learned import (
    MAX_MENTIONS,
    LearnedModel,
    apply,
    load_learned,
    pair_figure,
    sentence_pairs,
    shipped_learned,
)

NAMES = {"Microsoft": "microsoft", "Anthropic": "anthropic", "Nvidia": "nvidia", "OpenAI": "openai",
         "Oracle": "oracle", "Amazon": "amazon", "Meta": "meta", "CoreWeave": "coreweave"}
HELD_BACK = {"AMD": "amd", "Broadcom": "broadcom"}  # never in the synthetic training set

# Two made-up verbs: "florps" puts the payer first, "glims" puts it second. Nothing else tells the direction.
PAYER_FIRST = "{a} florps {b} for the quarter."
PAYER_SECOND = "{a} glims {b} for the quarter."


def _label(payer: str, recipient: str, text: str, ids: dict[str, str]) -> dict[str, object]:
    return {"payer": payer, "payer_id": ids[payer], "recipient": recipient, "recipient_id": ids[recipient],
            "kind": "equity_investment", "amount_usd": None, "qualifier": "undisclosed", "evidence": text}


def _synthetic_items() -> list[dict[str, object]]:
    items = []
    for n, (a, b) in enumerate(itertools.permutations(NAMES, 2)):
        template = PAYER_FIRST if n % 2 else PAYER_SECOND
        text = template.format(a=a, b=b)
        payer, recipient = (a, b) if template is PAYER_FIRST else (b, a)
        items.append({"id": f"SYN{n:03d}", "text": text, "deals": [_label(payer, recipient, text, NAMES)]})
    return items


def _rows(items: list[dict[str, object]]) -> list[tuple[dict[str, float], str | None]]:
    rows: list[tuple[dict[str, float], str | None]] = []
    for item in items:
        [deal] = item["deals"]  # type: ignore[misc]
        for p in sentence_pairs(str(item["text"]), directory_for(None).for_article()):
            hit = p.a.party.id == deal["payer_id"] and p.b.party.id == deal["recipient_id"]
            rows.append((p.active, "equity_investment" if hit else None))
    return rows


def _score(model: LearnedModel, text: str) -> dict[tuple[str, str], float]:
    return {(p.a.party.id, p.b.party.id): model.probability(p.active)
            for p in sentence_pairs(text, directory_for(None).for_article())}


def test_fitting_on_a_synthetic_set_recovers_the_planted_direction_cue() -> None:
    model = fit_rows(_rows(_synthetic_items()))
    first = _score(model, PAYER_FIRST.format(a="AMD", b="Broadcom"))
    second = _score(model, PAYER_SECOND.format(a="AMD", b="Broadcom"))
    assert first[("amd", "broadcom")] > 0.5 > first[("broadcom", "amd")]
    assert second[("broadcom", "amd")] > 0.5 > second[("amd", "broadcom")]
    # The cue is a word between the two, keyed by their order; no feature names a company.
    assert model.weights["ab:florps"] > 0 > model.weights["ab:glims"]
    assert not any(name.lower() in f for f in model.weights for name in [*NAMES, *HELD_BACK])


def test_the_fit_module_fits_a_labelled_folder_and_reports_both_uses(tmp_path: Path) -> None:
    (tmp_path / "paragraphs.json").write_text(json.dumps({"items": _synthetic_items()}), encoding="utf-8")
    model, cv = fit_dirs([str(tmp_path)])
    assert [x["threshold"] for x in cv["add"]] == list(THRESHOLDS)
    assert all(set(x) >= {"removed_right", "removed_wrong", "precision", "recall"} for x in cv["veto"])
    assert model.about["sets"][0]["positive_pairs"] == len(_synthetic_items())
    assert model.use in ("none", "add", "veto")


def test_features_are_deterministic_and_bounded_on_hostile_input() -> None:
    crowd = ", ".join(f"Zentrix{n} Holdings" for n in range(300))
    long = "Microsoft will invest $5 billion in Anthropic " + "and more " * 2000 + crowd + " and Nvidia."
    start = time.process_time()
    one = sentence_pairs(long, directory_for(None).for_article())
    two = sentence_pairs(long, directory_for(None).for_article())
    assert time.process_time() - start < 10
    assert [(p.a.party.id, p.b.party.id, p.active) for p in one] == [(p.a.party.id, p.b.party.id, p.active) for p in two]
    assert len(one) <= MAX_MENTIONS * (MAX_MENTIONS - 1)
    assert all(len(p.active) < 120 for p in one)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([*NAMES, "invests", "in", "from", "$3 billion", "to", ",", "'s", "by", "Zeta Labs",
                                 "the", "\n", "(", "buys chips"]), max_size=60))
def test_features_on_any_mix_of_names_and_words_are_bounded(words: list[str]) -> None:
    text = " ".join(words)
    pairs = sentence_pairs(text, directory_for(None).for_article())
    assert len(pairs) <= 30
    assert all(p.a.party.id != p.b.party.id and len(p.active) < 120 for p in pairs)


def test_the_shipped_model_loads_and_says_what_it_was_fitted_on() -> None:
    model = shipped_learned()
    assert model is not None
    assert model.use in ("none", "add", "veto") and 0 <= model.threshold <= 1
    sets = [s["set"] for s in model.about["sets"]]
    assert sets and not any(s.rstrip("/").endswith(("/C", "/D", ":heldout")) for s in sets)
    assert {"rules", "add", "veto"} <= set(model.about["cross_validation"])
    assert model.weights and model.kinds


def test_a_veto_drops_only_a_reading_its_pair_scores_below_the_threshold() -> None:
    text = "Microsoft will invest $5 billion in Anthropic."
    found = extract(text, learned=False).deals
    assert [(c.payer.id, c.recipient.id) for c in found] == [("microsoft", "anthropic")]
    against = LearnedModel({"order:ab": -10.0}, 0.0, {}, threshold=0.02, use="veto")
    assert apply(text, directory_for(None), found, against) == []
    for model in (LearnedModel({"order:ab": 10.0}, 0.0, {}, threshold=0.02, use="veto"),
                  LearnedModel({"order:ab": -10.0}, 0.0, {}, threshold=0.02, use="none")):
        assert apply(text, directory_for(None), found, model) == found


def test_gapped_readings_are_not_vetoed() -> None:
    text = "Amazon will invest up to $4 billion and Google up to $2 billion in Anthropic."
    found = extract(text, learned=False).deals
    against = LearnedModel({"order:ab": -10.0, "order:ba": -10.0}, -10.0, {}, threshold=0.5, use="veto")
    kept = apply(text, directory_for(None), found, against)
    assert kept and all("gapped" in c.signals for c in kept)


@pytest.mark.parametrize("content", [None, "{not json", json.dumps({"items": [{"text": "no id"}]})])
def test_the_fit_module_rejects_a_missing_or_malformed_folder_in_one_line(tmp_path: Path, content: str | None,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    if content is not None:
        (tmp_path / "paragraphs.json").write_text(content, encoding="utf-8")
    folder = tmp_path if content is not None else tmp_path / "absent"
    assert main([str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1 and "Traceback" not in err


def test_a_malformed_model_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"weights": {"x": "heavy"}, "intercept": 0, "kinds": {}}), encoding="utf-8")
    with pytest.raises(FormatError, match="weights"):
        load_learned(path)


def test_a_hand_set_cut_off_must_be_one_the_cross_validation_reports(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "paragraphs.json").write_text(json.dumps({"items": _synthetic_items()}), encoding="utf-8")
    assert main([str(tmp_path), "--veto-below", "0.33"]) == 2
    assert "--veto-below" in capsys.readouterr().err


# --- sixth round: what an added reading takes, and the carry-over test -------------------------------------------------

TWO_DEALS = "Nvidia will put $2 billion into OpenAI, while Amazon lends $8 billion to Anthropic."


def _pairs(text: str) -> dict[tuple[str, str], object]:
    return {(p.a.party.id, p.b.party.id): p for p in sentence_pairs(text, directory_for(None).for_article())}


def test_a_pair_takes_the_figure_between_its_two_companies_else_the_nearest() -> None:
    pairs = _pairs(TWO_DEALS)
    assert str(pairs[("nvidia", "openai")].figure.amount) == "2000000000"  # type: ignore[attr-defined]
    assert str(pairs[("amazon", "anthropic")].figure.amount) == "8000000000"  # type: ignore[attr-defined]
    # Neither figure stands between OpenAI and Amazon: the nearer one, whichever way round.
    assert pairs[("openai", "amazon")].figure == pairs[("amazon", "openai")].figure  # type: ignore[attr-defined]
    assert _pairs("Oracle and Meta signed an agreement.")[("oracle", "meta")].figure is None  # type: ignore[attr-defined]
    first = sentence_pairs(TWO_DEALS, directory_for(None).for_article())[0]
    assert pair_figure([], first.a, first.b) is None


def test_the_pair_features_add_the_two_kinds_together_and_a_figure_between_without_naming_anyone() -> None:
    f = _pairs(TWO_DEALS)[("nvidia", "openai")].active  # type: ignore[attr-defined]
    assert f["money_between:ab"] == 1.0
    assert any(k.startswith("kinds:") and ">" in k for k in f)
    assert not any(name in k for k in f for name in ("nvidia", "openai", "amazon", "anthropic"))
    assert "money_between:ab" not in _pairs("Nvidia and OpenAI signed a $2 billion deal.")[("nvidia", "openai")].active  # type: ignore[attr-defined]


def _labelled(text: str, rules: Sequence[Candidate]) -> Labelled:
    from dealweb.extract.text import clean_article, sentences

    names = directory_for(None).for_article()
    p = Labelled("made-up", {"id": "X1", "text": text, "deals": []}, rules=list(rules))
    for sent in sentences(clean_article(text).text):
        pairs = sentence_pairs(sent.text, names)
        if pairs:
            p.sentences.append((sent.start, sent.text, pairs, [None] * len(pairs)))
    return p


def test_an_added_reading_leaves_two_companies_the_rules_read_to_the_rules() -> None:
    text = "Amazon agreed to lend $8 billion to Anthropic. " + TWO_DEALS
    eager = LearnedModel({"order:ab": 10.0, "order:ba": -10.0}, 0.0, {}, threshold=0.5, use="add")
    first = extract("Amazon agreed to lend $8 billion to Anthropic.", learned=False).deals
    assert [(c.payer.id, c.recipient.id) for c in first] == [("amazon", "anthropic")]
    bare = _labelled(text, [])
    p = _labelled(text, first)
    scores = [[eager.probability(pr.active) for pr in pairs] for _, _, pairs, _ in p.sentences]
    skip = {c.evidence.start for c in first}
    added = {(c.payer.id, c.recipient.id): c for c in learned_candidates(p, scores, eager, 0.5, skip)}
    assert ("amazon", "anthropic") not in added  # read by the rules in the first sentence
    assert added and all(c.signals == frozenset({"learned"}) for c in added.values())
    assert str(added[("nvidia", "openai")].amount) == "2000000000"
    # Without the rules' reading the same pair is added, with its own figure.
    again = {(c.payer.id, c.recipient.id): c for c in learned_candidates(bare, scores, eager, 0.5, set())}
    assert str(again[("amazon", "anthropic")].amount) == "8000000000"


def test_adding_is_chosen_only_at_one_and_a_half_right_per_wrong() -> None:
    rules = {"right": 10, "candidates": 20, "precision": 0.5, "recall": 0.1}
    def cv(right: int, wrong: int) -> dict[str, object]:
        added = {"threshold": 0.7, "added_right": right, "added_wrong": wrong, "right": 10 + right,
                 "candidates": 20 + right + wrong, "precision": (10 + right) / (20 + right + wrong), "recall": (10 + right) / 100}
        return {"rules": rules, "add": [added], "veto": []}
    assert _choose(cv(4, 3))[0] == "none"  # more right than wrong, and a better F1, but under 1.5 : 1
    assert _choose(cv(6, 4))[:2] == ("add", 0.7)


def test_the_carry_over_test_reads_sets_the_model_never_saw(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = _synthetic_items()
    seen, unseen = tmp_path / "seen", tmp_path / "unseen"
    seen.mkdir()
    unseen.mkdir()
    (seen / "paragraphs.json").write_text(json.dumps({"items": items[::2]}), encoding="utf-8")
    (unseen / "paragraphs.json").write_text(json.dumps({"items": items[1::2]}), encoding="utf-8")
    model, _ = fit_dirs([str(seen)], unseen=[str(unseen)])
    carried = model.about["carry_over"]
    assert [s["passages"] for s in carried["sets"]] == [len(items[1::2])]
    assert [x["threshold"] for x in carried["add"]] == list(THRESHOLDS) and carried["veto"]
    assert "Carry-over" in format_fit(model)
    assert main([str(seen), "--unseen", str(unseen)]) == 0
    assert "read on sets it never saw" in capsys.readouterr().out
    assert "carry_over" not in fit_dirs([str(seen)])[0].about
