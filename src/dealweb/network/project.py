"""From ledger to numbers: :func:`network` projects deals into a :class:`Network`.

The projection is a pure function of the records and its parameters:

1. **As of a date.** Only deals announced by ``as_of`` are in (a deal dated ``2025``
   counts from 2025-12-31, a deal dated ``2025-09`` from 2025-09-30: the last day it may
   have been announced). A deal that is *now* superseded was live until the deal that
   replaced it was announced; a terminated deal with an ``end`` date was live until then.
2. **Amounts.** The :class:`~dealweb.network.policy.AmountPolicy` picks one number per
   deal; then :func:`~dealweb.model.counting.count_deals` counts every deal of the date on
   the chosen **basis** (``committed`` by default, ``face`` or ``paid``) and removes double
   counting (aggregates and their tranches, ceilings and what they cover, superseded deals).
3. **Filters**, after counting: deal kinds (by default every kind that moves money
   unconditionally, i.e. all but ``backstop``, whose cash moves only if someone else
   fails), statuses (by default announced, signed, closed; applied in the count) and a
   confidence floor. Because part-of chains are resolved on the whole set first, leaving
   out a middle link (a backstop between a loan and its programme) never lets the top and
   the bottom of the chain both count: the gross equals the counted total of the kinds
   kept.
4. **Edges.** One edge per deal with a counted amount, from payer to recipient: the
   direction money or value moves (:data:`~dealweb.model.semantics.SEMANTICS`). Deals
   without a disclosed amount get no edge and are listed in ``Network.undisclosed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np

from dealweb.model.counting import Basis, count_deals
from dealweb.model.dates import PartialDate
from dealweb.model.records import Deal
from dealweb.model.recordset import RecordSet
from dealweb.model.semantics import SEMANTICS
from dealweb.model.vocab import COUNTED_STATUSES, Confidence, DealKind, Status
from dealweb.network.graph import Network
from dealweb.network.policy import AmountPolicy

__all__ = ["DEFAULT_KINDS", "as_of_date", "network"]

#: Kinds whose money moves without a third party failing: all but backstops.
DEFAULT_KINDS: frozenset[DealKind] = frozenset(k for k, s in SEMANTICS.items() if not s.contingent)


def as_of_date(value: str | dt.date | PartialDate | None) -> dt.date | None:
    """The last day of a (partial) date: ``"2025-09"`` → 2025-09-30; ``None`` stays ``None``.

    >>> as_of_date("2025"), as_of_date("2025-06-30")
    (datetime.date(2025, 12, 31), datetime.date(2025, 6, 30))
    """
    if value is None:
        return None
    return PartialDate.parse(value).last_day()


def _status_then(deal: Deal, deals_by_id: dict[str, Deal], replacers: dict[str, list[str]],
                 as_of: dt.date | None) -> Status:
    """The status ``deal`` had at ``as_of`` (its current status when ``as_of`` is None)."""
    if as_of is None:
        return deal.status
    if deal.status is Status.SUPERSEDED:
        known = [r for r in replacers.get(deal.id, []) if deals_by_id[r].announced.last_day() <= as_of]
        if replacers.get(deal.id) and not known:
            return Status.ANNOUNCED  # the replacement had not been announced yet
    if deal.status is Status.TERMINATED and deal.end is not None and as_of < deal.end.first_day():
        return Status.ANNOUNCED
    return deal.status


def network(
    source: Any,
    *,
    as_of: str | dt.date | PartialDate | None = None,
    kinds: Iterable[DealKind | str] | None = None,
    statuses: Iterable[Status | str] = COUNTED_STATUSES,
    min_confidence: Confidence | str | None = None,
    amount_policy: str | AmountPolicy = "face",
    up_to: float = 1.0,
    estimate: float = 1.0,
    basis: Basis | str = "committed",
) -> Network:
    """Project a ledger (or a :class:`~dealweb.model.RecordSet`) into a :class:`Network`.

    Parameters
    ----------
    source
        A :class:`~dealweb.ledger.Ledger` or a :class:`~dealweb.model.RecordSet`.
    as_of
        Project the web as it stood on this date (``YYYY[-MM[-DD]]``); default: as it stands.
    kinds
        Deal kinds to include; default :data:`DEFAULT_KINDS` (all but backstops).
    statuses
        Statuses that count; default announced, signed, closed.
    min_confidence
        Leave out deals less well sourced than this.
    amount_policy, up_to, estimate
        Which number stands for each deal; see :class:`~dealweb.network.policy.AmountPolicy`.
    basis
        Counting basis: ``committed`` (binding cash, the default), ``face`` (as announced)
        or ``paid`` (moved by ``as_of``); see :mod:`dealweb.model.counting`. The network's
        ``params["face_usd"]`` holds the face total of the same edges' deals beside it.

    Examples
    --------
    >>> import dealweb
    >>> web = dealweb.project(dealweb.bundled_records(), as_of="2025-12-31")
    >>> bool(web.flows[web.index["anthropic"], web.index["microsoft"]] >= 30e9)
    True
    >>> "D18" in web.excluded or "D18" in dict(zip(web.edge_ids, web.amount))
    True
    """
    records: RecordSet = source if isinstance(source, RecordSet) else source.records()
    day = as_of_date(as_of)
    policy = AmountPolicy.parse(amount_policy, up_to=up_to, estimate=estimate)
    kind_set = frozenset(DealKind(k) for k in kinds) if kinds is not None else DEFAULT_KINDS
    allowed = frozenset(Status(s) for s in statuses)
    floor = Confidence(min_confidence).rank if min_confidence is not None else -1

    by_id = {d.id: d for d in records.deals}
    replacers: dict[str, list[str]] = {}
    for d in records.deals:
        for old in d.supersedes:
            replacers.setdefault(old, []).append(d.id)

    excluded: dict[str, str] = {}
    scope: list[Deal] = []
    for d in records.deals:
        if day is not None and d.announced.last_day() > day:
            excluded[d.id] = f"announced after {day.isoformat()}"
            continue
        status = _status_then(d, by_id, replacers, day)
        amount = policy.amount(d)
        changes: dict[str, Any] = {}
        if status is not d.status:
            changes["status"] = status
        if amount != d.amount_usd:
            changes["amount_usd"] = amount
            if d.cash_usd is not None and d.amount_usd:  # the cash part scales with the amount
                changes["cash_usd"] = d.cash_usd * (amount or 0) / d.amount_usd
        scope.append(d.evolve(**changes) if changes else d)

    # Count the whole family first, filter kinds and confidence after (see the module docstring).
    counting = count_deals(scope, basis=basis, as_of=day, entities=records.entities, statuses=allowed)
    excluded.update(counting.excluded)
    live: list[Deal] = []
    for d in scope:
        if d.kind not in kind_set:
            excluded[d.id] = f"kind {d.kind.value} not included"
        elif d.confidence.rank < floor:
            excluded[d.id] = f"confidence {d.confidence.value} below {Confidence(min_confidence).value}"  # type: ignore[arg-type]
        elif counting.counted.get(d.id, 0) > 0:
            live.append(d)
    face_total = sum((counting.face.get(d.id, 0) for d in scope if d.kind in kind_set and d.confidence.rank >= floor), 0)

    entities = records.entities
    index = {e.id: i for i, e in enumerate(entities)}
    params = {"as_of": day.isoformat() if day else None, "kinds": sorted(k.value for k in kind_set),
              "statuses": sorted(s.value for s in allowed),
              "min_confidence": Confidence(min_confidence).value if min_confidence is not None else None,
              "amount_policy": policy.to_dict(), "basis": counting.basis, "face_usd": float(face_total),
              "unknown_paid": list(counting.unknown)}
    return Network(
        nodes=tuple(e.id for e in entities),
        src=np.fromiter((index[d.payer] for d in live), dtype=np.int32, count=len(live)),
        dst=np.fromiter((index[d.recipient] for d in live), dtype=np.int32, count=len(live)),
        amount=np.fromiter((float(counting.counted[d.id]) for d in live), dtype=np.float64, count=len(live)),
        edge_ids=np.array([d.id for d in live], dtype=object),
        edge_kinds=np.array([d.kind.value for d in live], dtype=object),
        edge_dates=np.array([d.announced.first_day() for d in live], dtype="datetime64[D]"),
        edge_horizons=np.array([float(d.horizon_years) if d.horizon_years is not None else np.nan for d in live],
                               dtype=np.float64),
        node_names=tuple(e.name for e in entities),
        node_kinds=tuple(e.kind.value for e in entities),
        undisclosed=counting.undisclosed,
        excluded=excluded,
        params=params,
    )
