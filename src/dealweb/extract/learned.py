"""The learned reader: who pays whom in a sentence, scored by a model fitted on labelled real text.

For each sentence of a cleaned article (:func:`~dealweb.extract.text.sentences`) it takes the
companies the pipeline recognises (the :class:`~dealweb.extract.parties.Directory`'s names, then
its unknown-company recognition), at most :data:`MAX_MENTIONS` distinct ones, and every ordered
pair ``(a, b)`` of them: "does ``a`` pay ``b`` here?". :func:`pair_features` describes a pair with
general features only; the companies themselves are masked as ``A``, ``B`` and ``OTHER``, so no
feature names a particular company:

* the lower-cased words between the two (at most :data:`MAX_BETWEEN`), keyed by their order
  (``ab:`` when ``a`` comes first, ``ba:`` otherwise), the two words before the first mention and
  after the second, the order and a distance bucket;
* the preposition right before each mention, a possessive after it, each one's kind (the ledger's,
  or ``new``), whether ``a`` opens the sentence;
* cue words of the sentence (investment, supply, chips, debt, lease, acquisition, licensing,
  partnership, warrants) and whether a cue sits between the two; the sentence's figures and their
  roles (:func:`~dealweb.extract.amounts.context_role`), and whether a money figure stands between
  the two; hearsay and talks words;
* the two kinds together (``kinds:lab>chipmaker``), since a direction often follows from who
  sells what to whom rather than from either kind alone.

A :class:`LearnedModel` holds two logistic models over these features
(:mod:`~dealweb.extract.logistic`): the pair's probability of being a labelled deal's payer and
recipient, and one-vs-rest models for the kind. A reading of a pair takes the deal figure standing between the two
companies or nearest them (:func:`pair_figure`), else none (undisclosed). The model is fitted by
:mod:`~dealweb.extract.fit_learned`, which also measures whether adding such readings would pay (so far it
does not: extraction only uses the veto, :func:`apply`).

Examples
--------
>>> from dealweb.extract.candidates import directory_for
>>> names = directory_for(None).for_article()
>>> ps = sentence_pairs("Microsoft will invest $5 billion in Anthropic.", names)
>>> [(p.a.party.id, p.b.party.id) for p in ps]
[('microsoft', 'anthropic'), ('anthropic', 'microsoft')]
>>> f = ps[0].active
>>> f["ab:invest"], f["prep_b:in"], f["order:ab"], f["fig:deal:1"]
(1.0, 1.0, 1.0, 1.0)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dealweb.errors import FormatError, Problem
from dealweb.extract.amounts import Money, context_role, find_money, sentence_qualifier
from dealweb.extract.binding import conversions
from dealweb.extract.packaged import packaged_json
from dealweb.extract.parties import Directory, Mention
from dealweb.model.vocab import DealKind

if TYPE_CHECKING:
    from dealweb.extract.candidates import Candidate

__all__ = ["MAX_MENTIONS", "MODEL_FILE", "VETO_EXEMPT", "LearnedModel", "Pair", "apply", "deal_figure",
           "kind_features", "load_learned", "pair_features", "pair_figure", "sentence_mentions", "sentence_pairs",
           "shipped_learned", "vetoable"]

#: Distinct companies looked at per sentence (so at most 30 ordered pairs).
MAX_MENTIONS = 6
#: Mentions of those companies looked at per sentence (a company named twice is masked both times).
MAX_OCCURRENCES = 16
#: Meetings of two companies named more than once whose features are read.
MAX_MEETINGS = 2
#: Words between the two mentions used as features.
MAX_BETWEEN = 10
#: Characters of a sentence read; a longer one is not a sentence.
MAX_CHARS = 1000
MODEL_FILE = "learned_model.json"
#: Readings the veto leaves alone: several deals of one sentence paired by gapping, "respectively" or a list, and the
#: partners of a joint venture, where the rules read the structure and a bag of words between two names cannot.
VETO_EXEMPT = frozenset({"gapped", "itemised", "venture", "vehicle"})

_CURRENCY = frozenset("$€£¥")
_PREPS = frozenset("to from with by in for of on at into via between and".split())
_WORD = re.compile(r"[a-z][a-z'-]{0,30}|#|[$€£¥%]")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_CUES: dict[str, re.Pattern[str]] = {name: re.compile(rf"\b(?:{body})\b", re.I) for name, body in {
    "invest": r"invest\w{0,6}|stakes?|round|led by|funding|raised?|raising|backed|backing|valu\w{0,6}",
    "supply": r"suppl\w{0,4}|provid\w{0,4}|contracts?|capacity|cloud|compute|servers?|infrastructure",
    "chips": r"chips?|gpus?|processors?|accelerators?|buys?|bought|purchas\w{0,4}|orders?",
    "debt": r"loans?|debt|notes|bonds?|facility|credit|lend\w{0,4}|lent|borrow\w{0,4}|financ\w{0,4}",
    "lease": r"leas\w{0,4}|rent\w{0,4}|space|power|megawatts?|gigawatts?|mw|gw|data cent(?:er|re)s?",
    "acquire": r"acqui\w{0,7}|takeover|buyout|merger|deal for|take over",
    "license": r"licen[cs]\w{0,4}|content|royalt\w{0,4}",
    "partner": r"joint venture|partnership|partners?|alliance|collaborat\w{0,5}",
    "warrants": r"warrants?",
}.items()}
_TALKS = re.compile(r"\b(?:talks?|negotiat\w{0,6}|consider\w{0,4}|weigh\w{0,4}|explor\w{0,4}|plans?|planning|could|may|"
                    r"might|would|potential(?:ly)?|proposed|possible|seeking)\b", re.I)


def _occurrences(text: str, names: Directory) -> list[Mention]:
    """Every non-overlapping mention of the sentence's first :data:`MAX_MENTIONS` companies, at most
    :data:`MAX_OCCURRENCES`."""
    known = names.mentions(text)
    found = sorted([*known, *names.unknown_orgs(text, [(m.start, m.end) for m in known])], key=lambda m: m.start)
    out: list[Mention] = []
    parties: set[str] = set()
    for m in found:
        if any(m.start < x.end and x.start < m.end for x in out[-3:]):
            continue
        if m.party.id not in parties:
            if len(parties) == MAX_MENTIONS:
                continue
            parties.add(m.party.id)
        out.append(m)
        if len(out) == MAX_OCCURRENCES:
            break
    return out


def sentence_mentions(text: str, names: Directory) -> list[Mention]:
    """The companies of a sentence in order, the first mention of each, at most :data:`MAX_MENTIONS`.

    Known names first (:meth:`~dealweb.extract.parties.Directory.mentions`), then companies the ledger does not hold
    (:meth:`~dealweb.extract.parties.Directory.unknown_orgs`).
    """
    return _first_of_each(_occurrences(text[:MAX_CHARS], names))


def _first_of_each(occurrences: Sequence[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in occurrences:
        if all(x.party.id != m.party.id for x in out):
            out.append(m)
    return out


def deal_figure(text: str) -> Money | None:
    """The sentence's figure when exactly one figure reads as a deal's value (conversions of it not counted)."""
    text = text[:MAX_CHARS]
    money = find_money(text)
    again = conversions(text, money)
    deal = [m for m in money if m.start not in again and context_role(text, m) == "deal"]
    return deal[0] if len(deal) == 1 else None


@dataclass(frozen=True)
class _Sentence:
    """What every pair of one sentence shares: its tokens with mention slots, cues, figures."""

    tokens: list[str | int]  # a word, or the index of a company (in the first-of-each list)
    at: list[list[int]]  # token positions of each company's mentions
    occ: dict[int, Mention]  # the mention at a token position
    shared: dict[str, float]
    cue_at: list[tuple[int, str]]  # token position and cue of each cue word
    figures: list[Money]  # the figures that read as a deal's value, in order


def _words(text: str) -> list[str | int]:
    return list(_WORD.findall(_DIGITS.sub("#", text.lower().replace("’", "'"))))


def _prepare(text: str, occurrences: Sequence[Mention], mentions: Sequence[Mention]) -> _Sentence:
    text = text[:MAX_CHARS]
    tokens: list[str | int] = []
    index = {m.party.id: i for i, m in enumerate(mentions)}
    at: list[list[int]] = [[] for _ in mentions]
    occ: dict[int, Mention] = {}
    pos = 0
    for m in occurrences:
        tokens += _words(text[pos:m.start])
        at[index[m.party.id]].append(len(tokens))
        occ[len(tokens)] = m
        tokens.append(index[m.party.id])
        pos = m.end
    tokens += _words(text[pos:])
    shared: dict[str, float] = {}
    for name, pattern in _CUES.items():
        if pattern.search(text):
            shared[f"cue:{name}"] = 1.0
    money = find_money(text)
    again = conversions(text, money)
    roles = [context_role(text, m) for m in money if m.start not in again]
    kept = [m for m in money if m.start not in again]
    figures = [m for m, r in zip(kept, roles, strict=True) if r == "deal"]
    deal = len(figures)
    shared["fig:none" if not roles else f"fig:deal:{min(deal, 2)}"] = 1.0
    for r in sorted(set(roles) - {"deal"}):
        shared[f"fig:{r}"] = 1.0
    if sentence_qualifier(text) is not None:
        shared["hearsay"] = 1.0
    if _TALKS.search(text):
        shared["talks"] = 1.0
    shared[f"mentions:{min(len(mentions), 4)}"] = 1.0
    cue_at = [(j, name) for j, t in enumerate(tokens) if isinstance(t, str)
              for name, pattern in _CUES.items() if len(t) > 2 and pattern.fullmatch(t)]
    return _Sentence(tokens, at, occ, shared, cue_at, figures)


def _kind_of(m: Mention, names: Directory) -> str:
    kind = names.kind(m.party.id) if m.party.known else None
    return str(getattr(kind, "value", kind)) if kind is not None else "new"


def pair_features(prep: _Sentence, i: int, j: int, mentions: Sequence[Mention], text: str,
                  names: Directory) -> dict[str, float]:
    """The features of the ordered pair (mention ``i`` as payer, mention ``j`` as recipient); bounded in size."""
    out = dict(prep.shared)

    def word(t: str | int) -> str:
        return t if isinstance(t, str) else "A" if t == i else "B" if t == j else "OTHER"

    # A company named twice is read where it meets the other: the features of the (at most MAX_MEETINGS) closest
    # meetings of the two, together.
    meetings = sorted(((x, y) for x in prep.at[i] for y in prep.at[j]), key=lambda xy: (abs(xy[0] - xy[1]), xy[0]))
    for ai, bj in meetings[:MAX_MEETINGS]:
        _meeting(out, prep, ai, bj, word, text, names)
    return out


def _meeting(out: dict[str, float], prep: _Sentence, ai: int, bj: int, word: Callable[[str | int], str], text: str,
             names: Directory) -> None:
    toks = prep.tokens
    order = "ab" if ai < bj else "ba"
    lo, hi = min(ai, bj), max(ai, bj)
    out[f"order:{order}"] = 1.0
    gap = hi - lo - 1
    out[f"dist:{order}:{'0-2' if gap <= 2 else '3-6' if gap <= 6 else '7-15' if gap <= 15 else '16+'}"] = 1.0
    between = toks[lo + 1:hi]
    for t in between[:MAX_BETWEEN // 2] + between[-MAX_BETWEEN // 2:] if len(between) > MAX_BETWEEN else between:
        out[f"{order}:{word(t)}"] = 1.0
    first, second = ("A", "B") if order == "ab" else ("B", "A")
    for k, t in enumerate(reversed(toks[max(0, lo - 2):lo])):
        out[f"pre{first}{k + 1}:{word(t)}"] = 1.0
    for k, t in enumerate(toks[hi + 1:hi + 3]):
        out[f"post{second}{k + 1}:{word(t)}"] = 1.0
    for cue_pos, cue in prep.cue_at:
        if lo < cue_pos < hi:
            out[f"cue_between:{order}:{cue}"] = 1.0
    if any(t in _CURRENCY for t in between):
        out[f"money_between:{order}"] = 1.0
    out[f"kinds:{_kind_of(prep.occ[ai], names)}>{_kind_of(prep.occ[bj], names)}"] = 1.0
    for label, pos in (("a", ai), ("b", bj)):
        before = toks[pos - 1] if pos > 0 else ""
        if isinstance(before, str) and before in _PREPS:
            out[f"prep_{label}:{before}"] = 1.0
        m = prep.occ[pos]
        if text[m.end:m.end + 2] in ("'s", "’s"):
            out[f"poss_{label}"] = 1.0
        out[f"kind_{label}:{_kind_of(m, names)}"] = 1.0
        if pos == 0 or (pos == 1 and toks[0] in ("the", "and")):
            out[f"opens_{label}"] = 1.0


@dataclass(frozen=True)
class Pair:
    """An ordered pair of a sentence's companies (``a`` paying ``b``?) and its features."""

    a: Mention
    b: Mention
    active: dict[str, float]
    #: The deal figure a reading of the pair takes (:func:`pair_figure`), or ``None`` (undisclosed).
    figure: Money | None = None


