"""Deliver a message into a caller's conversation on its channel, outside a turn: an operator's
reply, a ticket's feedback or revisit question, a late answer.

Every message is recorded in the transcript (chat_messages, direction `out`, with its author). The
web chat has no push: the stored message *is* the delivery, the page polls for it
(`GET /api/chat/messages`). Channels that push (WeChat) register a `ChannelPush`; when it fails
(outside WeChat's 48-hour window with no template, rate limits, WeChat down) the message is marked
`failed` and becomes operator work: one ticket of category 未答复留言 carrying the text.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Protocol

from conversations.service import MessageLog
from core.masking import mask_text
from tickets.service import NewTicket, TicketService

log = logging.getLogger("courtbot.outbound")
CHANNEL_LABELS = {"web": "网页", "wechat": "微信公众号"}


@dataclass(frozen=True)
class PushResult:
    ok: bool
    route: str  # how it went out: customer_service / template / none
    error: str | None = None


class ChannelPush(Protocol):
    async def push(self, sender: str, texts: list[str], purpose: str) -> PushResult: ...


@dataclass(frozen=True)
class Delivery:
    message_ids: list[int]
    status: str  # sent / failed
    route: str  # stored (web poll) / customer_service / template / none
    ticket_number: str | None = None  # the operator task opened when it failed
    error: str | None = None


class Outbound:
    def __init__(self, messages: MessageLog, tickets: TicketService, pushers: dict[str, ChannelPush]) -> None:
        self.messages = messages
        self.tickets = tickets
        self.pushers = pushers

    async def deliver(self, channel: str, sender: str, texts: list[str], author: str,
                      purpose: str = "notice") -> Delivery:
        """`author`: `operator:<username>` or `courtbot:<purpose>`; `purpose` picks the template when
        a channel needs one (notice / feedback / revisit)."""
        status = "pending" if channel in self.pushers else "sent"
        ids = await asyncio.to_thread(self.messages.record_outbound, channel, sender, texts, author, status)
        if channel not in self.pushers:
            return Delivery(ids, "sent", "stored")
        delivery = await self.push(channel, sender, texts, purpose)
        for message_id in ids:
            await asyncio.to_thread(self.messages.mark, message_id, delivery.status, delivery.error)
        return Delivery(ids, delivery.status, delivery.route, delivery.ticket_number, delivery.error)

    async def push(self, channel: str, sender: str, texts: list[str], purpose: str = "notice") -> Delivery:
        """Push already-recorded texts (a turn's late answer); a failure becomes operator work."""
        try:
            result = await self.pushers[channel].push(sender, texts, purpose)
        except Exception as exc:  # a pusher bug must not lose the message: it becomes operator work
            log.exception("push to %s failed", channel)
            result = PushResult(False, "none", type(exc).__name__)
        if result.ok:
            return Delivery([], "sent", result.route)
        ticket = await asyncio.to_thread(self._operator_task, channel, sender, texts, result.error or "")
        return Delivery([], "failed", result.route, ticket, result.error)

    def _operator_task(self, channel: str, sender: str, texts: list[str], error: str) -> str:
        label = CHANNEL_LABELS.get(channel, channel)
        body = mask_text("\n".join(texts))
        ticket = self.tickets.open_ticket(NewTicket(
            category="undelivered", channel=channel, sender=f"{channel}:{sender}",
            summary=f"未能送达{label}用户的消息（{error[:80]}），请人工联系：{body}"[:2000],
            transcript=[{"role": "bot", "text": body, "status": "failed"}],
        ))
        log.warning("message to %s:%s kept as operator work %s (%s)", channel, mask_text(sender)[:6], ticket.number,
                    error)
        return ticket.number
