"""Supervision (督办) sweep and the in-app scheduler.

`sweep_escalations(now)` fires every escalation that is due: 催办 to the assignee (or the operators
while unassigned), then the department head, then the supervisors. Each (ticket, stage round,
level) fires exactly once even when several gateway replicas sweep together: on PostgreSQL the rows
are claimed with FOR UPDATE SKIP LOCKED, and everywhere the ticket_escalations primary key refuses a
second firing.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.timeutil import as_utc, utcnow
from tickets.models import Ticket, TicketEscalation
from tickets.service import TicketService, notify, record_event, snapshot
from tickets.sla import LEVELS, escalation_time
from tickets.states import OPEN, Action

log = logging.getLogger("courtbot.scheduler")
BATCH = 500


def _recipient(ticket: Ticket, level: int) -> str:
    if level == 1:
        return f"user:{ticket.assignee}" if ticket.assignee else "role:operator"
    if level == 2 and ticket.department:
        return f"head:{ticket.department}"
    return "role:supervisor"


def sweep_escalations(service: TicketService, now: datetime | None = None, batch: int = BATCH) -> int:
    """Fire what is due; returns how many escalations fired."""
    now = as_utc(now) if now else utcnow()  # SQLite compares the stored UTC digits
    fired = 0
    while True:
        with service.sessions.begin() as session:
            stmt = (select(Ticket).where(Ticket.next_escalation_at <= now,
                                         Ticket.status.in_([s.value for s in OPEN]))
                    .order_by(Ticket.next_escalation_at).limit(batch))
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            tickets = list(session.scalars(stmt))
            cal = service.calendar.get()
            for ticket in tickets:
                fired += _fire(session, service, ticket, now, cal)
        if len(tickets) < batch:
            return fired


def _fire(session: Session, service: TicketService, ticket: Ticket, now: datetime, cal: object) -> int:
    level = ticket.escalation_level + 1
    stage = ticket.escalation_stage or "?"
    try:
        with session.begin_nested():
            session.execute(insert(TicketEscalation).values(ticket_id=ticket.id, stage=stage, level=level,
                                                            fired_at=now))
    except IntegrityError:  # another replica fired this one; it also moved the ticket on
        session.refresh(ticket)
        return 0
    before = snapshot(ticket)
    ticket.escalation_level = level
    if level >= 2 and ticket.priority == "normal":
        ticket.priority = "high"
    due = ticket.next_escalation_at
    stage_name = stage.split("#")[0]
    stage_due = {"assign": ticket.assign_due_at, "feedback": ticket.feedback_due_at,
                 "revisit": ticket.revisit_due_at}.get(stage_name) or due
    ticket.next_escalation_at = escalation_time(stage_due, level + 1, cal, service.deadlines)  # type: ignore[arg-type]
    stage_label = {"assign": "交办", "feedback": "反馈", "revisit": "回访"}.get(stage_name, stage_name)
    text = f"工单 {ticket.number} {stage_label}已超期，{LEVELS[level]}"
    recipient = _recipient(ticket, level)
    notify(session, ticket, recipient, "remind" if level == 1 else "escalate", text, now)
    record_event(session, ticket, Action.REMIND, "courtbot:scheduler", f"{text}（通知 {recipient}）", before,
                 snapshot(ticket), now)
    return 1


class Scheduler:
    """Runs the sweeps every `interval` seconds inside the gateway (lifespan task)."""

    def __init__(self, interval: float, jobs: list[tuple[str, Callable[[], int] | Callable[[], Awaitable[int]]]]) -> None:
        self.interval = interval
        self.jobs = jobs
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.interval > 0:
            self._task = asyncio.create_task(self._run(), name="courtbot-scheduler")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_once(self) -> dict[str, int]:
        done: dict[str, int] = {}
        for name, job in self.jobs:
            try:
                # Coroutine jobs (revisits deliver through the async channels) run on the loop.
                done[name] = await job() if inspect.iscoroutinefunction(job) else await asyncio.to_thread(job)  # type: ignore[misc]
            except Exception:  # one bad sweep must not stop supervision for good
                log.exception("scheduler job %s failed", name)
        return done

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)  # not at start-up: let the stack come up first
            done = await self.run_once()
            if any(done.values()):
                log.info("scheduler: %s", done)
