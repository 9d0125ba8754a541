"""The web chat: `POST /api/chat {"sender","message"}` → `{"replies":[{"text"}]}`, and the poll
the page uses for messages pushed into the conversation (operators, revisits)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, field_validator

from conversations.conversation import ConversationService, Inbound
from conversations.service import MessageLog
from core.client_address import client_address

router = APIRouter()
CHANNEL = "web"


class ChatIn(BaseModel):
    sender: str = Field(min_length=1, max_length=128)
    message: str = Field(min_length=1, max_length=2000)

    @field_validator("sender", "message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.replace("\x00", "").strip()  # NUL cannot be stored (PostgreSQL) and means nothing
        if not value:
            raise ValueError("不能为空")
        return value


class Reply(BaseModel):
    text: str


class ChatOut(BaseModel):
    replies: list[Reply]
    degraded: bool = False
    live: bool = False  # a person holds the conversation; their replies arrive through the poll


class Pushed(BaseModel):
    id: int
    text: str
    author: str  # operator / courtbot


class PushedOut(BaseModel):
    messages: list[Pushed]
    live: bool


@router.post("/api/chat", response_model=ChatOut)
async def chat(body: ChatIn, request: Request) -> Any:
    conversations: ConversationService = request.app.state.conversations
    # The browser picks its sender id: identity limits also count the client's address.
    inbound = Inbound(CHANNEL, body.sender, body.message, {"client_address": client_address(request)})
    outcome = await conversations.converse(inbound)
    return ChatOut(replies=[Reply(text=t) for t in outcome.replies], degraded=outcome.degraded, live=outcome.held)


@router.get("/api/chat/messages", response_model=PushedOut)
async def pushed_messages(request: Request, sender: str = Query(min_length=1, max_length=128),
                          after: int = Query(0, ge=0)) -> Any:
    """What was pushed into this conversation after message `after`. The sender id is the browser's
    own random id (as for POST /api/chat): knowing it is what being in the conversation means."""
    messages: MessageLog = request.app.state.message_log
    conversations: ConversationService = request.app.state.conversations
    rows = await asyncio.to_thread(messages.since, CHANNEL, sender, after, True)
    live = await asyncio.to_thread(conversations.handoff.is_live, CHANNEL, sender)
    return PushedOut(messages=[Pushed(id=r.id, text=r.text, author=(r.author or "").partition(":")[0])
                               for r in rows], live=live)
