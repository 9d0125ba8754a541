"""Messages the bot could not answer (chat_messages with status undelivered/timeout) become tickets
of category "undelivered", one per conversation per sweep, each message exactly once: the links'
primary key is inserted in the same transaction as the ticket."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from conversations.models import ChatMessage
from core.masking import mask_text
from core.timeutil import as_utc, utcnow
from tickets.models import UnansweredMessageLink
from tickets.service import NewTicket, TicketService

UNANSWERED = ("undelivered", "timeout")
# A timed-out message may still be answered a moment later; give it this long before it is work.
GRACE = timedelta(seconds=30)


def sweep_unanswered(service: TicketService, now: datetime | None = None, limit: int = 500) -> int:
    now = as_utc(now) if now else utcnow()
    sessions = service.sessions
    with sessions() as session:
        rows = list(session.scalars(
            select(ChatMessage)
            .outerjoin(UnansweredMessageLink, UnansweredMessageLink.message_id == ChatMessage.id)
            .where(ChatMessage.status.in_(UNANSWERED), ChatMessage.direction == "in",
                   UnansweredMessageLink.message_id.is_(None), ChatMessage.at <= now - GRACE)
            .order_by(ChatMessage.channel, ChatMessage.sender, ChatMessage.id).limit(limit)
        ))
    opened = 0
    for (channel, sender), group in groupby(rows, key=lambda m: (m.channel, m.sender)):
        messages = list(group)
        try:
            with sessions.begin() as session:
                texts = "；".join(mask_text(m.text) for m in messages)
                ticket = service.open_in(session, NewTicket(
                    category="undelivered", channel=channel, sender=sender,
                    summary=f"智能客服未能答复的留言（{len(messages)} 条）：{texts}"[:2000],
                    transcript=[{"role": "caller", "text": mask_text(m.text), "at": as_utc(m.at).isoformat(),
                                 "status": m.status} for m in messages],
                ), now)
                # A replica that took these messages first makes this insert fail: the ticket goes too.
                session.execute(insert(UnansweredMessageLink),
                                [{"message_id": m.id, "ticket_id": ticket.id} for m in messages])
            opened += 1
        except IntegrityError:  # another replica took these messages first
            continue
    return opened
