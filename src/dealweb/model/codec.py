"""Records to and from plain mappings: the one place that reads and writes field values.

Every format (CSV, XLSX, JSON, the store, the CLI's flags) goes through these
functions, so a field is parsed by one rule everywhere and a bad value gets the same
message whichever door it came in by.

Two shapes are produced:

* **cells** (:func:`to_cells`): every value a string, lists joined with ``"; "``
  (sources with ``" ;; "``), for CSV and spreadsheets;
* **plain** (:func:`to_plain`): JSON-native values (numbers, booleans, lists, ``None``).

:func:`from_mapping` reads either shape back and returns ``(record, problems)``; the
record is ``None`` when a field could not be read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from dealweb.errors import Problem
from dealweb.model.dates import PartialDate
from dealweb.model.records import SOURCE_SEPARATOR, Deal, Entity, FinancialSnapshot, Source
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

__all__ = [
    "COLUMNS",
    "DEAL_COLUMNS",
    "ENTITY_COLUMNS",
    "FINANCIAL_COLUMNS",
    "Record",
    "from_mapping",
    "to_cells",
    "to_plain",
]

Record = Entity | Deal | FinancialSnapshot
R = TypeVar("R", Entity, Deal, FinancialSnapshot)

ENTITY_COLUMNS: tuple[str, ...] = Entity.field_names()
DEAL_COLUMNS: tuple[str, ...] = (
    "id", "announced", "kind", "payer", "recipient", "amount_usd", "qualifier", "currency",
    "amount_original", "low_usd", "high_usd", "stake_pct", "horizon_years", "start", "end",
    "status", "part_of", "supersedes", "confidence", "sources", "description",
    "consideration", "cash_usd", "commitment", "covers", "schedule", "condition", "condition_met",
)
FINANCIAL_COLUMNS: tuple[str, ...] = (
    "id", "entity", "counterparty", "as_of", "metric", "value", "qualifier", "confidence",
    "sources", "description",
)
COLUMNS: dict[type, tuple[str, ...]] = {Entity: ENTITY_COLUMNS, Deal: DEAL_COLUMNS, FinancialSnapshot: FINANCIAL_COLUMNS}
assert set(DEAL_COLUMNS) == set(Deal.field_names())
assert set(FINANCIAL_COLUMNS) == set(FinancialSnapshot.field_names())

_LIST_SEP = "; "
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f", ""}


# ---------------------------------------------------------------- writing

def _plain_value(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        # A float only when it holds the value exactly; otherwise the exact decimal text.
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else _decimal_text(value)
    if isinstance(value, tuple):
        return [v.to_dict() if isinstance(v, Source) else _plain_value(v) for v in value]
    return value


def to_plain(record: Record) -> dict[str, Any]:
    """JSON-native mapping of a record, keys in column order.

    Decimals become ints, or floats when a float holds them exactly, or else their exact
    decimal text (which :func:`from_mapping` reads back unchanged).

    >>> from dealweb.model.records import Entity
    >>> to_plain(Entity("openai", "OpenAI", aliases=("OpenAI Group PBC",)))["aliases"]
    ['OpenAI Group PBC']
    """
    return {name: _plain_value(getattr(record, name)) for name in COLUMNS[type(record)]}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, tuple):
        if value and isinstance(value[0], Source):
            return SOURCE_SEPARATOR.join(str(s) for s in value)
        return _LIST_SEP.join(str(v) for v in value)
    return str(value)


def _decimal_text(value: Decimal) -> str:
    """Plain positional notation, no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def to_cells(record: Record) -> dict[str, str]:
    """String-valued mapping of a record for CSV and spreadsheets, keys in column order.

    >>> from dealweb.model.records import Entity
    >>> to_cells(Entity("aws", "Amazon Web Services", aliases=("AWS", "Amazon (AWS)")))["aliases"]
    'AWS; Amazon (AWS)'
    """
    return {name: _cell(getattr(record, name)) for name in COLUMNS[type(record)]}


# ---------------------------------------------------------------- reading

