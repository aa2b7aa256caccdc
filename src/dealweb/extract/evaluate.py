"""Score the extractor against a labelled set: precision and recall per field and per deal.

``python -m dealweb.extract.evaluate [tests/extract/eval_set.yaml]`` prints the table that
``docs/extract.md`` reports.

Scoring. In each paragraph, predicted deals are paired with labelled ones greedily by the
number of agreeing fields (payer, recipient, kind, amount with currency). A field's
precision is the share of predicted deals whose paired label has the same value (an
unpaired prediction counts as wrong); its recall is the share of labelled deals whose
paired prediction has it right. A **deal** is correct when payer, recipient, kind and
amount all agree; the qualifier and horizon are reported as fields but do not decide a
deal. Facts are scored the same way on entity, metric and value.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from dealweb.extract.candidates import Candidate, FactCandidate, directory_for, extract

__all__ = ["Score", "evaluate", "format_table", "load_eval_set"]

DEAL_FIELDS = ("payer", "recipient", "kind", "amount", "qualifier", "horizon_years")
FACT_FIELDS = ("entity", "metric", "value")


@dataclass
class Score:
    """Counts behind precision and recall, per field and for whole deals and facts."""

    predicted: int = 0
    labelled: int = 0
    field_right_p: dict[str, int] = field(default_factory=dict)
    field_right_r: dict[str, int] = field(default_factory=dict)
    deals_right: int = 0
    facts_predicted: int = 0
    facts_labelled: int = 0
    facts_right: int = 0
    fact_field_right: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def precision(self, name: str | None = None) -> float:
        right = self.deals_right if name is None else self.field_right_p.get(name, 0)
        return right / self.predicted if self.predicted else 1.0

    def recall(self, name: str | None = None) -> float:
        right = self.deals_right if name is None else self.field_right_r.get(name, 0)
        return right / self.labelled if self.labelled else 1.0

    def to_dict(self) -> dict[str, Any]:
        fields = {f: {"precision": round(self.precision(f), 3), "recall": round(self.recall(f), 3)} for f in DEAL_FIELDS}
        fp = self.facts_right / self.facts_predicted if self.facts_predicted else 1.0
        fr = self.facts_right / self.facts_labelled if self.facts_labelled else 1.0
        return {"deals": {"predicted": self.predicted, "labelled": self.labelled, "right": self.deals_right,
                          "precision": round(self.precision(), 3), "recall": round(self.recall(), 3)},
                "fields": fields, "facts": {"predicted": self.facts_predicted, "labelled": self.facts_labelled,
                                            "right": self.facts_right, "precision": round(fp, 3), "recall": round(fr, 3)}}


def load_eval_set(path: str | Path) -> list[dict[str, Any]]:
    """The labelled paragraphs of a YAML evaluation set."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items: list[dict[str, Any]] = data["items"]
    return items


def _deal_values(c: Candidate) -> dict[str, Any]:
    return {"payer": c.payer.id, "recipient": c.recipient.id, "kind": c.kind.value,
            "amount": (c.amount, c.currency if c.amount is not None else None), "qualifier": c.qualifier.value,
            "horizon_years": c.horizon_years}


def _label_values(d: dict[str, Any]) -> dict[str, Any]:
    amount = None if d.get("amount") is None else Decimal(str(d["amount"]))
    horizon = d.get("horizon_years")
    return {"payer": d["payer"], "recipient": d["recipient"], "kind": d["kind"],
            "amount": (amount, d.get("currency", "USD") if amount is not None else None),
            "qualifier": d["qualifier"], "horizon_years": None if horizon is None else Decimal(str(horizon))}


def _same(name: str, got: Any, want: Any) -> bool:
    if isinstance(want, list):
        return got in want
    return bool(got == want)


def _pair(pred: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]], keys: Sequence[str],
          same: Callable[[str, Any, Any], bool]) -> list[tuple[int, int]]:
    scored = sorted(((sum(same(k, p[k], g[k]) for k in keys), i, j) for i, p in enumerate(pred)
                     for j, g in enumerate(gold)), reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score == 0 or i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def _fact_values(f: FactCandidate) -> dict[str, Any]:
    return {"entity": f.entity.id, "metric": f.metric.value, "value": f.value}


def evaluate(items: Sequence[dict[str, Any]]) -> Score:
    """Run the extractor on every labelled paragraph and count agreements."""
    score = Score()
    names = directory_for(None)
    for item in items:
        found = extract(item["text"], directory=names, published=item.get("published"))
        pred = [_deal_values(c) for c in found.deals]
        gold = [_label_values(d) for d in item.get("deals") or []]
        score.predicted += len(pred)
        score.labelled += len(gold)
        pairs = _pair(pred, gold, ("payer", "recipient", "kind", "amount"), _same)
        for i, j in pairs:
            p, g = pred[i], gold[j]
            for name in DEAL_FIELDS:
                if _same(name, p[name], g[name]):
                    score.field_right_p[name] = score.field_right_p.get(name, 0) + 1
                    score.field_right_r[name] = score.field_right_r.get(name, 0) + 1
            if all(_same(k, p[k], g[k]) for k in ("payer", "recipient", "kind", "amount")):
                score.deals_right += 1
            else:
                score.errors.append(f"{item['id']}: got {_show(p)}, want {_show(g)}")
        paired_p = {i for i, _ in pairs}
        paired_g = {j for _, j in pairs}
        score.errors += [f"{item['id']}: extra {_show(p)}" for i, p in enumerate(pred) if i not in paired_p]
        score.errors += [f"{item['id']}: missed {_show(g)}" for j, g in enumerate(gold) if j not in paired_g]
        fpred = [_fact_values(f) for f in found.facts]
        fgold = [{"entity": f["entity"], "metric": f["metric"], "value": Decimal(str(f["value"]))}
                 for f in item.get("figures") or []]
        score.facts_predicted += len(fpred)
        score.facts_labelled += len(fgold)
        for i, j in _pair(fpred, fgold, FACT_FIELDS, _same):
            if all(fpred[i][k] == fgold[j][k] for k in FACT_FIELDS):
                score.facts_right += 1
    return score


def _show(values: dict[str, Any]) -> str:
    amount, currency = values["amount"]
    figure = "undisclosed" if amount is None else f"{amount} {currency}"
    return f"{values['payer']} → {values['recipient']} {values['kind']} {figure} ({values['qualifier']})"


def format_table(score: Score) -> str:
    """The per-field table in Markdown."""
    lines = ["| field | precision | recall |", "|---|---|---|"]
    for name in DEAL_FIELDS:
        lines.append(f"| {name} | {score.precision(name):.2f} | {score.recall(name):.2f} |")
    lines.append(f"| **deal** (payer, recipient, kind, amount all right) | **{score.precision():.2f}** | "
                 f"**{score.recall():.2f}** |")
    d = score.to_dict()["facts"]
    lines.append(f"| facts (entity, metric, value) | {d['precision']:.2f} | {d['recall']:.2f} |")
    lines.append("")
    lines.append(f"{score.predicted} deals predicted, {score.labelled} labelled, {score.deals_right} right; "
                 f"{score.facts_predicted} facts predicted, {score.facts_labelled} labelled, {score.facts_right} right.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0]) if args else Path("tests/extract/eval_set.yaml")
    score = evaluate(load_eval_set(path))
    print(format_table(score))
    if "--errors" in args:
        print("\n".join(score.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
