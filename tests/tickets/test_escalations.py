"""Supervision (督办) with a controllable clock: reminder to the assignee, then the department head,
then the supervisor, each exactly once, over the court's working-day calendar; and with two
scheduler instances (separate engines, as two gateway replicas) sweeping the same database at once,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from auth.service import AuthService
from core.db import make_engine
from core.timeutil import as_utc
from tickets.audit import verify_chain
from tickets.models import TicketEscalation, TicketEvent, TicketNotification
from tickets.scheduler import Scheduler, sweep_escalations
from tickets.service import ActionInput, Actor, NewTicket, StaleTicket, TicketService
from tickets.sla import Deadlines
from tickets.states import Action

CST = ZoneInfo("Asia/Shanghai")
# Written out here rather than read from tickets/deadlines.yml, so the expected times below follow.
DEADLINES = Deadlines(assign=1, feedback_default=3, feedback={"complaint": 5}, revisit=2, escalation_step=1)
OPERATOR = Actor("esc-op", "operator")


def cst(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CST)


def recipients_in_order(sessions: sessionmaker[Session], number: str) -> list[str]:
    with sessions() as session:
        from tickets.models import Ticket

        ticket_id = session.scalar(select(Ticket.id).where(Ticket.number == number))
        return list(session.scalars(select(TicketNotification.recipient)
                                    .where(TicketNotification.ticket_id == ticket_id)
                                    .order_by(TicketNotification.id)))


@pytest.fixture(scope="module")
def people(sqlite_sessions: sessionmaker[Session]) -> None:
    auth = AuthService(sqlite_sessions)
    auth.create_user("esc-handler", "department_handler", "Handler-pass-1", "承办人甲", "立案庭")
    auth.create_user("esc-head", "department_handler", "Head-pass-123", "庭长乙", "立案庭", is_department_head=True)


def test_the_ladder_fires_each_level_once_on_working_days(sqlite_sessions: sessionmaker[Session],
                                                          people: None) -> None:
    service = TicketService(sqlite_sessions, deadlines=DEADLINES)
    t = service.open_ticket(NewTicket("咨询", "web", "esc-1", "想问立案材料"), now=cst(3, 2, 10))  # Monday
    t = service.perform(t.number, Action.ASSIGN, OPERATOR, t.version,
                        ActionInput(department="立案庭", assignee="esc-handler"), cst(3, 2, 10, 5))
    # Feedback within 3 working days: Thursday 5 March, 17:30 court time.
    assert as_utc(t.feedback_due_at) == cst(3, 5, 17, 30)

    def sweep(at: datetime) -> int:
        return sweep_escalations(service, at)

    assert sweep(cst(3, 5, 17, 29)) == 0  # not yet due
    assert sweep(cst(3, 5, 17, 31)) == 1  # 催办 to the assignee
    assert sweep(cst(3, 5, 17, 31)) == 0  # the same moment again: nothing twice
    assert sweep(cst(3, 6, 12)) == 0
    assert sweep(cst(3, 7, 9)) == 1  # Saturday: Friday 17:30 has passed → the department head
    assert sweep(cst(3, 8, 20)) == 0  # Sunday is no working day: the supervisor waits for Monday
    assert sweep(cst(3, 9, 17, 29)) == 0
    assert sweep(cst(3, 9, 17, 31)) == 1  # → the supervisor
    assert sweep(cst(4, 30, 12)) == 0  # the ladder is finished for this stage

    assert recipients_in_order(sqlite_sessions, t.number) == ["user:esc-handler", "head:立案庭", "role:supervisor"]
    t = service.get(t.number)
    assert t is not None
    reminders = [e for e in t.events if e.action == "remind"]
    assert [as_utc(e.at) for e in reminders] == [cst(3, 5, 17, 31), cst(3, 7, 9), cst(3, 9, 17, 31)]
    assert "催办承办人" in reminders[0].note and "督办员" in reminders[2].note
    assert (t.escalation_level, t.priority, t.next_escalation_at) == (3, "high", None)

    # Who sees what: the head of 立案庭 gets level 2; a handler of the same department who is not
    # its head does not.
    head = Actor("esc-head", "department_handler", "立案庭", is_department_head=True)
    member = Actor("esc-handler", "department_handler", "立案庭")
    assert any(t.number in n.text and "部门负责人" in n.text for n in service.notifications_for(head))
    assert not any("部门负责人" in n.text for n in service.notifications_for(member))
    assert any("催办承办人" in n.text for n in service.notifications_for(member))

    # Feeding back starts the revisit stage's own ladder (2 working days: Wednesday 11 March).
    t = service.perform(t.number, Action.ACCEPT, Actor("esc-handler", "department_handler", "立案庭"), t.version,
                        now=cst(3, 9, 18))
    t = service.perform(t.number, Action.FEEDBACK, Actor("esc-handler", "department_handler", "立案庭"),
                        t.version, ActionInput(text="已电话答复立案所需材料"), cst(3, 9, 18, 10))
    assert (as_utc(t.revisit_due_at), t.escalation_level) == (cst(3, 11, 17, 30), 0)
    assert sweep(cst(3, 11, 17, 31)) == 1
    with sqlite_sessions() as session:
        _, _, problems = verify_chain(session)
    assert problems == []


def test_an_unassigned_ticket_reminds_the_operators_then_goes_up(sqlite_sessions: sessionmaker[Session]) -> None:
    service = TicketService(sqlite_sessions, deadlines=DEADLINES)
    t = service.open_ticket(NewTicket("投诉举报", "wechat", "esc-2", "窗口人员态度差"), now=cst(3, 2, 10))
    assert as_utc(t.assign_due_at) == cst(3, 3, 17, 30)
    assert sweep_escalations(service, cst(3, 3, 18)) == 1
    assert sweep_escalations(service, cst(3, 4, 18)) == 1
    assert recipients_in_order(sqlite_sessions, t.number) == ["role:operator", "role:supervisor"]


def _overdue_tickets(service: TicketService, count: int, sender: str) -> list[str]:
    return [service.open_ticket(NewTicket("咨询", "web", f"{sender}-{i}", f"第{i}个问题"), now=cst(6, 8, 9)).number
            for i in range(count)]


def _race(urls: list[str], at: datetime, batch: int) -> list[int]:
    """Two scheduler instances, each with its own engine, sweeping at the same moment."""
    engines = [make_engine(u) for u in urls]
    services = [TicketService(sessionmaker(bind=e, expire_on_commit=False), deadlines=DEADLINES) for e in engines]
    for s in services:
        s.calendar.get()  # load the calendar before the start line
    barrier = threading.Barrier(len(services))
    fired = [0] * len(services)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            fired[i] = sweep_escalations(services[i], at, batch=batch)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(services))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    for e in engines:
        e.dispose()
    assert errors == []
    return fired


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_schedulers_fire_each_escalation_exactly_once(backend: str, request: pytest.FixtureRequest) -> None:
    sessions: sessionmaker[Session] = request.getfixturevalue(f"{'pg' if backend == 'postgresql' else 'sqlite'}_sessions")
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    service = TicketService(sessions, deadlines=DEADLINES)
    while sweep_escalations(service, cst(6, 1, 9)):  # earlier tests' ladders run out first
        pass
    numbers = _overdue_tickets(service, 40, f"race-{backend}")  # Monday 8 June
    # Level 1 (assign due Tue 17:30), level 2 (Wed 17:30), level 3 (Thu 17:30): race each one.
    for level, at in enumerate((cst(6, 9, 18), cst(6, 10, 18), cst(6, 11, 18)), start=1):
        fired = _race([url, url], at, batch=7)
        assert sum(fired) == len(numbers), (level, fired)
        assert _race([url, url], at, batch=7) == [0, 0]  # and nothing a second time
    with sessions() as session:
        from tickets.models import Ticket

        ids = list(session.scalars(select(Ticket.id).where(Ticket.number.in_(numbers))))
        per_ticket = dict(session.execute(
            select(TicketEscalation.ticket_id, func.count()).where(TicketEscalation.ticket_id.in_(ids))
            .group_by(TicketEscalation.ticket_id)).all())
        notes = dict(session.execute(
            select(TicketNotification.ticket_id, func.count()).where(TicketNotification.ticket_id.in_(ids))
            .group_by(TicketNotification.ticket_id)).all())
        reminders = dict(session.execute(
            select(TicketEvent.ticket_id, func.count()).where(TicketEvent.ticket_id.in_(ids),
                                                              TicketEvent.action == "remind")
            .group_by(TicketEvent.ticket_id)).all())
        _, _, problems = verify_chain(session)
    assert set(per_ticket.values()) == {3} and len(per_ticket) == len(numbers)
    assert set(notes.values()) == {3} and set(reminders.values()) == {3}
    assert problems == []


def test_the_in_app_scheduler_keeps_going_when_a_job_fails() -> None:
    calls: list[str] = []

    def broken() -> int:
        raise RuntimeError("database went away")

    def working() -> int:
        calls.append("ran")
        return 2

    scheduler = Scheduler(60, [("broken", broken), ("working", working)])
    assert asyncio.run(scheduler.run_once()) == {"working": 2}
    assert calls == ["ran"]


def test_a_reminder_does_not_make_an_open_page_stale(sqlite_sessions: sessionmaker[Session], people: None) -> None:
    service = TicketService(sqlite_sessions, deadlines=DEADLINES)
    t = service.open_ticket(NewTicket("咨询", "web", "esc-stale", "想问开庭时间"), now=cst(3, 2, 10))
    t = service.perform(t.number, Action.ASSIGN, OPERATOR, t.version,
                        ActionInput(department="立案庭", assignee="esc-handler"), cst(3, 2, 10, 5))
    seen = t.version  # the handler opened the ticket's page
    assert sweep_escalations(service, cst(3, 5, 17, 31)) == 1  # 催办 fired while the page was open
    handler = Actor("esc-handler", "department_handler", "立案庭")
    t = service.perform(t.number, Action.ACCEPT, handler, seen, now=cst(3, 5, 17, 40))
    assert t.status == "in_progress" and t.version == seen + 1
    # The caller adds something: that is news the handler must see before answering.
    service.add_details(t.number, "补充：俺的案号是2025民初2001", "bot", now=cst(3, 5, 17, 45))
    with pytest.raises(StaleTicket):
        service.perform(t.number, Action.FEEDBACK, handler, t.version, ActionInput(text="已答复"), cst(3, 5, 17, 50))
    with sqlite_sessions() as session:
        assert verify_chain(session)[2] == []
