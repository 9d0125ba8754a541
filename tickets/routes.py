"""`/api/tickets`: list, show, and the actions, on the same TicketService the console uses.
Every route checks its role; actions carry the version the person saw (optimistic locking)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from auth.deps import require_role
from auth.service import Principal
from core.db import get_session_factory
from core.timeutil import utcnow
from tickets.categories import CATEGORIES, STATUS_LABELS
from tickets.service import QUEUES, ActionInput, Actor, TicketError, TicketQuery, TicketService
from tickets.states import Action
from tickets.views import detail_view, summary_view

router = APIRouter(prefix="/api/tickets", tags=["tickets"])

VIEW_ROLES = ("operator", "department_handler", "supervisor", "admin")
# Who may do what: operators answer and dispatch, departments handle, supervisors oversee everything.
ACTION_ROLES: dict[Action, tuple[str, ...]] = {
    Action.ACCEPT: ("operator", "department_handler", "supervisor"),
    Action.ASSIGN: ("operator", "supervisor"),
    Action.RETURN: ("department_handler", "supervisor"),
    Action.NOTE: ("operator", "department_handler", "supervisor"),
    Action.FEEDBACK: ("operator", "department_handler", "supervisor"),
    Action.REVISIT: ("operator", "supervisor"),
    Action.REVISIT_FAILED: ("operator", "supervisor"),
    Action.CLOSE: ("operator", "supervisor"),
    Action.REOPEN: ("operator", "supervisor"),
    Action.ESCALATE: ("operator", "supervisor"),
    Action.MERGE: ("operator", "supervisor"),
}


def ticket_service(request: Request) -> TicketService:
    service = getattr(request.app.state, "tickets", None)
    if service is None:  # apps built without the gateway lifespan (tests) still work
        service = request.app.state.tickets = TicketService(get_session_factory())
    return service


def actor_of(user: Principal) -> Actor:
    return Actor(user.username, user.role, user.department, user.is_department_head)


class ActionBody(BaseModel):
    version: int = Field(description="the ticket version the person saw; a stale one gets 409")
    text: str | None = Field(default=None, max_length=4000, description="note / feedback / reason / comment")
    department: str | None = Field(default=None, max_length=32)
    assignee: str | None = Field(default=None, max_length=64)
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    into: str | None = Field(default=None, max_length=32, description="merge: the ticket this one duplicates")
    priority: Literal["normal", "high", "urgent"] | None = None


def _fail(exc: TicketError) -> HTTPException:
    return HTTPException(exc.status_code, exc.message)


def _visible(user: Principal, ticket: Any) -> bool:
    return user.role != "department_handler" or ticket.department == user.department or (
        ticket.assignee == user.username)


@router.get("", summary="List tickets (filters, search, queues)")
async def list_tickets(
    request: Request,
    user: Annotated[Principal, Depends(require_role(*VIEW_ROLES))],
    status: Annotated[str | None, Query(description=f"one of {', '.join(STATUS_LABELS)}")] = None,
    category: Annotated[str | None, Query(description=f"one of {', '.join(CATEGORIES)}")] = None,
    q: Annotated[str | None, Query(max_length=100, description="number, summary, case number, name")] = None,
    queue: Annotated[str | None, Query(description=f"one of {', '.join(QUEUES)}")] = None,
    channel: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    for name, value, allowed in (("status", status, STATUS_LABELS), ("category", category, CATEGORIES),
                                 ("queue", queue, QUEUES)):
        if value and value not in allowed:
            raise HTTPException(422, f"{name} 取值无效：{value}（可选：{', '.join(allowed)}）")
    query = TicketQuery(status=status, category=category, q=q, queue=queue, channel=channel, limit=limit,
                        offset=offset)
    now = utcnow()
    rows, total = await asyncio.to_thread(ticket_service(request).search, query, actor_of(user), now)
    return {"total": total, "tickets": [summary_view(t, now) for t in rows]}


@router.get("/queues", summary="How many tickets wait in each queue")
async def queue_counts(request: Request,
                       user: Annotated[Principal, Depends(require_role(*VIEW_ROLES))]) -> dict[str, int]:
    return await asyncio.to_thread(ticket_service(request).queue_counts, actor_of(user))


@router.get("/notifications", summary="Reminders and escalations addressed to me")
async def notifications(request: Request, user: Annotated[Principal, Depends(require_role(*VIEW_ROLES))],
                        since: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    rows = await asyncio.to_thread(ticket_service(request).notifications_for, actor_of(user), since)
    return {"notifications": [{"id": n.id, "kind": n.kind, "text": n.text, "at": n.at.isoformat()} for n in rows]}


@router.get("/staff", summary="Departments and people a ticket can be assigned to")
async def staff(request: Request,
                _user: Annotated[Principal, Depends(require_role(*ACTION_ROLES[Action.ASSIGN]))]) -> dict[str, Any]:
    people = await asyncio.to_thread(ticket_service(request).staff)
    return {
        "departments": sorted({p.department for p in people if p.department}),
        "people": [{"username": p.username, "display_name": p.display_name, "role": p.role,
                    "department": p.department} for p in people],
    }


@router.get("/{number}", summary="One ticket with its transcript and audit events")
async def show_ticket(request: Request, number: str,
                      user: Annotated[Principal, Depends(require_role(*VIEW_ROLES))]) -> dict[str, Any]:
    ticket = await asyncio.to_thread(ticket_service(request).get, number)
    if ticket is None or not _visible(user, ticket):
        raise HTTPException(404, f"没有找到工单 {number}")
    return detail_view(ticket, utcnow(), user.role)


def _action_route(action: Action) -> None:
    # A default, not an Annotated hint: postponed annotations cannot see this closure's `action`.
    guard = Depends(require_role(*ACTION_ROLES[action]))

    async def act(request: Request, number: str, body: ActionBody, user: Principal = guard) -> dict[str, Any]:
        service = ticket_service(request)
        if user.role == "department_handler":  # only they see a part of the tickets
            current = await asyncio.to_thread(service.get, number)
            if current is None or not _visible(user, current):
                raise HTTPException(404, f"没有找到工单 {number}")
        data = ActionInput(text=body.text, department=body.department, assignee=body.assignee,
                           satisfaction=body.satisfaction, into=body.into, priority=body.priority)
        try:
            ticket = await asyncio.to_thread(service.perform, number, action, actor_of(user), body.version, data)
        except TicketError as exc:
            raise _fail(exc) from None
        return detail_view(ticket, utcnow(), user.role)

    act.__name__ = f"ticket_{action.value}"
    router.add_api_route(f"/{{number}}/{action.value.replace('_', '-')}", act, methods=["POST"],
                         summary=f"{action.value}: roles {', '.join(ACTION_ROLES[action])}",
                         responses={409: {"description": "illegal transition or stale version; nothing changed"}})


for _action in ACTION_ROLES:
    _action_route(_action)
