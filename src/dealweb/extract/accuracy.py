"""How often the extractor is right on real news it has not seen: the line every review shows.

The review table, ``dealweb extract`` and ``POST /api/extract`` print :func:`statement` under the
candidates, so nobody reads a machine-read candidate as a fact. The numbers are deal-level
(payer, recipient, kind and amount all right; see :mod:`dealweb.extract.devset` for the counting)
on passages of real published news whose errors nobody looked at while writing the extractor:

* the held-out part of the development set (``dealweb extract --evaluate
  ../shared/reference/extraction-dev --split heldout``; ``tests/extract/test_devset.py`` checks
  :data:`DEV_HELDOUT` against it when ``../shared`` is present), and
* four real sets labelled in December 2026 and kept outside the repository, because their passages
  are copies of news articles (``docs/extract.md``, "Real text beyond the development set").

They are refreshed by hand when the extractor changes (``docs/extract.md`` says how).

>>> MEASURED.precision <= 1 and MEASURED.recall <= 1
True
>>> "not seen" in statement()
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["DEV_HELDOUT", "MEASURED", "Measured", "statement"]


@dataclass(frozen=True, slots=True)
class Measured:
    """Deal-level counts on a set of real passages: ``right`` of ``candidates``, ``right`` of ``deals``."""

    passages: int
    deals: int
    candidates: int
    right: int
    as_of: str
    basis: str

    @property
    def precision(self) -> float:
        return self.right / self.candidates if self.candidates else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.deals if self.deals else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": round(self.precision, 2), "recall": round(self.recall, 2)}


#: The development set's held-out part (candidates that match an ambiguous label left out).
DEV_HELDOUT = Measured(passages=35, deals=52, candidates=30, right=20, as_of="2026-12-07",
                       basis="development set, held-out part")

#: All unseen real text: the development set's held-out part and the four private real held-out sets.
MEASURED = Measured(passages=185, deals=229, candidates=151, right=92, as_of="2026-12-07",
                    basis="real news passages not looked at while writing the extractor: the development set's "
                          "held-out part (35 passages, 52 deals) and four private real sets (150 passages, 177 deals)")


def statement(measured: Measured = MEASURED) -> str:
    """One sentence a reviewer reads under the candidates."""
    return (f"Machine-read candidates: on {measured.passages} real news passages it had not seen "
            f"({measured.deals} deals, as of {measured.as_of}), {measured.precision:.0%} of its candidates were "
            f"right and it found {measured.recall:.0%} of the deals. Check each against the article.")
