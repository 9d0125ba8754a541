"""`/api/live/...`: the console's side of the live hand-off (operator, supervisor, admin).

    GET  /api/live/conversations                     waiting and live conversations (+ free operators)
    GET  /api/live/conversations/{id}                one of them
    POST /api/live/conversations/{id}/take           take over; a second operator gets 409
    POST /api/live/conversations/{id}/messages       {"text"}: the holder's reply, on the caller's channel
    GET  /api/live/conversations/{id}/messages?after=  the transcript after message id `after`
    POST /api/live/conversations/{id}/hand-back      give the conversation back to the bot
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field, field_validator

from auth.deps import require_role
from auth.service import Principal
from conversations import replies
from conversations.handoff import HandoffError, LiveHandoff, LiveSummary
from conversations.outbound import Outbound
from conversations.service import MessageLog
from tickets.service import ActionInput, Actor, TicketError, TicketService
from tickets.states import Action

log = logging.getLogger("courtbot.live")
router = APIRouter(prefix="/api/live", tags=["live hand-off"])
LIVE_ROLES = ("operator", "supervisor", "admin")
Staff = Annotated[Principal, Depends(require_role(*LIVE_ROLES))]


class LiveOut(BaseModel):
    id: int
    channel: str
    state: str  # waiting / live / closed
    ticket_number: str | None
    operator: str | None
    requested_at: datetime
    taken_at: datetime | None
    last_message: str | None
    unread: int


class QueueOut(BaseModel):
    conversations: list[LiveOut]
    operators_free: int


class OperatorMessage(BaseModel):
    text: str = Field(min_length=1, max_length=2000)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.replace("\x00", "").strip()
        if not value:
            raise ValueError("消息不能为空")
        return value


class SentOut(BaseModel):
    message_ids: list[int]
    status: str  # sent / failed
    route: str  # stored (web poll) / customer_service / template / none
    ticket_number: str | None  # the operator task opened when delivery failed


class MessageOut(BaseModel):
    id: int
    direction: str  # in / out
    author: str  # caller / bot / operator:<user> / courtbot:<purpose>
    text: str
    status: str
    at: datetime


class TranscriptOut(BaseModel):
    state: str
    messages: list[MessageOut]


def _view(summary: LiveSummary) -> LiveOut:
    return LiveOut(**summary.__dict__)


def _handoff(request: Request) -> LiveHandoff:
    return request.app.state.conversations.handoff


def _fail(exc: HandoffError) -> HTTPException:
    return HTTPException(exc.status_code, exc.message)


async def _ticket_note(request: Request, number: str | None, user: Principal, text: str) -> None:
    """The ticket's audit trail records the hand-off too; a closed ticket simply does not take it."""
    if not number:
        return
    tickets: TicketService = request.app.state.tickets
    actor = Actor(user.username, user.role, user.department)
    try:
        await asyncio.to_thread(tickets.perform, number, Action.NOTE, actor, None, ActionInput(text=text))
    except TicketError as exc:
        log.info("live note not added to %s: %s", number, exc.message)


@router.get("/conversations", response_model=QueueOut)
async def queue(request: Request, user: Staff) -> Any:
    handoff = _handoff(request)
    rows = await asyncio.to_thread(handoff.queue, user.username)
    free = await asyncio.to_thread(handoff.free_operators)
    return QueueOut(conversations=[_view(r) for r in rows], operators_free=len(free))


@router.get("/conversations/{live_id}", response_model=LiveOut)
async def one(live_id: int, request: Request, _user: Staff) -> Any:
    try:
        return _view(await asyncio.to_thread(_handoff(request).get, live_id))
    except HandoffError as exc:
        raise _fail(exc) from None


@router.post("/conversations/{live_id}/take", response_model=LiveOut)
async def take(live_id: int, request: Request, user: Staff) -> Any:
    handoff = _handoff(request)
    try:
        row = await asyncio.to_thread(handoff.take, live_id, user.username)
    except HandoffError as exc:
        raise _fail(exc) from None
    outbound: Outbound = request.app.state.outbound
    await outbound.deliver(row.channel, row.sender, [replies.LIVE_TAKEN], f"operator:{user.username}")
    await _ticket_note(request, row.ticket_number, user, f"{user.display_name}接管了在线会话")
    return _view(await asyncio.to_thread(handoff.get, live_id))


@router.post("/conversations/{live_id}/messages", response_model=SentOut)
async def send(live_id: int, body: OperatorMessage, request: Request, user: Staff) -> Any:
    try:
        row = await asyncio.to_thread(_handoff(request).holder_check, live_id, user.username)
    except HandoffError as exc:
        raise _fail(exc) from None
    outbound: Outbound = request.app.state.outbound
    delivery = await outbound.deliver(row.channel, row.sender, [body.text], f"operator:{user.username}")
    return SentOut(message_ids=delivery.message_ids, status=delivery.status, route=delivery.route,
                   ticket_number=delivery.ticket_number)


@router.get("/conversations/{live_id}/messages", response_model=TranscriptOut)
async def transcript(live_id: int, request: Request, _user: Staff, after: int = Query(0, ge=0)) -> Any:
    handoff = _handoff(request)
    messages: MessageLog = request.app.state.message_log
    try:
        summary = await asyncio.to_thread(handoff.get, live_id)
        row = await asyncio.to_thread(handoff.conversation, live_id)
    except HandoffError as exc:
        raise _fail(exc) from None
    rows = await asyncio.to_thread(messages.since, row.channel, row.sender, after)
    return TranscriptOut(state=summary.state, messages=[
        MessageOut(id=m.id, direction=m.direction, text=m.text, status=m.status, at=m.at,
                   author=m.author or ("caller" if m.direction == "in" else "bot"))
        for m in rows
    ])


@router.post("/conversations/{live_id}/hand-back", response_model=LiveOut)
async def hand_back(live_id: int, request: Request, user: Staff) -> Any:
    handoff = _handoff(request)
    try:
        row = await asyncio.to_thread(handoff.hand_back, live_id, user.username)
    except HandoffError as exc:
        raise _fail(exc) from None
    outbound: Outbound = request.app.state.outbound
    await outbound.deliver(row.channel, row.sender, [replies.LIVE_ENDED], "courtbot:handoff")
    await _ticket_note(request, row.ticket_number, user, f"{user.display_name}结束在线会话，交回智能客服")
    return _view(await asyncio.to_thread(handoff.get, live_id))
