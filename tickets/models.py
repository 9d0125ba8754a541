"""Ticket tables. `ticket_events` is append-only: rows are never updated or deleted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True, index=True)  # 12368-YYYYMMDD-NNNN
    category: Mapped[str] = mapped_column(String(32))  # 转人工 / 投诉举报 / 涉诉信访 / 联系法官 / 意见建议 ...
    status: Mapped[str] = mapped_column(String(16))  # 待交办 / 已交办 / 督办中 / 已反馈 / 已回访
    channel: Mapped[str] = mapped_column(String(32))
    sender: Mapped[str] = mapped_column(String(160), index=True)
    summary: Mapped[str] = mapped_column(Text)
    case_number: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    caller_name: Mapped[str | None] = mapped_column(String(64), nullable=True)
    caller_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    collected: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    events: Mapped[list[TicketEvent]] = relationship(back_populates="ticket", order_by="TicketEvent.id")


class TicketEvent(Base):
    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))  # 接听 / 交办 / 督办 / 反馈 / 回访
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class TicketDayCounter(Base):
    """Per-day sequence behind ticket numbers, incremented atomically."""

    __tablename__ = "ticket_day_counters"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


@event.listens_for(TicketEvent, "before_update")
@event.listens_for(TicketEvent, "before_delete")
def _refuse_audit_change(_mapper: Any, _conn: Any, target: TicketEvent) -> None:
    raise PermissionError(f"ticket_events is append-only (event {target.id})")
