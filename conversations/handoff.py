"""Live hand-off: a person takes over a web or WeChat conversation from the console.

A conversation is *waiting* once the bot opened a 转人工 ticket in it, *live* while one operator holds
it (the bot is silent: inbound messages are kept with status `live` and shown to the operator, never
sent to Rasa) and *closed* when handed back. Exactly one operator can take a waiting conversation:
the take is one conditional UPDATE, a second operator gets `HandoffConflict` (HTTP 409).

Outside the live hours of a working day (COURTBOT_LIVE_HOURS, tickets/calendar.py for working days),
or with no operator present and free, the caller is told when to expect a call back and the ticket
waits in the queue as usual.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime

import redis
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from conversations import replies
from conversations.models import ChatMessage, LiveConversation
from core.timeutil import court_tz, utcnow
from tickets.calendar import CalendarSource
from tickets.categories import PERSON_REQUESTED_NOTE
from tickets.models import Ticket, TicketEvent
from tickets.states import Action

HANDOFF_LABEL = "转人工"  # the ticket label the bot's transfer action uses
PRESENCE_KEY = "courtbot:live:presence"


class HandoffError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class HandoffNotFound(HandoffError):
    status_code = 404


class HandoffConflict(HandoffError):
    status_code = 409


@dataclass(frozen=True)
class LiveSummary:
    id: int
    channel: str
    state: str
    ticket_number: str | None
    operator: str | None
    requested_at: datetime
    taken_at: datetime | None
    last_message: str | None
    unread: int  # caller messages since the operator took it (or since the request)


def parse_hours(spec: str) -> list[tuple[dtime, dtime]]:
    """"08:30-12:00,14:30-17:30" → [(08:30, 12:00), (14:30, 17:30)]."""
    periods = []
    for part in spec.split(","):
        start, _, end = part.strip().partition("-")
        periods.append((dtime.fromisoformat(start.strip()), dtime.fromisoformat(end.strip())))
    return sorted(periods)


class Presence:
    """Operators seen in the live queue recently: Redis (shared by replicas) or this process."""

    def __init__(self, client: redis.Redis | None, seconds: int) -> None:
        self._redis = client
        self.seconds = seconds
        self._local: dict[str, float] = {}
        self._lock = threading.Lock()

    def seen(self, operator: str) -> None:
        now = time.time()
        if self._redis is not None:
            self._redis.zadd(PRESENCE_KEY, {operator: now})
            self._redis.zremrangebyscore(PRESENCE_KEY, 0, now - self.seconds)
            return
        with self._lock:
            self._local[operator] = now

    def present(self) -> set[str]:
        since = time.time() - self.seconds
        if self._redis is not None:
            return set(self._redis.zrangebyscore(PRESENCE_KEY, since, "+inf"))
        with self._lock:
            return {name for name, at in self._local.items() if at >= since}


class LiveHandoff:
    def __init__(self, sessions: sessionmaker[Session], calendar: CalendarSource, hours: str,
                 presence: Presence) -> None:
        self._sessions = sessions
        self._calendar = calendar
        self._hours = parse_hours(hours)
        self.presence = presence

    # --- the conversation side ------------------------------------------------------------------
    def is_live(self, channel: str, sender: str) -> bool:
        with self._sessions() as session:
            return session.scalar(select(LiveConversation.id).where(
                LiveConversation.channel == channel, LiveConversation.sender == sender,
                LiveConversation.state == "live")) is not None

    def after_turn(self, channel: str, sender: str, since: datetime, now: datetime | None = None) -> str | None:
        """If this turn opened a 转人工 ticket, or asked for a person on the matter's open ticket, queue
        the conversation and return what the caller is told."""
        conversation = f"{channel}:{sender}"
        with self._sessions() as session:
            number = session.scalar(select(Ticket.number).where(
                Ticket.sender == conversation, Ticket.source_label == HANDOFF_LABEL,
                Ticket.created_at >= since).order_by(Ticket.id.desc()).limit(1))
            number = number or session.scalar(
                select(Ticket.number).join(TicketEvent, TicketEvent.ticket_id == Ticket.id).where(
                    Ticket.sender == conversation, TicketEvent.action == Action.ADD_DETAILS.value,
                    TicketEvent.at >= since, TicketEvent.note.startswith(PERSON_REQUESTED_NOTE))
                .order_by(TicketEvent.id.desc()).limit(1))
        return self.request(channel, sender, number, now) if number else None

    def request(self, channel: str, sender: str, ticket_number: str | None, now: datetime | None = None) -> str:
        now = now or utcnow()
        with self._sessions.begin() as session:
            row = session.scalar(select(LiveConversation).where(LiveConversation.sender == sender,
                                                                LiveConversation.channel == channel))
            if row is None:
                session.add(LiveConversation(channel=channel, sender=sender, state="waiting",
                                             ticket_number=ticket_number, requested_at=now))
            elif row.state != "live":
                row.state, row.ticket_number, row.requested_at = "waiting", ticket_number, now
                row.operator, row.taken_at, row.ended_at = None, None, None
        return self.expectation(ticket_number or "", now)

    def expectation(self, ticket: str, now: datetime) -> str:
        local = now.astimezone(court_tz())
        if not self.in_hours(local):
            return replies.LIVE_CLOSED.format(ticket=ticket, when=self._next_opening(local))
        if not self.free_operators():
            end = next(e for s, e in self._hours if s <= local.time() < e)
            return replies.LIVE_BUSY.format(ticket=ticket, when=f"今天{end:%H:%M}")
        return replies.LIVE_CONNECTING

    def in_hours(self, local: datetime) -> bool:
        if not self._calendar.get().is_workday(local.date()):
            return False
        return any(start <= local.time() < end for start, end in self._hours)

    def _next_opening(self, local: datetime) -> str:
        cal = self._calendar.get()
        day: date = local.date()
        for offset in range(0, 40):
            candidate = day + timedelta(days=offset)
            if not cal.is_workday(candidate):
                continue
            for start, _end in self._hours:
                if offset or local.time() < start:
                    label = "今天" if offset == 0 else f"{candidate.month}月{candidate.day}日"
                    return f"{label}{start:%H:%M}"
        return "下一个工作日"

    def free_operators(self) -> set[str]:
        with self._sessions() as session:
            busy = set(session.scalars(select(LiveConversation.operator).where(LiveConversation.state == "live")))
        return self.presence.present() - busy

    # --- the operator side ------------------------------------------------------------------------
    def queue(self, operator: str) -> list[LiveSummary]:
        """Waiting and live conversations, oldest request first; marks the operator present."""
        self.presence.seen(operator)
        with self._sessions() as session:
            rows = list(session.scalars(select(LiveConversation).where(
                LiveConversation.state.in_(("waiting", "live"))).order_by(LiveConversation.requested_at)))
            return [self._summary(session, row) for row in rows]

    def get(self, live_id: int) -> LiveSummary:
        with self._sessions() as session:
            return self._summary(session, self._load(session, live_id))

    def conversation(self, live_id: int) -> LiveConversation:
        with self._sessions() as session:
            return self._load(session, live_id)

    def take(self, live_id: int, operator: str, now: datetime | None = None) -> LiveConversation:
        now = now or utcnow()
        with self._sessions.begin() as session:
            row = self._load(session, live_id)
            taken = session.execute(
                update(LiveConversation)
                .where(LiveConversation.id == live_id, LiveConversation.state == "waiting")
                .values(state="live", operator=operator, taken_at=now, version=LiveConversation.version + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if not taken:
                session.refresh(row)
                if row.state == "live":
                    who = "您" if row.operator == operator else f"工作人员{row.operator}"
                    raise HandoffConflict(f"该会话已由{who}接管")
                raise HandoffConflict("该会话已结束，不能接管")
            session.refresh(row)
            return row

    def holder_check(self, live_id: int, operator: str) -> LiveConversation:
        with self._sessions() as session:
            row = self._load(session, live_id)
        if row.state != "live" or row.operator != operator:
            raise HandoffConflict("您没有接管该会话，不能发送或交回" if row.state == "live"
                                  else "该会话不在人工接管中")
        return row

    def hand_back(self, live_id: int, operator: str, now: datetime | None = None) -> LiveConversation:
        now = now or utcnow()
        with self._sessions.begin() as session:
            ended = session.execute(
                update(LiveConversation)
                .where(LiveConversation.id == live_id, LiveConversation.state == "live",
                       LiveConversation.operator == operator)
                .values(state="closed", ended_at=now, version=LiveConversation.version + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            row = self._load(session, live_id)
            if not ended:
                raise HandoffConflict("您没有接管该会话，不能交回")
            session.refresh(row)
            return row

    @staticmethod
    def _load(session: Session, live_id: int) -> LiveConversation:
        row = session.get(LiveConversation, live_id)
        if row is None:
            raise HandoffNotFound("没有这个会话")
        return row

    @staticmethod
    def _summary(session: Session, row: LiveConversation) -> LiveSummary:
        since = row.taken_at or row.requested_at
        last = session.scalar(select(ChatMessage.text).where(
            ChatMessage.channel == row.channel, ChatMessage.sender == row.sender, ChatMessage.direction == "in")
            .order_by(ChatMessage.id.desc()).limit(1))
        unread = session.scalar(select(func.count()).where(
            ChatMessage.channel == row.channel, ChatMessage.sender == row.sender, ChatMessage.direction == "in",
            ChatMessage.at >= since)) or 0
        return LiveSummary(row.id, row.channel, row.state, row.ticket_number, row.operator, row.requested_at,
                           row.taken_at, last, int(unread))
