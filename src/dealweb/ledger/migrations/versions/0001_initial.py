"""Initial ledger schema: entities, deals, financials and the history paper trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from dealweb.ledger.schema import ExactDecimal

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("listed", sa.Boolean, nullable=False),
        sa.Column("ticker", sa.String(32), nullable=False),
        sa.Column("parent", sa.String(80), nullable=True),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_table(
        "deals",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("announced", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payer", sa.String(80), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("recipient", sa.String(80), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("amount_usd", ExactDecimal, nullable=True),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_original", ExactDecimal, nullable=True),
        sa.Column("low_usd", ExactDecimal, nullable=True),
        sa.Column("high_usd", ExactDecimal, nullable=True),
        sa.Column("stake_pct", ExactDecimal, nullable=True),
        sa.Column("horizon_years", ExactDecimal, nullable=True),
        sa.Column("start", sa.String(10), nullable=True),
        sa.Column("end", sa.String(10), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("part_of", sa.String(80), nullable=True),
        sa.Column("supersedes", sa.JSON, nullable=False),
        sa.Column("confidence", sa.String(8), nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
    )
    op.create_index("ix_deals_payer", "deals", ["payer"])
    op.create_index("ix_deals_recipient", "deals", ["recipient"])
    op.create_index("ix_deals_announced", "deals", ["announced"])
    op.create_table(
        "financials",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("entity", sa.String(80), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("counterparty", sa.String(80), sa.ForeignKey("entities.id"), nullable=True),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("value", ExactDecimal, nullable=True),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("confidence", sa.String(8), nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
    )
    op.create_index("ix_financials_entity", "financials", ["entity"])
    op.create_table(
        "history",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_type", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String(80), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("previous", sa.JSON, nullable=True),
    )
    op.create_index("ix_history_record", "history", ["record_type", "record_id"])


def downgrade() -> None:
    op.drop_table("history")
    op.drop_table("financials")
    op.drop_table("deals")
    op.drop_table("entities")
