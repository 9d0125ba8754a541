"""Keep every message: inbound before it is handed to Rasa, outbound after; phone and ID numbers
masked (core/masking.py) before they are stored."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from conversations.models import ChatMessage
from core.masking import mask_text
from core.timeutil import utcnow


class MessageLog:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self._sessions

    def record_inbound(self, channel: str, sender: str, text: str, status: str = "received") -> int:
        with self._sessions.begin() as session:
            message = ChatMessage(
                channel=channel, sender=sender, direction="in", text=mask_text(text), status=status,
                at=utcnow(),
            )
            session.add(message)
            session.flush()
            return message.id

    def mark(self, message_id: int, status: str, error: str | None = None) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(ChatMessage)
                .where(ChatMessage.id == message_id)
                .values(status=status, error=(error or None) and error[:200])
            )

    def record_outbound(self, channel: str, sender: str, texts: list[str], author: str | None = None,
                        status: str = "sent") -> list[int]:
        with self._sessions.begin() as session:
            now = utcnow()
            rows = [ChatMessage(channel=channel, sender=sender, direction="out", text=mask_text(t), status=status,
                                at=now, author=author) for t in texts]
            session.add_all(rows)
            session.flush()
            return [r.id for r in rows]

    def since(self, channel: str, sender: str, after_id: int = 0, pushed_only: bool = False,
              limit: int = 200) -> list[ChatMessage]:
        """A conversation's messages after `after_id`; `pushed_only` keeps only what was not a turn's
        own reply (operators, revisits, late answers)."""
        with self._sessions() as session:
            stmt = select(ChatMessage).where(ChatMessage.channel == channel, ChatMessage.sender == sender,
                                             ChatMessage.id > after_id)
            if pushed_only:
                stmt = stmt.where(ChatMessage.direction == "out", ChatMessage.author.is_not(None))
            return list(session.scalars(stmt.order_by(ChatMessage.id).limit(limit)))

    def unanswered(self, limit: int = 100) -> list[ChatMessage]:
        """Inbound messages the caller got no bot answer to: for staff to follow up."""
        with self._sessions() as session:
            stmt = (
                select(ChatMessage)
                .where(ChatMessage.status.in_(("undelivered", "timeout")))
                .order_by(ChatMessage.id.desc())
                .limit(limit)
            )
            return list(session.scalars(stmt))