def sentence_pairs(text: str, names: Directory) -> list[Pair]:
    """Every ordered pair of the sentence's companies (:func:`sentence_mentions`) with its features.

    The sentence is read as the rules read it: without descriptors, appositives ("which is backed by X"), corporate
    suffixes and closing comments (:func:`~dealweb.extract.modifiers.plain_sentence`).
    """
    from dealweb.extract.modifiers import plain_sentence

    text = plain_sentence(text[:MAX_CHARS], names)
    occurrences = _occurrences(text, names)
    mentions = _first_of_each(occurrences)
    if len(mentions) < 2:
        return []
    prep = _prepare(text, occurrences, mentions)
    return [Pair(mentions[i], mentions[j], pair_features(prep, i, j, mentions, text, names),
                 pair_figure(prep.figures, mentions[i], mentions[j]))
            for i in range(len(mentions)) for j in range(len(mentions)) if i != j]


def pair_figure(figures: Sequence[Money], a: Mention, b: Mention) -> Money | None:
    """Of a sentence's deal figures, the one a reading of ``a`` and ``b`` takes: one standing between the two (the
    first such), else the one nearest either of them; ``None`` when the sentence has none.

    >>> from dealweb.extract.parties import PartyRef
    >>> text = "Zeta paid $2 billion to Vexo, and Quill paid $5 billion to Mora."
    >>> figs = find_money(text)
    >>> def at(word: str) -> Mention:
    ...     return Mention(text.index(word), text.index(word) + len(word), PartyRef(word.lower(), word, False))
    >>> str(pair_figure(figs, at("Zeta"), at("Vexo")).amount), str(pair_figure(figs, at("Quill"), at("Mora")).amount)
    ('2000000000', '5000000000')
    """
    lo, hi = min(a.start, b.start), max(a.end, b.end)
    return min(figures, key=lambda m: 0 if lo <= m.start < hi else min(abs(m.start - hi), abs(lo - m.end)), default=None)


