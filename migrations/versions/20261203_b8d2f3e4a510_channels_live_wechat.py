"""channels: message authors, live hand-offs, WeChat users, remembered verifications

Revision ID: b8d2f3e4a510
Revises: e1a5b6c7d805
Create Date: 2026-12-03 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b8d2f3e4a510"
down_revision: str | Sequence[str] | None = "e1a5b6c7d805"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.String(length=80), nullable=True))
    op.create_table(
        "live_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("sender", sa.String(length=160), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("ticket_number", sa.String(length=32), nullable=True),
        sa.Column("operator", sa.String(length=64), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sender"),
    )
    op.create_index("ix_live_conversations_state", "live_conversations", ["state"])
    op.create_table(
        "wechat_users",
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sender"),
    )
    op.create_table(
        "remembered_verifications",
        sa.Column("caller", sa.String(length=200), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("party_name", sa.String(length=128), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("caller", "case_number"),
    )


def downgrade() -> None:
    op.drop_table("remembered_verifications")
    op.drop_table("wechat_users")
    op.drop_index("ix_live_conversations_state", table_name="live_conversations")
    op.drop_table("live_conversations")
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.drop_column("author")
