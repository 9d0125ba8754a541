"""knowledge base: items, versions, curation queue

Revision ID: d9f4a3b5c604
Revises: c8e3f2a4b503
Create Date: 2026-12-02 18:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d9f4a3b5c604"
down_revision: str | Sequence[str] | None = "c8e3f2a4b503"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "knowledge_items",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.JSON(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("dispute_type", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=40), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("knowledge_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_items_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_knowledge_items_dispute_type"), ["dispute_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_knowledge_items_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_knowledge_items_updated_at"), ["updated_at"], unique=False)
    op.create_table(
        "knowledge_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("knowledge_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_versions_item_id"), ["item_id"], unique=False)
    op.create_table(
        "knowledge_queue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("dispute_type", sa.String(length=16), nullable=True),
        sa.Column("best_item_id", sa.String(length=64), nullable=True),
        sa.Column("best_score", sa.Float(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("answer_item_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("knowledge_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_queue_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_knowledge_queue_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("knowledge_queue")
    op.drop_table("knowledge_versions")
    op.drop_table("knowledge_items")
