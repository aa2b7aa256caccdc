"""Deal terms → what a deal means for cash and risk on the balance sheets (see ``docs/stress.md``).

The amount alone does not say how much cash is committed. :func:`cash_terms` reads a deal's
terms (issue 13, ``docs/data-model.md``) and returns the cash amount that becomes obligations and
exposures, or the reason it becomes none:

* ``commitment = ceiling``: an "up to" plan filled by other deals (it ``covers`` them) — never an
  obligation; the deals that fill it carry the money.
* ``commitment = non_binding``: a letter of intent, memorandum or talks — no obligation.
* intra-group (payer and recipient share a top parent): money moving inside one group.
* ``consideration = stock``: shares change hands, no cash — no obligation and no exposure.
* ``consideration = mixed``: only ``cash_usd`` is cash.
* ``consideration = in_kind``: compute credits or capacity — no cash leg, but the exposure stays
  (the recipient of credits loses them if the provider fails).
* a ``condition`` not met by the reference date: the tranche may never come — no obligation.
* ``schedule = per_year``: the amount is per year for ``horizon_years`` years; the projection
  already counts the total (amount × years, :mod:`dealweb.model.counting`), which is spread over
  those years (never read as a total).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dealweb.model.records import Deal, Entity
from dealweb.model.vocab import Commitment, Consideration

__all__ = ["CashTerms", "cash_terms", "top_parents"]


@dataclass(frozen=True, slots=True)
class CashTerms:
    """``cash``: the cash total the deal moves (0 when it moves none); ``exposure``: the total a
    counterparty stands to lose (``cash``, or the in-kind value); ``reason``: why it moves no cash."""

    cash: float
    exposure: float
    term: float | None
    reason: str = ""


def top_parents(entities: Iterable[Entity]) -> dict[str, str]:
    """Entity id → its top parent's id (itself when it has none); cycles stop where they close."""
    parent = {e.id: e.parent for e in entities}
    out: dict[str, str] = {}
    for node in parent:
        seen, cur = {node}, node
        while parent.get(cur) and parent[cur] not in seen:
            cur = parent[cur]  # type: ignore[assignment]
            seen.add(cur)
        out[node] = cur
    return out


def cash_terms(deal: Deal, amount: float, day: dt.date, parents: dict[str, str]) -> CashTerms:
    """The cash a deal moves, from its terms (module docstring); ``amount`` is its counted amount."""
    term = float(deal.horizon_years) if deal.horizon_years else None
    if deal.commitment is Commitment.CEILING:
        covered = f" (filled by {', '.join(deal.covers)})" if deal.covers else ""
        return CashTerms(0.0, 0.0, term, f"ceiling{covered}: never an obligation")
    if deal.commitment is Commitment.NON_BINDING:
        return CashTerms(0.0, 0.0, term, "non-binding (letter of intent, memorandum or talks)")
    if parents.get(deal.payer, deal.payer) == parents.get(deal.recipient, deal.recipient):
        return CashTerms(0.0, 0.0, term, f"intra-group (both in {parents.get(deal.payer, deal.payer)})")
    if deal.condition and (deal.condition_met is None or deal.condition_met.first_day() > day):
        return CashTerms(0.0, 0.0, term, f"conditional, condition not met by {day.isoformat()}: {deal.condition}")
    if deal.consideration is Consideration.STOCK:
        return CashTerms(0.0, 0.0, term, "all-stock: moves no cash")
    if deal.consideration is Consideration.IN_KIND:
        return CashTerms(0.0, amount, term, "in kind (credits or capacity): no cash leg")
    if deal.consideration is Consideration.MIXED and deal.cash_usd is not None and deal.amount_usd:
        share = float(deal.cash_usd) / float(deal.amount_usd)
        return CashTerms(amount * share, amount * share, term)
    return CashTerms(amount, amount, term)
