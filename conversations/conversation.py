"""The one conversation service every channel uses: record the inbound message, let an operator
hold the conversation or ask Rasa, record what goes out, degrade when Rasa is slow or down.
Nothing here knows HTTP; channels translate their protocol to `Inbound` and back."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from api.rasa_client import DialogueUnavailable, RasaClient
from conversations import replies
from conversations.handoff import LiveHandoff
from conversations.service import MessageLog
from core.masking import mask_text
from core.timeutil import utcnow
from identity.remembered import REMEMBERED_CHANNELS, RememberedVerifications

log = logging.getLogger("courtbot.conversation")
UNBIND = re.compile(r"^\s*解除(案件)?(身份)?绑定\s*[。.!！]?\s*$")


@dataclass(frozen=True)
class Inbound:
    channel: str
    sender: str  # the channel's own sender id; the conversation is `channel:sender`
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)  # extra facts for Rasa (web client address)

    @property
    def conversation_id(self) -> str:
        return f"{self.channel}:{self.sender}"


@dataclass
class Outcome:
    replies: list[str]
    degraded: bool = False
    held: bool = False  # an operator holds the conversation: the bot said nothing


class RatingAnswers(Protocol):
    """Revisits (回访) asked in a conversation: the reply to a caller's rating, or None."""

    def answer(self, conversation_id: str, text: str) -> str | None: ...


def dialogue_text(text: str) -> str:
    """Rasa reads a leading "/" as a command (/restart, /intent): callers only ever send text."""
    return "／" + text[1:] if text.startswith("/") else text


class ConversationService:
    def __init__(self, messages: MessageLog, rasa: RasaClient, handoff: LiveHandoff,
                 remembered: RememberedVerifications) -> None:
        self.messages = messages
        self.rasa = rasa
        self.handoff = handoff
        self.remembered = remembered
        self.revisits: RatingAnswers | None = None  # set once the ticket side is built (it needs outbound)

    async def converse(self, inbound: Inbound, rasa_timeout: float | None = None) -> Outcome:
        """Never raises to the channel: every failure becomes a degraded answer and a kept message."""
        if await self._held(inbound):
            return Outcome([], held=True)
        started = utcnow()
        message_id = await asyncio.to_thread(self.messages.record_inbound, inbound.channel, inbound.sender,
                                             inbound.text)
        thanks = await self._revisit_answer(inbound)
        if thanks is not None:  # the caller rated a revisit question: recorded, thanked, no Rasa turn
            return await self._finish(inbound, message_id, [thanks])
        if inbound.channel in REMEMBERED_CHANNELS and UNBIND.match(inbound.text):
            return await self._finish(inbound, message_id, [await asyncio.to_thread(self._unbind, inbound)])
        metadata = {"channel": inbound.channel, **inbound.metadata}
        try:
            raw = await self.rasa.send(inbound.conversation_id, dialogue_text(inbound.text), metadata,
                                       timeout=rasa_timeout)
        except DialogueUnavailable as exc:
            log.warning("message %s from %s not answered: %s", message_id, mask_text(inbound.sender), exc)
            await asyncio.to_thread(self.messages.mark, message_id, exc.status, str(exc))
            return Outcome([replies.UNAVAILABLE], degraded=True)
        texts = [str(r["text"]) for r in raw if isinstance(r, dict) and r.get("text")]
        try:
            notice = await asyncio.to_thread(self.handoff.after_turn, inbound.channel, inbound.sender, started)
        except Exception:  # the bot's answer stands; the hand-off notice is a courtesy
            log.exception("could not check message %s for a hand-off", message_id)
            notice = None
        return await self._finish(inbound, message_id, texts + ([notice] if notice else []))

    async def without_bot(self, inbound: Inbound, texts: list[str]) -> Outcome:
        """A channel's own answer (a welcome, "please type"): kept in the transcript like any turn."""
        if await self._held(inbound):
            return Outcome([], held=True)
        message_id = await asyncio.to_thread(self.messages.record_inbound, inbound.channel, inbound.sender,
                                             inbound.text)
        return await self._finish(inbound, message_id, texts)

    async def _revisit_answer(self, inbound: Inbound) -> str | None:
        if self.revisits is None:
            return None
        try:
            return await asyncio.to_thread(self.revisits.answer, inbound.conversation_id, inbound.text)
        except Exception:  # a failed rating record must not cost the caller an answer: Rasa takes it
            log.exception("could not record a revisit answer from %s", mask_text(inbound.sender))
            return None

    async def _held(self, inbound: Inbound) -> bool:
        """An operator holds the conversation: keep the message for them, say nothing (no Rasa)."""
        if not await asyncio.to_thread(self.handoff.is_live, inbound.channel, inbound.sender):
            return False
        await asyncio.to_thread(self.messages.record_inbound, inbound.channel, inbound.sender, inbound.text, "live")
        return True

    async def _finish(self, inbound: Inbound, message_id: int, texts: list[str]) -> Outcome:
        try:
            await asyncio.to_thread(self.messages.mark, message_id, "delivered")
            await asyncio.to_thread(self.messages.record_outbound, inbound.channel, inbound.sender, texts)
        except Exception:  # the caller already has an answer; a log failure must not turn it into an error
            log.exception("could not log the reply to message %s", message_id)
        return Outcome(texts)

    def _unbind(self, inbound: Inbound) -> str:
        count = self.remembered.revoke(inbound.conversation_id)
        if count:
            return replies.UNBOUND.format(count=count)
        return replies.NOTHING_BOUND.format(days=self.remembered.days)
