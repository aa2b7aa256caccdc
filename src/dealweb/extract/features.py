"""What a candidate's learned confidence looks at: general features of a reading and its passage.

:func:`features` turns a :class:`~dealweb.extract.candidates.Candidate` and the other candidates
of its passage into named numbers (most of them 0 or 1). Every feature describes *how* the
reading was made or *what situation* it sits in, never which words or companies it names, so a
model fitted on them carries over to text it has not seen:

* the reading's signals (:data:`~dealweb.extract.roles.SIGNALS`: ``signal:frame``,
  ``signal:backoff``, …) and its confidence group (:func:`~dealweb.extract.confidence.bucket`);
* its kind (``kind:debt``, …) and the figure: whether there is one, its qualifier (``up_to``,
  ``estimate``), a range, a per-period figure, a currency other than the dollar;
* the parties: whether each is an entity the ledger holds or a newly proposed one (and whether a
  proposed one is a single word), whether one is a ledger placeholder for a group ("Bank
  lenders", "Other equity investors"), and how many of the two are written out in the evidence
  sentence;
* the sentence: how many figures in it read as a deal's value and how many as something else
  (a valuation, revenue, a total), its length, hearsay ("reportedly", "people familiar") and
  words of talks or plans ("in talks", "considering", "could");
* the passage: how many candidates it gave, how many came from the same sentence, whether
  another candidate has the same two parties (reversed, or with another kind or figure), and
  whether this is the passage's first deal sentence.

:data:`FEATURES` lists every name in a fixed order (the columns a model is fitted on).

Examples
--------
>>> from dealweb.extract import extract
>>> [c] = extract("Nvidia will sell $4 billion of chips to xAI.").deals
>>> f = features(c, [c])
>>> f["figure"], f["parties_named:2"], f["deal_figures:1"], f["kind:chip_purchase"]
(1.0, 1.0, 1.0, 1.0)
>>> set(f) <= set(FEATURES)
True
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dealweb.extract.amounts import context_role, find_money, sentence_qualifier
from dealweb.extract.roles import SIGNALS
from dealweb.model.vocab import DealKind, Qualifier

if TYPE_CHECKING:
    from dealweb.extract.candidates import Candidate

__all__ = ["FEATURES", "GROUPS", "Passage", "features"]

#: The confidence groups of :func:`~dealweb.extract.confidence.bucket`, as features.
GROUPS = ("figure, known, one figure", "figure, known, several figures", "figure, a party unknown", "no figure")

#: Every feature name, in the order of a model's columns.
FEATURES: tuple[str, ...] = (
    *(f"signal:{s}" for s in SIGNALS),
    *(f"group:{g}" for g in GROUPS),
    *(f"kind:{k.value}" for k in DealKind),
    "figure", "up_to", "estimate", "range", "per_period", "non_usd",
    "payer_known", "recipient_known", "both_known", "collective_party", "new_party_one_word",
    "parties_named:0", "parties_named:1", "parties_named:2",
    "deal_figures:0", "deal_figures:1", "deal_figures:2+", "other_figures",
    "length:short", "length:long",
    "hearsay", "talks_words",
    "passage:1", "passage:2-3", "passage:4+", "same_sentence:2+", "same_pair_elsewhere", "first_deal_sentence",
)

# Words of a deal not (yet) done: talks, plans, options. Bounded alternation, no nested quantifiers.
_TALKS = re.compile(r"\b(?:talks?|negotiat\w*|discuss\w*|consider\w*|weigh\w*|explor\w*|mull\w*|plans?|planning|"
                    r"could|may|might|would|potential(?:ly)?|proposed|possible|eyeing|seeking|aims?|intends?)\b", re.I)
# A ledger entity standing for a group ("Bank lenders", "Other equity investors", "Various counterparties").
_COLLECTIVE = re.compile(r"\b(?:investors|lenders|banks|counterparties|developers|holders|bondholders|syndicate)$", re.I)
_CAP = 2000  # a longer evidence text is not a sentence; only its start is looked at


def _named(party_name: str, surface: str, sentence: str) -> bool:
    """The party is written out in the sentence (its name, or its own capitalised words), not only "it" or "the firm"."""
    for words in (party_name, surface if surface[:1].isupper() or surface[:1].isdigit() else ""):
        if len(words) >= 2 and re.search(rf"(?<!\w){re.escape(words)}(?!\w)", sentence):
            return True
    return False


@dataclass(frozen=True)
class Passage:
    """What :func:`features` needs to know of a passage's candidates, counted once (linear in their number)."""

    size: int
    per_sentence: Counter[int]
    per_pair: Counter[frozenset[str]]
    first_start: int

    @classmethod
    def of(cls, found: Sequence[Candidate]) -> Passage:
        return cls(len(found), Counter(c.evidence.start for c in found),
                   Counter(frozenset((c.payer.id, c.recipient.id)) for c in found),
                   min((c.evidence.start for c in found), default=0))


