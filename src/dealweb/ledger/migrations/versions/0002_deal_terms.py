"""Deal terms: consideration (with its cash part), commitment and what a ceiling covers,
schedule, condition and when it was met.

Existing rows take the defaults (cash, binding, total, unconditional), which is what the
ledger assumed before these columns existed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from dealweb.ledger.schema import ExactDecimal

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deals") as batch:
        batch.add_column(sa.Column("consideration", sa.String(16), nullable=False, server_default="cash"))
        batch.add_column(sa.Column("cash_usd", ExactDecimal, nullable=True))
        batch.add_column(sa.Column("commitment", sa.String(16), nullable=False, server_default="binding"))
        batch.add_column(sa.Column("covers", sa.JSON, nullable=False, server_default=sa.text("'[]'")))
        batch.add_column(sa.Column("schedule", sa.String(16), nullable=False, server_default="total"))
        batch.add_column(sa.Column("condition", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("condition_met", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deals") as batch:
        for name in ("condition_met", "condition", "schedule", "covers", "commitment", "cash_usd", "consideration"):
            batch.drop_column(name)
