"""tickets: the bot's revisit attempts (asked in the caller's conversation, or a phone task)

Revision ID: e1a5b6c7d805
Revises: d9f4a3b5c604
Create Date: 2026-12-03 10:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1a5b6c7d805"
down_revision: str | Sequence[str] | None = "d9f4a3b5c604"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_revisit_attempts",
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=16), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", "round", "attempt"),
    )
    op.create_index("ix_ticket_revisit_attempts_asked_at", "ticket_revisit_attempts", ["asked_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_revisit_attempts_asked_at", table_name="ticket_revisit_attempts")
    op.drop_table("ticket_revisit_attempts")
