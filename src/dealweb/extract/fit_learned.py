"""Fit the learned reader (:mod:`~dealweb.extract.learned`) on labelled sets and cross-validate its use with the rules.

Run as a module::

    python -m dealweb.extract.fit_learned DIR[:PART] [DIR[:PART] ...] [--split PART] [-o MODEL.json]

Each ``DIR`` holds a labelled ``paragraphs.json`` (:mod:`~dealweb.extract.devset`); ``PART`` keeps one
part of it (``all``, ``tuning``, ``heldout``: :func:`~dealweb.extract.devset.split_of`), and ``--split``
is the part of every ``DIR`` that names none (default ``all``). The shipped model was fitted with::

    python -m dealweb.extract.fit_learned ../shared/reference/extraction-dev:tuning \\
        /work/realset/A /work/realset/B --veto-below 0.005 --why "..." -o src/dealweb/data/learned_model.json

(``--veto-below`` sets the cut-off by hand; ``--why`` is recorded with it.) What happens (:func:`fit_dirs`):

1. Every passage is cleaned and split into sentences as extraction does; each ordered pair of a
   sentence's companies is a row (:func:`~dealweb.extract.learned.sentence_pairs`). A row is
   **positive** when a scored label of the passage has its payer matching ``a`` and its recipient
   matching ``b`` (the evaluation's own name matching) and the label's evidence overlaps the
   sentence (a shared run of four words, or one inside the other). The rules' candidates of the
   passage are judged as ``dealweb extract --evaluate`` judges them.
2. **5-fold cross-validation by passage** (seeded): features seen in at least :data:`MIN_COUNT`
   training rows are kept, the pair model and the kind models are fitted on four folds and the
   fifth is read. Two uses are tallied at each threshold of :data:`THRESHOLDS`: **add** (readings of
   pairs scoring at least the threshold, only in sentences where the rules gave no candidate) and
   **veto** (a rule candidate dropped when its pair scores below a cut-off of :data:`VETO_BELOW`; gapped,
   itemised and joint-venture readings exempt, :func:`~dealweb.extract.learned.vetoable`), each as
   right and wrong candidates added or removed and the deal precision and recall with the rules.
3. Of the uses and thresholds that add more right than wrong (added right at least :data:`ADD_RATIO`
   times added wrong; removed wrong over removed right), the one with the best deal F1 with the rules
   is written into the model as ``use`` and ``threshold``; ``none`` when no use beats the rules alone.
   The models are then fitted on every row.
4. With ``--unseen DIR[:PART] ...`` the model fitted on every row reads those sets, which it never saw,
   and both uses are tallied there the same way (:func:`carry_over`): what carries over to new text.

The fit is an L2-regularised logistic regression (the objective of :mod:`~dealweb.extract.logistic`)
solved by L-BFGS over a sparse matrix: the word features run to thousands of columns, where the
Newton kernel's dense Hessian would be slow.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize, sparse

from dealweb.errors import DealwebError, FormatError, Problem
from dealweb.extract.fit_confidence import PARTS, set_arguments
from dealweb.extract.learned import LearnedModel, Pair, kind_features, sentence_pairs, vetoable
from dealweb.model.vocab import DealKind, Qualifier

__all__ = ["ADD_RATIO", "MIN_COUNT", "THRESHOLDS", "Labelled", "carry_over", "collect", "cross_validate", "fit_dirs",
           "fit_rows", "format_fit", "learned_candidates", "main"]

MIN_COUNT = 3
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
#: Adding readings is chosen only when it adds at least this many right candidates per wrong one.
ADD_RATIO = 1.5
#: A rule candidate is vetoed when its pair scores below one of these: 1 - each of :data:`THRESHOLDS`, and lower.
VETO_BELOW = (0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005)
L2 = 1.0
KIND_L2 = 1.0


@dataclass
class Labelled:
    """One passage: its set and item, its sentences' pairs with their labels, and the rules' candidates."""

    set: str
    item: dict[str, Any]
    #: (sentence start, sentence text, its pairs, the labelled kind of each pair or None)
    sentences: list[tuple[int, str, list[Pair], list[str | None]]] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)


def _norm_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))[:400]


def _overlaps(sentence: str, evidence: str) -> bool:
    s, e = _norm_words(sentence), _norm_words(evidence)
    if not s or not e:
        return False
    if len(s) < 4 or len(e) < 4:
        return " ".join(s) in " ".join(e) or " ".join(e) in " ".join(s)
    grams = {tuple(e[i:i + 4]) for i in range(len(e) - 3)}
    return any(tuple(s[i:i + 4]) in grams for i in range(len(s) - 3))


def collect(spec: str, *, split: str = "all") -> tuple[list[Labelled], dict[str, Any]]:
    """Read the labelled set ``DIR[:PART]``: every passage's pairs with labels, and the rules' candidates.

    Raises
    ------
    dealweb.errors.FormatError
        No ``paragraphs.json`` there, not a labelled set, or an unknown part.
    """
    from dealweb.extract.candidates import directory_for, extract
    from dealweb.extract.devset import _cand_names, _names, load_items, split_of
    from dealweb.extract.fit_confidence import _parse_dir
    from dealweb.extract.text import clean_article, sentences

    directory, split = _parse_dir(spec, split)
    if split not in PARTS:
        raise FormatError([Problem(directory, "split", "unknown_part", f"part must be one of {', '.join(PARTS)}")])
    items = load_items(directory)
    path = Path(directory) / "paragraphs.json" if Path(directory).is_dir() else Path(directory)
    if split != "all":
        items = [i for i in items if split_of(str(i["id"])) == split]
    base = directory_for(None)
    out: list[Labelled] = []
    labelled = 0
    for item in items:
        gold = [g for g in item.get("deals") or [] if not g.get("ambiguous")]
        labelled += len(gold)
        p = Labelled(directory, item, rules=extract(item["text"], directory=base, published=item.get("published"),
                                                    learned=False).deals)
        names = base.for_article()
        for sent in sentences(clean_article(item["text"]).text):
            if len(sent.text) > 2000:
                continue
            pairs = sentence_pairs(sent.text, names)
            kinds: list[str | None] = []
            here = [g for g in gold if _overlaps(sent.text, str(g.get("evidence") or ""))]
            for pr in pairs:
                ka, kb = _cand_names(pr.a.party, names), _cand_names(pr.b.party, names)
                kinds.append(next((str(g.get("kind")) for g in here
                                   if ka & _names(g.get("payer_id"), g.get("payer"), g.get("payer_alt"))
                                   and kb & _names(g.get("recipient_id"), g.get("recipient"), g.get("recipient_alt"))),
                                  None))
            if pairs:
                p.sentences.append((sent.start, sent.text, pairs, kinds))
        out.append(p)
    about = {"set": directory, "part": split, "passages": len(items), "scored_labels": labelled,
             "pairs": sum(len(s[2]) for p in out for s in p.sentences),
             "positive_pairs": sum(k is not None for p in out for s in p.sentences for k in s[3]),
             "paragraphs_sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    return out, about


def _sparse_fit(X: sparse.csr_matrix, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Minimise sum(log(1 + e^z) - y z) + l2/2 |w|^2 with z = b + Xw (the intercept not penalised), by L-BFGS."""
    n, d = X.shape

    def f(beta: np.ndarray) -> tuple[float, np.ndarray]:
        z = beta[0] + X @ beta[1:]
        p = 0.5 * (1.0 + np.tanh(0.5 * z))
        loss = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * beta[1:] @ beta[1:])
        r = p - y
        return loss, np.concatenate([[r.sum()], X.T @ r + l2 * beta[1:]])

    share = min(max(float(y.mean()) if n else 0.5, 1e-3), 1 - 1e-3)
    start = np.zeros(d + 1)
    start[0] = np.log(share / (1 - share))
    res = optimize.minimize(f, start, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return res.x[1:], float(res.x[0])


def _matrix(rows: Sequence[dict[str, float]], vocab: dict[str, int]) -> sparse.csr_matrix:
    ind, ptr, val = [], [0], []
    for r in rows:
        for k, v in r.items():
            if k in vocab:
                ind.append(vocab[k])
                val.append(v)
        ptr.append(len(ind))
    return sparse.csr_matrix((val, ind, ptr), shape=(len(rows), len(vocab)))


def fit_rows(rows: Sequence[tuple[dict[str, float], str | None]], *, min_count: int = MIN_COUNT) -> LearnedModel:
    """The pair model and the kind models fitted on ``(features, labelled kind or None)`` rows."""
    counts = Counter(k for r, _ in rows for k in r)
    vocab = {k: i for i, k in enumerate(sorted(k for k, n in counts.items() if n >= min_count))}
    names = sorted(vocab, key=vocab.__getitem__)
    X = _matrix([r for r, _ in rows], vocab)
    y = np.array([float(k is not None) for _, k in rows])
    w, b = _sparse_fit(X, y, L2)
    keep = {n: round(float(v), 4) for n, v in zip(names, w, strict=True) if abs(v) >= 1e-4}
    pos = [i for i, (_, k) in enumerate(rows) if k is not None]
    kinds: dict[str, tuple[float, dict[str, float]]] = {}
    labels = [str(rows[i][1]) for i in pos]
    if pos:
        Xk = _matrix([kind_features(rows[i][0]) for i in pos], vocab)
        for kind in sorted({k for k in labels if k in DealKind._value2member_map_}):
            yk = np.array([float(k == kind) for k in labels])
            wk, bk = _sparse_fit(Xk, yk, KIND_L2)
            kinds[kind] = (round(bk, 4), {n: round(float(v), 4) for n, v in zip(names, wk, strict=True) if abs(v) >= 1e-4})
    return LearnedModel(keep, round(b, 4), kinds)


def learned_candidates(p: Labelled, scores: Sequence[Sequence[float]], model: LearnedModel, threshold: float,
                       skip: set[int]) -> list[Any]:
    """Readings of the passage's pairs scoring at least ``threshold`` in sentences whose start is not in ``skip``:
    per two companies the better direction (at most two pairs a sentence), the kind from the kind models, the figure
    between or nearest the two (:func:`~dealweb.extract.learned.pair_figure`). Two companies the rules already read a
    deal of anywhere in the passage (in either direction) are left to the rules: a second reading of them was a
    duplicate more often than a second deal."""
    from dealweb.extract.candidates import Candidate, Evidence

    read = {frozenset((c.payer.id, c.recipient.id)) for c in p.rules}
    out = []
    for (start, text, pairs, _), probs in zip(p.sentences, scores, strict=True):
        if start in skip:
            continue
        best: dict[frozenset[str], tuple[float, Pair]] = {}
        for pr, q in zip(pairs, probs, strict=True):
            key = frozenset((pr.a.party.id, pr.b.party.id))
            if q >= threshold and key not in read and (key not in best or q > best[key][0]):
                best[key] = (q, pr)
        for q, pr in sorted(best.values(), key=lambda t: -t[0])[:2]:
            money = pr.figure
            out.append(Candidate(pr.a.party, pr.b.party, model.kind(pr.active), money.amount if money else None,
                                 money.currency if money else "USD",
                                 money.qualifier if money else Qualifier.UNDISCLOSED, Evidence(text, start, start + len(text)),
                                 round(q, 2), money.low if money else None, money.high if money else None,
                                 money.period if money else "", signals=frozenset({"learned"})))
    return out


def _folds(passages: Sequence[Labelled], k: int, seed: int) -> list[int]:
    order = np.random.default_rng(seed).permutation(len(passages))
    fold = [0] * len(passages)
    for n, j in enumerate(order):
        fold[j] = n % k
    return fold


def _pr(right: int, counted: int, labelled: int) -> dict[str, Any]:
    return {"right": right, "candidates": counted, "precision": round(right / counted, 3) if counted else None,
            "recall": round(right / labelled, 3) if labelled else None}


def _judge(p: Labelled, found: Sequence[Any]) -> tuple[int, int]:
    """(right, counted) of a passage's candidates, as the evaluation counts them."""
    from dealweb.extract.candidates import directory_for
    from dealweb.extract.devset import verdicts

    v = verdicts(p.item, list(found), directory_for(None))
    return sum(x is True for x in v), sum(x is not None for x in v)


def _pair_of(p: Labelled, c: Any, scores: Sequence[Sequence[float]]) -> float | None:
    for (start, _, pairs, _), probs in zip(p.sentences, scores, strict=True):
        if start == c.evidence.start:
            for pr, q in zip(pairs, probs, strict=True):
                if pr.a.party.id == c.payer.id and pr.b.party.id == c.recipient.id:
                    return q
    return None


def cross_validate(passages: Sequence[Labelled], labelled: int, *, k: int = 5, seed: int = 0) -> dict[str, Any]:
    """Out-of-fold tallies of both uses at every threshold (see the module notes)."""
    fold = _folds(passages, k, seed)
    scored: list[list[list[float]]] = [[] for _ in passages]
    models: list[LearnedModel | None] = [None] * len(passages)
    for f in range(k):
        model = fit_rows(_rows_of([p for p, g in zip(passages, fold, strict=True) if g != f]))
        for i, (p, g) in enumerate(zip(passages, fold, strict=True)):
            if g == f:
                models[i] = model
                scored[i] = _scores(model, p)
    return {"folds": k, "by": "passage", "seed": seed, **_tally(passages, scored, models, labelled)}


def carry_over(model: LearnedModel, unseen: Sequence[Labelled], labelled: int) -> dict[str, Any]:
    """Both uses tallied on ``unseen`` passages by a model fitted on other passages: how the reader carries over to
    text it was not fitted on (the rules' candidates there are what the rules give; this measures the model, not the
    rules)."""
    return {"by": "fitted on the training sets, read on the unseen ones",
            **_tally(unseen, [_scores(model, p) for p in unseen], [model] * len(unseen), labelled)}


def _rows_of(passages: Sequence[Labelled]) -> list[tuple[dict[str, float], str | None]]:
    return [(pr.active, kd) for p in passages for _, _, pairs, kinds in p.sentences
            for pr, kd in zip(pairs, kinds, strict=True)]


def _scores(model: LearnedModel, p: Labelled) -> list[list[float]]:
    return [[model.probability(pr.active) for pr in pairs] for _, _, pairs, _ in p.sentences]


def _tally(passages: Sequence[Labelled], scored: Sequence[Sequence[Sequence[float]]],
           models: Sequence[LearnedModel | None], labelled: int) -> dict[str, Any]:
    """The rules alone, and both uses at every threshold, for passages whose pairs a model (not fitted on them) scored."""
    base = [_judge(p, p.rules) for p in passages]
    rules = _pr(sum(r for r, _ in base), sum(c for _, c in base), labelled)
    add, veto = [], []
    for t in THRESHOLDS:
        right = counted = plus_right = plus_wrong = 0
        for i, p in enumerate(passages):
            fold_model = models[i]
            assert fold_model is not None
            extra = learned_candidates(p, scored[i], fold_model, t, {c.evidence.start for c in p.rules})
            r, c = _judge(p, [*p.rules, *extra]) if extra else base[i]
            right, counted = right + r, counted + c
            plus_right += r - base[i][0]
            plus_wrong += (c - r) - (base[i][1] - base[i][0])
        add.append({"threshold": t, "added_right": plus_right, "added_wrong": plus_wrong, **_pr(right, counted, labelled)})
    for t in VETO_BELOW:
        right = counted = cut_right = cut_wrong = 0
        for i, p in enumerate(passages):
            kept = [c for c in p.rules if not vetoable(c) or (q := _pair_of(p, c, scored[i])) is None or q >= t]
            r, c = _judge(p, kept) if len(kept) < len(p.rules) else base[i]
            right, counted = right + r, counted + c
            cut_right += base[i][0] - r
            cut_wrong += (base[i][1] - base[i][0]) - (c - r)
        veto.append({"below": t, "removed_right": cut_right, "removed_wrong": cut_wrong, **_pr(right, counted, labelled)})
    return {"rules": rules, "add": add, "veto": veto}


def _f1(x: dict[str, Any]) -> float:
    p, r = x["precision"] or 0.0, x["recall"] or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _choose(cv: dict[str, Any]) -> tuple[str, float, int]:
    """The use and threshold with the best deal F1 among those adding more right than wrong (adding: at least
    :data:`ADD_RATIO` right per wrong); ``none`` if none beats the rules alone."""
    options = [("add", a["threshold"], a["added_right"] - a["added_wrong"], _f1(a)) for a in cv["add"]
               if a["added_right"] >= ADD_RATIO * a["added_wrong"]]
    options += [("veto", v["below"], v["removed_wrong"] - v["removed_right"], _f1(v)) for v in cv["veto"]]
    good = [o for o in options if o[2] > 0 and o[3] > _f1(cv["rules"])]
    if not good:
        return ("none", 0.0, 0)
    use, t, gain, _ = max(good, key=lambda o: (o[3], o[2]))
    return use, t, gain


def fit_dirs(dirs: Sequence[str], *, split: str = "all", k: int = 5, seed: int = 0,
             today: datetime | None = None, veto_below: float | None = None,
             why: str = "", unseen: Sequence[str] = ()) -> tuple[LearnedModel, dict[str, Any]]:
    """Collect every set, cross-validate both uses, and fit on everything; the model and its cross-validation.

    ``veto_below`` sets the use by hand (a veto below that cut-off, one of :data:`VETO_BELOW`, which the
    cross-validation must show removing more wrong than right candidates); ``why`` is recorded with it. ``unseen``
    sets (``DIR[:PART]``) are read, never fitted on, by the model fitted on ``dirs``: the carry-over test
    (:func:`carry_over`), recorded in the model as ``carry_over``.
    """
    if veto_below is not None and veto_below not in VETO_BELOW:
        raise FormatError([Problem("arguments", "--veto-below", "unknown", f"one of {', '.join(map(str, VETO_BELOW))}")])
    if not dirs:
        raise FormatError([Problem("arguments", "DIR", "missing", "give at least one labelled set directory")])
    collected = [collect(d, split=split) for d in dirs]
    passages = [p for ps, _ in collected for p in ps]
    labelled = sum(a["scored_labels"] for _, a in collected)
    rows = [(pr.active, kd) for p in passages for _, _, pairs, kinds in p.sentences
            for pr, kd in zip(pairs, kinds, strict=True)]
    if len({kd is None for _, kd in rows}) < 2:
        raise FormatError([Problem(", ".join(dirs), "deals", "one_class", f"{len(rows)} pairs, all of one class: "
                                   "nothing to fit")])
    cv = cross_validate(passages, labelled, k=k, seed=seed)
    use, threshold, gain = _choose(cv)
    chosen: dict[str, Any] = {"by": "best deal F1 among uses adding more right than wrong"}
    if veto_below is not None:
        row = next(v for v in cv["veto"] if v["below"] == veto_below)
        gain = row["removed_wrong"] - row["removed_right"]
        if gain <= 0:
            raise FormatError([Problem("arguments", "--veto-below", "no_gain", f"a veto below {veto_below} removed "
                                       f"{row['removed_right']} right and {row['removed_wrong']} wrong candidates")])
        chosen = {"by": f"by hand (--veto-below {veto_below}); the F1 choice was {use} at {threshold}", "why": why}
        use, threshold = "veto", veto_below
    model = fit_rows(rows)
    carried: dict[str, Any] = {}
    if unseen:
        shown = [collect(d, split=split) for d in unseen]
        carried = {"sets": [a for _, a in shown],
                   **carry_over(model, [p for ps, _ in shown for p in ps], sum(a["scored_labels"] for _, a in shown))}
    about = {"model": "learned reader: L2 logistic over pair features (dealweb.extract.learned), one-vs-rest kinds",
             "fitted_on": (today or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%MZ"), "l2": L2, "min_count": MIN_COUNT,
             "counting_basis": "a pair is positive when a scored label of its passage has payer ~ a, recipient ~ b and "
                               "evidence overlapping the sentence; candidates judged as `dealweb extract --evaluate`",
             "sets": [a for _, a in collected], "pairs": len(rows), "positive_pairs": sum(kd is not None for _, kd in rows),
             "features": len(model.weights), "cross_validation": cv,
             "chosen": {"use": use, "threshold": threshold, "net_right_minus_wrong": gain, **chosen},
             **({"carry_over": carried} if carried else {})}
    return replace(model, use=use, threshold=threshold, about=about), cv


def _tables(t: dict[str, Any]) -> list[str]:
    r = t["rules"]
    lines = [f"Rules alone: {r['right']} right of {r['candidates']} counted candidates: precision {r['precision']}, "
             f"recall {r['recall']}.", "", "(a) add: learned readings only in sentences where the rules gave none", "",
             "| threshold | added right | added wrong | precision | recall |", "|---|---|---|---|---|"]
    lines += [f"| {x['threshold']} | {x['added_right']} | {x['added_wrong']} | {x['precision']} | {x['recall']} |"
              for x in t["add"]]
    lines += ["", "(b) veto: drop a rule candidate whose pair scores below a cut-off", "",
              "| below | removed right | removed wrong | precision | recall |", "|---|---|---|---|---|"]
    lines += [f"| {x['below']} | {x['removed_right']} | {x['removed_wrong']} | {x['precision']} | {x['recall']} |"
              for x in t["veto"]]
    return lines


def _set_rows(sets: Sequence[dict[str, Any]]) -> list[str]:
    return ["| set | part | passages | scored labels | pairs | positive |", "|---|---|---|---|---|---|",
            *[f"| {s['set']} | {s['part']} | {s['passages']} | {s['scored_labels']} | {s['pairs']} | {s['positive_pairs']} |"
              for s in sets]]


def format_fit(model: LearnedModel) -> str:
    """The sets, the cross-validation of both uses, the carry-over test if any, and the choice, as Markdown."""
    a = model.about
    cv = a["cross_validation"]
    lines = [f"Fitted {a['fitted_on']} on {a['pairs']} pairs ({a['positive_pairs']} positive), {a['features']} features.",
             "", *_set_rows(a["sets"]), "", f"### {cv['folds']}-fold cross-validation by passage (seed {cv['seed']})", "",
             *_tables(cv)]
    if "carry_over" in a:
        lines += ["", "### Carry-over: the model fitted on the sets above, read on sets it never saw", "",
                  *_set_rows(a["carry_over"]["sets"]), "", *_tables(a["carry_over"])]
    c = a["chosen"]
    lines += ["", f"Chosen use: {c['use']}" + (f" at {c['threshold']} (net {c['net_right_minus_wrong']:+d}), {c['by']}"
                                               if c["use"] != "none" else " (no use adds more right than wrong)")]
    if c.get("why"):
        lines.append(f"Why: {c['why']}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: translate arguments, call :func:`fit_dirs`, print :func:`format_fit`, write the model."""
    parser = set_arguments("python -m dealweb.extract.fit_learned",
                           "Fit the learned reader of who pays whom on labelled sets.")
    parser.add_argument("--veto-below", type=float, metavar="P", help="use the veto below this cut-off (by hand)")
    parser.add_argument("--why", default="", help="why the cut-off was set by hand (recorded in the model)")
    parser.add_argument("--unseen", nargs="+", default=[], metavar="DIR[:PART]",
                        help="sets read by the fitted model but never fitted on (the carry-over test)")
    parser.add_argument("-o", "--output", metavar="MODEL.json", help="write the model here")
    args = parser.parse_args(argv)
    try:
        model, _ = fit_dirs(args.dirs, split=args.split, k=args.folds, seed=args.seed, veto_below=args.veto_below,
                            why=args.why, unseen=args.unseen)
    except DealwebError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_fit(model))
    if args.output:
        Path(args.output).write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

