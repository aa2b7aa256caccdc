"""Records to database rows and back, through the codec so values are read by one rule."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Table

from dealweb.errors import StoreError
from dealweb.ledger import schema
from dealweb.model.codec import from_mapping
from dealweb.model.dates import PartialDate
from dealweb.model.records import Deal, Entity, FinancialSnapshot, Source

__all__ = ["RECORD_TYPES", "TABLES", "from_row", "to_row"]

R = TypeVar("R", Entity, Deal, FinancialSnapshot)

TABLES: dict[type, Table] = {Entity: schema.entities, Deal: schema.deals, FinancialSnapshot: schema.financials}
#: Name of each record type in the history table and in messages.
RECORD_TYPES: dict[type, str] = {Entity: "entity", Deal: "deal", FinancialSnapshot: "financial"}


def _db_value(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, tuple):
        return [v.to_dict() if isinstance(v, Source) else v for v in value]
    return value


def to_row(record: Entity | Deal | FinancialSnapshot) -> dict[str, Any]:
    """Column values of a record for its table (Decimals stay Decimals)."""
    return {name: _db_value(getattr(record, name)) for name in record.field_names()}


def from_row(cls: type[R], row: Mapping[Any, Any]) -> R:
    """Rebuild a record from a database row; a row that no longer reads is a store error."""
    record, problems = from_mapping(cls, dict(row), f"database {RECORD_TYPES[cls]} {row.get('id')}")
    if record is None:
        raise StoreError("; ".join(str(p) for p in problems))
    return record
