"""The message log, live hand-offs and the WeChat users behind hashed conversation ids."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class ChatMessage(Base):
    __tablename__ = "chat_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    sender: Mapped[str] = mapped_column(String(160), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # in / out
    text: Mapped[str] = mapped_column(Text)
    # in: received / delivered / undelivered (never reached Rasa) / timeout (may be half done) / live
    # (an operator had the conversation; Rasa never saw it). out: sent / pending / failed.
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # Who wrote an outbound message when it was not the bot's reply to the turn: `operator:<user>`
    # or `courtbot:<purpose>` (revisits, late answers). The web chat polls for these.
    author: Mapped[str | None] = mapped_column(String(80), nullable=True)


class LiveConversation(Base):
    """A conversation waiting for, or held by, a person. One row per conversation; `version` is the
    optimistic lock that lets exactly one operator take it."""

    __tablename__ = "live_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    sender: Mapped[str] = mapped_column(String(160), unique=True)  # the conversation's sender id
    state: Mapped[str] = mapped_column(String(12), index=True)  # waiting / live / closed
    ticket_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    operator: Mapped[str | None] = mapped_column(String(64), nullable=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class WeChatUser(Base):
    """The OpenID behind a hashed conversation id: outbound messages need it, nothing shows it."""

    __tablename__ = "wechat_users"

    sender: Mapped[str] = mapped_column(String(64), primary_key=True)  # hash of the OpenID
    openid: Mapped[str] = mapped_column(String(64))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The customer-service window (48 h) runs from the user's last message or event.
    last_inbound_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
