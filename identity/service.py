"""verify_caller: party name plus the last four digits of that party's phone on file, with limits
that stop guessing without letting anyone lock the real parties out.

- per caller and case (`channel:sender`): 3 failures lock that caller for that case for an hour; a
  success clears only the caller's failures against the party they verified as, so verifying as
  oneself never buys more guesses at the other party's tail;
- per caller across all cases: 10 failures in 24 h;
- per web client address: 30 failures an hour (many people share one address, the browser picks
  its sender id);
- per case, from all callers together: past 10 failures in 24 h a person verifies instead, until
  staff reset the case, and one alert ticket lists the attempts.

Everything is counted from the attempt log in the database, so it survives restarts and replicas.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cases.system import CaseSystem, Party
from core.config import get_settings
from core.masking import mask_text
from core.timeutil import as_utc, court_tz, utcnow
from identity.models import VerificationAttempt, VerificationScope
from identity.remembered import RememberedVerifications
from tickets.service import TICKET_PREFIX, NewTicket, TicketService

ALERT_CATEGORY = "核验告警"
_TICKET_NUMBER = re.compile(rf"{TICKET_PREFIX}-\d{{8}}-\d{{4}}")  # ticket-status checks use the ticket as scope


class Refusal(StrEnum):
    CASE_MANUAL = "case_manual"  # the case's ceiling was passed: a person verifies
    LOCKED = "locked"  # this caller, this case
    CALLER = "caller"  # this caller, all cases
    ADDRESS = "address"  # this web client address


@dataclass(frozen=True)
class Limits:
    max_failures: int = 3
    lock_minutes: int = 60
    caller_max_failures: int = 10
    caller_window_hours: int = 24
    case_ceiling: int = 10
    case_window_hours: int = 24
    address_max_failures: int = 30
    address_window_minutes: int = 60

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        return cls(
            max_failures=settings.verify_max_failures,
            lock_minutes=settings.verify_lock_minutes,
            caller_max_failures=settings.verify_caller_max_failures,
            caller_window_hours=settings.verify_caller_window_hours,
            case_ceiling=settings.verify_case_ceiling,
            case_window_hours=settings.verify_case_window_hours,
            address_max_failures=settings.verify_address_max_failures,
            address_window_minutes=settings.verify_address_window_minutes,
        )


@dataclass(frozen=True)
class Caller:
    id: str  # channel:sender
    channel: str
    address: str | None = None


@dataclass(frozen=True)
class VerificationResult:
    verified: bool
    party: Party | None = None
    refused: Refusal | None = None
    until: datetime | None = None  # end of a LOCKED / CALLER / ADDRESS refusal
    attempts_left: int = 0  # meaningful only after a real failed check
    checked: bool = False  # a check was made (False when a limit refused the attempt)


@dataclass(frozen=True)
class CaseReset:
    case_number: str
    failures_cleared: int
    was_escalated: bool
    alert_ticket: str | None


def normalise_name(name: str) -> str:
    return re.sub(r"[\s·•.()（）]", "", name)


def phone_tail(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    return digits[-4:] if len(digits) >= 4 else None


def _mask_name(name: str) -> str:
    name = normalise_name(name)
    return (name[:1] + "*" * max(len(name) - 1, 0))[:64]


def _mask_caller(caller: str) -> str:
    channel, _, sender = caller.rpartition(":")
    sender = mask_text(sender)
    shown = f"{sender[:2]}***{sender[-1:]}" if len(sender) >= 4 else "***"
    return f"{channel}:{shown}" if channel else shown


def _mask_address(address: str | None) -> str:
    if not address:
        return "-"
    if "." in address:
        return ".".join(address.split(".")[:2] + ["*", "*"])
    return ":".join(address.split(":")[:2]) + ":*"


def _claim(case_number: str, name: str) -> str:
    return hashlib.sha256(f"{case_number}|{normalise_name(name)}".encode()).hexdigest()[:32]


def _names_on_file(party: Party) -> list[str]:
    return [n for n in (party.name, party.representative, party.contact) if n]


def _org_core(name: str) -> str:
    """A registered organisation name without the legal-form words people leave out."""
    return re.sub(r"有限责任|股份|有限", "", normalise_name(name))


class IdentityService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cases: CaseSystem,
        limits: Limits | None = None,
        tickets: TicketService | None = None,
        remembered: RememberedVerifications | None = None,
    ) -> None:
        self._sessions = sessions
        self._cases = cases
        self.limits = limits or Limits()
        self._tickets = tickets or TicketService(sessions)
        self.remembered = remembered or RememberedVerifications(sessions, get_settings().remember_verification_days)

    # ------------------------------------------------------------------ queries
    def refusal(self, case_number: str, caller: Caller, now: datetime | None = None) -> VerificationResult | None:
        """Whether this caller may try to verify for this case now (asked before the identity step)."""
        now = now or utcnow()
        with self._sessions() as session:
            return self._refusal(session, case_number, caller, now)

    # ------------------------------------------------------------------ the check
    def verify_caller(
        self, case_number: str, name: str, tail: str, caller: Caller, *, now: datetime | None = None
    ) -> VerificationResult:
        match, claimed = self._matching_party(case_number, name, tail)
        return self._check(case_number, _mask_name(name), _claim(case_number, claimed), match, caller,
                           now or utcnow())

    def verify_ticket_caller(
        self, ticket_number: str, tail: str, contact: str | None, caller: Caller, *, now: datetime | None = None
    ) -> VerificationResult:
        """The caller of a ticket: the last four digits of the callback number on it. The ticket number is
        the scope, so a ticket is guarded like a case (per caller, across cases, per address, ceiling)."""
        tail_on_file = phone_tail(contact) if contact else None
        matched = tail_on_file is not None and tail_on_file == tail
        return self._check(ticket_number, "工单来电人", _claim(ticket_number, "caller"), matched, caller,
                           now or utcnow())

    def _check(
        self, key: str, claimed_name: str, claim: str, match: Party | bool | None, caller: Caller, now: datetime
    ) -> VerificationResult:
        """Record one check of `key` (a case or ticket number) under every limit; `match` is its outcome."""
        escalated = False
        with self._sessions.begin() as session:
            self._lock_scopes(session, key, caller, now)
            refused = self._refusal(session, key, caller, now)
            attempt = VerificationAttempt(
                case_number=key,
                sender=caller.id.partition(":")[2] or caller.id,
                channel=caller.channel,
                caller=caller.id,
                address=caller.address,
                claimed_name=claimed_name,
                claim=claim,
                success=refused is None and bool(match),
                counted=refused is None and not match,
                at=now,
            )
            session.add(attempt)
            if refused is not None:
                return refused
            session.flush()
            if match:
                if isinstance(match, Party):  # a WeChat user is not asked again for this case (identity/remembered.py)
                    self.remembered.remember_in(session, caller.id, caller.channel, key, match.name, now)
                return VerificationResult(True, party=match if isinstance(match, Party) else None, checked=True)
            result = self._after_failure(session, key, caller, now)
            if result.refused is Refusal.CASE_MANUAL:
                escalated = self._escalate(session, key, now)
        if escalated:
            self._open_alert(key, now)
        return result

    def reset_case(self, case_number: str, now: datetime | None = None) -> CaseReset:
        """Staff: clear the ceiling and every caller's lock on this case (the log is kept)."""
        now = now or utcnow()
        with self._sessions.begin() as session:
            row = self._lock_scope(session, "case", case_number, now)
            cleared = len(self._case_failures(session, case_number, row, now))
            reset = CaseReset(case_number, cleared, row.escalated_at is not None, row.alert_ticket)
            row.cleared_at, row.escalated_at, row.alert_ticket = now, None, None
        return reset

    # ------------------------------------------------------------------ matching
    def _matching_party(self, case_number: str, name: str, tail: str) -> tuple[Party | None, str]:
        """(the party that name and tail verify, the party name the claim is about)."""
        wanted = normalise_name(name)
        claimed = wanted
        for party in self._cases.parties(case_number):
            names = [normalise_name(n) for n in _names_on_file(party)]
            named = wanted in names or (len(wanted) >= 4 and _org_core(wanted) == _org_core(party.name))
            if not named:
                continue
            claimed = normalise_name(party.name)
            if party.phone and phone_tail(party.phone) == tail:
                return party, claimed
        return None, claimed

    # ------------------------------------------------------------------ counting
    def _scope(self, session: Session, scope: str, key: str) -> VerificationScope | None:
        return session.get(VerificationScope, (scope, key))

    def _lock_scope(self, session: Session, scope: str, key: str, now: datetime) -> VerificationScope:
        """Write the scope's row first: a row lock on PostgreSQL, the write lock on SQLite."""
        for _ in range(3):
            stmt = update(VerificationScope).where(
                VerificationScope.scope == scope, VerificationScope.key == key
            )
            if session.execute(stmt.values(touched_at=now)).rowcount:
                row = session.get(VerificationScope, (scope, key), populate_existing=True)
                assert row is not None
                return row
            try:
                with session.begin_nested():
                    session.execute(insert(VerificationScope).values(scope=scope, key=key, touched_at=now))
            except IntegrityError:
                continue  # another check created it first; lock it
        raise RuntimeError(f"could not lock verification scope {scope}:{key}")

    def _lock_scopes(self, session: Session, case_number: str, caller: Caller, now: datetime) -> None:
        # Always in this order (case, caller, address), so two checks never wait on each other.
        self._lock_scope(session, "case", case_number, now)
        self._lock_scope(session, "caller", caller.id, now)
        if caller.address:
            self._lock_scope(session, "address", caller.address, now)

    def _failures(self, session: Session, since: datetime, *conditions: Any) -> list[VerificationAttempt]:
        stmt = (
            select(VerificationAttempt)
            .where(VerificationAttempt.counted.is_(True), VerificationAttempt.at > since, *conditions)
            .order_by(VerificationAttempt.at, VerificationAttempt.id)
        )
        return list(session.scalars(stmt))

    def _case_since(self, row: VerificationScope | None, window: timedelta, now: datetime) -> datetime:
        since = now - window
        if row is not None and row.cleared_at is not None:
            since = max(since, as_utc(row.cleared_at))
        return since

    def _case_failures(
        self, session: Session, case_number: str, row: VerificationScope | None, now: datetime
    ) -> list[VerificationAttempt]:
        since = self._case_since(row, timedelta(hours=self.limits.case_window_hours), now)
        return self._failures(session, since, VerificationAttempt.case_number == case_number)

    def _caller_case_failures(
        self, session: Session, case_number: str, caller: Caller, now: datetime
    ) -> list[VerificationAttempt]:
        """This caller's failures on this case not cleared by a later success as the same party."""
        row = self._scope(session, "case", case_number)
        since = self._case_since(row, timedelta(hours=self.limits.caller_window_hours), now)
        stmt = (
            select(VerificationAttempt)
            .where(
                VerificationAttempt.caller == caller.id,
                VerificationAttempt.case_number == case_number,
                VerificationAttempt.at > since,
                VerificationAttempt.counted.is_(True) | VerificationAttempt.success.is_(True),
            )
            .order_by(VerificationAttempt.at, VerificationAttempt.id)
        )
        open_failures: list[VerificationAttempt] = []
        for attempt in session.scalars(stmt):
            if attempt.success:
                open_failures = [f for f in open_failures if f.claim != attempt.claim]
            else:
                open_failures.append(attempt)
        return open_failures

    def _caller_failures(self, session: Session, caller: Caller, now: datetime) -> list[VerificationAttempt]:
        since = now - timedelta(hours=self.limits.caller_window_hours)
        return self._failures(session, since, VerificationAttempt.caller == caller.id)

    def _address_failures(self, session: Session, address: str, now: datetime) -> list[VerificationAttempt]:
        since = now - timedelta(minutes=self.limits.address_window_minutes)
        return self._failures(session, since, VerificationAttempt.address == address)

    def _refusal(
        self, session: Session, case_number: str, caller: Caller, now: datetime
    ) -> VerificationResult | None:
        limits = self.limits
        row = self._scope(session, "case", case_number)
        if row is not None and row.escalated_at is not None:
            return VerificationResult(False, refused=Refusal.CASE_MANUAL)
        own = self._caller_case_failures(session, case_number, caller, now)
        if len(own) >= limits.max_failures:
            until = as_utc(own[-1].at) + timedelta(minutes=limits.lock_minutes)
            if until > now:
                return VerificationResult(False, refused=Refusal.LOCKED, until=until)
        overall = self._caller_failures(session, caller, now)
        if len(overall) >= limits.caller_max_failures:
            until = as_utc(overall[-limits.caller_max_failures].at) + timedelta(hours=limits.caller_window_hours)
            return VerificationResult(False, refused=Refusal.CALLER, until=until)
        if caller.address:
            shared = self._address_failures(session, caller.address, now)
            if len(shared) >= limits.address_max_failures:
                first = shared[-limits.address_max_failures]
                until = as_utc(first.at) + timedelta(minutes=limits.address_window_minutes)
                return VerificationResult(False, refused=Refusal.ADDRESS, until=until)
        return None

    def _after_failure(self, session: Session, case_number: str, caller: Caller, now: datetime) -> VerificationResult:
        """The state right after a failed check has been recorded (and counted)."""
        limits = self.limits
        row = self._scope(session, "case", case_number)
        if len(self._case_failures(session, case_number, row, now)) >= limits.case_ceiling:
            return VerificationResult(False, refused=Refusal.CASE_MANUAL, checked=True)
        refused = self._refusal(session, case_number, caller, now)
        if refused is not None:
            return VerificationResult(False, refused=refused.refused, until=refused.until, checked=True)
        left = [
            limits.max_failures - len(self._caller_case_failures(session, case_number, caller, now)),
            limits.caller_max_failures - len(self._caller_failures(session, caller, now)),
        ]
        if caller.address:
            left.append(limits.address_max_failures - len(self._address_failures(session, caller.address, now)))
        return VerificationResult(False, attempts_left=min(left), checked=True)

    # ------------------------------------------------------------------ the ceiling
    def _escalate(self, session: Session, case_number: str, now: datetime) -> bool:
        """Mark the case for a person to verify; True only for the check that crossed the ceiling."""
        row = self._scope(session, "case", case_number)
        assert row is not None  # locked at the start of the check
        if row.escalated_at is not None:
            return False
        row.escalated_at = now
        return True

    def _open_alert(self, case_number: str, now: datetime) -> None:  # case_number: a case or a ticket number
        with self._sessions() as session:
            row = self._scope(session, "case", case_number)
            attempts = self._case_failures(session, case_number, row, now)
        lines, records = [], []
        for a in attempts:
            record = {
                "at": as_utc(a.at).astimezone(court_tz()).strftime("%Y-%m-%d %H:%M:%S"),
                "channel": a.channel,
                "caller": _mask_caller(a.caller),
                "address": _mask_address(a.address),
                "claimed_name": a.claimed_name,
            }
            records.append(record)
            lines.append(" ".join(str(v) for v in record.values()))
        callers = len({a.caller for a in attempts})
        summary = (
            f"{ALERT_CATEGORY}：{_scope_name(case_number)}在{self.limits.case_window_hours}小时内身份核验失败{len(attempts)}次"
            f"（来自{callers}个会话），已停止自助核验，改由人工核验当事人身份。"
            f"请核实是否有人冒用当事人身份；处理后执行 ./courtbot verification reset {case_number} 恢复自助核验。\n"
            "核验记录（时间 渠道 会话 地址 所报姓名）：\n" + "\n".join(lines)
        )
        ticket = self._tickets.open_ticket(
            NewTicket(
                category=ALERT_CATEGORY,
                channel="system",
                sender="identity",
                summary=summary,
                case_number=case_number,
                collected={"failures": len(attempts), "callers": callers, "attempts": records},
            ),
            now=now,
        )
        with self._sessions.begin() as session:
            row = self._scope(session, "case", case_number)
            if row is not None:
                row.alert_ticket = ticket.number


def _scope_name(key: str) -> str:
    """What the checks were against: a ticket (status by number) or a case."""
    return f"工单{key}" if _TICKET_NUMBER.fullmatch(key) else f"案件{key}"
