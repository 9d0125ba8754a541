"""identity checks counted per caller, per address and per case; organisations' representatives

Revision ID: a6c1d0e2f301
Revises: ef4ead437f0b
Create Date: 2026-12-02 18:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a6c1d0e2f301"
down_revision: str | Sequence[str] | None = "ef4ead437f0b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The per-case lock was the wrong design (anyone could lock the real parties out).
    op.drop_table("case_access_locks")
    op.create_table(
        "verification_scopes",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("touched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alert_ticket", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("scope", "key"),
    )
    with op.batch_alter_table("verification_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("caller", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("address", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("claim", sa.String(length=32), nullable=False, server_default=""))
        # Earlier rows were all real checks.
        batch_op.add_column(sa.Column("counted", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.create_index("ix_verification_attempts_caller_at", ["caller", "at"], unique=False)
        batch_op.create_index("ix_verification_attempts_address_at", ["address", "at"], unique=False)
    op.execute("UPDATE verification_attempts SET counted = NOT success, caller = channel || ':' || sender")
    with op.batch_alter_table("case_parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("representative", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("contact", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_parties", schema=None) as batch_op:
        batch_op.drop_column("contact")
        batch_op.drop_column("representative")
    with op.batch_alter_table("verification_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_verification_attempts_address_at")
        batch_op.drop_index("ix_verification_attempts_caller_at")
        batch_op.drop_column("counted")
        batch_op.drop_column("claim")
        batch_op.drop_column("address")
        batch_op.drop_column("caller")
    op.drop_table("verification_scopes")
    op.create_table(
        "case_access_locks",
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("case_number"),
    )
