"""Ticket operations, database only (no HTTP). Every change writes a TicketEvent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from core.masking import mask_text
from core.timeutil import court_tz, utcnow
from tickets.models import Ticket, TicketDayCounter, TicketEvent

TICKET_PREFIX = "12368"


@dataclass
class NewTicket:
    category: str
    channel: str
    sender: str
    summary: str
    case_number: str | None = None
    caller_name: str | None = None
    caller_verified: bool = False
    collected: dict[str, Any] = field(default_factory=dict)
    transcript: list[dict[str, Any]] = field(default_factory=list)


def format_ticket_number(day: date, seq: int) -> str:
    return f"{TICKET_PREFIX}-{day:%Y%m%d}-{seq:04d}"


def next_ticket_seq(session: Session, day: date) -> int:
    """Atomic per-day counter: UPDATE … RETURNING serialises concurrent callers on the row."""
    for _ in range(3):
        seq = session.execute(
            update(TicketDayCounter)
            .where(TicketDayCounter.day == day)
            .values(last=TicketDayCounter.last + 1)
            .returning(TicketDayCounter.last)
        ).scalar()
        if seq is not None:
            return int(seq)
        try:
            with session.begin_nested():
                session.execute(insert(TicketDayCounter).values(day=day, last=1))
            return 1
        except IntegrityError:
            continue  # another process created today's row first; increment it
    raise RuntimeError("could not allocate a ticket number")


class TicketService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def open_ticket(self, new: NewTicket, now: datetime | None = None) -> Ticket:
        now = now or utcnow()
        day = now.astimezone(court_tz()).date()
        with self._sessions.begin() as session:
            ticket = Ticket(
                number=format_ticket_number(day, next_ticket_seq(session, day)),
                category=new.category,
                status="待交办",
                channel=new.channel,
                sender=new.sender,
                summary=new.summary,
                case_number=new.case_number,
                caller_name=new.caller_name,
                caller_verified=new.caller_verified,
                collected=new.collected,
                transcript=new.transcript,
                created_at=now,
            )
            session.add(ticket)
            session.flush()
            session.add(
                TicketEvent(
                    ticket_id=ticket.id,
                    step="接听",
                    actor=f"courtbot:{new.channel}",
                    note=mask_text(f"{new.category}：{new.summary}"),
                    at=now,
                )
            )
        return ticket

    def get(self, number: str) -> Ticket | None:
        with self._sessions() as session:
            stmt = select(Ticket).where(Ticket.number == number).options(selectinload(Ticket.events))
            return session.scalars(stmt).first()

    def list_for_sender(self, sender: str) -> list[Ticket]:
        with self._sessions() as session:
            stmt = select(Ticket).where(Ticket.sender == sender).order_by(Ticket.id)
            return list(session.scalars(stmt))
