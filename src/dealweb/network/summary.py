"""The headline numbers of a deal web: how many, how much by kind, the largest, how fresh.

:func:`summarize` is what ``make run`` / ``dealweb summary`` and ``dealweb dataset info``
print; the web app and the report show the same object. Every total is on a stated
counting basis (:mod:`dealweb.model.counting`, ``committed`` by default) with face value
beside it, in :attr:`Summary.headline`.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dealweb.model.counting import Basis, count_deals
from dealweb.model.dates import PartialDate
from dealweb.model.records import Deal
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import COUNTED_STATUSES, Confidence, DealKind, Status
from dealweb.network.headline import Headline, format_usd

__all__ = ["Summary", "counted_amounts", "format_usd", "summarize"]  # format_usd re-exported from .headline


@dataclass(frozen=True)
class Summary:
    """Headline numbers of a set of records, with totals that count each dollar once on ``basis``.

    ``total_volume`` and ``volume_by_kind`` are on ``basis``; ``face_volume`` is the same
    deals at face value; ``headline`` says both with the as-of date.
    """

    entities: int
    deals: int
    financials: int
    counted_deals: int
    excluded_deals: int
    undisclosed_deals: int
    volume_by_kind: dict[str, Decimal]
    total_volume: Decimal
    largest: list[Deal]
    first_deal: PartialDate | None
    newest_deal: PartialDate | None
    newest_financial: PartialDate | None
    confidence_share: dict[str, float]
    statuses: tuple[str, ...]
    counted: dict[str, Decimal] = field(repr=False, default_factory=dict)
    basis: str = "committed"
    face_volume: Decimal = Decimal(0)
    as_of: str | None = None
    excluded_reasons: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def headline(self) -> Headline:
        """The total on its basis with face value beside it (``"$2.2T committed · $3.1T at face, as of …"``)."""
        return Headline(self.basis, self.total_volume, self.face_volume,
                        self.as_of or (str(self.newest_deal) if self.newest_deal else None))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (amounts as numbers of USD)."""
        return {
            "entities": self.entities,
            "deals": self.deals,
            "financials": self.financials,
            "counted_deals": self.counted_deals,
            "excluded_deals": self.excluded_deals,
            "undisclosed_deals": self.undisclosed_deals,
            "volume_by_kind_usd": {k: float(v) for k, v in self.volume_by_kind.items()},
            "total_volume_usd": float(self.total_volume),
            "basis": self.basis,
            "face_volume_usd": float(self.face_volume),
            "as_of": self.as_of,
            "headline": self.headline.to_dict(),
            "largest": [{"id": d.id, "announced": str(d.announced), "kind": d.kind.value, "payer": d.payer,
                         "recipient": d.recipient, "amount_usd": float(d.amount_usd or 0),
                         "qualifier": d.qualifier.value} for d in self.largest],
            "first_deal": str(self.first_deal) if self.first_deal else None,
            "newest_deal": str(self.newest_deal) if self.newest_deal else None,
            "newest_financial": str(self.newest_financial) if self.newest_financial else None,
            "confidence_share": self.confidence_share,
            "counted_statuses": list(self.statuses),
        }

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{format_usd(v)}</td></tr>"
                       for k, v in self.volume_by_kind.items())
        return (f"<p>{self.entities} entities, {self.deals} deals ({self.counted_deals} counted), "
                f"{html.escape(self.headline.sentence())}; newest deal {self.newest_deal}</p>"
                f"<table><tr><th>kind</th><th>{html.escape(self.basis)} volume</th></tr>{rows}</table>")


def summarize(records: RecordSet, *, top: int = 10,
              statuses: Iterable[Status | str] = COUNTED_STATUSES, basis: Basis | str = "committed",
              as_of: str | None = None) -> Summary:
    """Headline numbers of ``records``; volumes follow :func:`~dealweb.model.counting.count_deals` on ``basis``.

    ``as_of`` is the date conditions must be met by (and payments made by, on ``paid``);
    deals announced later are still listed but it does not filter them (use the
    projection for the web as it stood).

    The largest deals are the biggest live deals that are not parts of another live deal
    (so an aggregate shows once, not with each of its tranches).
    """
    deals = list(records.deals)
    counting = count_deals(deals, statuses=statuses, basis=basis, as_of=as_of, entities=records.entities)
    by_kind: dict[str, Decimal] = {k.value: Decimal(0) for k in DealKind}
    for d in deals:
        if d.id in counting.counted:
            by_kind[d.kind.value] += counting.counted[d.id]
    by_kind = dict(sorted(((k, v) for k, v in by_kind.items() if v), key=lambda kv: -kv[1]))
    live = {d.id for d in deals if d.id in counting.counted}
    tops = [d for d in deals if d.id in live and d.amount_usd is not None and d.part_of not in live]
    tops.sort(key=lambda d: (-(d.amount_usd or 0), d.id))
    n = len(deals) + len(records.financials)
    conf = Counter(d.confidence.value for d in deals) + Counter(f.confidence.value for f in records.financials)
    dates = sorted(d.announced for d in deals)
    fin_dates = sorted(f.as_of for f in records.financials)
    return Summary(
        entities=len(records.entities), deals=len(deals), financials=len(records.financials),
        counted_deals=len(live), excluded_deals=len(counting.excluded), undisclosed_deals=len(counting.undisclosed),
        volume_by_kind=by_kind, total_volume=counting.total(), largest=tops[:top],
        first_deal=dates[0] if dates else None, newest_deal=dates[-1] if dates else None,
        newest_financial=fin_dates[-1] if fin_dates else None,
        confidence_share={c.value: (conf[c.value] / n if n else 0.0) for c in Confidence},
        statuses=tuple(sorted(Status(s).value for s in statuses)), counted=counting.counted,
        basis=counting.basis, face_volume=counting.face_total(), as_of=as_of,
        excluded_reasons=dict(counting.excluded),
    )


def counted_amounts(records: RecordSet, deal_ids: Iterable[str], *, basis: Basis | str = "committed",
                    as_of: str | None = None) -> tuple[dict[str, Decimal], Headline]:
    """What each of ``deal_ids`` counts on ``basis`` (counted against the whole ledger, so a
    listed tranche and its aggregate are not both counted) and the headline of their total.
    """
    counting = count_deals(records.deals, basis=basis, as_of=as_of, entities=records.entities)
    chosen = list(dict.fromkeys(deal_ids))
    counted = {i: counting.counted.get(i, Decimal(0)) for i in chosen}
    face = sum((counting.face.get(i, Decimal(0)) for i in chosen), Decimal(0))
    newest = max((d.announced for d in records.deals if d.id in counted), default=None)
    return counted, Headline(counting.basis, sum(counted.values(), Decimal(0)), face,
                             as_of or (str(newest) if newest else None))
