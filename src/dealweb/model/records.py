"""The ledger's records: entities, deals, financial snapshots and their sources.

Records are frozen dataclasses with typed fields: money is :class:`~decimal.Decimal`
USD, dates are :class:`~dealweb.model.dates.PartialDate`, vocabularies are enums.
They hold no I/O; reading them from text is :mod:`dealweb.model.codec`, checking them
against each other is :mod:`dealweb.model.rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any, Self

from dealweb.model.dates import PartialDate
from dealweb.model.vocab import Confidence, DealKind, EntityKind, Metric, Qualifier, Status

__all__ = ["SOURCE_SEPARATOR", "Deal", "Entity", "FinancialSnapshot", "Source"]

#: Separates sources inside one text cell (CSV, XLSX): ``"a ;; b"``.
SOURCE_SEPARATOR = " ;; "
_URL = re.compile(r"^https?://\S+$")


def _bad_url(url: str) -> str:
    """Why ``url`` is not a source URL (for a ValueError)."""
    if re.match(r"^https?://", url):
        return f"source url {url[:200]!r} contains whitespace; a URL has none (write spaces as %20)"
    return f"source url {url[:200]!r} does not start with http:// or https://"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: a URL, or an outlet, title and date, or both.

    The one-cell text form is ``outlet | title | date | url`` (trailing parts may be
    left out) or a bare URL.

    Examples
    --------
    >>> s = Source.parse("Reuters | Microsoft and OpenAI sign new deal | 2025-10-28 | https://example.com/a")
    >>> s.outlet, str(s.date), s.url
    ('Reuters', '2025-10-28', 'https://example.com/a')
    >>> Source.parse("https://example.com/b").url
    'https://example.com/b'
    >>> str(Source(outlet="Microsoft 10-Q"))
    'Microsoft 10-Q'
    >>> Source(url="javascript:alert(1)")
    Traceback (most recent call last):
    ...
    ValueError: source url 'javascript:alert(1)' does not start with http:// or https://
    """

    outlet: str = ""
    title: str = ""
    date: PartialDate | None = None
    url: str = ""

    def __post_init__(self) -> None:
        # Every way in (parse, from_plain, the constructor) keeps the same rule, so a source that
        # could not be read back (or would be a script link on the map) never reaches the store.
        if self.url and not _URL.match(self.url):
            raise ValueError(_bad_url(self.url))

    @classmethod
    def parse(cls, text: str) -> Source:
        """Read the one-cell text form; raises :class:`ValueError` naming the broken rule."""
        text = text.strip()
        if not text:
            raise ValueError("a source is empty")
        if "|" not in text:
            return cls(url=text) if re.match(r"^https?://", text) else cls(outlet=text)
        parts = [p.strip() for p in text.split("|")]
        if len(parts) > 4:
            raise ValueError(f"a source has {len(parts)} '|'-separated parts; at most 4 (outlet | title | date | url)")
        parts += [""] * (4 - len(parts))
        outlet, title, date, url = parts
        if url and not _URL.match(url):
            raise ValueError(_bad_url(url))
        return cls(outlet, title, PartialDate.parse(date) if date else None, url)

    def __str__(self) -> str:
        if not (self.outlet or self.title or self.date):
            return self.url
        parts = [self.outlet, self.title, str(self.date) if self.date else "", self.url]
        while parts and not parts[-1]:
            parts.pop()
        return " | ".join(parts)

    def is_empty(self) -> bool:
        return not (self.outlet or self.title or self.url)

    def to_dict(self) -> dict[str, str]:
        return {"outlet": self.outlet, "title": self.title, "date": str(self.date) if self.date else "", "url": self.url}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        """Read ``{"outlet", "title", "date", "url"}``, by the same rules as :meth:`parse`."""
        date = str(data.get("date") or "").strip()
        url = str(data.get("url") or "").strip()
        if url and not _URL.match(url):
            raise ValueError(_bad_url(url))
        source = cls(str(data.get("outlet") or "").strip(), str(data.get("title") or "").strip(),
                     PartialDate.parse(date) if date else None, url)
        if source.is_empty():
            raise ValueError("a source is empty")
        return source


_ENUM_FIELDS: dict[str, type] = {
    "kind": DealKind, "qualifier": Qualifier, "status": Status, "confidence": Confidence, "metric": Metric,
}
_DATE_FIELDS = frozenset({"announced", "start", "end", "as_of"})
_DECIMAL_FIELDS = frozenset({"amount_usd", "amount_original", "low_usd", "high_usd", "stake_pct", "horizon_years", "value"})
_TUPLE_FIELDS = frozenset({"aliases", "supersedes"})


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
