"""The learned confidence: the logistic kernel, the model's properties, the shipped file, the fitting command.

Sentences and labelled items here are written for these tests.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealweb.extract.candidates import directory_for, extract
from dealweb.extract.confidence import (
    MODEL_CAP,
    MODEL_FLOOR,
    TALKS,
    ConfidenceModel,
    bounded,
    confidences,
    load_model,
    shipped_model,
    table_confidence,
)
from dealweb.extract.evaluate import load_eval_set
from dealweb.extract.features import FEATURES, features
from dealweb.extract.fit_confidence import Example, fit_dirs, fit_examples, main
from dealweb.extract.logistic import fit_logistic, predict_proba

HERE = Path(__file__).parent


# --- the kernel -----------------------------------------------------------------------------------------------


def test_fitting_recovers_known_coefficients_on_synthetic_data() -> None:
    rng = np.random.default_rng(7)
    X = rng.normal(size=(20000, 3))
    w, b = np.array([1.5, -2.0, 0.0]), 0.5
    y = (rng.random(20000) < predict_proba(X, w, b)).astype(float)
    m = fit_logistic(X, y, l2=1e-3)
    assert np.allclose(m.coef, w, atol=0.08), m.coef
    assert abs(m.intercept - b) < 0.08
    # The Laplace covariance is about the sampling spread: the standard errors are small and positive.
    se = np.sqrt(np.diag(m.covariance))
    assert np.all(se > 0) and np.all(se < 0.05)


def test_the_penalty_shrinks_weights_towards_zero() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 2))
    y = (rng.random(300) < predict_proba(X, np.array([2.0, -1.0]), 0.0)).astype(float)
    loose, tight = fit_logistic(X, y, l2=1e-3), fit_logistic(X, y, l2=100.0)
    assert np.linalg.norm(tight.coef) < np.linalg.norm(loose.coef) / 2


def test_a_separable_feature_still_has_a_finite_weight() -> None:
    # Every row with the feature is right: without a penalty the weight would run off to infinity.
    X = np.array([[1.0], [1.0], [1.0], [0.0], [0.0]])
    y = np.array([1.0, 1.0, 1.0, 0.0, 1.0])
    m = fit_logistic(X, y, l2=1.0)
    assert 0 < m.coef[0] < 5


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="only 0 and 1"):
        fit_logistic(np.zeros((2, 1)), np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match="positive"):
        fit_logistic(np.zeros((2, 1)), np.array([0.0, 1.0]), l2=0.0)


# --- the model's properties -------------------------------------------------------------------------------------

_names = st.sampled_from(FEATURES)
_weights = st.dictionaries(_names, st.floats(-8, 8, allow_nan=False), max_size=12)
_active = st.dictionaries(_names, st.floats(0, 3, allow_nan=False), max_size=12)


@settings(max_examples=200)
@given(_weights, st.floats(-8, 8), st.floats(1, 3), _active)
def test_probabilities_are_probabilities(weights: dict[str, float], intercept: float, scale: float,
                                         active: dict[str, float]) -> None:
    m = ConfidenceModel(weights, intercept, scale=scale)
    p = m.probability(active)
    assert 0.0 <= p <= 1.0
    assert MODEL_FLOOR <= bounded(p) <= MODEL_CAP


@settings(max_examples=300)
@given(_weights, st.floats(-8, 8), _active, _names, st.floats(0.01, 3), st.floats(0, 2), st.floats(0, 1),
       st.floats(1, 3))
def test_more_of_a_feature_with_a_positive_weight_never_lowers_the_confidence(
        weights: dict[str, float], intercept: float, active: dict[str, float], name: str, more: float,
        margin: float, gate: float, scale: float) -> None:
    weights = {**weights, name: abs(weights.get(name, 1.0)) + 0.01}
    # With a covariance that does not involve this feature, the margin does not move with it either.
    terms = ("(intercept)",)
    m = ConfidenceModel(weights, intercept, scale=scale, terms=terms, covariance=((0.3,),), standard_errors=margin,
                        gate=gate)
    before = m.probability(active)
    after = m.probability({**active, name: active.get(name, 0.0) + more})
    assert after >= before
    assert bounded(after) >= bounded(before)


def test_the_margin_holds_back_claims_above_the_gate_only() -> None:
    plain = ConfidenceModel({"figure": 1.0, "estimate": 1.0}, 0.0)
    cautious = ConfidenceModel({"figure": 1.0, "estimate": 1.0}, 0.0, terms=("(intercept)", "figure"),
                               covariance=((0.5, -0.1), (-0.1, 0.4)), standard_errors=1.0, gate=0.79)
    z, se = cautious.score({"figure": 1.0})
    assert z == 1.0 and math.isclose(se, math.sqrt(0.5 - 0.2 + 0.4))
    # under the gate (0.73): the plain probability
    assert cautious.probability({"figure": 1.0}) == plain.probability({"figure": 1.0})
    # z = 2 (0.88) less one standard error (0.84) is 0.76, under the gate: held at the gate, shown below 0.8
    both = {"figure": 1.0, "estimate": 1.0}
    assert plain.probability(both) > 0.8 and cautious.probability(both) == 0.79
    # with a third unit of score the margin is survived: 3 - 0.84 gives 0.90
    strong = ConfidenceModel({"figure": 1.0, "estimate": 2.0}, 0.0, terms=("(intercept)", "figure"),
                             covariance=((0.5, -0.1), (-0.1, 0.4)), standard_errors=1.0, gate=0.79)
    assert math.isclose(strong.probability(both), 1 / (1 + math.exp(-(3 - se))))


def test_a_new_text_is_scored_at_the_level_of_the_hardest_set() -> None:
    # Two sources with the same kinds of readings: one right 9 times in 10, one 5 in 10.
    rng = np.random.default_rng(3)
    rows = []
    for name, rate in (("easy", 0.9), ("hard", 0.5)):
        for i in range(400):
            active = {"figure": 1.0} if i % 2 else {}
            rows.append(Example(name, f"{name}{i}", active, bool(rng.random() < rate), False))
    levels = fit_examples(rows, l2=1.0)
    pooled = fit_examples(rows, l2=1.0, set_levels=False)
    assert abs(pooled.probability({}) - 0.7) < 0.05
    assert levels.probability({}) < 0.56  # the hard set's level, flattened by the spread of the two
    assert levels.scale > 1


# --- the shipped model --------------------------------------------------------------------------------------


def test_the_shipped_model_loads_and_says_where_it_came_from() -> None:
    m = shipped_model()
    assert m is not None, "src/dealweb/data/confidence_model.json is missing"
    assert set(m.weights) <= set(FEATURES)
    about = m.about
    assert about["sets"] and all(s["candidates"] > 0 for s in about["sets"])
    assert about["fitted_on"][:4].isdigit() and about["cross_validation"]["bins"]
    # Never fitted on a held-out part: the development set is used only with its tuning part.
    assert all(s["part"] != "heldout" for s in about["sets"])
    assert all("extraction-dev" not in s["set"] or s["part"] == "tuning" for s in about["sets"])
    assert load_model(Path(__import__("dealweb").__file__).parent / "data" / "confidence_model.json") == m


@pytest.mark.parametrize("name", ["eval_set.yaml", "heldout_set.yaml"])
def test_every_candidate_of_the_paraphrased_sets_gets_a_confidence_in_0_1(name: str) -> None:
    names = directory_for(None)
    seen = 0
    for item in load_eval_set(HERE / name):
        found = extract(item["text"], directory=names).deals
        for c, v in zip(found, confidences(found), strict=True):
            assert 0.0 <= c.confidence <= 1.0 and c.confidence == v
            seen += 1
    assert seen > 20


def test_talks_stay_rumours_under_the_model() -> None:
    [c] = extract("Nvidia is in advanced talks to sell $4 billion of chips to xAI.").deals
    assert c.confidence == TALKS


def test_without_a_model_the_group_table_decides() -> None:
    found = extract("Nvidia will sell $4 billion of chips to xAI. Oracle agreed to lease servers to Meta.").deals
    assert len(found) == 2
    assert confidences(found, model=None) == [table_confidence(c) for c in found]
    flat = ConfidenceModel({}, 0.0)
    assert confidences(found, model=flat) == [0.5] * len(found)


def test_the_passage_counts() -> None:
    # A reading alone in its passage and the same reading among three others differ in the passage features.
    one = extract("Nvidia will sell $4 billion of chips to xAI.").deals
    many = extract("Nvidia will sell $4 billion of chips to xAI. Amazon will invest $8 billion in Anthropic. "
                   "Oracle will lend $2 billion to Crusoe.").deals
    assert features(one[0], one)["passage:1"] == 1.0
    assert features(many[0], many)["passage:2-3"] == 1.0


# --- the fitting command -----------------------------------------------------------------------------------------


def _item(i: int, text: str, deals: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": f"S{i:02d}", "published": "2025-10-01", "text": text, "deals": deals}


def _deal(payer: str, recipient: str, kind: str, usd: float | None) -> dict[str, Any]:
    return {"payer": payer, "payer_id": payer.lower(), "recipient": recipient, "recipient_id": recipient.lower(),
            "kind": kind, "amount_usd": usd, "ambiguous": False}


# Written for this test: readings that are right, and readings whose label says otherwise (so both classes occur).
SMALL = [
    _item(1, "Nvidia will sell $4 billion of chips to xAI.", [_deal("xAI", "Nvidia", "chip_purchase", 4e9)]),
    _item(2, "Amazon will invest $8 billion in Anthropic.", [_deal("Amazon", "Anthropic", "equity_investment", 8e9)]),
    _item(3, "Oracle agreed to lend $2 billion to Crusoe.", [_deal("Oracle", "Crusoe", "debt", 2e9)]),
    _item(4, "Microsoft will invest $1 billion in OpenAI.", [_deal("Microsoft", "OpenAI", "equity_investment", 1e9)]),
    _item(5, "Google agreed to buy $3 billion of chips from Broadcom.",
          [_deal("Google", "Broadcom", "chip_purchase", 5e9)]),
    _item(6, "Meta signed a deal with CoreWeave.", [_deal("Meta", "CoreWeave", "compute_commitment", 14e9)]),
    _item(7, "SoftBank will invest $2 billion in Intel.", [_deal("SoftBank", "Intel", "equity_investment", 2e9)]),
    _item(8, "AMD agreed to supply chips to OpenAI.", [_deal("OpenAI", "AMD", "chip_purchase", 10e9)]),
]


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    folder = tmp_path / "small"
    folder.mkdir()
    (folder / "paragraphs.json").write_text(json.dumps({"items": SMALL}), encoding="utf-8")
    return folder


def test_fitting_a_small_set_writes_a_model_with_its_provenance(small_set: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.json"
    assert main([str(small_set), "--folds", "3", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "cross-validation by passage" in printed and "drop below" in printed
    m = load_model(out)
    [s] = m.about["sets"]
    assert (s["part"], s["passages"], s["scored_labels"]) == ("all", 8, 8)
    assert s["right"] < s["candidates"]
    assert len(s["paragraphs_sha256"]) == 64
    cv = m.about["cross_validation"]
    assert sum(b["candidates"] for b in cv["bins"]) == s["candidates"]
    assert [t["drop_below"] for t in cv["thresholds"]] == [0.0, 0.2, 0.3, 0.5]
    assert all(0 <= m.probability({f: 1.0}) <= 1 for f in FEATURES)


def test_fit_dirs_is_the_library_call_behind_it(small_set: Path) -> None:
    result = fit_dirs([f"{small_set}:all"], k=2)
    assert result.model.about["candidates"] == result.sets[0].about()["candidates"]
    assert result.leave_one_set_out is None  # one set: nothing to leave out


@pytest.mark.parametrize("content", [None, "{not json", json.dumps({"items": [{"text": "no id"}]})])
def test_a_missing_or_malformed_set_is_one_clear_line(tmp_path: Path, content: str | None,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    if content is not None:
        (tmp_path / "paragraphs.json").write_text(content, encoding="utf-8")
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "paragraphs.json" in err
    assert "Traceback" not in err


def test_the_module_runs_from_the_command_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "dealweb.extract.fit_confidence", str(tmp_path / "nowhere")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "no paragraphs.json here" in done.stderr
