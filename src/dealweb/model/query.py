"""Selecting deals: the one filter the CLI, the web API and the projection share.

Examples
--------
>>> from decimal import Decimal as D
>>> from dealweb.model.records import Deal
>>> ds = [Deal("D1", "2024-10", "equity_investment", "nvidia", "openai", D(100), "estimate", status="closed"),
...       Deal("D2", "2025-09-22", "chip_purchase", "openai", "nvidia", None, "undisclosed")]
>>> [d.id for d in filter_deals(ds, entity="nvidia", since="2025")]
['D2']
>>> [d.id for d in filter_deals(ds, min_amount=50)]
['D1']
>>> [d.id for d in filter_deals(ds, text="NVIDIA", kinds=["chip_purchase"])]
['D2']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from dealweb.model.dates import PartialDate
from dealweb.model.records import Deal
from dealweb.model.vocab import Confidence, DealKind, Status

__all__ = ["filter_deals"]


def filter_deals(
    deals: Iterable[Deal],
    *,
    entity: str | Sequence[str] | None = None,
    payer: str | None = None,
    recipient: str | None = None,
    kinds: Iterable[DealKind | str] | None = None,
    statuses: Iterable[Status | str] | None = None,
    min_confidence: Confidence | str | None = None,
    since: PartialDate | str | None = None,
    until: PartialDate | str | None = None,
    min_amount: Decimal | int | float | str | None = None,
    text: str | None = None,
) -> list[Deal]:
    """Deals that pass every given filter, in their original order.

    Parameters
    ----------
    entity
        Deals where this entity (or any of these entities) is payer or recipient.
    payer, recipient
        Deals with exactly this payer / recipient.
    kinds, statuses
        Keep only these deal kinds / statuses.
    min_confidence
        Keep deals at least this well sourced (``"medium"`` keeps medium and high).
    since, until
        Keep deals announced in this period. Partial dates overlap: a deal announced
        ``2025-09`` passes ``since="2025-09-15"``, because it may have been that day.
    min_amount
        Keep deals whose USD amount is at least this; undisclosed amounts never pass.
    text
        Case-insensitive search in id, parties and description.
    """
    entities = {entity} if isinstance(entity, str) else set(entity) if entity is not None else None
    kind_set = {DealKind(k) for k in kinds} if kinds is not None else None
    status_set = {Status(s) for s in statuses} if statuses is not None else None
    floor = Confidence(min_confidence).rank if min_confidence is not None else None
    lo = PartialDate.parse(since).first_day() if since is not None else None
    hi = PartialDate.parse(until).last_day() if until is not None else None
    amount = Decimal(str(min_amount)) if min_amount is not None else None
    needle = text.casefold() if text else None

    out = []
    for d in deals:
        if entities is not None and d.payer not in entities and d.recipient not in entities:
            continue
        if payer is not None and d.payer != payer:
            continue
        if recipient is not None and d.recipient != recipient:
            continue
        if kind_set is not None and d.kind not in kind_set:
            continue
        if status_set is not None and d.status not in status_set:
            continue
        if floor is not None and d.confidence.rank < floor:
            continue
        if lo is not None and d.announced.last_day() < lo:
            continue
        if hi is not None and d.announced.first_day() > hi:
            continue
        if amount is not None and (d.amount_usd is None or d.amount_usd < amount):
            continue
        if needle is not None and needle not in " ".join((d.id, d.payer, d.recipient, d.description)).casefold():
            continue
        out.append(d)
    return out
