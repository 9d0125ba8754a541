"""Revisit (回访) after feedback, done by the bot where the caller's channel allows it.

Web and WeChat: the satisfaction question goes into the caller's own conversation (conversations/
outbound.py); the caller's reply (`5`, `四分 很耐心`, `不满意`) is recorded as the revisit by
`Revisits.answer`, which the conversation calls before the bot sees the message. No reply within
`wait`: asked again, up to three times, each unanswered round recorded as 回访未接通; after the third
an operator takes over (the ticket's own rule). Phone and other channels: a revisit task for the
operators at once (the ticket waits in 待回访 until they record it).

Each (ticket, reopening round, attempt) happens once, however many replicas sweep: its row in
ticket_revisit_attempts is inserted in the same transaction as the audit event.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from core.timeutil import as_utc, utcnow
from tickets.models import Ticket, TicketRevisitAttempt
from tickets.service import (
    REVISIT_ATTEMPTS_BEFORE_TASK,
    ActionInput,
    Actor,
    TicketError,
    TicketService,
    notify,
)
from tickets.states import Action, Status

log = logging.getLogger("courtbot.revisit")

MESSAGE_CHANNELS = {"web": "网页", "wechat": "微信"}
BOT = Actor("courtbot:revisit")
WAIT = timedelta(hours=24)
# What the caller reads, in one place.
TEXT = {
    "question": "您好，这里是{court}诉讼服务中心。您的工单{number}已办理答复：{feedback}\n"
                "请对本次办理打分：回复 1–5 的数字（5 分为非常满意），也可以在分数后写下您的意见。",
    "thanks": "感谢您的评价（{score} 分），工单{number}将办结。",
    "thanks_unsatisfied": "感谢您的评价（{score} 分）。我们会请督办员复核工单{number}，必要时重新办理并与您联系。",
}
# A score alone, or with 分/星, or followed by a comment after a pause: "3月5日开庭吗" is no rating.
_RATING = re.compile(r"^\s*([1-5一二三四五])(?:\s*[分星](.*)|\s*(?:[\s，,。.、！!]+(.*))?)$", re.S)
_PAUSES = " ，,。.、！!；;"
_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
# Longest first: 不满意 must not be read as 满意.
_WORDS = (("非常不满意", 1), ("很不满意", 1), ("不满意", 2), ("一般", 3), ("基本满意", 4), ("非常满意", 5),
          ("很满意", 5), ("满意", 5))


class Delivering(Protocol):
    """conversations.outbound.Outbound, as far as revisits need it."""

    async def deliver(self, channel: str, sender: str, texts: list[str], author: str,
                      purpose: str = "notice") -> object: ...


def parse_rating(text: str) -> tuple[int, str] | None:
    """(score 1–5, comment) when the message is a rating, else None."""
    text = text.strip()
    match = _RATING.match(text)
    if match:
        raw = match.group(1)
        comment = (match.group(2) or match.group(3) or "").strip(" ，,。.、！!")
        return (_DIGITS.get(raw) or int(raw)), comment
    for word, score in _WORDS:
        rest = text[len(word):]
        if text.startswith(word) and (not rest or rest[0] in _PAUSES):  # not "满意度怎么算"
            return score, rest.strip(_PAUSES)
    return None


@dataclass(frozen=True)
class Due:
    ticket_id: int
    number: str
    channel: str
    conversation: str  # the ticket's sender: `channel:sender`
    round: int
    attempt: int
    feedback: str


class Revisits:
    def __init__(self, service: TicketService, outbound: Delivering | None, court: str = "",
                 wait: timedelta = WAIT) -> None:
        self.service = service
        self.outbound = outbound
        self.court = court
        self.wait = wait

    # --- asking -------------------------------------------------------------------------------
    def due(self, now: datetime) -> list[Due]:
        """Fed-back tickets whose next revisit step is due now."""
        latest = (select(TicketRevisitAttempt.ticket_id, TicketRevisitAttempt.round,
                         func.max(TicketRevisitAttempt.attempt).label("attempt"))
                  .group_by(TicketRevisitAttempt.ticket_id, TicketRevisitAttempt.round).subquery())
        with self.service.sessions() as session:
            rows = session.execute(
                select(Ticket.id, Ticket.number, Ticket.channel, Ticket.sender, Ticket.reopen_count, Ticket.feedback,
                       latest.c.attempt, TicketRevisitAttempt.route, TicketRevisitAttempt.asked_at)
                .outerjoin(latest, (latest.c.ticket_id == Ticket.id) & (latest.c.round == Ticket.reopen_count))
                .outerjoin(TicketRevisitAttempt, (TicketRevisitAttempt.ticket_id == Ticket.id)
                           & (TicketRevisitAttempt.round == Ticket.reopen_count)
                           & (TicketRevisitAttempt.attempt == latest.c.attempt))
                .where(Ticket.status == Status.FED_BACK.value).order_by(Ticket.id)).all()
        due = []
        for r in rows:
            if r.attempt is None:
                attempt = 1
            elif (r.route == "message" and r.attempt <= REVISIT_ATTEMPTS_BEFORE_TASK
                  and as_utc(r.asked_at) <= now - self.wait):
                attempt = r.attempt + 1
            else:
                continue
            due.append(Due(r.id, r.number, r.channel, r.sender, r.reopen_count, attempt, r.feedback or ""))
        return due

    def claim(self, due: Due, now: datetime) -> str | None:
        """Record this attempt (once): the route taken, or None when another replica took it."""
        by_message = due.channel in MESSAGE_CHANNELS and self.outbound is not None
        if due.attempt > REVISIT_ATTEMPTS_BEFORE_TASK:
            route = "operator"
        else:
            route = "message" if by_message else "phone_task"
        try:
            with self.service.sessions.begin() as session:
                session.execute(insert(TicketRevisitAttempt).values(
                    ticket_id=due.ticket_id, round=due.round, attempt=due.attempt, route=route, asked_at=now))
                ticket = session.get(Ticket, due.ticket_id)
                if ticket is None or ticket.status != Status.FED_BACK.value:
                    raise _Gone
                if due.attempt > 1:  # the previous question went unanswered
                    self.service.apply_in(session, ticket, Action.REVISIT_FAILED, BOT,
                                          ActionInput(text="来电人未在对话中答复回访"), now)
                if route == "message":
                    label = MESSAGE_CHANNELS[due.channel]
                    self.service.apply_in(session, ticket, Action.REVISIT_ASKED, BOT, ActionInput(
                        text=f"第 {due.attempt} 次在{label}对话中发送回访，请来电人打分"), now)
                elif route == "phone_task":
                    notify(session, ticket, "role:operator", "review",
                           f"工单 {ticket.number} 已反馈，请电话回访来电人并记录满意度", now)
                    self.service.apply_in(session, ticket, Action.REVISIT_ASKED, BOT,
                                          ActionInput(text="已生成电话回访任务"), now)
        except (IntegrityError, StaleDataError, _Gone):  # another replica, or a person acted meanwhile
            return None
        return route

    async def sweep(self, now: datetime | None = None) -> int:
        """Take every due revisit step; returns how many were taken."""
        now = as_utc(now) if now else utcnow()
        taken = 0
        for due in await asyncio.to_thread(self.due, now):
            route = await asyncio.to_thread(self.claim, due, now)
            if route is None:
                continue
            taken += 1
            if route == "message" and self.outbound is not None:
                sender = due.conversation.removeprefix(f"{due.channel}:")
                text = TEXT["question"].format(court=self.court, number=due.number, feedback=due.feedback)
                await self.outbound.deliver(due.channel, sender, [text], "courtbot:revisit", purpose="revisit")
        return taken

    # --- the caller's answer --------------------------------------------------------------------
    def answer(self, conversation_id: str, text: str, now: datetime | None = None) -> str | None:
        """The reply to a revisit question asked in this conversation: recorded, and what to tell the
        caller. None when there is no open question or the message is not a rating."""
        rating = parse_rating(text)
        if rating is None:
            return None
        with self.service.sessions() as session:
            row = session.execute(
                select(Ticket.number, TicketRevisitAttempt.round)
                .join(TicketRevisitAttempt, (TicketRevisitAttempt.ticket_id == Ticket.id)
                      & (TicketRevisitAttempt.round == Ticket.reopen_count))
                .where(Ticket.sender == conversation_id, Ticket.status == Status.FED_BACK.value,
                       TicketRevisitAttempt.route == "message", TicketRevisitAttempt.answered_at.is_(None))
                .order_by(TicketRevisitAttempt.asked_at.desc()).limit(1)).first()
        if row is None:
            return None
        score, comment = rating
        try:
            ticket = self.service.perform(row.number, Action.REVISIT, BOT, None,
                                          ActionInput(satisfaction=score, text=comment), now)
        except TicketError as exc:  # an operator recorded it a moment earlier
            log.info("revisit answer for %s not recorded: %s", row.number, exc.message)
            return None
        with self.service.sessions.begin() as session:
            session.execute(update(TicketRevisitAttempt).where(
                TicketRevisitAttempt.ticket_id == ticket.id, TicketRevisitAttempt.round == row.round,
                TicketRevisitAttempt.answered_at.is_(None)).values(answered_at=as_utc(now) if now else utcnow()))
        key = "thanks_unsatisfied" if score <= 2 else "thanks"
        return TEXT[key].format(score=score, number=ticket.number)


class _Gone(Exception):
    """The ticket left 已反馈 between the query and the claim."""