def features(c: Candidate, passage: Sequence[Candidate] | Passage) -> dict[str, float]:
    """The active features of ``c`` (value 1.0 unless said otherwise), read with the other candidates of its passage.

    ``passage`` is every candidate the passage gave (``c`` among them), or their :class:`Passage` counted once; a
    feature not in the result is 0.
    """
    from dealweb.extract.confidence import bucket

    ctx = passage if isinstance(passage, Passage) else Passage.of(passage)
    sentence = c.evidence.sentence[:_CAP]
    out: dict[str, float] = {f"signal:{s}": 1.0 for s in c.signals if s in SIGNALS}
    out[f"group:{bucket(c)}"] = 1.0
    out[f"kind:{c.kind.value}"] = 1.0
    if c.amount is not None:
        out["figure"] = 1.0
        if c.currency != "USD":
            out["non_usd"] = 1.0
    if c.qualifier is Qualifier.UP_TO:
        out["up_to"] = 1.0
    elif c.qualifier is Qualifier.ESTIMATE:
        out["estimate"] = 1.0
    if c.low is not None:
        out["range"] = 1.0
    if c.period:
        out["per_period"] = 1.0
    if c.payer.known:
        out["payer_known"] = 1.0
    if c.recipient.known:
        out["recipient_known"] = 1.0
    if c.payer.known and c.recipient.known:
        out["both_known"] = 1.0
    if any(p.known and _COLLECTIVE.search(p.name) for p in (c.payer, c.recipient)):
        out["collective_party"] = 1.0
    if any(not p.known and " " not in p.surface.strip() for p in (c.payer, c.recipient)):
        out["new_party_one_word"] = 1.0
    named = sum(_named(p.name, p.surface, sentence) for p in (c.payer, c.recipient))
    out[f"parties_named:{named}"] = 1.0
    roles = [context_role(sentence, m) for m in find_money(sentence)]
    deal = sum(r == "deal" for r in roles)
    out["deal_figures:2+" if deal >= 2 else f"deal_figures:{deal}"] = 1.0
    if len(roles) > deal:
        out["other_figures"] = 1.0
    if len(sentence) < 120:
        out["length:short"] = 1.0
    elif len(sentence) > 300:
        out["length:long"] = 1.0
    if sentence_qualifier(sentence) is not None:
        out["hearsay"] = 1.0
    if _TALKS.search(sentence):
        out["talks_words"] = 1.0
    n = ctx.size
    out["passage:1" if n <= 1 else "passage:2-3" if n <= 3 else "passage:4+"] = 1.0
    if ctx.per_sentence[c.evidence.start] >= 2:
        out["same_sentence:2+"] = 1.0
    if ctx.per_pair[frozenset((c.payer.id, c.recipient.id))] >= 2:
        out["same_pair_elsewhere"] = 1.0
    if c.evidence.start <= ctx.first_start:
        out["first_deal_sentence"] = 1.0
    return out
