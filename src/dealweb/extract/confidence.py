"""A candidate's confidence: how often readings like it were right on labelled real news.

Two ways, the first when it is there:

1. **The learned model** (``dealweb/data/confidence_model.json``): an L2-regularised logistic
   regression over general features of the reading and its passage
   (:mod:`~dealweb.extract.features`: signals, group, kind, qualifier, figures in the sentence,
   whether the parties are ledger entities and named in the sentence, hearsay, how many
   candidates the passage gave, ...), fitted by :mod:`~dealweb.extract.fit_confidence` on
   labelled sets, where "right" is exactly what ``dealweb extract --evaluate`` counts. The
   file records which sets, how many candidates, the date and the cross-validated reliability.
   It is read cautiously (:class:`ConfidenceModel`): the unknown level of a new source of text
   flattens it, and a claim of 0.8 or more must survive a margin of standard errors. It is kept
   within [0.02, 0.9] (the table's cap): no reading is ever certain.
2. **The group table** (:data:`CALIBRATION`, :func:`table_confidence`), the fallback when the
   model file is absent. Candidates are grouped by general features the extractor records for
   every reading, never by which paragraph or phrasing produced them:

   * ``figure`` — the text gave an amount;
   * ``known`` — both parties resolved to entities the ledger already holds;
   * ``one_figure`` — the amount's role is certain: the clause had exactly one deal figure (or
     its figures paired up by "respectively", "each" or gapping), so it cannot be the wrong one
     of two.

   The confidence of a group is its share of right candidates on the **held-out** part of the
   development set (``dealweb extract --evaluate DIR --split heldout``, "Confidence groups"): the
   passages the rules were never shaped on. (Fitted on the tuning part, as it was first, every
   group looked right 86-100% of the time; on held-out text the same groups were right 23-82% of
   the time. A confidence should say the second.) The share is taken at the lower end of its
   one-standard-error Wilson interval so a small group cannot claim certainty, and a group with
   fewer than :data:`MIN_GROUP` held-out candidates is pooled with every reading that had a
   figure. Only "a figure, both parties known, one deal figure" may pass 0.8 (capped at 0.9);
   every other group is capped at 0.75 and at that group's value. On 2026-12-07 (fourth round)
   no group reaches 0.8.

Either way, talks and rumours are 0.3: a ledger holds them as rumoured until signed.
:func:`group_of` names the group a candidate is counted in by the evaluation report.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from dealweb.errors import FormatError, Problem
from dealweb.extract.packaged import packaged_json

if TYPE_CHECKING:
    from dealweb.extract.candidates import Candidate

__all__ = ["CALIBRATION", "HIGH", "MIN_GROUP", "MODEL_CAP", "MODEL_FILE", "MODEL_FLOOR", "PRETICK_TABLE", "TALKS",
           "ConfidenceModel", "bounded", "bucket", "calibrated", "confidences", "group_of", "is_talks", "load_model",
           "pretick_at", "shipped_model", "table_confidence", "wilson_lower"]

#: The learned model's file name in ``dealweb/data`` (written by :mod:`~dealweb.extract.fit_confidence`).
MODEL_FILE = "confidence_model.json"
#: A learned probability is kept within these bounds: no reading is certain, none hopeless.
MODEL_FLOOR, MODEL_CAP = 0.02, 0.9

#: The group that may reach 0.8: a figure, both parties known, one deal figure in the clause.
HIGH = ("figure", "known", "one_figure")

#: group → (candidates, right) on the held-out part. Groups: ``HIGH``; a figure with both parties
#: known but several figures in the clause; a figure with a party the ledger does not hold; no figure.
CALIBRATION: dict[str, tuple[int, int]] = {
    "figure, known, one figure": (15, 13),
    "figure, known, several figures": (3, 2),
    "figure, a party unknown": (2, 2),
    "no figure": (10, 3),
}
#: A group with fewer held-out candidates than this is pooled with every reading that had a figure.
MIN_GROUP = 5
_CAP_HIGH = 0.9
_CAP_OTHER = 0.75
#: The confidence of talks and rumours, whatever the model says: a ledger holds them as rumoured until signed.
TALKS = 0.3
#: Where the review starts a candidate ticked when no fitted model says otherwise (the group table's cut).
PRETICK_TABLE = 0.6


def bucket(c: Candidate) -> str:
    """The calibration group of a candidate (a key of :data:`CALIBRATION`)."""
    if c.amount is None:
        return "no figure"
    if not (c.payer.known and c.recipient.known):
        return "figure, a party unknown"
    return "figure, known, one figure" if "one_figure" in c.signals else "figure, known, several figures"


def group_of(c: Candidate) -> str:
    """The group ``c`` is counted in when calibrating: ``"talks"`` for talks and rumours, else :func:`bucket`."""
    return "talks" if _is_talks(c) else bucket(c)


def _is_talks(c: Candidate) -> bool:
    return any(n.startswith("talks") for n in c.notes)


def table_confidence(c: Candidate) -> float:
    """The fallback: the share of right candidates in ``c``'s group (Wilson lower bound), capped (two decimals).

    Examples
    --------
    >>> from decimal import Decimal
    >>> from dealweb.extract.candidates import Candidate, Evidence
    >>> from dealweb.extract.parties import PartyRef
    >>> from dealweb.model.vocab import DealKind, Qualifier
    >>> p = lambda i: PartyRef(i, i, i)
    >>> c = Candidate(p("amazon"), p("anthropic"), DealKind.EQUITY_INVESTMENT, Decimal("4e9"), "USD",
    ...               Qualifier.EXACT, Evidence("", 0, 0), 0.0, signals=frozenset({"one_figure"}))
    >>> table_confidence(c)  # 13 of 15 right on held-out text: the Wilson lower end
    0.76
    >>> from dataclasses import replace
    >>> table_confidence(replace(c, signals=frozenset()))  # two figures: too few, pooled (17 of 20), capped below the high group
    0.75
    >>> table_confidence(replace(c, amount=None, qualifier=Qualifier.UNDISCLOSED))  # figureless: 3 of 10
    0.18
    """
    if _is_talks(c):
        return TALKS  # talks are rumours until signed; the development set does not score them
    group = bucket(c)
    n, right = CALIBRATION[group]
    if n < MIN_GROUP and group.startswith("figure"):
        # Too few to stand alone: pooled with every reading that had a figure, then held below the high group
        # by the cap.
        n, right = (sum(v[i] for k, v in CALIBRATION.items() if k.startswith("figure")) for i in (0, 1))
    high = wilson_lower(CALIBRATION["figure, known, one figure"][1], CALIBRATION["figure, known, one figure"][0])
    cap = _CAP_HIGH if group == "figure, known, one figure" else min(_CAP_OTHER, high)
    return round(min(cap, wilson_lower(right, n)), 2)


def wilson_lower(right: int, n: int, z: float = 1.0) -> float:
    """Lower end of the Wilson score interval for ``right`` of ``n`` (Wilson 1927, doi:10.2307/2276774).

    >>> wilson_lower(7, 7), wilson_lower(12, 15), wilson_lower(0, 0)
    (0.875, 0.679..., 0.0)
    """
    if n == 0:
        return 0.0
    p = right / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def _logistic(z: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * z))


@dataclass(frozen=True)
class ConfidenceModel:
    """A fitted logistic model: a weight per feature name (:data:`~dealweb.extract.features.FEATURES`) and an intercept.

    The confidence it gives is cautious in two ways, both fitted from the data
    (:mod:`~dealweb.extract.fit_confidence`):

    * the score is divided by ``scale`` (>= 1): how much the unknown level of a new source of text blurs it;
    * a claim above ``gate`` is held to what the score less ``standard_errors`` × its standard error (from
      ``covariance``, over ``terms``: ``"(intercept)"`` and feature names) still supports, and never below the gate,
      as the group table took the lower end of a Wilson interval. With the gate at 0.79, a reading is shown at 0.8
      or more only when one margin below its score still says so; below the gate the probability is the plain one.

    ``about`` holds what the file says of itself (sets, counts, date, cross-validated reliability).

    >>> m = ConfidenceModel({"figure": 2.0}, -1.0)
    >>> round(m.probability({"figure": 1.0}), 3), round(m.probability({}), 3)
    (0.731, 0.269)
    >>> cautious = ConfidenceModel({"figure": 2.0}, -1.0, terms=("(intercept)", "figure"),
    ...                            covariance=((0.25, 0.0), (0.0, 0.0)), standard_errors=1.0)
    >>> round(cautious.probability({"figure": 1.0}), 3)  # the score 1.0 less one standard error (0.5)
    0.622
    >>> gated = ConfidenceModel({"figure": 2.0}, -1.0, terms=("(intercept)", "figure"),
    ...                         covariance=((0.25, 0.0), (0.0, 0.0)), standard_errors=1.0, gate=0.79)
    >>> round(gated.probability({"figure": 1.0}), 3)  # under the gate: the plain probability
    0.731
    """

    weights: dict[str, float]
    intercept: float
    about: dict[str, Any] = field(default_factory=dict)
    scale: float = 1.0
    terms: tuple[str, ...] = ()
    covariance: tuple[tuple[float, ...], ...] = ()
    standard_errors: float = 0.0
    #: The margin only takes back claims above this (0: every claim).
    gate: float = 0.0

    @cached_property
    def _index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.terms)}

    def score(self, active: dict[str, float]) -> tuple[float, float]:
        """The linear score of a reading and its standard error (0 without a covariance)."""
        z = self.intercept + sum(w * active.get(name, 0.0) for name, w in self.weights.items())
        if not self.covariance:
            return z, 0.0
        at = [(self._index[t], v) for t, v in (("(intercept)", 1.0), *active.items()) if t in self._index and v]
        var = sum(a * b * self.covariance[i][j] for i, a in at for j, b in at)
        return z, math.sqrt(max(var, 0.0))

    def probability(self, active: dict[str, float]) -> float:
        """The model's cautious P(right) for a reading with these feature values (absent names are 0)."""
        z, se = self.score(active)
        plain = _logistic(z / self.scale)
        if plain <= self.gate:
            return plain
        # Above the gate, a claim is held to what the score less the margin still supports (never below the gate): a
        # reading whose features were seldom seen together cannot claim a high number.
        return max(self.gate, _logistic((z - self.standard_errors * se) / self.scale))

    @property
    def pretick(self) -> float | None:
        """The confidence from which the review starts a candidate ticked, as the fit chose it (``None``: not recorded).

        :mod:`~dealweb.extract.fit_confidence` takes the lowest cut at which the candidates kept were right at least
        :data:`~dealweb.extract.fit_confidence.PRETICK_PRECISION` of the time, reading each labelled set with a model
        fitted on the others; the file's ``pretick`` says which cut and what was counted.

        >>> ConfidenceModel({}, 0.0, about={"pretick": {"at": 0.4}}).pretick
        0.4
        >>> ConfidenceModel({}, 0.0).pretick is None
        True
        """
        pre = self.about.get("pretick")
        at = pre.get("at") if isinstance(pre, dict) else None
        return float(at) if isinstance(at, int | float) and 0 <= at <= 1 else None

    def to_dict(self) -> dict[str, Any]:
        out = {**self.about, "intercept": self.intercept, "scale": self.scale, "gate": self.gate,
               "weights": dict(sorted(self.weights.items()))}
        if self.covariance:
            out |= {"standard_errors": self.standard_errors, "covariance": {
                "terms": list(self.terms), "matrix": [[float(f"{v:.6g}") for v in row] for row in self.covariance]}}
        return out