class _Reader:
    """Reads fields of one input record, collecting a Problem per bad field."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        self.data = data
        self.where = where
        self.problems: list[Problem] = []

    def _raw(self, name: str) -> Any:
        value = self.data.get(name)
        if isinstance(value, str):
            value = value.strip()
            return value if value else None
        return value

    def fail(self, name: str, rule: str, message: str) -> None:
        self.problems.append(Problem(self.where, name, rule, message))

    def text(self, name: str, *, required: bool = False) -> str:
        value = self._raw(name)
        if value is None:
            if required:
                self.fail(name, "required", "is required and empty")
            return ""
        return str(value)

    def optional_text(self, name: str) -> str | None:
        return self.text(name) or None

    def enum(self, name: str, enum: type[StrEnum], default: StrEnum | None = None) -> Any:
        value = self._raw(name)
        if value is None:
            if default is None:
                self.fail(name, "required", f"is required; one of: {', '.join(e.value for e in enum)}")
            return default
        try:
            return enum(str(value).lower())
        except ValueError:
            self.fail(name, "vocabulary", f"{value!r} is not one of: {', '.join(e.value for e in enum)}")
            return default

    def decimal(self, name: str) -> Decimal | None:
        value = self._raw(name)
        if value is None:
            return None
        if isinstance(value, bool):
            self.fail(name, "number", f"{value!r} is not a number")
            return None
        if isinstance(value, float):
            value = repr(value)
        text = str(value).replace("_", "")
        if "," in text:
            self.fail(name, "number", f"{value!r} is not a number: write it without thousands separators")
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            self.fail(name, "number", f"{value!r} is not a number")
            return None
        if not number.is_finite():
            self.fail(name, "number", f"{value!r} is not a finite number")
            return None
        return number

    def date(self, name: str, *, required: bool = False) -> PartialDate | None:
        value = self._raw(name)
        if value is None:
            if required:
                self.fail(name, "required", "is required; a date YYYY, YYYY-MM or YYYY-MM-DD")
            return None
        try:
            return PartialDate.parse(value if not isinstance(value, (int, float)) else str(int(value)))
        except (ValueError, TypeError) as exc:
            self.fail(name, "date", str(exc))
            return None

    def boolean(self, name: str) -> bool:
        value = self._raw(name)
        if value is None or isinstance(value, bool):
            return bool(value)
        text = str(value).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.fail(name, "boolean", f"{value!r} is not true/false")
        return False

    def items(self, name: str) -> tuple[str, ...]:
        value = self._raw(name)
        if value is None:
            return ()
        if isinstance(value, (list, tuple)):
            return tuple(str(v).strip() for v in value if str(v).strip())
        return tuple(p.strip() for p in str(value).split(";") if p.strip())

    def sources(self, name: str) -> tuple[Source, ...]:
        value = self._raw(name)
        if value is None:
            return ()
        raw: list[Any] = list(value) if isinstance(value, (list, tuple)) else str(value).split(SOURCE_SEPARATOR.strip())
        out: list[Source] = []
        for i, item in enumerate(raw, 1):
            try:
                if isinstance(item, Mapping):
                    out.append(Source.from_dict(dict(item)))
                elif str(item).strip():
                    out.append(Source.parse(str(item)))
            except ValueError as exc:
                self.fail(name, "source", f"source {i}: {exc}")
        return tuple(out)


def _read_entity(r: _Reader) -> Entity:
    return Entity(
        id=r.text("id", required=True), name=r.text("name", required=True),
        kind=r.enum("kind", EntityKind, EntityKind.OTHER), aliases=r.items("aliases"),
        country=r.text("country").upper(), listed=r.boolean("listed"), ticker=r.text("ticker"),
        parent=r.optional_text("parent"), notes=r.text("notes"),
    )


def _read_deal(r: _Reader) -> Deal:
    return Deal(
        id=r.text("id", required=True), announced=r.date("announced", required=True),  # type: ignore[arg-type]
        kind=r.enum("kind", DealKind), payer=r.text("payer", required=True),
        recipient=r.text("recipient", required=True), amount_usd=r.decimal("amount_usd"),
        qualifier=r.enum("qualifier", Qualifier), status=r.enum("status", Status, Status.ANNOUNCED),
        confidence=r.enum("confidence", Confidence, Confidence.MEDIUM), sources=r.sources("sources"),
        description=r.text("description"), currency=(r.text("currency") or "USD").upper(),
        amount_original=r.decimal("amount_original"), low_usd=r.decimal("low_usd"),
        high_usd=r.decimal("high_usd"), stake_pct=r.decimal("stake_pct"),
        horizon_years=r.decimal("horizon_years"), start=r.date("start"), end=r.date("end"),
        part_of=r.optional_text("part_of"), supersedes=r.items("supersedes"),
        consideration=r.enum("consideration", Consideration, Consideration.CASH),
        cash_usd=r.decimal("cash_usd"), commitment=r.enum("commitment", Commitment, Commitment.BINDING),
        covers=r.items("covers"), schedule=r.enum("schedule", Schedule, Schedule.TOTAL),
        condition=r.text("condition"), condition_met=r.date("condition_met"),
    )


def _read_financial(r: _Reader) -> FinancialSnapshot:
    return FinancialSnapshot(
        id=r.text("id", required=True), entity=r.text("entity", required=True),
        as_of=r.date("as_of", required=True), metric=r.enum("metric", Metric),  # type: ignore[arg-type]
        value=r.decimal("value"), qualifier=r.enum("qualifier", Qualifier, Qualifier.EXACT),
        counterparty=r.optional_text("counterparty"),
        confidence=r.enum("confidence", Confidence, Confidence.MEDIUM), sources=r.sources("sources"),
        description=r.text("description"),
    )


_READERS: dict[type, Callable[[_Reader], Any]] = {
    Entity: _read_entity, Deal: _read_deal, FinancialSnapshot: _read_financial,
}


def from_mapping(cls: type[R], data: Mapping[str, Any], where: str) -> tuple[R | None, list[Problem]]:
    """Read one record of type ``cls`` from cells or plain values.

    Returns the record and an empty list, or ``None`` and the problems found (every bad
    field is reported, not only the first). Cross-record rules (unknown entity,
    duplicate id) are :mod:`dealweb.model.rules`'s job.

    Examples
    --------
    >>> from dealweb.model.records import Deal
    >>> deal, problems = from_mapping(Deal, {"id": "D1", "announced": "2025-13", "kind": "loan"}, "deals.csv row 2")
    >>> deal is None
    True
    >>> print(problems[0])
    deals.csv row 2, announced: month 13 is not 1–12 [date]
    """
    reader = _Reader(data, where)
    record = _READERS[cls](reader)
    if reader.problems:
        return None, reader.problems
    return record, []
