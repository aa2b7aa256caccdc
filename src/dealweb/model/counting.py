"""Count each dollar once, on a stated basis: the one function every total in dealweb uses.

The ledger keeps every reported deal, including rumours, lapsed letters of intent,
aggregates ("$13B in total"), their tranches ("$1B in 2019", "$10B in 2023") and
ceilings ("up to $500B", filled by other deals). A total over the raw rows would count
the same money several times, and would count money that never moves (all-stock
acquisitions, plans, talks). :func:`count_deals` decides, for each deal, how much of its
amount counts on one of three **bases**:

``committed`` (the default)
    binding cash commitments. Ceilings, non-binding deals, all-stock and in-kind
    consideration and intra-group deals count nothing; a ``mixed`` deal counts its cash
    part; a conditional deal counts once its condition was met by ``as_of``.
``face``
    everything as announced.
``paid``
    cash that has moved by ``as_of`` where the terms say so: closed cash equity, debt,
    acquisitions and joint-venture contributions (a conditional tranche once it closes; a met
    condition makes it owed, not paid), and the elapsed years of per-year contracts. Other
    committed deals count zero and are listed in :attr:`Counting.unknown`.

On every basis a ``per_year`` deal's whole amount is ``amount_usd × horizon_years``.

How a family of deals counts (the same on every basis):

1. A deal is **live** when its status is one of ``statuses`` (by default announced,
   signed or closed) and no live deal supersedes it.
2. A live deal's **children** are the live deals whose ``part_of`` names it and, for a
   ceiling, the deals it ``covers``. Its *residual* is what its children do not already
   explain: ``max(0, face − Σ face totals of its children)``, so a family adds up to
   ``max(whole, Σ children)`` at face value and never counts a dollar twice.
3. Each deal counts its residual times the share of its face value that counts on the
   basis (1 at face; the cash share on ``committed``; the moved share on ``paid``). So
   ``face ≥ committed ≥ paid ≥ 0`` for every deal.
4. A live part of a deal that is not live counts in full; an ``undisclosed`` deal counts
   zero and is listed as such, never silently.

Families are resolved on the whole set before any kind filter (see
:func:`dealweb.network.project`), so leaving out a middle link (a backstop between a loan
and its programme) never lets the top and the bottom both count.

Examples
--------
>>> from decimal import Decimal as D
>>> from dealweb.model.dates import PartialDate
>>> from dealweb.model.records import Deal
>>> agg = Deal("A", PartialDate(2025), "equity_investment", "m", "o", D(13), "exact")
>>> t1 = Deal("T1", PartialDate(2019), "equity_investment", "m", "o", D(1), "exact", part_of="A")
>>> t2 = Deal("T2", PartialDate(2023), "equity_investment", "m", "o", D(10), "estimate", part_of="A")
>>> c = count_deals([agg, t1, t2])
>>> c.counted["A"], c.counted["T1"], c.total(), c.basis
(Decimal('2'), Decimal('1'), Decimal('13'), 'committed')
>>> plan = Deal("P", PartialDate(2025), "compute_commitment", "o", "x", D(500), "up_to",
...             commitment="ceiling", covers=("C",))
>>> contract = Deal("C", PartialDate(2025), "compute_commitment", "o", "x", D(300), "exact")
>>> count_deals([plan, contract]).total(), count_deals([plan, contract]).face_total()
(Decimal('300'), Decimal('500'))
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from dealweb.model.dates import PartialDate
from dealweb.model.records import Deal, Entity
from dealweb.model.vocab import (
    COUNTED_STATUSES,
    Commitment,
    Consideration,
    DealKind,
    Qualifier,
    Schedule,
    Status,
)

__all__ = ["BASES", "Basis", "Counting", "count_deals", "group_of"]

Basis = Literal["committed", "face", "paid"]
#: The counting bases, default first.
BASES: tuple[Basis, ...] = ("committed", "face", "paid")

_ZERO = Decimal(0)
_ONE = Decimal(1)
# Kinds whose cash moves at once when the deal closes (not spread over a horizon, not contingent).
_PAID_ON_CLOSE = frozenset({DealKind.EQUITY_INVESTMENT, DealKind.DEBT, DealKind.ACQUISITION, DealKind.JV})


@dataclass(frozen=True)
class Counting:
    """How much of each deal counts on one basis, why the others do not, and face value beside it.

    Attributes
    ----------
    basis
        ``"committed"``, ``"face"`` or ``"paid"``.
    counted
        Deal id → counted USD amount, for every live deal that counts on this basis (zero
        for undisclosed deals, for aggregates fully explained by their parts, and on
        ``paid`` for deals whose payment is unknown).
    excluded
        Deal id → reason it adds nothing: ``"status rumored"``, ``"superseded by D101"``,
        ``"ceiling: counted through the deals it covers"``, ``"all-stock consideration"``.
    face
        Deal id → counted amount at face value, for every live deal (the same family
        rules), so every headline can show face value beside its basis.
    undisclosed
        Ids of live deals with no disclosed amount.
    unknown
        On ``paid``: ids of committed deals whose payment by ``as_of`` the terms do not tell.
    """

    counted: dict[str, Decimal] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)
    undisclosed: tuple[str, ...] = ()
    basis: Basis = "committed"
    face: dict[str, Decimal] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    as_of: dt.date | None = None

    def total(self) -> Decimal:
        """Sum of counted amounts on this basis."""
        return sum(self.counted.values(), _ZERO)

    def face_total(self) -> Decimal:
        """Sum of counted amounts at face value (the same deals, as announced)."""
        return sum(self.face.values(), _ZERO)


def group_of(entities: Iterable[Entity] | Mapping[str, Entity]) -> dict[str, str]:
    """Entity id → the id of its top parent (itself when it has none).

    >>> group_of([Entity("spacex", "SpaceX"), Entity("xai", "xAI", parent="spacex")])
    {'spacex': 'spacex', 'xai': 'spacex'}
    """
    by_id = dict(entities) if isinstance(entities, Mapping) else {e.id: e for e in entities}
    top: dict[str, str] = {}
    for start in by_id:
        node, seen = start, {start}
        while (parent := by_id[node].parent) and parent in by_id and parent not in seen:
            node = parent
            seen.add(node)
        top[start] = node
    return top


def _face_whole(d: Deal) -> Decimal:
    """The deal's whole amount as announced: per-year amounts times their years."""
    amount = d.amount_usd or _ZERO
    if d.schedule is Schedule.PER_YEAR and d.horizon_years is not None:
        return amount * d.horizon_years
    return amount