def load_model(path: str | Path) -> ConfidenceModel:
    """Read a model file written by :mod:`~dealweb.extract.fit_confidence`.

    Raises
    ------
    dealweb.errors.FormatError
        The file is missing, not JSON, or has no numeric ``intercept`` and ``weights``.
    """
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError([Problem(where, "", "json", f"not a confidence model: {exc}")]) from None
    return _model_from(data, where)


def _model_from(data: Any, where: str) -> ConfidenceModel:
    from dealweb.extract.features import FEATURES

    weights = data.get("weights") if isinstance(data, dict) else None
    intercept = data.get("intercept") if isinstance(data, dict) else None
    scale = data.get("scale", 1.0) if isinstance(data, dict) else None
    gate = data.get("gate", 0.0) if isinstance(data, dict) else None
    if not isinstance(weights, dict) or not all(isinstance(w, int | float) for w in weights.values()) \
            or not isinstance(intercept, int | float) or not isinstance(scale, int | float) or not scale >= 1 \
            or not isinstance(gate, int | float) or not 0 <= gate <= 1:
        raise FormatError([Problem(where, "weights", "shape",
                                   "expected a number 'intercept', 'weights' {feature: number}, a 'scale' >= 1 and "
                                   "a 'gate' in [0, 1]")])
    unknown = sorted(set(weights) - set(FEATURES))
    if unknown:
        raise FormatError([Problem(where, "weights", "unknown_feature",
                                   f"features the extractor no longer computes: {', '.join(unknown[:5])}; refit the model")])
    cov = data.get("covariance") or {}
    terms, matrix, errors = cov.get("terms", []), cov.get("matrix", []), data.get("standard_errors", 0.0)
    if not (isinstance(terms, list) and isinstance(matrix, list) and len(matrix) == len(terms)
            and all(isinstance(r, list) and len(r) == len(terms) and all(isinstance(v, int | float) for v in r)
                    for r in matrix) and isinstance(errors, int | float) and errors >= 0):
        raise FormatError([Problem(where, "covariance", "shape",
                                   "expected 'terms' and a square 'matrix' of numbers, and 'standard_errors' >= 0")])
    about = {k: v for k, v in data.items() if k not in ("weights", "intercept", "scale", "gate", "covariance",
                                                      "standard_errors")}
    return ConfidenceModel({str(k): float(v) for k, v in weights.items()}, float(intercept), about, float(scale),
                           tuple(str(t) for t in terms), tuple(tuple(float(v) for v in r) for r in matrix), float(errors),
                           float(gate))


