"""Remembered verification: a WeChat user who passed the identity check for a case is not asked
again for that case for `days` (COURTBOT_REMEMBER_VERIFICATION_DAYS, default 30), until they send
"解除绑定". Only channels whose sender id is the platform's own user id (WeChat's OpenID, hashed)
are remembered: a web sender id is chosen by the browser and proves nothing.

The identity service records a success here (`remember`); the case-progress form asks `party_for`
before the identity step."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from core.timeutil import as_utc, utcnow
from identity.models import RememberedVerification

REMEMBERED_CHANNELS = frozenset({"wechat"})


class RememberedVerifications:
    def __init__(self, sessions: sessionmaker[Session], days: int) -> None:
        self._sessions = sessions
        self.days = days

    def remember_in(self, session: Session, caller: str, channel: str, case_number: str, party_name: str,
                    now: datetime) -> None:
        """Inside the verification's own transaction, so a success and its memory commit together."""
        if channel not in REMEMBERED_CHANNELS or self.days <= 0:
            return
        row = session.get(RememberedVerification, (caller, case_number))
        expires = now + timedelta(days=self.days)
        if row is None:
            session.add(RememberedVerification(caller=caller, case_number=case_number, party_name=party_name,
                                               verified_at=now, expires_at=expires))
        else:
            row.party_name, row.verified_at, row.expires_at = party_name, now, expires

    def party_for(self, caller: str, case_number: str, now: datetime | None = None) -> str | None:
        """The party name this caller verified as for this case, while the memory lasts."""
        now = now or utcnow()
        with self._sessions() as session:
            row = session.get(RememberedVerification, (caller, case_number))
            if row is None or as_utc(row.expires_at) <= now:
                return None
            return row.party_name

    def revoke(self, caller: str) -> int:
        """"解除绑定": forget every case for this caller; the count of cases that were remembered."""
        now = utcnow()
        with self._sessions.begin() as session:
            live = [r for r in session.scalars(select(RememberedVerification)
                                               .where(RememberedVerification.caller == caller))
                    if as_utc(r.expires_at) > now]
            session.execute(delete(RememberedVerification).where(RememberedVerification.caller == caller))
            return len(live)
