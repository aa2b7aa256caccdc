"""Count each dollar once: resolve statuses, supersessions, aggregates and tranches.

The ledger keeps every reported deal, including rumours, lapsed letters of intent,
aggregates ("$13B in total") and their tranches ("$1B in 2019", "$10B in 2023"). A
total over the raw rows would count the same money several times. :func:`count_deals`
decides, for each deal, how much of its amount is *counted*:

1. A deal is **live** when its status is one of ``statuses`` (by default announced,
   signed or closed) and no live deal supersedes it.
2. A live deal with live **parts** (deals whose ``part_of`` names it) counts only the
   part of its amount its parts do not already explain:
   ``max(0, amount − Σ counted totals of its parts)``. The parts count in full, so a
   family of aggregate and tranches adds up to ``max(aggregate, Σ parts)``.
3. A live part of a deal that is not live still counts in full.
4. An ``undisclosed`` deal counts zero and is listed as such, never silently.

Examples
--------
>>> from decimal import Decimal as D
>>> from dealweb.model.dates import PartialDate
>>> from dealweb.model.records import Deal
>>> agg = Deal("A", PartialDate(2025), "equity_investment", "m", "o", D(13), "exact")
>>> t1 = Deal("T1", PartialDate(2019), "equity_investment", "m", "o", D(1), "exact", part_of="A")
>>> t2 = Deal("T2", PartialDate(2023), "equity_investment", "m", "o", D(10), "estimate", part_of="A")
>>> c = count_deals([agg, t1, t2])
>>> c.counted["A"], c.counted["T1"], c.total()
(Decimal('2'), Decimal('1'), Decimal('13'))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from dealweb.model.records import Deal
from dealweb.model.vocab import COUNTED_STATUSES, Qualifier, Status

__all__ = ["Counting", "count_deals"]

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Counting:
    """How much of each deal counts, and why the others do not.

    Attributes
    ----------
    counted
        Deal id → counted USD amount, for every live deal (zero for undisclosed ones and
        for aggregates fully explained by their parts).
    excluded
        Deal id → reason it adds nothing: ``"status rumored"``, ``"superseded by D101"``.
    undisclosed
        Ids of live deals with no disclosed amount.
    """

    counted: dict[str, Decimal] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)
    undisclosed: tuple[str, ...] = ()

    def total(self) -> Decimal:
        """Sum of counted amounts."""
        return sum(self.counted.values(), _ZERO)


def count_deals(deals: Iterable[Deal], *, statuses: Iterable[Status | str] = COUNTED_STATUSES) -> Counting:
    """Decide how much of each deal counts so that no dollar is counted twice.

    Parameters
    ----------
    deals
        The deals to count; ``part_of`` and ``supersedes`` links to deals outside this
        collection are ignored.
    statuses
        Statuses that count (default: announced, signed, closed).

    Returns
    -------
    Counting
    """
    deals = list(deals)
    allowed = {Status(s) for s in statuses}
    by_id = {d.id: d for d in deals}

    excluded: dict[str, str] = {}
    for d in deals:
        if d.status not in allowed:
            excluded[d.id] = f"status {d.status.value}"
    # A live deal that supersedes another removes it, even if the old row still says "announced".
    for d in deals:
        if d.id in excluded:
            continue
        for old in d.supersedes:
            if old in by_id and old not in excluded:
                excluded[old] = f"superseded by {d.id}"

    live = [d for d in deals if d.id not in excluded]
    parts: dict[str, list[Deal]] = defaultdict(list)
    for d in live:
        if d.part_of in by_id and d.part_of not in excluded:
            parts[d.part_of].append(d)

    family_total: dict[str, Decimal] = {}

    def total_of(d: Deal) -> Decimal:
        # Counted total of d and everything under it; memoised, part_of is acyclic once validated.
        if d.id not in family_total:
            under = sum((total_of(p) for p in parts.get(d.id, [])), _ZERO)
            family_total[d.id] = max(d.amount_usd or _ZERO, under)
        return family_total[d.id]

    counted: dict[str, Decimal] = {}
    for d in live:
        under = sum((total_of(p) for p in parts.get(d.id, [])), _ZERO)
        counted[d.id] = max(_ZERO, (d.amount_usd or _ZERO) - under)
    undisclosed = tuple(d.id for d in live if d.qualifier is Qualifier.UNDISCLOSED)
    return Counting(counted=counted, excluded=excluded, undisclosed=undisclosed)
