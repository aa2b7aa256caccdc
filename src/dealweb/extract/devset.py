"""Score the extractor against a labelled set of real news paragraphs (the ``paragraphs.json`` shape).

``dealweb extract --evaluate DIR`` prints what :func:`evaluate_dir` returns. ``DIR`` holds a
``paragraphs.json`` whose items carry ``id``, ``text``, ``published`` and hand-labelled
``deals`` (payer, recipient, kind, amount, with accepted alternatives and an ``ambiguous``
flag); see the README beside the development set for the conventions.

Matching, as that README defines it. A candidate **matches** a labelled deal when

* its payer is the labelled payer (``payer_id``, the display name, or any ``payer_alt``),
  compared as slugs of the candidate's entity id, ledger name or words in the text;
* likewise the recipient;
* its kind is ``kind`` or one of ``kind_alt``;
* its amount is the labelled figure: ``amount_usd`` when the candidate is in dollars,
  ``amount_original`` when it is in the labelled (non-dollar) currency, or an
  ``amount_alt`` in that currency; a labelled ``null`` needs an undisclosed candidate.

Counting basis. Per paragraph, candidates and scored labels are paired one to one, full
matches first. Deal **precision** is full matches over candidates, leaving out candidates
that match an ``ambiguous`` label (they count neither way); deal **recall** is full
matches over scored labels. Per **field**, every scored label is paired with the candidate
agreeing on most fields (one to one); field recall is the share of scored labels whose
pair has that field right, field precision the share of counted candidates whose pair has
it right (an unpaired candidate is wrong on every field). Per **kind**, recall is by the
label's kind and precision by the candidate's kind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from dealweb.errors import FormatError, Problem
from dealweb.extract.candidates import Candidate, directory_for, extract
from dealweb.extract.confidence import group_of
from dealweb.extract.parties import Directory, slug

__all__ = ["DevScore", "Miss", "evaluate_dir", "evaluate_items", "format_report", "load_items", "split_of", "verdicts"]

FIELDS = ("payer", "recipient", "kind", "amount")


@dataclass(frozen=True, slots=True)
class Miss:
    """One error: a scored label no candidate matched (``missed``) or a candidate that matched none (``extra``)."""

    item: str
    what: str  # "missed" or "extra"
    deal: str
    closest: str
    evidence: str


@dataclass
class DevScore:
    """Counts behind deal-level, per-field and per-kind precision and recall."""

    items: int = 0
    predicted: int = 0
    ignored: int = 0  # candidates matching an ambiguous label
    labelled: int = 0
    right: int = 0
    field_p: dict[str, int] = field(default_factory=dict)
    field_r: dict[str, int] = field(default_factory=dict)
    kind_pred: dict[str, int] = field(default_factory=dict)
    kind_pred_right: dict[str, int] = field(default_factory=dict)
    kind_gold: dict[str, int] = field(default_factory=dict)
    kind_gold_right: dict[str, int] = field(default_factory=dict)
    distractors: int = 0
    distractors_clean: int = 0
    #: Proposed new entities (parties not in the ledger), one per paragraph and name, and whether a label of
    #: that paragraph names them as a party (a real company in a deal, by the labeller's reading).
    new_entities: list[tuple[str, str, bool]] = field(default_factory=list)
    #: (confidence, right) of every counted candidate, for calibration.
    confidences: list[tuple[float, bool]] = field(default_factory=list)
    #: Confidence group (:func:`~dealweb.extract.confidence.group_of`) → [candidates, right]: the counts
    #: :data:`~dealweb.extract.confidence.CALIBRATION` is fitted on.
    groups: dict[str, list[int]] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.predicted - self.ignored

    def precision(self, name: str | None = None) -> float:
        right = self.right if name is None else self.field_p.get(name, 0)
        return right / self.counted if self.counted else 1.0

    def recall(self, name: str | None = None) -> float:
        right = self.right if name is None else self.field_r.get(name, 0)
        return right / self.labelled if self.labelled else 1.0

    def calibration(self, threshold: float = 0.8) -> tuple[int, int]:
        """(candidates at or above ``threshold``, how many of them are right)."""
        above = [ok for c, ok in self.confidences if c >= threshold]
        return len(above), sum(above)

    def to_dict(self) -> dict[str, Any]:
        kinds = sorted(set(self.kind_gold) | set(self.kind_pred))
        n, ok = self.calibration()
        return {
            "items": self.items, "candidates": self.predicted, "ignored_ambiguous": self.ignored,
            "labelled": self.labelled, "right": self.right, "precision": round(self.precision(), 3),
            "recall": round(self.recall(), 3),
            "fields": {f: {"precision": round(self.precision(f), 3), "recall": round(self.recall(f), 3)} for f in FIELDS},
            "kinds": {k: {"labelled": self.kind_gold.get(k, 0), "found": self.kind_gold_right.get(k, 0),
                          "predicted": self.kind_pred.get(k, 0), "predicted_right": self.kind_pred_right.get(k, 0)}
                      for k in kinds},
            "distractors": {"items": self.distractors, "no_candidate": self.distractors_clean},
            "confidence_0_8": {"candidates": n, "right": ok},
            "confidence_groups": {g: {"candidates": t[0], "right": t[1]} for g, t in sorted(self.groups.items())},
            "new_entities": {"proposed": len(self.new_entities), "labelled_party": sum(ok for *_, ok in self.new_entities),
                             "names": [{"item": i, "name": nm, "labelled_party": ok} for i, nm, ok in self.new_entities]},
            "misses": [{"item": m.item, "what": m.what, "deal": m.deal, "closest": m.closest} for m in self.misses],
        }


def load_items(directory: str | Path) -> list[dict[str, Any]]:
    """The labelled items of ``DIR/paragraphs.json`` (or of the JSON file itself)."""
    path = Path(directory)
    if path.is_dir():
        path = path / "paragraphs.json"
    if not path.is_file():
        raise FormatError([Problem(str(path), "", "missing", "no paragraphs.json here")])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError([Problem(str(path), "", "json", f"not a labelled set: {exc}")]) from None
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) and "text" in i and "id" in i for i in items):
        raise FormatError([Problem(str(path), "items", "shape", "expected a list of items with 'id' and 'text'")])
    return items


def split_of(item_id: str) -> str:
    """``"tuning"`` (about 70%) or ``"heldout"``: a fixed split by a hash of the item id.

    >>> split_of("DV001") in ("tuning", "heldout")
    True
    """
    digit = int(hashlib.sha256(item_id.encode()).hexdigest(), 16) % 10
    return "tuning" if digit < 7 else "heldout"


def _names(*values: Any) -> set[str]:
    out: set[str] = set()
    for v in values:
        if isinstance(v, str) and v:
            out.add(slug(v))
        elif isinstance(v, list):
            out |= {slug(x) for x in v if isinstance(x, str) and x}
    return out


def _cand_names(party: Any, directory: Directory) -> set[str]:
    entity = directory.entities.get(party.id) if party.known else None
    aliases = {slug(a) for a in entity.aliases} if entity is not None else set()
    return {party.id, slug(party.name), slug(party.surface), *aliases}


def _amounts(gold: dict[str, Any]) -> tuple[set[Decimal], set[Decimal], str]:
    """(figures accepted in dollars, figures accepted in the labelled currency, that currency)."""
    currency = gold.get("currency") or "USD"
    alt = {Decimal(str(a)) for a in gold.get("amount_alt") or [] if a is not None}
    usd = {Decimal(str(gold["amount_usd"]))} if gold.get("amount_usd") is not None else set()
    own = {Decimal(str(gold["amount_original"]))} if gold.get("amount_original") is not None else set()
    if currency == "USD":
        return usd | own | alt, set(), currency
    return usd, own | alt, currency


def _field_hits(c: Candidate, gold: dict[str, Any], names: Directory) -> dict[str, bool]:
    usd, own, currency = _amounts(gold)
    if gold.get("amount_usd") is None and gold.get("amount_original") is None:
        amount_ok = c.amount is None
    elif c.amount is None:
        amount_ok = False
    else:
        amount_ok = (c.currency == "USD" and _close(c.amount, usd)) or (c.currency == currency and _close(c.amount, own))
    return {
        "payer": bool(_cand_names(c.payer, names) & _names(gold.get("payer_id"), gold.get("payer"), gold.get("payer_alt"))),
        "recipient": bool(_cand_names(c.recipient, names) & _names(gold.get("recipient_id"), gold.get("recipient"),
                                                            gold.get("recipient_alt"))),
        "kind": c.kind.value == gold.get("kind") or c.kind.value in (gold.get("kind_alt") or []),
        "amount": amount_ok,
    }


def _close(value: Decimal, accepted: set[Decimal]) -> bool:
    return any(abs(value - a) <= abs(a) * Decimal("0.0005") for a in accepted)


def _show_c(c: Candidate) -> str:
    amount = "undisclosed" if c.amount is None else f"{c.amount:,} {c.currency}"
    return f"{c.payer.id} -> {c.recipient.id} {c.kind.value} {amount} (conf {c.confidence:.2f})"


def _show_g(g: dict[str, Any]) -> str:
    if g.get("amount_usd") is None and g.get("amount_original") is None:
        amount = "undisclosed"
    elif (g.get("currency") or "USD") != "USD" and g.get("amount_original") is not None:
        amount = f"{Decimal(str(g['amount_original'])):,} {g['currency']}"
    else:
        amount = f"{Decimal(str(g['amount_usd'])):,} USD"
    return f"{g.get('payer_id') or g.get('payer')} -> {g.get('recipient_id') or g.get('recipient')} {g.get('kind')} {amount}"


def _pairing(found: Sequence[Candidate], gold: list[dict[str, Any]], vague: list[dict[str, Any]], names: Directory,
             ) -> tuple[list[list[dict[str, bool]]], list[tuple[int, int]], set[int], set[int], set[int]]:
    """Field hits, full matches, the one-to-one pairing (candidates and labels used) and the candidates left out."""
    hits = [[_field_hits(c, g, names) for g in gold] for c in found]
    full = sorted(((i, j) for i in range(len(found)) for j in range(len(gold)) if all(hits[i][j].values())),
                  key=lambda ij: -found[ij[0]].confidence)
    used_c: set[int] = set()
    used_g: set[int] = set()
    for i, j in full:
        if i not in used_c and j not in used_g:
            used_c.add(i)
            used_g.add(j)
    ignored = {i for i in range(len(found)) if i not in used_c
               and any(all(_field_hits(found[i], v, names).values()) for v in vague)}
    return hits, full, used_c, used_g, ignored


def verdicts(item: dict[str, Any], found: Sequence[Candidate], names: Directory) -> list[bool | None]:
    """Per candidate of ``item``: right (``True``), wrong (``False``), or not counted (``None``, it matches an
    ambiguous label), by the same one-to-one pairing :func:`evaluate_items` counts."""
    labels = item.get("deals") or []
    gold = [g for g in labels if not g.get("ambiguous")]
    vague = [g for g in labels if g.get("ambiguous")]
    _, _, used_c, _, ignored = _pairing(found, gold, vague, names)
    return [None if i in ignored else i in used_c for i in range(len(found))]


def evaluate_items(items: Sequence[dict[str, Any]], directory: Directory | None = None) -> DevScore:
    """Run the extractor on every item and count agreements (see the module notes for the basis)."""
    names = directory or directory_for(None)
    score = DevScore()
    for item in items:
        found = extract(item["text"], directory=names, published=item.get("published")).deals
        labels = item.get("deals") or []
        gold = [g for g in labels if not g.get("ambiguous")]
        vague = [g for g in labels if g.get("ambiguous")]
        score.items += 1
        if item.get("distractor"):
            score.distractors += 1
            score.distractors_clean += not found
        labelled_names = set().union(*(_names(g.get("payer_id"), g.get("payer"), g.get("payer_alt"), g.get("recipient_id"),
                                                g.get("recipient"), g.get("recipient_alt")) for g in labels))
        proposed = {p.surface: p for c in found for p in (c.payer, c.recipient) if not p.known}
        for p in proposed.values():
            score.new_entities.append((str(item["id"]), p.surface, bool(_cand_names(p, names) & labelled_names)))
        hits, full, used_c, used_g, ignored = _pairing(found, gold, vague, names)
        score.predicted += len(found)
        score.ignored += len(ignored)
        score.labelled += len(gold)
        score.right += len(used_c)
        # Field pairs: full matches, then the candidate agreeing on most fields.
        pair: dict[int, int] = {}
        for i, j in full:
            if j not in pair and i not in pair.values():
                pair[j] = i
        partial = sorted(((sum(hits[i][j].values()), i, j) for i in range(len(found)) for j in range(len(gold))
                          if i not in ignored), reverse=True)
        for n, i, j in partial:
            if n and j not in pair and i not in pair.values():
                pair[j] = i
        for j, i in pair.items():
            for f in FIELDS:
                if hits[i][j][f]:
                    score.field_r[f] = score.field_r.get(f, 0) + 1
                    score.field_p[f] = score.field_p.get(f, 0) + 1
        for j, g in enumerate(gold):
            k = str(g.get("kind"))
            score.kind_gold[k] = score.kind_gold.get(k, 0) + 1
            if j in used_g:
                score.kind_gold_right[k] = score.kind_gold_right.get(k, 0) + 1
            else:
                closest = _show_c(found[pair[j]]) if j in pair else "nothing close"
                score.misses.append(Miss(item["id"], "missed", _show_g(g), closest, str(g.get("evidence", ""))))
        for i, c in enumerate(found):
            if i in ignored:
                continue
            k = c.kind.value
            ok = i in used_c
            score.kind_pred[k] = score.kind_pred.get(k, 0) + 1
            score.kind_pred_right[k] = score.kind_pred_right.get(k, 0) + ok
            score.confidences.append((c.confidence, ok))
            tally = score.groups.setdefault(group_of(c), [0, 0])
            tally[0] += 1
            tally[1] += ok
            if not ok:
                paired = next((g for g, x in pair.items() if x == i), None)
                closest = _show_g(gold[paired]) if paired is not None else "no label"
                score.misses.append(Miss(item["id"], "extra", _show_c(c), closest, c.evidence.sentence))
    return score


def evaluate_dir(directory: str | Path, *, split: str = "all",
                 ledger_directory: Directory | None = None) -> DevScore:
    """Score the labelled set in ``directory``; ``split`` is ``all``, ``tuning`` or ``heldout`` (see :func:`split_of`)."""
    items = load_items(directory)
    if split != "all":
        items = [i for i in items if split_of(str(i["id"])) == split]
    return evaluate_items(items, ledger_directory)


def _pct(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "-"


def format_report(score: DevScore, *, title: str = "", misses: bool = True) -> str:
    """The scores as Markdown tables, then the misses."""
    lines = [f"### {title}" if title else "", "",
             f"{score.items} paragraphs, {score.labelled} scored deals, {score.predicted} candidates "
             f"({score.ignored} matched an ambiguous label and are not counted), {score.right} right.", "",
             "| | precision | recall |", "|---|---|---|",
             f"| **deal** (payer, recipient, kind, amount) | **{score.precision():.2f}** | **{score.recall():.2f}** |"]
    lines += [f"| {f} | {score.precision(f):.2f} | {score.recall(f):.2f} |" for f in FIELDS]
    lines += ["", "| kind | labelled | found | recall | candidates | right | precision |", "|---|---|---|---|---|---|---|"]
    for k in sorted(set(score.kind_gold) | set(score.kind_pred)):
        g, gr = score.kind_gold.get(k, 0), score.kind_gold_right.get(k, 0)
        p, pr = score.kind_pred.get(k, 0), score.kind_pred_right.get(k, 0)
        lines.append(f"| {k} | {g} | {gr} | {_pct(gr, g)} | {p} | {pr} | {_pct(pr, p)} |")
    n, ok = score.calibration()
    lines += ["", f"Distractor paragraphs with no candidate: {score.distractors_clean} of {score.distractors}. "
              f"Candidates with confidence >= 0.8: {n}, right: {ok} ({_pct(ok, n)})."]
    if score.groups:
        lines += ["", "Confidence groups (`CALIBRATION` in dealweb/extract/confidence.py holds the held-out part's counts):", "",
                  "| group | candidates | right | share |", "|---|---|---|---|"]
        lines += [f"| {g} | {n} | {r} | {_pct(r, n)} |" for g, (n, r) in sorted(score.groups.items())]
        lines.append("")
    real = sum(ok for *_, ok in score.new_entities)
    lines += [f"Proposed new entities (a party not in the ledger; one per paragraph and name): {len(score.new_entities)}, "
              f"of which {real} are a labelled party of their paragraph."]
    if misses and score.new_entities:
        lines += ["", "New entities proposed:"]
        lines += [f"- {i} {nm!r}{'' if ok else '  (no label names it)'}" for i, nm, ok in score.new_entities]
    if misses and score.misses:
        lines += ["", "Misses:"]
        for m in score.misses:
            lines.append(f"- {m.item} {m.what}: {m.deal}  [closest: {m.closest}]")
    return "\n".join(lines).strip() + "\n"
