"""Fit the learned confidence on labelled sets, check it by cross-validation, and write the model file.

Run as a module::

    python -m dealweb.extract.fit_confidence DIR[:PART] [DIR[:PART] ...] [--split PART] [-o MODEL.json]

Each ``DIR`` holds a labelled ``paragraphs.json`` (the development set's shape, see
:mod:`~dealweb.extract.devset`). ``PART`` is ``all``, ``tuning`` or ``heldout``
(:func:`~dealweb.extract.devset.split_of`); ``--split`` is the part of every ``DIR`` that names
none (default ``all``). The committed model was fitted with::

    python -m dealweb.extract.fit_confidence ../shared/reference/extraction-dev:tuning \\
        /work/realset/A /work/realset/B -o src/dealweb/data/confidence_model.json

What happens (:func:`fit_dirs`):

1. The extractor runs on every passage; each candidate is judged **right** or **wrong** exactly
   as ``dealweb extract --evaluate`` counts it (:func:`~dealweb.extract.devset.verdicts`, with the
   group table's confidences so the pairing does not depend on an earlier model). Candidates
   matching only an ambiguous label are left out; so are talks and rumours, whose confidence is
   fixed (:data:`~dealweb.extract.confidence.TALKS`).
2. Each kept candidate becomes a row of :mod:`~dealweb.extract.features`; an L2-regularised
   logistic regression (:mod:`~dealweb.extract.logistic`) is fitted on all rows, with a level of
   its own for each set when there are several. A new text is scored at the **lowest** set level
   (every fitted set is one the rules were tuned on; unseen text reads worse), and the spread of
   the levels flattens the probabilities. The penalty is the one of a small grid with the lowest
   log-loss on sets left out of the fit (with one set, on folds of passages).
3. **Cross-validation by passage**: passages are dealt into ``k`` folds (seeded), each fold is
   predicted by a model fitted on the others, and the out-of-fold confidences are tallied into
   reliability bins, the count at or above 0.8, and the precision and recall left if candidates
   below 0.2, 0.3 or 0.5 were dropped. **Leave one set out** does the same with each set as the
   fold: the closest this data comes to text the extractor was never tuned on.
4. **The margin**: a claim of 0.8 or more must survive a margin of standard errors (from the
   fit's covariance; :data:`GATE`). The margin is the smallest of :data:`MARGINS` for which the
   candidates at or above 0.8 were right at least nine times in ten, or were none, in both checks.

The model file records the sets (path, part, passages, counts, a hash of each file), the date,
the penalty, both checks and the weights (:class:`~dealweb.extract.confidence.ConfidenceModel`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from dealweb.errors import DealwebError, FormatError, Problem
from dealweb.extract.confidence import TALKS, ConfidenceModel, bounded, is_talks, table_confidence
from dealweb.extract.features import FEATURES, Passage, features
from dealweb.extract.logistic import fit_logistic

__all__ = [
    "PARTS",
    "Example",
    "FitResult",
    "LabelledSet",
    "choose_pretick",
    "collect",
    "cross_validate",
    "fit_dirs",
    "format_fit",
    "main",
    "reliability",
    "set_arguments",
]

PARTS = ("all", "tuning", "heldout")
#: Penalties tried; the one with the lowest cross-validated log-loss is used.
L2_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
#: The penalty on a set's own level (a Gaussian prior of variance 1 on its logit offset).
SET_L2 = 1.0
#: Standard errors of the linear score taken off a claim above the average (as the group table took the lower end of a
#: one-standard-error Wilson interval): the default, and the multiples tried, smallest first, until "at or above 0.8"
#: is right nine times in ten in both checks.
STANDARD_ERRORS = 1.0
MARGINS = (0.0, 0.5, 1.0, 1.5)
#: Claims above this must survive the margin: a reading is shown at 0.8 or more only when the margin allows it.
GATE = 0.79
#: The level a new text is scored at: ``"lowest"`` of the fitted sets' levels, or their ``"mean"``.
NEW_TEXT_LEVEL = "lowest"
#: Drop thresholds whose precision and recall are reported.
THRESHOLDS = (0.2, 0.3, 0.5)
#: Reliability bins (lower ends; the last bin is closed at 1).
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9)
#: The review starts ticked the candidates at or above the lowest of these cuts whose kept candidates were right at
#: least :data:`PRETICK_PRECISION` of the time on text left out of the fit (the last cut when none is).
PRETICK_CUTS = (0.4, 0.5, 0.6, 0.7, 0.8)
PRETICK_PRECISION = 0.8


@dataclass(frozen=True)
class Example:
    """One judged candidate: its set and passage, its features, whether it was right, and whether it is talks."""

    set: str
    item: str
    active: dict[str, float]
    right: bool
    talks: bool


@dataclass(frozen=True)
class LabelledSet:
    """What one ``DIR[:PART]`` gave: its name, counts, and its judged candidates."""

    name: str
    part: str
    passages: int
    labelled: int
    sha256: str
    examples: list[Example] = field(default_factory=list)
    not_counted: int = 0

    def about(self) -> dict[str, Any]:
        fit = [e for e in self.examples if not e.talks]
        return {"set": self.name, "part": self.part, "passages": self.passages, "scored_labels": self.labelled,
                "candidates": len(self.examples), "right": sum(e.right for e in self.examples),
                "talks_not_fitted": len(self.examples) - len(fit), "ambiguous_not_counted": self.not_counted,
                "paragraphs_sha256": self.sha256}


def _parse_dir(spec: str, default: str) -> tuple[str, str]:
    head, _, tail = spec.rpartition(":")
    return (head, tail) if head and tail in PARTS else (spec, default)


def collect(spec: str, *, split: str = "all") -> LabelledSet:
    """Run the extractor on the labelled set ``DIR[:PART]`` and judge every candidate.

    Raises
    ------
    dealweb.errors.FormatError
        No ``paragraphs.json`` in ``DIR``, or not a labelled set, or an unknown part.
    """
    from dealweb.extract.candidates import directory_for, extract
    from dealweb.extract.devset import load_items, split_of, verdicts

    directory, part = _parse_dir(spec, split)
    if part not in PARTS:
        raise FormatError([Problem(spec, "split", "unknown_part", f"part must be one of {', '.join(PARTS)}, not {part!r}")])
    items = load_items(directory)
    path = Path(directory) / "paragraphs.json" if Path(directory).is_dir() else Path(directory)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if part != "all":
        items = [i for i in items if split_of(str(i["id"])) == part]
    names = directory_for(None)
    out = LabelledSet(directory, part, len(items), 0, digest)
    labelled = not_counted = 0
    for item in items:
        found = extract(item["text"], directory=names, published=item.get("published")).deals
        # Judge with the table's confidences: which of two equal readings pairs with a label must not hang on the
        # model being fitted.
        found = [replace(c, confidence=table_confidence(c)) for c in found]
        labelled += sum(not g.get("ambiguous") for g in item.get("deals") or [])
        counted = Passage.of(found)
        for c, verdict in zip(found, verdicts(item, found, names), strict=True):
            if verdict is None:
                not_counted += 1
                continue
            out.examples.append(Example(directory, str(item["id"]), features(c, counted), verdict, is_talks(c)))
    return replace(out, labelled=labelled, not_counted=not_counted)


def _matrix(examples: Sequence[Example]) -> tuple[np.ndarray, np.ndarray]:
    X = np.array([[e.active.get(f, 0.0) for f in FEATURES] for e in examples], dtype=np.float64).reshape(-1, len(FEATURES))
    y = np.array([float(e.right) for e in examples])
    return X, y


def fit_examples(examples: Sequence[Example], *, l2: float, set_levels: bool = True) -> ConfidenceModel:
    """The model fitted on judged ``examples`` (talks left out); with ``set_levels`` and several sets, each set gets its
    own level and a new text is scored at the lowest (see the module notes)."""
    return _fit(examples, l2, set_levels)


def _fit(examples: Sequence[Example], l2: float, offsets: bool = False) -> ConfidenceModel:
    rows = [e for e in examples if not e.talks]
    X, y = _matrix(rows)
    sets = sorted({e.set for e in rows})
    d = len(FEATURES)
    terms = ("(intercept)", *FEATURES)
    if not offsets or len(sets) < 2:
        m = fit_logistic(X, y, l2=l2)
        return _with_gate(ConfidenceModel({f: float(w) for f, w in zip(FEATURES, m.coef, strict=True)}, m.intercept,
                                          terms=terms, covariance=_rows_of(m.covariance),
                                          standard_errors=STANDARD_ERRORS))
    S = np.array([[float(e.set == name) for name in sets] for e in rows])
    m = fit_logistic(np.hstack([X, S]), y, l2=[l2] * d + [SET_L2] * len(sets))
    levels = m.coef[d:]
    # A new text's level is unknown. Every set fitted on is one the rules were tuned on, so text never seen is read
    # no better than the hardest of them: the lowest level. The sets' spread blurs the prediction besides (the
    # logistic-normal integral by the probit approximation: sigma(z / sqrt(1 + pi tau^2 / 8))).
    scale = math.sqrt(1.0 + math.pi * float(np.var(levels, ddof=1)) / 8.0)
    # The parameters a new text is scored with: (intercept + its level, weights), a linear map of the fitted ones.
    A = np.zeros((d + 1, d + 1 + len(sets)))
    A[0, 0] = 1.0
    if NEW_TEXT_LEVEL == "lowest":
        A[0, d + 1 + int(np.argmin(levels))] = 1.0
    else:
        A[0, d + 1:] = 1.0 / len(sets)
    A[1:, 1:d + 1] = np.eye(d)
    return _with_gate(ConfidenceModel({f: float(w) for f, w in zip(FEATURES, m.coef[:d], strict=True)},
                                      m.intercept + float(A[0, d + 1:] @ levels), scale=scale, terms=terms,
                                      covariance=_rows_of(A @ m.covariance @ A.T), standard_errors=STANDARD_ERRORS))


def _with_gate(model: ConfidenceModel) -> ConfidenceModel:
    """The model with its gate (:data:`GATE`): only claims of 0.8 or more must survive the margin."""
    return replace(model, gate=GATE)


def _rows_of(matrix: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(f"{v:.6g}") for v in row) for row in matrix)


def _predict(model: ConfidenceModel, examples: Sequence[Example]) -> list[float]:
    return [TALKS if e.talks else bounded(model.probability(e.active)) for e in examples]


def _folds(examples: Sequence[Example], k: int, seed: int) -> list[int]:
    passages = sorted({(e.set, e.item) for e in examples})
    order = np.random.default_rng(seed).permutation(len(passages))
    fold_of = {passages[j]: n % k for n, j in enumerate(order)}
    return [fold_of[(e.set, e.item)] for e in examples]


def cross_validate(examples: Sequence[Example], *, l2: float, offsets: bool = False, k: int = 5, seed: int = 0,
                   by_set: bool = False, margin: float | None = None) -> list[float]:
    """Out-of-fold confidences, one per example: folds of whole passages (or one set per fold with ``by_set``).

    ``margin`` is the standard-error margin's multiple (default :data:`STANDARD_ERRORS`); 0 gives the plain probability.
    """
    if by_set:
        sets = sorted({e.set for e in examples})
        fold = [sets.index(e.set) for e in examples]
    else:
        fold = _folds(examples, k, seed)
    out = [0.0] * len(examples)
    for f in sorted(set(fold)):
        train = [e for e, g in zip(examples, fold, strict=True) if g != f]
        test = [(i, e) for i, (e, g) in enumerate(zip(examples, fold, strict=True)) if g == f]
        model = _fit(train, l2, offsets)
        if margin is not None:
            model = replace(model, standard_errors=margin)
        for (i, _), p in zip(test, _predict(model, [e for _, e in test]), strict=True):
            out[i] = p
    return out


def _keeps_promise(examples: Sequence[Example], probs: Sequence[float]) -> bool:
    high = [e.right for e, p in zip(examples, probs, strict=True) if p >= 0.8]
    return not high or sum(high) >= 0.9 * len(high)


def _log_loss(examples: Sequence[Example], probs: Sequence[float]) -> float:
    pairs = [(p, e.right) for e, p in zip(examples, probs, strict=True) if not e.talks]
    return -sum(math.log(p if ok else 1 - p) for p, ok in pairs) / max(1, len(pairs))


def reliability(examples: Sequence[Example], probs: Sequence[float], labelled: int) -> dict[str, Any]:
    """Reliability bins, the count at or above 0.8, and precision/recall after dropping candidates below thresholds.

    Recall is over ``labelled`` scored labels; precision over the counted candidates (ambiguous matches left out, as
    ``dealweb extract --evaluate`` counts).
    """
    pairs = list(zip(probs, (e.right for e in examples), strict=True))
    bins = []
    for lo, hi in zip(BINS, [*BINS[1:], 1.01], strict=True):
        inside = [(p, ok) for p, ok in pairs if lo <= p < hi]
        if inside:
            bins.append({"from": lo, "to": min(hi, 1.0), "candidates": len(inside),
                         "mean_confidence": round(sum(p for p, _ in inside) / len(inside), 3),
                         "right": sum(ok for _, ok in inside)})
    high = [ok for p, ok in pairs if p >= 0.8]
    drops = []
    for t in (0.0, *THRESHOLDS):
        kept = [ok for p, ok in pairs if p >= t]
        drops.append({"drop_below": t, "kept": len(kept), "right": sum(kept),
                      "precision": round(sum(kept) / len(kept), 3) if kept else None,
                      "recall": round(sum(kept) / labelled, 3) if labelled else None})
    return {"candidates": len(pairs), "right": sum(ok for _, ok in pairs), "scored_labels": labelled, "bins": bins,
            "at_or_above_0_8": {"candidates": len(high), "right": sum(high)}, "thresholds": drops}


def choose_pretick(examples: Sequence[Example], probs: Sequence[float], *, by: str) -> dict[str, Any]:
    """The cut from which the review starts candidates ticked, and what it kept, from out-of-fit confidences ``probs``.

    The lowest of :data:`PRETICK_CUTS` at which the candidates kept (talks left out: they stay unticked at 0.3) were
    right at least :data:`PRETICK_PRECISION` of the time; the last cut when none is.

    >>> ex = [Example("s", str(i), {}, ok, False) for i, ok in enumerate([True, True, True, False, False, True])]
    >>> chosen = choose_pretick(ex, [0.9, 0.7, 0.55, 0.45, 0.42, 0.41], by="set")  # at 0.4: 4 of 6 right
    >>> chosen["at"], chosen["right"], chosen["kept"]
    (0.5, 3, 3)
    """
    pairs = [(p, e.right) for e, p in zip(examples, probs, strict=True) if not e.talks]
    for cut in PRETICK_CUTS:
        kept = [ok for p, ok in pairs if p >= cut]
        if (kept and sum(kept) >= PRETICK_PRECISION * len(kept)) or cut == PRETICK_CUTS[-1]:
            return {"at": cut, "by": by, "target_precision": PRETICK_PRECISION, "kept": len(kept),
                    "right": sum(kept), "precision": round(sum(kept) / len(kept), 3) if kept else None}
    raise AssertionError("unreachable: the last cut is always returned")


@dataclass(frozen=True)
class FitResult:
    """The fitted model with its provenance and both checks."""

    model: ConfidenceModel
    sets: list[LabelledSet]
    l2: float
    set_levels: bool
    cross_validation: dict[str, Any]
    leave_one_set_out: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return self.model.to_dict()


def fit_dirs(specs: Sequence[str], *, split: str = "all", k: int = 5, seed: int = 0,
             today: datetime | None = None) -> FitResult:
    """Collect every ``DIR[:PART]`` of ``specs``, choose the penalty, cross-validate, and fit on everything."""
    if not specs:
        raise FormatError([Problem("arguments", "DIR", "missing", "give at least one labelled set directory")])
    sets = [collect(s, split=split) for s in specs]
    examples = [e for s in sets for e in s.examples]
    fitted = [e for e in examples if not e.talks]
    if len({e.right for e in fitted}) < 2:
        raise FormatError([Problem(", ".join(specs), "deals", "one_class",
                                   f"{len(fitted)} candidates, all {'right' if fitted and fitted[0].right else 'wrong'}: "
                                   "nothing to fit a confidence on")])
    labelled = sum(s.labelled for s in sets)
    # Penalty and set levels are chosen by how well a set left out of the fit is predicted (text the fit has not
    # seen); with one set, by passage cross-validation.
    by_set = len(sets) > 1
    choices = [(l2, by_set) for l2 in L2_GRID]
    losses = {c: _log_loss(examples, cross_validate(examples, l2=c[0], offsets=c[1], k=k, seed=seed, by_set=by_set,
                                                    margin=0.0)) for c in choices}
    l2, offsets = min(losses, key=lambda c: (losses[c], -c[0]))
    # The margin: the smallest multiple of the standard error for which candidates at or above 0.8 were right at least
    # nine times in ten (or were none) in both checks.
    checks: dict[float, tuple[list[float], list[float] | None]] = {}
    margin = MARGINS[-1]
    for m in MARGINS:
        checks[m] = (cross_validate(examples, l2=l2, offsets=offsets, k=k, seed=seed, margin=m),
                     cross_validate(examples, l2=l2, offsets=offsets, by_set=True, margin=m) if by_set else None)
        if all(probs is None or _keeps_promise(examples, probs) for probs in checks[m]):
            margin = m
            break
    plain = reliability(examples, checks[0.0][0], labelled)
    cv = {"folds": k, "by": "passage", "seed": seed, **reliability(examples, checks[margin][0], labelled),
          "without_margin": {key: plain[key] for key in ("bins", "at_or_above_0_8")}}
    loso = None
    if by_set:
        probs, plain_set = checks[margin][1], checks[0.0][1]
        assert probs is not None and plain_set is not None
        plain = reliability(examples, plain_set, labelled)
        loso = {"by": "set", "overall": reliability(examples, probs, labelled),
                "without_margin": {key: plain[key] for key in ("bins", "at_or_above_0_8")}, "sets": {
            s.name: reliability([e for e in examples if e.set == s.name],
                                [p for e, p in zip(examples, probs, strict=True) if e.set == s.name], s.labelled)
            for s in sets}}
    tried = {str(m): {"passage": reliability(examples, a, labelled)["at_or_above_0_8"],
                      "set": reliability(examples, b, labelled)["at_or_above_0_8"] if b is not None else None}
             for m, (a, b) in checks.items()}
    out_of_fit = checks[margin][1] if by_set else checks[margin][0]
    assert out_of_fit is not None
    pretick = choose_pretick(examples, out_of_fit, by="leave one set out" if by_set else "passage cross-validation")
    model = replace(_fit(examples, l2, offsets), standard_errors=margin)
    about = {"model": "L2-regularised logistic regression over dealweb.extract.features (fit_confidence)",
             "fitted_on": (today or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%MZ"), "l2": l2, "set_levels": offsets,
             "selection": {"by": "leave one set out" if by_set else "passage cross-validation", "log_loss": {
                 f"l2={a} {'set levels' if o else 'pooled'}": round(v, 4) for (a, o), v in losses.items()},
                 "margin": margin, "margins_tried": tried},
             "counting_basis": "right = a full match as `dealweb extract --evaluate` counts it; candidates matching "
                               "only an ambiguous label left out; talks fixed at 0.3 and not fitted",
             "sets": [s.about() for s in sets], "candidates": len(fitted), "right": sum(e.right for e in fitted),
             "cross_validation": cv, "leave_one_set_out": loso, "pretick": pretick}
    return FitResult(replace(model, about=about), sets, l2, offsets, cv, loso)


def _rows(rel: dict[str, Any]) -> list[str]:
    lines = ["| confidence | candidates | mean confidence | right | share right |", "|---|---|---|---|---|"]
    for b in rel["bins"]:
        lines.append(f"| {b['from']:.1f}-{b['to']:.1f} | {b['candidates']} | {b['mean_confidence']:.2f} | {b['right']} "
                     f"| {b['right'] / b['candidates']:.2f} |")
    hi = rel["at_or_above_0_8"]
    share = f"{hi['right'] / hi['candidates']:.2f}" if hi["candidates"] else "-"
    lines += ["", f"At or above 0.8: {hi['candidates']} candidates, {hi['right']} right ({share}).", "",
              "| drop below | kept | right | precision | recall |", "|---|---|---|---|---|"]
    for t in rel["thresholds"]:
        lines.append(f"| {t['drop_below']:.1f} | {t['kept']} | {t['right']} | {t['precision']} | {t['recall']} |")
    if "without_margin" in rel:
        plain = rel["without_margin"]
        bins = "; ".join(f"{b['from']:.1f}-{b['to']:.1f}: {b['right']} of {b['candidates']} (mean {b['mean_confidence']:.2f})"
                         for b in plain["bins"])
        hi = plain["at_or_above_0_8"]
        lines += ["", f"Without the standard-error margin: {bins}; at or above 0.8: {hi['right']} of {hi['candidates']}."]
    return lines


def format_fit(result: FitResult) -> str:
    """The sets, the penalty chosen, and both checks as Markdown."""
    a = result.model.about
    levels = f"set levels (scale {result.model.scale:.2f})" if result.set_levels else "pooled"
    lines = [f"Fitted {a['fitted_on']} on {a['candidates']} candidates ({a['right']} right); l2 = {result.l2}, {levels}, "
             f"margin {result.model.standard_errors} standard errors; "
             f"chosen by {a['selection']['by']} log-loss {a['selection']['log_loss']}.", "",
             "| set | part | passages | scored labels | candidates | right | talks | ambiguous |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {s['set']} | {s['part']} | {s['passages']} | {s['scored_labels']} | {s['candidates']} | {s['right']} "
              f"| {s['talks_not_fitted']} | {s['ambiguous_not_counted']} |" for s in a["sets"]]
    cv = result.cross_validation
    lines += ["", f"### {cv['folds']}-fold cross-validation by passage (seed {cv['seed']}), out-of-fold confidences", "",
              *_rows(cv)]
    if result.leave_one_set_out:
        loso = result.leave_one_set_out
        lines += ["", "### Leave one set out (each set predicted by a model fitted on the others)", "",
                  *_rows({**loso["overall"], "without_margin": loso["without_margin"]})]
        for name, rel in result.leave_one_set_out["sets"].items():
            lines += ["", f"#### {name}", "", *_rows(rel)]
    pre = a["pretick"]
    lines += ["", f"The review starts ticked the candidates at {pre['at']} or more: by {pre['by']}, {pre['right']} of "
              f"{pre['kept']} kept were right (target {pre['target_precision']}).", "", "Largest weights:", ""]
    top = sorted(result.model.weights.items(), key=lambda kv: -abs(kv[1]))[:12]
    lines += [f"- {f}: {w:+.2f}" for f, w in top]
    return "\n".join(lines) + "\n"


_NUMBERS = re.compile(r"\[(\s*-?[0-9][0-9.e+-]*(?:,\s*-?[0-9][0-9.e+-]*)*\s*)\]")


def model_json(model: ConfidenceModel) -> str:
    """The model file's text: indented, with each list of numbers (a covariance row) on one line.

    >>> print(model_json(ConfidenceModel({"figure": 1.0}, 0.5)))
    {
     "intercept": 0.5,
     "scale": 1.0,
     "gate": 0.0,
     "weights": {
      "figure": 1.0
     }
    }
    <BLANKLINE>
    """
    text = json.dumps(model.to_dict(), indent=1)
    return _NUMBERS.sub(lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text) + "\n"


def set_arguments(prog: str, description: str) -> argparse.ArgumentParser:
    """The arguments every fit module takes: labelled sets ``DIR[:PART]``, ``--split``, ``--folds``, ``--seed``."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("dirs", nargs="+", metavar="DIR[:PART]", help="a folder holding paragraphs.json")
    parser.add_argument("--split", default="all", choices=PARTS, help="the part of every DIR that names none")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: translate arguments, call :func:`fit_dirs`, print :func:`format_fit`, write the model."""
    parser = set_arguments("python -m dealweb.extract.fit_confidence",
                           "Fit the learned extraction confidence on labelled sets.")
    parser.add_argument("-o", "--output", metavar="MODEL.json", help="write the model here")
    args = parser.parse_args(argv)
    try:
        result = fit_dirs(args.dirs, split=args.split, k=args.folds, seed=args.seed)
    except DealwebError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_fit(result))
    if args.output:
        Path(args.output).write_text(model_json(result.model), encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