def _committed_share(d: Deal, groups: Mapping[str, str], day: dt.date | None) -> tuple[Decimal, str]:
    """Share (0–1) of the deal's face value that is a binding cash commitment, and why when 0."""
    if d.commitment is Commitment.CEILING:
        return _ZERO, "ceiling: counted through the deals it covers"
    if d.commitment is Commitment.NON_BINDING:
        return _ZERO, "non-binding (letter of intent, memorandum or talks)"
    if d.consideration is Consideration.STOCK:
        return _ZERO, "all-stock consideration: no cash moves"
    if d.consideration is Consideration.IN_KIND:
        return _ZERO, "in-kind consideration (compute credits or capacity): no cash moves"
    payer, recipient = groups.get(d.payer, d.payer), groups.get(d.recipient, d.recipient)
    if payer == recipient:
        return _ZERO, f"intra-group: {d.payer} and {d.recipient} are both in the {payer} group"
    if d.condition.strip():
        met = d.condition_met
        if met is None:
            return _ZERO, f"condition not met: {d.condition}"
        if day is not None and met.last_day() > day:
            return _ZERO, f"condition met only on {met}, after {day.isoformat()}: {d.condition}"
    if d.consideration is Consideration.MIXED:
        amount = d.amount_usd or _ZERO
        if amount <= 0:
            return _ZERO, "mixed consideration without an amount"
        return min(_ONE, (d.cash_usd or _ZERO) / amount), "mixed consideration with no cash part"
    return _ONE, ""


