"""Whole articles: one candidate per deal.

A news story states its main deal two or three times: in the headline ("Nscale signs $10
billion deal with Microsoft"), in the lead sentence and in a later recap, often with the
parties in different grammatical places. Each statement gives a candidate; :func:`one_per_deal`
keeps one per deal, where a deal is the same two parties and figure (or, with no figure, the
same two parties and kind), in either direction.

Which reading wins, in order:

1. **The verb frame.** A reading whose direction the sentence's verb supports ("Nscale will
   supply Microsoft": the subject is paid) beats one the verb contradicts, and both beat a
   reading with no verb to go by (:func:`~dealweb.extract.frames.frame_of`).
2. **A sentence over a fragment.** A headline has no closing punctuation and often no verb
   ("OpenAI, Oracle sign $30B cloud pact"); the body sentence is kept.
3. The higher confidence, then the earlier candidate.

**A reversed echo.** A story about one deal between two companies mentions them together again
in sentences of background or colour ("Asked about Nvidia's investment, the startup's chief
declined to name its lead investor", "Groq's leaders will join Nvidia"). Such a sentence has no
figure and often a verb that reads the pair the other way round with some other kind. A reading
with no figure whose two parties are, the other way round, the parties of a reading with a figure
from another sentence is dropped (:func:`drop_reversed_echoes`). Kinds whose direction is by
nature the reverse of the deal they come with are kept: a warrant (issued by the seller to its
buyer), a backstop, a revenue share and a licence.

**A capacity echo.** Buying capacity is told with several nouns: a lease of space in one sentence,
megawatts of computing infrastructure "provided" in the next. A compute, lease or chip reading with
no figure whose payer and recipient (in that order) already have such a reading with a figure is
the same purchase told again (:func:`drop_capacity_echoes`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dealweb.extract.frames import frame_of

if TYPE_CHECKING:
    from decimal import Decimal

    from dealweb.extract.candidates import Candidate

__all__ = ["drop_capacity_echoes", "drop_replaced_vehicles", "drop_reversed_echoes", "frame_support", "one_per_deal"]

_TERMINAL = re.compile(r"[.!?;:\"')\]]\s*$")


def frame_support(c: Candidate) -> int:
    """+1 when the verb after the first party named supports the candidate's direction, -1 when it contradicts it,
    0 when there is no verb frame to go by."""
    sentence = c.evidence.sentence
    spots = []
    for party, side in ((c.payer, "payer"), (c.recipient, "recipient")):
        at = sentence.find(party.surface) if party.surface else -1
        if at >= 0:
            spots.append((at, party.surface, side))
    if not spots:
        return 0
    at, surface, side = min(spots)
    head = sentence[at + len(surface):at + len(surface) + 120]
    frame = frame_of(head, c.kind)
    if frame is None:
        return 0
    return 1 if frame.subject == side else -1


def _rank(c: Candidate) -> tuple[int, int, float]:
    return (frame_support(c), 1 if _TERMINAL.search(c.evidence.sentence) else 0, c.confidence)


def drop_replaced_vehicles(found: list[Candidate]) -> list[Candidate]:
    """Without the proposed vehicle of a joint venture the article names after all.

    "A and B agreed to form a joint venture." proposes "a-b-jv"; when the text later names the
    venture ("The new company, called X, …") or pays into a named one, the partner's deal into the
    named venture is the deal, and the proposal goes.
    """
    from dealweb.extract.links import is_proposed_vehicle

    named = {c.payer.id for c in found if c.kind.value == "jv" and not is_proposed_vehicle(c.recipient)}
    return [c for c in found if not (is_proposed_vehicle(c.recipient) and c.payer.id in named)]


# Kinds that run against the deal they come with: kept even when the pair is reversed.
_COUNTER_KINDS = frozenset({"warrant", "backstop", "revenue_share", "licensing"})


def drop_reversed_echoes(found: list[Candidate]) -> list[Candidate]:
    """Without readings that have no figure and reverse the pair of a reading with a figure from another sentence
    (see the module notes)."""
    told = {(c.payer.id, c.recipient.id, c.evidence.start) for c in found if c.amount is not None}
    return [c for c in found if c.amount is not None or c.kind.value in _COUNTER_KINDS or not any(
        p == c.recipient.id and r == c.payer.id and start != c.evidence.start for p, r, start in told)]


# Kinds of buying capacity: the same purchase is often read as compute in one sentence and a lease or chips in another.
_CAPACITY_KINDS = frozenset({"compute_commitment", "lease", "chip_purchase"})


def drop_capacity_echoes(found: list[Candidate]) -> list[Candidate]:
    """Without capacity readings with no figure whose payer and recipient, in that order, have a capacity reading with
    a figure ("Core Scientific will provide 200 megawatts to CoreWeave" after the $3.5 billion lease between them)."""
    told = {(c.payer.id, c.recipient.id) for c in found if c.amount is not None and c.kind.value in _CAPACITY_KINDS}
    return [c for c in found if c.amount is not None or c.kind.value not in _CAPACITY_KINDS
            or (c.payer.id, c.recipient.id) not in told]


def one_per_deal(found: list[Candidate]) -> list[Candidate]:
    """One candidate per deal (see the module notes for which reading is kept); order of first mention."""
    found = drop_capacity_echoes(drop_reversed_echoes(drop_replaced_vehicles(found)))
    best: dict[tuple[frozenset[str], Decimal | None, str], Candidate] = {}
    order: list[tuple[frozenset[str], Decimal | None, str]] = []
    for c in found:
        k = (frozenset((c.payer.id, c.recipient.id)), c.amount, c.kind.value if c.amount is None else "")
        if k not in best:
            best[k] = c
            order.append(k)
        elif _rank(c) > _rank(best[k]):
            best[k] = c
    return [best[k] for k in order]
