"""The gateway's scheduler jobs for tickets: supervision escalations, unanswered messages and revisits."""

from __future__ import annotations

from tickets.revisit import Revisits
from tickets.scheduler import Scheduler, sweep_escalations
from tickets.service import TicketService
from tickets.unanswered import sweep_unanswered


def ticket_scheduler(service: TicketService, interval: float, revisits: Revisits | None = None) -> Scheduler:
    jobs = [
        ("escalations", lambda: sweep_escalations(service)),
        ("unanswered", lambda: sweep_unanswered(service)),
    ]
    if revisits is not None:
        jobs.append(("revisits", revisits.sweep))
    return Scheduler(interval, jobs)  # type: ignore[arg-type]
