"""One company's place in the web: its deals both ways, its figures, its counterparties.

>>> import dealweb
>>> p = entity_profile(dealweb.bundled_records(), "anthropic")
>>> p.entity.name, any(d.payer == "microsoft" for d in p.deals_in)
('Anthropic', True)
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dealweb.errors import NotFoundError
from dealweb.model.codec import to_plain
from dealweb.model.counting import count_deals
from dealweb.model.records import Deal, Entity, FinancialSnapshot
from dealweb.model.recordset import RecordSet
from dealweb.network.headline import format_usd

__all__ = ["Counterparty", "EntityProfile", "entity_profile"]


@dataclass(frozen=True)
class Counterparty:
    """Counted money between the profiled entity and one counterparty (default totals)."""

    entity: str
    name: str
    paid_usd: Decimal  # from the profiled entity to the counterparty
    received_usd: Decimal  # from the counterparty to the profiled entity
    deals: int


@dataclass(frozen=True)
class EntityProfile:
    entity: Entity
    deals_out: list[Deal]  # the entity pays
    deals_in: list[Deal]  # the entity receives
    financials: list[FinancialSnapshot]
    counterparties: list[Counterparty]

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(c.name)}</td><td>{format_usd(c.paid_usd)}</td>"
            f"<td>{format_usd(c.received_usd)}</td><td>{c.deals}</td></tr>" for c in self.counterparties)
        return (f"<p><b>{html.escape(self.entity.name)}</b> ({html.escape(self.entity.kind.value)}): "
                f"pays in {len(self.deals_out)} deals, receives in {len(self.deals_in)}</p>"
                f"<table><tr><th>counterparty</th><th>paid</th><th>received</th><th>deals</th></tr>{rows}</table>")

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": to_plain(self.entity),
            "deals_out": [to_plain(d) for d in self.deals_out],
            "deals_in": [to_plain(d) for d in self.deals_in],
            "financials": [to_plain(f) for f in self.financials],
            "counterparties": [
                {"entity": c.entity, "name": c.name, "paid_usd": float(c.paid_usd),
                 "received_usd": float(c.received_usd), "deals": c.deals} for c in self.counterparties
            ],
        }


def entity_profile(records: RecordSet, entity_id: str) -> EntityProfile:
    """Profile of ``entity_id``; :class:`~dealweb.errors.NotFoundError` if it is not in ``records``.

    Counterparties are ranked by counted money both ways (see
    :func:`~dealweb.model.counting.count_deals`), largest first.
    """
    names = {e.id: e for e in records.entities}
    if entity_id not in names:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    counted = count_deals(records.deals, entities=records.entities).counted
    out = [d for d in records.deals if d.payer == entity_id]
    inn = [d for d in records.deals if d.recipient == entity_id]
    paid: dict[str, Decimal] = defaultdict(Decimal)
    received: dict[str, Decimal] = defaultdict(Decimal)
    n: dict[str, int] = defaultdict(int)
    for d in out:
        paid[d.recipient] += counted.get(d.id, Decimal(0))
        n[d.recipient] += 1
    for d in inn:
        received[d.payer] += counted.get(d.id, Decimal(0))
        n[d.payer] += 1
    cps = [Counterparty(c, names[c].name if c in names else c, paid[c], received[c], n[c]) for c in n]
    cps.sort(key=lambda c: (-(c.paid_usd + c.received_usd), c.entity))
    fins = [f for f in records.financials if entity_id in (f.entity, f.counterparty)]
    fins.sort(key=lambda f: (f.as_of, f.id))
    return EntityProfile(names[entity_id], out, inn, fins, cps)
