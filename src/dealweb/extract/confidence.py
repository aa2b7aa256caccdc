"""A candidate's confidence: how often candidates like it were right on the development set.

Candidates are grouped by general features the extractor records for every reading, never by
which paragraph or phrasing produced them:

* ``figure`` — the text gave an amount;
* ``known`` — both parties resolved to entities the ledger already holds;
* ``one_figure`` — the amount's role is certain: the clause had exactly one deal figure (or
  its figures paired up by "respectively", "each" or gapping), so it cannot be the wrong one
  of two.

Other recorded signals (:data:`~dealweb.extract.clauses.SIGNALS`: ``frame`` — the direction
came from the verb-frame table or a role word; ``in_sentence`` — both parties named in the
sentence; ``strong_kind`` — heavy deal words) were measured and do not separate right from
wrong candidates on this set (see docs/extract.md), so they do not move the number.

The confidence of a group is its share of right candidates on the **held-out** part of the
development set (``dealweb extract --evaluate DIR --split heldout``, "Confidence groups"): the
passages the rules were never shaped on, so the share is what to expect on an article nobody
has read. (Fitted on the tuning part, as it was first, every group looked right 86-100% of the
time; on held-out text the same groups were right 23-82% of the time. A confidence should say
the second.) The share is taken at the lower end of its one-standard-error Wilson interval so
a small group cannot claim certainty, and a group with fewer than :data:`MIN_GROUP` held-out
candidates is pooled with every reading that had a figure. Only "a figure, both parties
known, one deal figure" may pass 0.8 (capped at 0.9); every other group is capped at 0.75
and at that group's value, so a reading with a second figure or an unknown party never
outranks it. Talks and rumours are 0.3. On 2026-12-07 (fourth round) no group reaches 0.8: on unseen text no kind of
reading is yet right nine times in ten.

The blind set in ``tests/extract/blind_set`` (never used to write rules or to fit this) is the
check: its groups were right at least as often as these numbers say (docs/extract.md,
"Confidence").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dealweb.extract.candidates import Candidate

__all__ = ["CALIBRATION", "HIGH", "MIN_GROUP", "bucket", "calibrated", "group_of", "wilson_lower"]

#: The group that may reach 0.8: a figure, both parties known, one deal figure in the clause.
HIGH = ("figure", "known", "one_figure")

#: group → (candidates, right) on the held-out part. Groups: ``HIGH``; a figure with both parties
#: known but several figures in the clause; a figure with a party the ledger does not hold; no figure.
CALIBRATION: dict[str, tuple[int, int]] = {
    "figure, known, one figure": (15, 13),
    "figure, known, several figures": (3, 2),
    "figure, a party unknown": (3, 2),
    "no figure": (12, 3),
}
#: A group with fewer held-out candidates than this is pooled with every reading that had a figure.
MIN_GROUP = 5
_CAP_HIGH = 0.9
_CAP_OTHER = 0.75
_TALKS = 0.3


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


def calibrated(c: Candidate) -> float:
    """The share of right candidates in ``c``'s group (Wilson lower bound), capped (two decimals).

    Examples
    --------
    >>> from decimal import Decimal
    >>> from dealweb.extract.candidates import Candidate, Evidence
    >>> from dealweb.extract.parties import PartyRef
    >>> from dealweb.model.vocab import DealKind, Qualifier
    >>> p = lambda i: PartyRef(i, i, i)
    >>> c = Candidate(p("amazon"), p("anthropic"), DealKind.EQUITY_INVESTMENT, Decimal("4e9"), "USD",
    ...               Qualifier.EXACT, Evidence("", 0, 0), 0.0, signals=frozenset({"one_figure"}))
    >>> calibrated(c)  # 13 of 15 right on held-out text: the Wilson lower end
    0.76
    >>> from dataclasses import replace
    >>> calibrated(replace(c, signals=frozenset()))  # two figures in the clause: too few, pooled (17 of 21)
    0.71
    >>> calibrated(replace(c, amount=None, qualifier=Qualifier.UNDISCLOSED))  # figureless: 3 of 12
    0.15
    """
    if _is_talks(c):
        return _TALKS  # talks are rumours until signed; the development set does not score them
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