@cache
def shipped_model() -> ConfidenceModel | None:
    """The model in ``dealweb/data`` (:data:`MODEL_FILE`), or ``None`` when the package holds none."""
    data = packaged_json(MODEL_FILE, "a confidence model")
    return None if data is None else _model_from(data, f"dealweb/data/{MODEL_FILE}")


def confidences(passage: Sequence[Candidate], *, model: ConfidenceModel | Literal["shipped"] | None = "shipped",
                ) -> list[float]:
    """The confidence of every candidate of one passage (two decimals), in order.

    ``model`` defaults to :func:`shipped_model`; with ``None`` (or no shipped model) each is :func:`table_confidence`.
    The model reads each candidate with the others of its passage (how many there are, whether two
    share a sentence or a pair of parties), so pass the whole passage's candidates at once.
    """
    if model == "shipped":
        model = shipped_model()
    if not isinstance(model, ConfidenceModel):
        return [table_confidence(c) for c in passage]
    from dealweb.extract.features import Passage, features

    counted = Passage.of(passage)
    return [TALKS if _is_talks(c) else bounded(model.probability(features(c, counted))) for c in passage]


def pretick_at(model: ConfidenceModel | Literal["shipped"] | None = "shipped") -> float:
    """The confidence from which the review (web page, ``dealweb extract --review``) starts a candidate ticked.

    The fitted model's own cut (:attr:`ConfidenceModel.pretick`, chosen on labelled sets left out of the fit), or
    :data:`PRETICK_TABLE` with the group table or a model file that records none.

    >>> pretick_at(None)
    0.6
    >>> pretick_at(ConfidenceModel({}, 0.0, about={"pretick": {"at": 0.4}}))
    0.4
    """
    if model == "shipped":
        model = shipped_model()
    cut = model.pretick if isinstance(model, ConfidenceModel) else None
    return PRETICK_TABLE if cut is None else cut


def bounded(p: float) -> float:
    """A model probability as a confidence: within [:data:`MODEL_FLOOR`, :data:`MODEL_CAP`], two decimals.

    >>> bounded(0.999), bounded(0.4242), bounded(0.0)
    (0.9, 0.42, 0.02)
    """
    return round(min(MODEL_CAP, max(MODEL_FLOOR, p)), 2)


def is_talks(c: Candidate) -> bool:
    """The reading is of talks or a rumour, not a signed deal (its confidence is :data:`TALKS`)."""
    return _is_talks(c)


def calibrated(c: Candidate, passage: Sequence[Candidate] | None = None, *,
               model: ConfidenceModel | Literal["shipped"] | None = "shipped") -> float:
    """The confidence of ``c`` read with the other candidates of its ``passage`` (default: ``c`` alone).

    See :func:`confidences`.
    """
    group = list(passage) if passage is not None else [c]
    if not any(o is c for o in group):
        group.append(c)
    return confidences(group, model=model)[next(i for i, o in enumerate(group) if o is c)]
