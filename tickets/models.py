"""Ticket tables. `ticket_events` is append-only (rows are never updated or deleted) and hash-chained
per ticket; `tickets.row_version` gives optimistic locking (a stale update changes nothing), `tickets.version`
the version a person's page acts on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_category", "status", "category"),
        Index("ix_tickets_next_escalation_at", "next_escalation_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True, index=True)  # 12368-YYYYMMDD-NNNN
    category: Mapped[str] = mapped_column(String(32))  # code, tickets.categories.CATEGORIES
    source_label: Mapped[str | None] = mapped_column(String(32), nullable=True)  # what the bot called it
    status: Mapped[str] = mapped_column(String(16), index=True)  # code, tickets.states.Status
    priority: Mapped[str] = mapped_column(String(8), default="normal")  # normal / high / urgent
    channel: Mapped[str] = mapped_column(String(32))
    sender: Mapped[str] = mapped_column(String(160), index=True)
    caller_contact: Mapped[str | None] = mapped_column(String(64), nullable=True)  # shown masked by default
    summary: Mapped[str] = mapped_column(Text)
    case_number: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    caller_name: Mapped[str | None] = mapped_column(String(64), nullable=True)
    caller_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    collected: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    department: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    assignee: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    feedback: Mapped[str | None] = mapped_column(Text, nullable=True)
    handled_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # who fed back (考核)
    satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1–5 from the revisit
    satisfaction_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    revisit_attempts: Mapped[int] = mapped_column(Integer, default=0)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    merged_into: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # Deadlines (UTC) from tickets/deadlines.yml over the working-day calendar.
    assign_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    feedback_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revisit_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Supervision: when the next escalation level fires, and how far it has gone in this stage.
    next_escalation_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    escalation_stage: Mapped[str | None] = mapped_column(String(24), nullable=True)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    fed_back_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Hash of the latest audit event: deleting the newest events is detectable too.
    audit_head: Mapped[str | None] = mapped_column(String(64), nullable=True)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    # What a person's page shows and sends back: changes they must see before acting (people's and the
    # caller's). The scheduler's reminders and the bot's revisit bookkeeping leave it alone, so a page
    # open all day does not go stale because a reminder fired.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Every write: an UPDATE only applies if the row still has the row_version we read, otherwise
    # StaleDataError — this serialises all writers, system ones included, so the audit chain never forks.
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    events: Mapped[list[TicketEvent]] = relationship(back_populates="ticket", order_by="TicketEvent.id")

    __mapper_args__ = {"version_id_col": row_version}


class TicketEvent(Base):
    __tablename__ = "ticket_events"
    __table_args__ = (UniqueConstraint("ticket_id", "seq", name="uq_ticket_events_ticket_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)  # 1, 2, … per ticket
    step: Mapped[str] = mapped_column(String(16))  # 12368 step: 接听 / 交办 / 督办 / 反馈 / 回访 / 办结
    action: Mapped[str] = mapped_column(String(24), default="open")  # tickets.states.Action
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class TicketDayCounter(Base):
    """Per-day sequence behind ticket numbers, incremented atomically."""

    __tablename__ = "ticket_day_counters"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class TicketEscalation(Base):
    """One row per (ticket, stage round, level): the primary key makes each escalation fire once,
    however many gateway replicas sweep at the same moment."""

    __tablename__ = "ticket_escalations"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(24), primary_key=True)  # e.g. feedback#0 (reopen round 0)
    level: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1 催办 / 2 部门负责人 / 3 督办员
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TicketRevisitAttempt(Base):
    """One row per (ticket, reopening round, attempt) of the bot's revisit: asking the caller in their
    conversation, or queueing a phone revisit. The primary key makes each attempt happen once,
    however many gateway replicas sweep; `answered_at` is set when the caller's rating came back."""

    __tablename__ = "ticket_revisit_attempts"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True)  # the ticket's reopen_count
    attempt: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1, 2, 3; 4 = handed to an operator
    route: Mapped[str] = mapped_column(String(16))  # message / phone_task / operator
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class TicketNotification(Base):
    """What the console shows a person: reminders, escalations, revisits to review."""

    __tablename__ = "ticket_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(80), index=True)  # user:<name> / role:<role> / head:<dept>
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # remind / escalate / review
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class UnansweredMessageLink(Base):
    """chat_messages the bot could not answer → the ticket that carries them; the primary key makes
    each message become work exactly once."""

    __tablename__ = "ticket_unanswered_messages"

    message_id: Mapped[int] = mapped_column(ForeignKey("chat_messages.id"), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)


class WorkCalendarYear(Base):
    """A year the court's calendar knows (seeded from chinese-calendar, or entered from the notice)."""

    __tablename__ = "work_calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    entered_by: Mapped[str] = mapped_column(String(64))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WorkCalendarDay(Base):
    """Days that differ from the weekday rule: holidays on weekdays, make-up working days (调休)."""

    __tablename__ = "work_calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(32), default="")


@event.listens_for(TicketEvent, "before_update")
@event.listens_for(TicketEvent, "before_delete")
def _refuse_audit_change(_mapper: Any, _conn: Any, target: TicketEvent) -> None:
    raise PermissionError(f"ticket_events is append-only (event {target.id})")
