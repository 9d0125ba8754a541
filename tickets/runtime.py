"""The gateway's scheduler jobs for tickets: supervision escalations and unanswered messages."""

from __future__ import annotations

from tickets.scheduler import Scheduler, sweep_escalations
from tickets.service import TicketService
from tickets.unanswered import sweep_unanswered


def ticket_scheduler(service: TicketService, interval: float) -> Scheduler:
    return Scheduler(interval, [
        ("escalations", lambda: sweep_escalations(service)),
        ("unanswered", lambda: sweep_unanswered(service)),
    ])
