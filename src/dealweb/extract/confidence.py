"""A candidate's confidence: how often candidates like it were right on the development set.

Candidates fall into buckets by three things the extractor knows about each one: whether
the text gave a figure, whether both parties resolved to entities the ledger already
holds, and whether a party was found by reference ("the startup", "it", the company the
text is about) rather than by name. The confidence of a bucket is its share of right
candidates on the tuning part of the development set
(``dealweb extract --evaluate DIR --split tuning``), smoothed as (right + 1) / (n + 2) so a
small bucket cannot claim certainty, and capped at 0.9.

Fitted on the tuning part (59 paragraphs, 2026-12-07); the held-out part checks it (see
docs/extract.md). Only the first bucket reaches 0.8: a figure and two known parties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dealweb.extract.candidates import Candidate

__all__ = ["CALIBRATION", "bucket", "calibrated"]

#: (has a figure, both parties known, a party named by reference) → (candidates, right) on the tuning part.
CALIBRATION: dict[tuple[bool, bool, bool], tuple[int, int]] = {
    (True, True, False): (14, 14),
    (True, True, True): (6, 6),
    (True, False, False): (5, 4),
    (True, False, True): (2, 1),
    (False, True, False): (5, 3),
    (False, True, True): (1, 0),
    (False, False, False): (2, 1),
    (False, False, True): (2, 1),
}
_CAP = 0.9
_BY_REFERENCE = "a party was named by reference"


def bucket(c: Candidate) -> tuple[bool, bool, bool]:
    """The calibration bucket of a candidate."""
    return (c.amount is not None, c.payer.known and c.recipient.known,
            any(n.startswith(_BY_REFERENCE) or "counterparty is the company" in n for n in c.notes))


def calibrated(c: Candidate) -> float:
    """The share of right candidates in ``c``'s bucket, smoothed and capped (two decimals).

    A figure with both parties known pools its two reference buckets (20 of 20 right), so it
    gets the cap; any other bucket stays below 0.8.
    """
    if any(n.startswith("talks") for n in c.notes):
        return 0.3  # talks are rumours until signed; the development set does not score them
    has_figure, known, by_reference = bucket(c)
    if has_figure and known:
        n = sum(v[0] for k, v in CALIBRATION.items() if k[:2] == (True, True))
        right = sum(v[1] for k, v in CALIBRATION.items() if k[:2] == (True, True))
    else:
        n, right = CALIBRATION[(has_figure, known, by_reference)]
    return round(min(_CAP, (right + 1) / (n + 2)), 2)
