"""The ledger's records: entities, deals, financial snapshots and their sources.

Records are frozen dataclasses with typed fields: money is :class:`~decimal.Decimal`
USD, dates are :class:`~dealweb.model.dates.PartialDate`, vocabularies are enums.
They hold no I/O; reading them from text is :mod:`dealweb.model.codec`, checking them
against each other is :mod:`dealweb.model.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any, Self

from dealweb.model.dates import PartialDate
from dealweb.model.sources import SOURCE_SEPARATOR, Source
from dealweb.model.vocab import (
    Commitment,
    Confidence,
    Consideration,
    DealKind,
    EntityKind,
    Metric,
    Qualifier,
    Schedule,
    Status,
)

__all__ = ["SOURCE_SEPARATOR", "Deal", "Entity", "FinancialSnapshot", "Source"]

_ENUM_FIELDS: dict[str, type] = {
    "kind": DealKind, "qualifier": Qualifier, "status": Status, "confidence": Confidence, "metric": Metric,
    "consideration": Consideration, "commitment": Commitment, "schedule": Schedule,
}
_DATE_FIELDS = frozenset({"announced", "start", "end", "as_of", "condition_met"})
_DECIMAL_FIELDS = frozenset({"amount_usd", "amount_original", "low_usd", "high_usd", "stake_pct", "horizon_years",
                             "value", "cash_usd"})
_TUPLE_FIELDS = frozenset({"aliases", "supersedes", "covers"})


class _Record:
    """Shared helpers of the record dataclasses."""

    __slots__ = ()

    def __post_init__(self) -> None:
        # Accept plain values from Python callers ("debt", "2025-09", 5e9) and store typed ones.
        for name in self.field_names():
            value = getattr(self, name)
            if value is None:
                continue
            if name in _ENUM_FIELDS and not (isinstance(self, Entity) and name == "kind"):
                new: Any = _ENUM_FIELDS[name](value)
            elif name == "kind":
                new = EntityKind(value)
            elif name in _DATE_FIELDS:
                new = PartialDate.parse(value)
            elif name in _DECIMAL_FIELDS:
                new = value if isinstance(value, Decimal) else Decimal(str(value))
            elif name in _TUPLE_FIELDS:
                new = (value,) if isinstance(value, str) else tuple(value)
            elif name == "sources":
                new = tuple(Source.parse(s) if isinstance(s, str) else s for s in
                            ((value,) if isinstance(value, (str, Source)) else value))
            else:
                continue
            if new is not value:
                object.__setattr__(self, name, new)

    def evolve(self, **changes: Any) -> Self:
        """A copy with some fields changed (records are immutable)."""
        return replace(self, **changes)  # type: ignore[type-var]

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Entity(_Record):
    """A company, fund, bank, government or vehicle that takes part in deals.

    ``id`` is a stable lowercase slug (``openai``, ``microsoft``). ``parent`` names the
    owning entity of a subsidiary, SPV or joint venture, when there is one.
    """

    id: str
    name: str
    kind: EntityKind = EntityKind.OTHER
    aliases: tuple[str, ...] = ()
    country: str = ""
    listed: bool = False
    ticker: str = ""
    parent: str | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Deal(_Record):
    """One deal between two entities, as announced, with its sources.

    ``payer`` gives money or value and ``recipient`` gets it; what that means per
    kind is :data:`dealweb.model.semantics.SEMANTICS`. ``amount_usd`` is ``None``
    exactly when the qualifier is ``undisclosed``. ``part_of`` names an aggregate
    deal this one is a tranche or component of; ``supersedes`` names deals this one
    replaces. Both links exist so that totals count each dollar once.

    The terms say whether money moves (see ``docs/data-model.md``): ``consideration``
    (cash, stock, mixed with its cash part ``cash_usd``, in kind); ``commitment``
    (binding, a ceiling that ``covers`` the deals filling it, non-binding); ``schedule``
    (a total, or ``amount_usd`` per year for ``horizon_years``); and ``condition``, what
    the deal waits on, with ``condition_met``, the date it was met.
    """

    id: str
    announced: PartialDate
    kind: DealKind
    payer: str
    recipient: str
    amount_usd: Decimal | None
    qualifier: Qualifier
    status: Status = Status.ANNOUNCED
    confidence: Confidence = Confidence.MEDIUM
    sources: tuple[Source, ...] = ()
    description: str = ""
    currency: str = "USD"
    amount_original: Decimal | None = None
    low_usd: Decimal | None = None
    high_usd: Decimal | None = None
    stake_pct: Decimal | None = None
    horizon_years: Decimal | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    part_of: str | None = None
    supersedes: tuple[str, ...] = field(default=())
    consideration: Consideration = Consideration.CASH
    cash_usd: Decimal | None = None
    commitment: Commitment = Commitment.BINDING
    covers: tuple[str, ...] = field(default=())
    schedule: Schedule = Schedule.TOTAL
    condition: str = ""
    condition_met: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class FinancialSnapshot(_Record):
    """A dated financial figure about an entity: a valuation, revenue, cash, a stake.

    For ``stake_value`` and ``stake_pct`` the ``entity`` is the holder and
    ``counterparty`` the company held. ``value`` is USD, or percent for ``stake_pct``
    (see :func:`dealweb.model.vocab.metric_unit`), and ``None`` when undisclosed.
    """

    id: str
    entity: str
    as_of: PartialDate
    metric: Metric
    value: Decimal | None
    qualifier: Qualifier = Qualifier.EXACT
    counterparty: str | None = None
    confidence: Confidence = Confidence.MEDIUM
    sources: tuple[Source, ...] = ()
    description: str = ""