def _paid_share(d: Deal, day: dt.date | None) -> Decimal | None:
    """Share of the deal's whole amount paid by ``day``; ``None`` when the terms do not say."""
    if d.schedule is Schedule.PER_YEAR and d.horizon_years:
        begin = (d.start or d.announced).first_day()
        end = day or dt.date.today()
        elapsed = Decimal(max(0, (end - begin).days)) / Decimal("365.25")
        return min(_ONE, elapsed.quantize(Decimal(1), rounding="ROUND_FLOOR") / d.horizon_years)
    if d.kind in _PAID_ON_CLOSE and d.status is Status.CLOSED:
        return _ONE
    return None


def count_deals(
    deals: Iterable[Deal],
    *,
    basis: Basis | str = "committed",
    as_of: str | dt.date | PartialDate | None = None,
    entities: Iterable[Entity] | Mapping[str, Entity] | None = None,
    statuses: Iterable[Status | str] = COUNTED_STATUSES,
) -> Counting:
    """Decide how much of each deal counts on ``basis`` so that no dollar is counted twice.

    Parameters
    ----------
    deals
        The deals to count; ``part_of``, ``covers`` and ``supersedes`` links to deals
        outside this collection are ignored.
    basis
        ``"committed"`` (default), ``"face"`` or ``"paid"``; see the module docstring.
    as_of
        The date conditions must have been met by, and payments made by (default: today).
    entities
        The ledger's entities, so intra-group deals are known (without them none is).
    statuses
        Statuses that count (default: announced, signed, closed).

    Returns
    -------
    Counting

    Raises
    ------
    ValueError
        ``basis`` is not one of :data:`BASES`.
    """
    if basis not in BASES:
        raise ValueError(f"counting basis {basis!r} is not one of: {', '.join(BASES)}")
    deals = list(deals)
    day = as_of if isinstance(as_of, dt.date) or as_of is None else PartialDate.parse(as_of).last_day()
    groups = group_of(entities) if entities is not None else {}
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
    children: dict[str, dict[str, Deal]] = defaultdict(dict)
    for d in live:
        if d.part_of in by_id and d.part_of not in excluded:
            children[d.part_of][d.id] = d
        if d.commitment is Commitment.CEILING:
            for c in d.covers:
                if c in by_id and c not in excluded and c != d.id:
                    children[d.id][c] = by_id[c]

    family_total: dict[str, Decimal] = {}

    def total_of(d: Deal, path: frozenset[str] = frozenset()) -> Decimal:
        # Face total of d and everything under it; memoised; a link back up the path is ignored.
        if d.id not in family_total:
            under = sum((total_of(p, path | {d.id}) for p in children.get(d.id, {}).values() if p.id not in path),
                        _ZERO)
            family_total[d.id] = max(_face_whole(d), under)
        return family_total[d.id]

    counted: dict[str, Decimal] = {}
    face: dict[str, Decimal] = {}
    unknown: list[str] = []
    for d in live:
        under = sum((total_of(p, frozenset({d.id})) for p in children.get(d.id, {}).values()), _ZERO)
        residual = max(_ZERO, _face_whole(d) - under)
        face[d.id] = residual
        if basis == "face":
            counted[d.id] = residual
            continue
        share, why = _committed_share(d, groups, day)
        if share <= 0:
            excluded[d.id] = why
            continue
        if basis == "paid":
            paid = _paid_share(d, day)
            if paid is None:
                unknown.append(d.id)
                paid = _ZERO
            share = min(share, share * paid)
        counted[d.id] = residual * share
    undisclosed = tuple(d.id for d in live if d.qualifier is Qualifier.UNDISCLOSED)
    return Counting(counted=counted, excluded=excluded, undisclosed=undisclosed, basis=basis,
                    face=face, unknown=tuple(unknown), as_of=day)
