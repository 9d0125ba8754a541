"""What a ticket looks like to the console and the REST API. The caller's contact is masked unless
the viewer's role needs to call back (operators and supervisors, on the detail view only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.masking import mask_phone, mask_text
from core.timeutil import as_utc
from tickets.categories import PRIORITY_LABELS, category_label, channel_label, status_label
from tickets.models import Ticket, TicketEvent
from tickets.sla import current_stage
from tickets.states import ACTION_LABELS, available_actions

CONTACT_ROLES = frozenset({"operator", "supervisor"})


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def sla(ticket: Ticket, now: datetime) -> dict[str, Any] | None:
    stage = current_stage(ticket)
    if stage is None or stage[1] is None:
        return None
    name, due = stage
    seconds = int((as_utc(due) - now).total_seconds())
    return {"stage": name, "due_at": _iso(due), "seconds_left": seconds, "overdue": seconds < 0}


def summary_view(ticket: Ticket, now: datetime) -> dict[str, Any]:
    return {
        "number": ticket.number, "version": ticket.version,
        "status": ticket.status, "status_label": status_label(ticket.status),
        "category": ticket.category, "category_label": category_label(ticket.category),
        "source_label": ticket.source_label,
        "priority": ticket.priority, "priority_label": PRIORITY_LABELS.get(ticket.priority, ticket.priority),
        "channel": ticket.channel, "channel_label": channel_label(ticket.channel), "summary": mask_text(ticket.summary)[:200],
        "caller_name": ticket.caller_name, "caller_contact": mask_phone(ticket.caller_contact)
        if ticket.caller_contact else None,
        "case_number": ticket.case_number, "caller_verified": ticket.caller_verified,
        "department": ticket.department, "assignee": ticket.assignee,
        "created_at": _iso(ticket.created_at), "updated_at": _iso(ticket.updated_at),
        "escalation_level": ticket.escalation_level, "sla": sla(ticket, now),
        "merged_into": ticket.merged_into, "satisfaction": ticket.satisfaction,
    }


def event_view(event: TicketEvent) -> dict[str, Any]:
    return {"seq": event.seq, "at": _iso(event.at), "step": event.step, "action": event.action,
            "action_label": ACTION_LABELS.get(event.action, event.action), "actor": event.actor,
            "note": event.note, "before": event.before or {}, "after": event.after or {}, "hash": event.hash}


def detail_view(ticket: Ticket, now: datetime, role: str) -> dict[str, Any]:
    view = summary_view(ticket, now)
    if role in CONTACT_ROLES:
        view["caller_contact"] = ticket.caller_contact
    view.update(
        summary=mask_text(ticket.summary), feedback=ticket.feedback,
        satisfaction_comment=ticket.satisfaction_comment, reopen_count=ticket.reopen_count,
        revisit_attempts=ticket.revisit_attempts, collected=_masked(ticket.collected or {}),
        transcript=[{**turn, "text": mask_text(str(turn.get("text", "")))} for turn in ticket.transcript or []],
        events=[event_view(e) for e in ticket.events],
        deadlines={"assign": _iso(ticket.assign_due_at), "feedback": _iso(ticket.feedback_due_at),
                   "revisit": _iso(ticket.revisit_due_at)},
        actions=[{"action": a.value, "label": ACTION_LABELS[a]} for a in available_actions(ticket.status)],
    )
    return view


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value
