"""Deadlines per category (tickets/deadlines.yml) and the supervision ladder over the calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from core.config import get_settings
from tickets.calendar import WorkCalendar
from tickets.categories import CATEGORIES
from tickets.models import Ticket

DEFAULT_FILE = Path(__file__).with_name("deadlines.yml")
LEVELS = {1: "催办承办人", 2: "升级至部门负责人", 3: "升级至督办员"}


@dataclass(frozen=True)
class Deadlines:
    assign: int = 1
    feedback_default: int = 3
    feedback: dict[str, int] = field(default_factory=dict)
    revisit: int = 2
    escalation_step: int = 1

    def feedback_days(self, category: str) -> int:
        return self.feedback.get(category, self.feedback_default)


def load_deadlines(path: Path | None = None) -> Deadlines:
    path = path or get_settings().deadlines_file or DEFAULT_FILE
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    feedback = raw.get("feedback", {})
    if isinstance(feedback, int):
        feedback = {"default": feedback}
    unknown = set(feedback) - set(CATEGORIES) - {"default"}
    if unknown:
        raise ValueError(f"{path}: unknown categories {sorted(unknown)}; known: {sorted(CATEGORIES)}")
    values = {"assign": raw.get("assign", 1), "revisit": raw.get("revisit", 2),
              "escalation_step": raw.get("escalation_step", 1), **{f"feedback.{k}": v for k, v in feedback.items()}}
    for key, value in values.items():
        if not isinstance(value, int) or value < 0 or value > 60:
            raise ValueError(f"{path}: {key} must be a whole number of working days 0–60, got {value!r}")
    return Deadlines(
        assign=raw.get("assign", 1), feedback_default=feedback.get("default", 3),
        feedback={k: v for k, v in feedback.items() if k != "default"},
        revisit=raw.get("revisit", 2), escalation_step=raw.get("escalation_step", 1),
    )


def current_stage(ticket: Ticket) -> tuple[str, datetime | None] | None:
    """(stage, deadline) the ticket is being timed on now; None when nothing is pending."""
    if ticket.status == "received":
        return "assign", ticket.assign_due_at
    if ticket.status in ("assigned", "in_progress"):
        return "feedback", ticket.feedback_due_at
    if ticket.status == "fed_back":
        return "revisit", ticket.revisit_due_at
    return None


def refresh_supervision(ticket: Ticket, calendar: WorkCalendar, deadlines: Deadlines) -> None:
    """Point `next_escalation_at` at the next level to fire for the current stage; a new stage
    (or a reopening round) starts the ladder again."""
    stage = current_stage(ticket)
    if stage is None or stage[1] is None:
        ticket.next_escalation_at = None
        return
    name, due = stage
    key = f"{name}#{ticket.reopen_count}"
    if ticket.escalation_stage != key:
        ticket.escalation_stage, ticket.escalation_level = key, 0
    ticket.next_escalation_at = escalation_time(due, ticket.escalation_level + 1, calendar, deadlines)


def escalation_time(due: datetime, level: int, calendar: WorkCalendar, deadlines: Deadlines) -> datetime | None:
    if level > max(LEVELS):
        return None
    if level == 1:
        return due
    return calendar.add_working_days(due, (level - 1) * deadlines.escalation_step)