def kind_features(active: dict[str, float]) -> dict[str, float]:
    """The features the kind models read: the pair's (its kinds among them)."""
    return active


def _dot(weights: dict[str, float], intercept: float, active: dict[str, float]) -> float:
    import math

    z = intercept + sum(weights.get(k, 0.0) * v for k, v in active.items())
    return 0.5 * (1.0 + math.tanh(0.5 * z))


@dataclass(frozen=True)
class LearnedModel:
    """Pair weights and intercept, one-vs-rest kind weights, the threshold chosen and what the file says of itself.

    ``use`` is how extraction applies it (:func:`apply`): ``"none"``, ``"add"`` (readings scoring at least
    ``threshold`` for sentences the rules gave nothing; not wired), or ``"veto"`` (drop a rule candidate whose pair
    scores below ``threshold``).
    """

    weights: dict[str, float]
    intercept: float
    kinds: dict[str, tuple[float, dict[str, float]]]
    threshold: float = 0.8
    use: str = "none"
    about: dict[str, Any] = field(default_factory=dict)

    def probability(self, active: dict[str, float]) -> float:
        """P(the pair is a labelled deal's payer and recipient)."""
        return _dot(self.weights, self.intercept, active)

    def kind(self, active: dict[str, float]) -> DealKind:
        """The kind whose one-vs-rest model scores highest."""
        if not self.kinds:
            return DealKind.EQUITY_INVESTMENT
        best = max(sorted(self.kinds), key=lambda k: _dot(self.kinds[k][1], self.kinds[k][0], kind_features(active)))
        return DealKind(best)

    def to_dict(self) -> dict[str, Any]:
        return {**self.about, "use": self.use, "threshold": self.threshold, "intercept": self.intercept,
                "weights": dict(sorted(self.weights.items())),
                "kinds": {k: {"intercept": b, "weights": dict(sorted(w.items()))} for k, (b, w) in sorted(self.kinds.items())}}


