"""HTML tables of candidates for Jupyter (``_repr_html_``); every value is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dealweb.extract.candidates import Candidate

__all__ = ["amount_text", "candidates_html"]


def amount_text(amount: object, currency: str, period: str = "") -> str:
    """``$4.7B``-style text for dollars, ``24,000,000,000 AUD`` for other currencies, ``undisclosed`` for none.

    >>> from decimal import Decimal
    >>> amount_text(Decimal("4700000000"), "USD"), amount_text(None, "USD"), amount_text(Decimal("5e8"), "EUR", "year")
    ('$4.7B', 'undisclosed', '500,000,000 EUR/year')
    """
    from decimal import Decimal

    if amount is None:
        return "undisclosed"
    value = Decimal(str(amount))
    if currency in ("USD", ""):
        for scale, suffix in ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M")):
            if abs(value) >= scale:
                text = f"${value / scale:.2f}".rstrip("0").rstrip(".") + suffix
                break
        else:
            text = f"${value:,.0f}"
    else:
        text = f"{value:,.0f} {currency}"
    return text + (f"/{period}" if period else "")


def candidates_html(found: Iterable[Candidate]) -> str:
    """A table of candidate deals: parties, kind, amount, qualifier, date, confidence and the evidence sentence."""
    rows = []
    for n, c in enumerate(found, 1):
        cells = [str(n), c.payer.id + ("" if c.payer.known else " (new)"),
                 c.recipient.id + ("" if c.recipient.known else " (new)"), c.kind.value,
                 amount_text(c.amount, c.currency, c.period), c.qualifier.value, str(c.date or ""),
                 f"{c.confidence:.2f}", c.evidence.sentence]
        rows.append("<tr>" + "".join(f"<td>{escape(x)}</td>" for x in cells) + "</tr>")
    if not rows:
        return "<p>no candidate deals found</p>"
    head = "".join(f"<th>{h}</th>" for h in ("#", "payer", "recipient", "kind", "amount", "qualifier", "date",
                                              "confidence", "evidence"))
    return (f"<table><caption>{len(rows)} candidate deals (not in the ledger until imported)</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
