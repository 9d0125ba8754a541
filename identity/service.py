"""verify_caller: party name plus the last four digits of that party's phone on file.

Failures count per case (not per conversation), so switching channel or session does not
reset them; the count and lock live in the database and survive restarts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cases.system import CaseSystem, Party
from core.timeutil import as_utc, utcnow
from identity.models import CaseAccessLock, VerificationAttempt


@dataclass(frozen=True)
class VerificationResult:
    verified: bool
    party: Party | None = None
    locked_until: datetime | None = None
    attempts_left: int = 0


def _normalise_name(name: str) -> str:
    return re.sub(r"[\s·•.]", "", name)


def phone_tail(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    return digits[-4:] if len(digits) >= 4 else None


class IdentityService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cases: CaseSystem,
        max_failures: int = 3,
        lock_minutes: int = 60,
    ) -> None:
        self._sessions = sessions
        self._cases = cases
        self.max_failures = max_failures
        self.lock_duration = timedelta(minutes=lock_minutes)

    def locked_until(self, case_number: str, now: datetime | None = None) -> datetime | None:
        now = now or utcnow()
        with self._sessions() as session:
            lock = session.get(CaseAccessLock, case_number)
            if lock and lock.locked_until and as_utc(lock.locked_until) > now:
                return as_utc(lock.locked_until)
        return None

    def verify_caller(
        self,
        case_number: str,
        name: str,
        tail: str,
        *,
        sender: str,
        channel: str,
        now: datetime | None = None,
    ) -> VerificationResult:
        now = now or utcnow()
        match = self._matching_party(case_number, name, tail)
        with self._sessions.begin() as session:
            lock = self._lock_row(session, case_number)
            if lock.locked_until and as_utc(lock.locked_until) > now:
                return VerificationResult(False, locked_until=as_utc(lock.locked_until))
            session.add(
                VerificationAttempt(
                    case_number=case_number,
                    sender=sender,
                    channel=channel,
                    claimed_name=_normalise_name(name)[:1] + "*" * max(len(_normalise_name(name)) - 1, 0),
                    success=match is not None,
                    at=now,
                )
            )
            if match is not None:
                lock.failures = 0
                lock.locked_until = None
                return VerificationResult(True, party=match)
            lock.failures += 1
            if lock.failures >= self.max_failures:
                lock.failures = 0
                lock.locked_until = now + self.lock_duration
                return VerificationResult(False, locked_until=lock.locked_until)
            return VerificationResult(False, attempts_left=self.max_failures - lock.failures)

    def _matching_party(self, case_number: str, name: str, tail: str) -> Party | None:
        wanted = _normalise_name(name)
        for party in self._cases.parties(case_number):
            if _normalise_name(party.name) == wanted and party.phone and phone_tail(party.phone) == tail:
                return party
        return None

    @staticmethod
    def _lock_row(session: Session, case_number: str) -> CaseAccessLock:
        # Row lock on PostgreSQL so two replicas cannot both count the same failure slot.
        stmt = select(CaseAccessLock).where(CaseAccessLock.case_number == case_number).with_for_update()
        lock = session.scalars(stmt).first()
        if lock is None:
            lock = CaseAccessLock(case_number=case_number, failures=0)
            session.add(lock)
            session.flush()
        return lock
