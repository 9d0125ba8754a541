"""POST /api/chat — the web chat channel, and the conversation service other channels reuse."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, field_validator

from api.rasa_client import DialogueUnavailable, RasaClient
from conversations.service import MessageLog
from core.config import get_settings
from core.masking import mask_text

log = logging.getLogger("courtbot.chat")
router = APIRouter()

UNAVAILABLE_REPLY = (
    "抱歉，智能客服暂时无法应答。您的留言已保存，工作人员会尽快处理；"
    "紧急事项请拨打12368诉讼服务热线（工作日8:30-17:30有人工服务）。"
)


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


def dialogue_text(text: str) -> str:
    """Rasa reads a leading "/" as a command (/restart, /intent): callers only ever send text."""
    return "／" + text[1:] if text.startswith("/") else text


def client_address(request: Request) -> str | None:
    """The web client's address: the peer, or X-Forwarded-For's last untrusted hop behind our proxies."""
    peer = request.client.host if request.client else None
    trusted = _trusted_proxies(get_settings().trusted_proxies)
    if peer is None or not _is_in(peer, trusted):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):  # the right-most hop not added by our own proxies is the client
        if not _is_in(hop, trusted):
            return hop
    return hops[0] if hops else peer


@lru_cache
def _trusted_proxies(spec: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


def _is_in(address: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


async def converse(request: Request, channel: str, sender: str, text: str) -> ChatOut:
    """Channel-independent: log, ask Rasa, log the answer; never raise to the channel.

    Conversations are keyed `channel:sender`, so one channel's ids can never reach another's.
    """
    messages: MessageLog = request.app.state.message_log
    rasa: RasaClient = request.app.state.rasa
    message_id = await asyncio.to_thread(messages.record_inbound, channel, sender, text)
    metadata: dict[str, Any] = {"channel": channel}
    if channel == "web":  # the browser picks its sender id: identity limits also count its address
        metadata["client_address"] = client_address(request)
    try:
        raw = await rasa.send(f"{channel}:{sender}", dialogue_text(text), metadata)
    except DialogueUnavailable as exc:
        log.warning("message %s from %s not answered: %s", message_id, mask_text(sender), exc)
        await asyncio.to_thread(messages.mark, message_id, exc.status, str(exc))
        return ChatOut(replies=[Reply(text=UNAVAILABLE_REPLY)], degraded=True)
    texts = [str(r["text"]) for r in raw if isinstance(r, dict) and r.get("text")]
    try:
        await asyncio.to_thread(messages.mark, message_id, "delivered")
        await asyncio.to_thread(messages.record_outbound, channel, sender, texts)
    except Exception:  # the caller already has an answer; a log failure must not turn it into an error
        log.exception("could not log the reply to message %s", message_id)
    return ChatOut(replies=[Reply(text=t) for t in texts])


@router.post("/api/chat", response_model=ChatOut)
async def chat(body: ChatIn, request: Request) -> Any:
    return await converse(request, "web", body.sender, body.message)