def _model_from(data: Any, where: str) -> LearnedModel:
    def numbers(d: Any) -> bool:
        return isinstance(d, dict) and all(isinstance(v, int | float) for v in d.values())

    ok = (isinstance(data, dict) and numbers(data.get("weights")) and isinstance(data.get("intercept"), int | float)
          and isinstance(data.get("kinds"), dict) and data.get("use", "none") in ("none", "add", "veto")
          and isinstance(data.get("threshold", 0.8), int | float) and 0 <= data.get("threshold", 0.8) <= 1
          and all(k in DealKind._value2member_map_ and isinstance(v, dict) and numbers(v.get("weights"))
                  and isinstance(v.get("intercept"), int | float) for k, v in data["kinds"].items()))
    if not ok:
        raise FormatError([Problem(where, "weights", "shape", "expected number 'intercept', 'weights' {feature: number}, "
                                   "'kinds' {kind: {intercept, weights}}, 'use' none/add/veto and a 'threshold' in [0, 1]")])
    about = {k: v for k, v in data.items() if k not in ("weights", "intercept", "kinds", "use", "threshold")}
    kinds = {k: (float(v["intercept"]), {str(f): float(w) for f, w in v["weights"].items()}) for k, v in data["kinds"].items()}
    return LearnedModel({str(f): float(w) for f, w in data["weights"].items()}, float(data["intercept"]), kinds,
                        float(data.get("threshold", 0.8)), str(data.get("use", "none")), about)


