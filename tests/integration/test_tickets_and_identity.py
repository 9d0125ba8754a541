"""Ticket numbering, the append-only audit trail and identity lockout, on the configured database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session, sessionmaker

from cases.system import EmbeddedCaseSystem
from core.db import make_engine
from identity.service import IdentityService
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


def test_lock_survives_restart_and_expires_after_an_hour(seeded: date, configured: str) -> None:
    case = "（2024）豫0804民初1566号"
    now = datetime(2030, 1, 1, 1, 0, tzinfo=timezone.utc)
    first = IdentityService(fresh_factory(configured), EmbeddedCaseSystem(fresh_factory(configured)))
    for _ in range(3):
        result = first.verify_caller(case, "李娜", "0000", sender="a", channel="web", now=now)
    assert result.locked_until == now + timedelta(hours=1)

    restarted = IdentityService(fresh_factory(configured), EmbeddedCaseSystem(fresh_factory(configured)))
    later = now + timedelta(minutes=59)
    assert restarted.locked_until(case, later) == now + timedelta(hours=1)
    refused = restarted.verify_caller(case, "张伟", "5678", sender="b", channel="hotline", now=later)
    assert not refused.verified and refused.locked_until is not None

    after = now + timedelta(minutes=61)
    ok = restarted.verify_caller(case, "张伟", "5678", sender="b", channel="hotline", now=after)
    assert ok.verified and ok.party is not None and ok.party.role == "原告"
    assert restarted.locked_until(case) is None


def test_success_resets_the_failure_count(seeded: date, configured: str) -> None:
    case = "（2024）豫0804民初1566号"
    service = IdentityService(fresh_factory(configured), EmbeddedCaseSystem(fresh_factory(configured)))
    now = datetime(2030, 6, 1, tzinfo=timezone.utc)
    service.verify_caller(case, "张伟", "0000", sender="a", channel="web", now=now)
    service.verify_caller(case, "张伟", "0000", sender="a", channel="web", now=now)
    assert service.verify_caller(case, "张伟", "5678", sender="a", channel="web", now=now).verified
    result = service.verify_caller(case, "张伟", "0000", sender="a", channel="web", now=now)
    assert result.attempts_left == 2
    # Leave the shared demo case clean for the other tests.
    assert service.verify_caller(case, "张伟", "5678", sender="a", channel="web", now=now).verified
