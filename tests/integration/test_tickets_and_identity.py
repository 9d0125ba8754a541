"""Ticket numbering and the append-only audit trail, on the configured database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone

import pytest
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine
from tickets.models import TicketEvent
from tickets.service import NewTicket, TicketService, format_ticket_number


def fresh_factory(url: str) -> sessionmaker[Session]:
    """A new engine, as a restarted process would have."""
    return sessionmaker(bind=make_engine(url), expire_on_commit=False)


def test_ticket_number_format() -> None:
    assert format_ticket_number(date(2026, 11, 26), 7) == "12368-20261126-0007"


def test_concurrent_tickets_get_distinct_consecutive_numbers(configured: str) -> None:
    service = TicketService(fresh_factory(configured))
    when = datetime(2031, 5, 6, 2, 0, tzinfo=timezone.utc)  # a day no other test uses
    with ThreadPoolExecutor(max_workers=8) as pool:
        tickets = list(pool.map(
            lambda i: service.open_ticket(NewTicket("转人工", "web", f"s{i}", f"测试{i}"), now=when), range(20)
        ))
    numbers = sorted(t.number for t in tickets)
    assert numbers == [f"12368-20310506-{i:04d}" for i in range(1, 21)]


def test_ticket_day_follows_court_time_zone(configured: str) -> None:
    service = TicketService(fresh_factory(configured))
    # 2032-01-01 17:00 UTC is already 2 January in Beijing.
    ticket = service.open_ticket(NewTicket("转人工", "web", "tz", "时区"), now=datetime(2032, 1, 1, 17, tzinfo=timezone.utc))
    assert ticket.number.startswith("12368-20320102-")


def test_audit_trail_is_append_only(configured: str) -> None:
    factory = fresh_factory(configured)
    ticket = TicketService(factory).open_ticket(NewTicket("投诉举报", "web", "audit", "电话13838915678态度差"))
    with factory() as session:
        event = session.query(TicketEvent).filter_by(ticket_id=ticket.id).one()
        assert event.step == "接听" and "13838915678" not in event.note and "138****5678" in event.note
        event.note = "changed"
        with pytest.raises(PermissionError):
            session.commit()
        session.rollback()
        session.delete(session.get(TicketEvent, event.id))
        with pytest.raises(PermissionError):
            session.commit()


# Identity checks and their limits: tests/integration/test_verification_limits.py.