def load_learned(path: str | Path) -> LearnedModel:
    """Read a model file written by :mod:`~dealweb.extract.fit_learned` (:class:`~dealweb.errors.FormatError` if not one)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError([Problem(str(path), "", "json", f"not a learned reader model: {exc}")]) from None
    return _model_from(data, str(path))


@cache
def shipped_learned() -> LearnedModel | None:
    """The model in ``dealweb/data`` (:data:`MODEL_FILE`), or ``None`` when the package holds none."""
    data = packaged_json(MODEL_FILE, "a learned reader model")
    return None if data is None else _model_from(data, f"dealweb/data/{MODEL_FILE}")


def apply(text: str, names: Directory, found: Sequence[Candidate], model: LearnedModel | None = None) -> list[Candidate]:
    """The rule candidates of a cleaned article the learned reader lets stand (``model`` defaults to the shipped one).

    With ``use == "veto"``, a candidate is dropped when both its parties are among its sentence's companies and the pair
    (payer, recipient) scores below the model's threshold, unless it is a reading of :data:`VETO_EXEMPT`; otherwise
    every candidate stands. ``names`` is the ledger's
    names (a fresh view of them reads the article's sentences in order, as the fit did).
    """
    from dealweb.extract.text import sentences

    model = shipped_learned() if model is None else model
    if model is None or model.use != "veto" or not found:
        return list(found)
    wanted = {c.evidence.start for c in found}
    last = max(wanted)
    view = names.for_article()
    score: dict[tuple[int, str, str], float] = {}
    for sent in sentences(text):
        if sent.start > last:
            break
        if len(sent.text) > 2000:
            continue
        pairs = sentence_pairs(sent.text, view)
        if sent.start in wanted:
            for p in pairs:
                score[(sent.start, p.a.party.id, p.b.party.id)] = model.probability(p.active)
    return [c for c in found if not vetoable(c)
            or score.get((c.evidence.start, c.payer.id, c.recipient.id), 1.0) >= model.threshold]


def vetoable(c: Candidate) -> bool:
    """Whether the veto may judge a rule candidate: not a reading of :data:`VETO_EXEMPT`, nor a joint venture's (a
    partner and its vehicle, a relation the labels seldom teach)."""
    return not (c.signals & VETO_EXEMPT) and c.kind is not DealKind.JV
