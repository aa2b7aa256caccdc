"""Database tables of the ledger (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Money and other exact numbers use :class:`ExactDecimal`: ``NUMERIC`` on PostgreSQL,
canonical decimal text on SQLite (which has no exact decimal type and would otherwise
round through a float). Lists (aliases, supersedes, sources) are JSON. Partial dates
are their ``YYYY[-MM[-DD]]`` text, which sorts correctly as text.

The schema is created and changed only by the Alembic migrations in
``dealweb/ledger/migrations``; these table objects are what the code reads and writes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["ExactDecimal", "deals", "entities", "financials", "history", "metadata"]


class ExactDecimal(TypeDecorator[Decimal]):
    """A :class:`~decimal.Decimal` stored without rounding on every backend."""

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(64))
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return format(Decimal(value), "f")
        return Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value))


metadata = MetaData()

entities = Table(
    "entities", metadata,
    Column("id", String(80), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("country", String(2), nullable=False),
    Column("listed", Boolean, nullable=False),
    Column("ticker", String(32), nullable=False),
    Column("parent", String(80), nullable=True),
    Column("notes", Text, nullable=False),
)

deals = Table(
    "deals", metadata,
    Column("id", String(80), primary_key=True),
    Column("announced", String(10), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("payer", String(80), ForeignKey("entities.id"), nullable=False),
    Column("recipient", String(80), ForeignKey("entities.id"), nullable=False),
    Column("amount_usd", ExactDecimal, nullable=True),
    Column("qualifier", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_original", ExactDecimal, nullable=True),
    Column("low_usd", ExactDecimal, nullable=True),
    Column("high_usd", ExactDecimal, nullable=True),
    Column("stake_pct", ExactDecimal, nullable=True),
    Column("horizon_years", ExactDecimal, nullable=True),
    Column("start", String(10), nullable=True),
    Column("end", String(10), nullable=True),
    Column("status", String(16), nullable=False),
    Column("part_of", String(80), nullable=True),
    Column("supersedes", JSON, nullable=False),
    Column("confidence", String(8), nullable=False),
    Column("sources", JSON, nullable=False),
    Column("description", Text, nullable=False),
    # Deal terms (migration 0002): what is handed over, how firmly, on what schedule and condition.
    Column("consideration", String(16), nullable=False, server_default="cash"),
    Column("cash_usd", ExactDecimal, nullable=True),
    Column("commitment", String(16), nullable=False, server_default="binding"),
    Column("covers", JSON, nullable=False),
    Column("schedule", String(16), nullable=False, server_default="total"),
    Column("condition", Text, nullable=False, server_default=""),
    Column("condition_met", String(10), nullable=True),
    Index("ix_deals_payer", "payer"),
    Index("ix_deals_recipient", "recipient"),
    Index("ix_deals_announced", "announced"),
)

financials = Table(
    "financials", metadata,
    Column("id", String(80), primary_key=True),
    Column("entity", String(80), ForeignKey("entities.id"), nullable=False),
    Column("counterparty", String(80), ForeignKey("entities.id"), nullable=True),
    Column("as_of", String(10), nullable=False),
    Column("metric", String(32), nullable=False),
    Column("value", ExactDecimal, nullable=True),
    Column("qualifier", String(16), nullable=False),
    Column("confidence", String(8), nullable=False),
    Column("sources", JSON, nullable=False),
    Column("description", Text, nullable=False),
    Index("ix_financials_entity", "entity"),
)

# The paper trail: one row per change of a record, with the version it replaced.
history = Table(
    "history", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("record_type", String(16), nullable=False),
    Column("record_id", String(80), nullable=False),
    Column("action", String(8), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("changed_by", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("changes", JSON, nullable=False),
    Column("previous", JSON, nullable=True),
    Index("ix_history_record", "record_type", "record_id"),
)
