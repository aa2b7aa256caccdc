"""The headline total every interface shows: amount on a basis, face value beside it, as of when.

A :class:`Headline` is built from one :class:`~dealweb.model.counting.Counting` (or a
projected :class:`~dealweb.network.Network`), so ``dealweb summary``, ``dealweb
circularity``, ``dealweb dataset info``, the API and the map say the same number the same
way: ``"$2.2T committed · $3.1T at face, as of 2026-07-08"``. Its :meth:`Headline.to_dict`
is the one JSON form; its :meth:`Headline.sentence` the one sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = ["BASIS_WORDS", "Headline", "format_usd"]

#: How a basis reads after an amount ("$2.2T committed").
BASIS_WORDS: dict[str, str] = {"committed": "committed", "face": "at face", "paid": "paid"}


def format_usd(amount: Decimal | float | int | None) -> str:
    """Short human form of a USD amount.

    >>> format_usd(Decimal("250000000000")), format_usd(1.5e9), format_usd(750_000_000), format_usd(None)
    ('$250B', '$1.5B', '$750M', '—')
    >>> format_usd(1.2e12), format_usd(-46.6e9)
    ('$1.2T', '-$46.6B')
    """
    if amount is None:
        return "—"
    value = float(amount)
    if value < 0:
        return "-" + format_usd(-value)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            text = f"{value / limit:.1f}".removesuffix(".0")
            return f"${text}{suffix}"
    return f"${value:,.0f}"


@dataclass(frozen=True)
class Headline:
    """A total on a counting basis, with the face value of the same deals and its date.

    Attributes
    ----------
    basis
        ``"committed"``, ``"face"`` or ``"paid"``.
    total_usd
        The total on ``basis``.
    face_usd
        The same deals at face value (as announced).
    as_of
        The date the numbers hold for: the projection's as-of date, else the newest deal's.
    what
        What is totalled, for the sentence (``"deal volume"``, ``"gross flows"``).

    Examples
    --------
    >>> h = Headline("committed", Decimal("2.2e12"), Decimal("3.1e12"), "2026-07-08")
    >>> h.sentence()
    '$2.2T committed · $3.1T at face, as of 2026-07-08'
    >>> Headline("face", Decimal(5e9), Decimal(5e9), None).sentence()
    '$5B at face'
    """

    basis: str
    total_usd: Decimal
    face_usd: Decimal
    as_of: str | None
    what: str = "deal volume"

    def sentence(self) -> str:
        """``"$2.2T committed · $3.1T at face, as of 2026-07-08"``."""
        text = f"{format_usd(self.total_usd)} {BASIS_WORDS.get(self.basis, self.basis)}"
        if self.basis != "face":
            text += f" · {format_usd(self.face_usd)} at face"
        return text + (f", as of {self.as_of}" if self.as_of else "")

    def to_dict(self) -> dict[str, Any]:
        """The one JSON form (amounts as numbers of USD)."""
        return {"basis": self.basis, "total_usd": float(self.total_usd), "face_usd": float(self.face_usd),
                "as_of": self.as_of, "what": self.what, "sentence": self.sentence()}

    @classmethod
    def of_network(cls, params: dict[str, Any], gross: float, *, fallback_as_of: str | dt.date | None = None,
                   what: str = "gross flows") -> Headline:
        """The headline of a projection, from its ``params`` and gross."""
        as_of = params.get("as_of") or (str(fallback_as_of) if fallback_as_of else None)
        basis = str(params.get("basis", "face"))
        face = params.get("face_usd", gross)
        return cls(basis, Decimal(repr(float(gross))), Decimal(repr(float(face))), as_of, what)
