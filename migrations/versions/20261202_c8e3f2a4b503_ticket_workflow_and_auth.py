"""ticket workflow (states, deadlines, hash-chained audit, escalations, calendar) and operator accounts

Revision ID: c8e3f2a4b503
Revises: a6c1d0e2f301
Create Date: 2026-12-02 18:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c8e3f2a4b503"
down_revision: str | Sequence[str] | None = "a6c1d0e2f301"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)
# Statuses and categories were stored as Chinese labels before; they become codes.
OLD_STATUS = {"待交办": "received", "已交办": "assigned", "督办中": "in_progress", "已反馈": "fed_back",
              "已回访": "revisited"}
OLD_CATEGORY = {"投诉举报": "complaint", "涉诉信访": "petition", "联系法官": "contact_judge", "意见建议": "suggestion"}
CALENDAR_YEARS = range(2020, 2027)  # chinese-calendar 1.11.0 knows up to 2026


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("department", sa.String(32), nullable=True),
        sa.Column("is_department_head", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_users_username", "users", ["username"], unique=True)
    op.create_table(
        "auth_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_auth_sessions_user_id", "auth_sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_login_attempts_username_at", "login_attempts", ["username", "at"])
    op.create_index("ix_login_attempts_address_at", "login_attempts", ["address", "at"])

    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("source_label", sa.String(32), nullable=True))
        batch.add_column(sa.Column("priority", sa.String(8), nullable=False, server_default="normal"))
        batch.add_column(sa.Column("caller_contact", sa.String(64), nullable=True))
        batch.add_column(sa.Column("department", sa.String(32), nullable=True))
        batch.add_column(sa.Column("assignee", sa.String(64), nullable=True))
        batch.add_column(sa.Column("feedback", sa.Text(), nullable=True))
        batch.add_column(sa.Column("handled_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("satisfaction", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("satisfaction_comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("revisit_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("reopen_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("merged_into", sa.String(32), nullable=True))
        batch.add_column(sa.Column("assign_due_at", TZ, nullable=True))
        batch.add_column(sa.Column("feedback_due_at", TZ, nullable=True))
        batch.add_column(sa.Column("revisit_due_at", TZ, nullable=True))
        batch.add_column(sa.Column("next_escalation_at", TZ, nullable=True))
        batch.add_column(sa.Column("escalation_stage", sa.String(24), nullable=True))
        batch.add_column(sa.Column("escalation_level", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("updated_at", TZ, nullable=True))
        batch.add_column(sa.Column("fed_back_at", TZ, nullable=True))
        batch.add_column(sa.Column("closed_at", TZ, nullable=True))
        batch.add_column(sa.Column("audit_head", sa.String(64), nullable=True))
        batch.add_column(sa.Column("event_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.create_index("ix_tickets_status", ["status"])
        batch.create_index("ix_tickets_status_category", ["status", "category"])
        batch.create_index("ix_tickets_next_escalation_at", ["next_escalation_at"])
        batch.create_index("ix_tickets_department", ["department"])
        batch.create_index("ix_tickets_assignee", ["assignee"])
        batch.create_index("ix_tickets_created_at", ["created_at"])
    with op.batch_alter_table("ticket_events") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("action", sa.String(24), nullable=False, server_default="open"))
        batch.add_column(sa.Column("before", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("after", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=False, server_default=""))
    _convert_existing_tickets()
    with op.batch_alter_table("ticket_events") as batch:
        batch.create_unique_constraint("uq_ticket_events_ticket_seq", ["ticket_id", "seq"])

    op.create_table(
        "ticket_escalations",
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), primary_key=True),
        sa.Column("stage", sa.String(24), primary_key=True),
        sa.Column("level", sa.Integer(), primary_key=True),
        sa.Column("fired_at", TZ, nullable=False),
    )
    op.create_table(
        "ticket_notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("recipient", sa.String(80), nullable=False),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_ticket_notifications_recipient", "ticket_notifications", ["recipient"])
    op.create_index("ix_ticket_notifications_ticket_id", "ticket_notifications", ["ticket_id"])
    op.create_index("ix_ticket_notifications_at", "ticket_notifications", ["at"])
    op.create_table(
        "ticket_unanswered_messages",
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("chat_messages.id"), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
    )
    op.create_index("ix_ticket_unanswered_messages_ticket_id", "ticket_unanswered_messages", ["ticket_id"])
    op.create_table(
        "work_calendar_years",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("entered_by", sa.String(64), nullable=False),
        sa.Column("entered_at", TZ, nullable=False),
    )
    op.create_table(
        "work_calendar_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("is_workday", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(32), nullable=False, server_default=""),
    )
    _seed_calendar()
    if op.get_bind().dialect.name == "postgresql":
        # Append-only below the ORM too: a plain UPDATE/DELETE on the audit trail fails.
        op.execute("""
            CREATE FUNCTION ticket_events_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'ticket_events is append-only'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER ticket_events_append_only BEFORE UPDATE OR DELETE ON ticket_events
            FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();
        """)


def _convert_existing_tickets() -> None:
    from tickets.audit import event_hash
    from tickets.categories import resolve_category

    bind = op.get_bind()
    tickets = sa.table("tickets", sa.column("id"), sa.column("number"), sa.column("status"), sa.column("category"),
                       sa.column("source_label"), sa.column("case_number"), sa.column("audit_head"),
                       sa.column("event_count"))
    events = sa.table("ticket_events", sa.column("id"), sa.column("ticket_id"), sa.column("seq"),
                      sa.column("step"), sa.column("action"), sa.column("actor"), sa.column("note"),
                      sa.column("before", sa.JSON()), sa.column("after", sa.JSON()), sa.column("at"),
                      sa.column("prev_hash"), sa.column("hash"))
    for t in bind.execute(sa.select(tickets)).mappings().all():
        code = resolve_category(OLD_CATEGORY.get(t["category"], t["category"]), t["case_number"])
        prev, seq = "", 0
        for e in bind.execute(sa.select(events).where(events.c.ticket_id == t["id"]).order_by(events.c.id)).mappings():
            seq += 1
            action = "open" if seq == 1 else "note"
            digest = event_hash(t["number"], seq, e["step"], action, e["actor"], e["note"], {}, {}, e["at"], prev)
            bind.execute(events.update().where(events.c.id == e["id"]).values(
                seq=seq, action=action, before={}, after={}, prev_hash=prev, hash=digest))
            prev = digest
        bind.execute(tickets.update().where(tickets.c.id == t["id"]).values(
            status=OLD_STATUS.get(t["status"], t["status"]), category=code,
            source_label=t["category"] if t["category"] != code else None, audit_head=prev or None,
            event_count=seq))


def _seed_calendar() -> None:
    from tickets.calendar import chinese_calendar_days

    now = sa.func.now() if op.get_bind().dialect.name == "postgresql" else sa.func.current_timestamp()
    years = sa.table("work_calendar_years", sa.column("year"), sa.column("source"), sa.column("entered_by"),
                     sa.column("entered_at"))
    days = sa.table("work_calendar_days", sa.column("day"), sa.column("is_workday"), sa.column("name"))
    for year in CALENDAR_YEARS:
        rows = [{"day": d, "is_workday": w, "name": n[:32]} for d, w, n in chinese_calendar_days(year)]
        op.get_bind().execute(days.insert(), rows)
        op.get_bind().execute(years.insert().values(year=year, source="chinese-calendar 1.11.0",
                                                    entered_by="migration", entered_at=now))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ticket_events_append_only ON ticket_events;"
                   "DROP FUNCTION IF EXISTS ticket_events_append_only();")
    for table in ("work_calendar_days", "work_calendar_years", "ticket_unanswered_messages",
                  "ticket_notifications", "ticket_escalations"):
        op.drop_table(table)
    with op.batch_alter_table("ticket_events") as batch:
        batch.drop_constraint("uq_ticket_events_ticket_seq", type_="unique")
        for column in ("seq", "action", "before", "after", "prev_hash", "hash"):
            batch.drop_column(column)
    with op.batch_alter_table("tickets") as batch:
        for index in ("status", "status_category", "next_escalation_at", "department", "assignee", "created_at"):
            batch.drop_index(f"ix_tickets_{index}")
        for column in ("source_label", "priority", "caller_contact", "department", "assignee", "feedback",
                       "handled_by", "satisfaction", "satisfaction_comment", "revisit_attempts", "reopen_count",
                       "merged_into", "assign_due_at", "feedback_due_at", "revisit_due_at", "next_escalation_at",
                       "escalation_stage", "escalation_level", "updated_at", "fed_back_at", "closed_at",
                       "audit_head", "event_count", "version"):
            batch.drop_column(column)
    op.drop_table("login_attempts")
    op.drop_table("auth_sessions")
    op.drop_table("users")
