"""Builds the conversation side of a gateway process: the service, the hand-off and outbound delivery."""

from __future__ import annotations

from api.rasa_client import RasaClient
from conversations.conversation import ConversationService
from conversations.handoff import LiveHandoff, Presence
from conversations.outbound import ChannelPush, Outbound
from conversations.service import MessageLog
from core.config import Settings
from core.redis_client import get_redis
from identity.remembered import RememberedVerifications
from tickets.service import TicketService


def build_conversations(settings: Settings, messages: MessageLog, rasa: RasaClient, tickets: TicketService,
                        pushers: dict[str, ChannelPush]) -> tuple[ConversationService, Outbound]:
    presence = Presence(get_redis(), settings.live_presence_seconds)
    handoff = LiveHandoff(messages.sessions, tickets.calendar, settings.live_hours, presence)
    remembered = RememberedVerifications(messages.sessions, settings.remember_verification_days)
    service = ConversationService(messages, rasa, handoff, remembered)
    return service, Outbound(messages, tickets, pushers)
