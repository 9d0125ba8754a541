"""WeChat users: the conversation id is a keyed hash of the OpenID (never shown, never in a log);
the OpenID itself is kept only to send customer-service and template messages back."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from conversations.models import WeChatUser
from core.timeutil import as_utc, utcnow

SERVICE_WINDOW = timedelta(hours=48)


def sender_for(appid: str, openid: str) -> str:
    """OpenIDs are per official account; keying by the appid keeps two accounts' users apart."""
    return hmac.new(appid.encode(), openid.encode(), hashlib.sha256).hexdigest()[:32]


class WeChatUsers:
    def __init__(self, sessions: sessionmaker[Session], appid: str) -> None:
        self._sessions = sessions
        self.appid = appid

    def seen(self, openid: str, now: datetime | None = None) -> str:
        """Record a message or event from this user (it reopens the 48-hour window); their sender id."""
        now = now or utcnow()
        sender = sender_for(self.appid, openid)
        for _ in range(2):
            try:
                with self._sessions.begin() as session:
                    row = session.get(WeChatUser, sender)
                    if row is None:
                        session.add(WeChatUser(sender=sender, openid=openid, first_seen=now, last_inbound_at=now))
                    else:
                        row.last_inbound_at = now
                return sender
            except IntegrityError:  # the same user's first two messages at once: the row exists now
                continue
        return sender

    def lookup(self, sender: str) -> tuple[str, bool] | None:
        """(OpenID, whether the customer-service window is open) for a sender id."""
        with self._sessions() as session:
            row = session.get(WeChatUser, sender)
            if row is None:
                return None
            return row.openid, utcnow() - as_utc(row.last_inbound_at) < SERVICE_WINDOW
