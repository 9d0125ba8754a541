"""Revisit (回访) by the bot: the satisfaction question goes into the caller's web conversation
(the real Outbound and message log), the caller's rating is recorded, silence is asked again and
after three rounds becomes operator work; phone callers get an operator's revisit task; a WeChat
message that cannot be delivered becomes operator work too. Each step happens once."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from conversations.models import ChatMessage
from conversations.outbound import Outbound, PushResult
from conversations.service import MessageLog
from tickets.audit import verify_chain
from tickets.models import TicketNotification
from tickets.revisit import Revisits, parse_rating
from tickets.service import ActionInput, Actor, NewTicket, TicketService
from tickets.states import Action

T0 = datetime(2026, 6, 15, 2, 0, tzinfo=timezone.utc)  # a Monday, 10:00 court time
HANDLER = Actor("rv-handler", "supervisor")


class FailingWeChat:
    """WeChat's servers refusing (the 48-hour window closed and no template): an external edge."""

    async def push(self, sender: str, texts: list[str], purpose: str) -> PushResult:
        return PushResult(False, "none", "45015 response out of time limit")


@pytest.fixture()
def setup(sqlite_sessions: sessionmaker[Session]) -> tuple[TicketService, Revisits]:
    service = TicketService(sqlite_sessions)
    outbound = Outbound(MessageLog(sqlite_sessions), service, {"wechat": FailingWeChat()})
    return service, Revisits(service, outbound, "焦作市马村区人民法院")


def fed_back(service: TicketService, channel: str, sender: str, answer: str) -> str:
    t = service.open_ticket(NewTicket("咨询", channel, f"{channel}:{sender}", "问立案要带什么材料"), now=T0)
    t = service.perform(t.number, Action.ACCEPT, HANDLER, t.version, now=T0 + timedelta(minutes=5))
    t = service.perform(t.number, Action.FEEDBACK, HANDLER, t.version, ActionInput(text=answer),
                        T0 + timedelta(minutes=10))
    return t.number


def pushed(sessions: sessionmaker[Session], sender: str) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(ChatMessage.text).where(
            ChatMessage.sender == sender, ChatMessage.author == "courtbot:revisit").order_by(ChatMessage.id)))


def test_a_web_caller_is_asked_in_their_chat_and_their_rating_is_recorded(
        setup: tuple[TicketService, Revisits], sqlite_sessions: sessionmaker[Session]) -> None:
    service, revisits = setup
    number = fed_back(service, "web", "rv-web-1", "请携带起诉状和身份证复印件到立案窗口")
    at = T0 + timedelta(minutes=15)
    assert asyncio.run(revisits.sweep(at)) == 1
    assert asyncio.run(revisits.sweep(at)) == 0  # asked once, not every minute
    [question] = pushed(sqlite_sessions, "rv-web-1")
    assert number in question and "起诉状和身份证复印件" in question and "1–5" in question
    assert revisits.answer("web:rv-web-1", "我还想问个问题") is None  # not a rating: the bot answers it
    assert revisits.answer("web:someone-else", "5") is None  # nobody asked them
    reply = revisits.answer("web:rv-web-1", "四分 窗口很耐心", at + timedelta(hours=1))
    assert reply == f"感谢您的评价（4 分），工单{number}将办结。"
    t = service.get(number)
    assert t is not None
    assert (t.status, t.satisfaction, t.satisfaction_comment) == ("revisited", 4, "窗口很耐心")
    assert [e.action for e in t.events][-2:] == ["revisit_asked", "revisit"]
    assert t.events[-1].actor == "courtbot:revisit"
    assert revisits.answer("web:rv-web-1", "5") is None  # answered already
    assert asyncio.run(revisits.sweep(at + timedelta(days=3))) == 0


def test_an_unsatisfied_caller_goes_to_the_supervisor(setup: tuple[TicketService, Revisits],
                                                      sqlite_sessions: sessionmaker[Session]) -> None:
    service, revisits = setup
    number = fed_back(service, "web", "rv-web-2", "已转告法官")
    asyncio.run(revisits.sweep(T0 + timedelta(minutes=15)))
    reply = revisits.answer("web:rv-web-2", "不满意，法官一直没回电话")
    assert reply is not None and "督办员复核" in reply and number in reply
    with sqlite_sessions() as session:
        texts = list(session.scalars(select(TicketNotification.text).where(
            TicketNotification.recipient == "role:supervisor", TicketNotification.kind == "review")))
    assert any(number in t and "不满意（2 分）" in t for t in texts)


def test_silence_is_asked_again_then_becomes_operator_work(setup: tuple[TicketService, Revisits],
                                                           sqlite_sessions: sessionmaker[Session]) -> None:
    service, revisits = setup
    number = fed_back(service, "web", "rv-web-3", "已登记您的意见")
    start = T0 + timedelta(minutes=15)
    assert asyncio.run(revisits.sweep(start)) == 1
    assert asyncio.run(revisits.sweep(start + timedelta(hours=23))) == 0  # not yet: a day to answer
    for day in (1, 2, 3):
        assert asyncio.run(revisits.sweep(start + timedelta(hours=24 * day + 1))) == 1
    assert asyncio.run(revisits.sweep(start + timedelta(days=10))) == 0
    assert len(pushed(sqlite_sessions, "rv-web-3")) == 3  # asked three times in all
    t = service.get(number)
    assert t is not None and (t.status, t.revisit_attempts) == ("fed_back", 3)
    assert [e.action for e in t.events].count("revisit_failed") == 3
    with sqlite_sessions() as session:
        texts = list(session.scalars(select(TicketNotification.text).where(
            TicketNotification.recipient == "role:operator")))
    assert any(number in x and "3 次回访未接通" in x for x in texts)
    with sqlite_sessions() as session:
        assert verify_chain(session)[2] == []


def test_a_phone_caller_gets_an_operator_revisit_task(setup: tuple[TicketService, Revisits],
                                                      sqlite_sessions: sessionmaker[Session]) -> None:
    service, revisits = setup
    number = fed_back(service, "hotline", "rv-phone-1", "已电话告知开庭时间")
    assert asyncio.run(revisits.sweep(T0 + timedelta(minutes=15))) == 1
    assert asyncio.run(revisits.sweep(T0 + timedelta(days=5))) == 0  # the operator records it, not the bot
    with sqlite_sessions() as session:
        texts = list(session.scalars(select(TicketNotification.text).where(
            TicketNotification.recipient == "role:operator")))
    assert any(number in x and "请电话回访" in x for x in texts)
    assert pushed(sqlite_sessions, "rv-phone-1") == []
    t = service.get(number)
    assert t is not None and t.events[-1].note == "已生成电话回访任务"


def test_an_undeliverable_wechat_revisit_becomes_operator_work(setup: tuple[TicketService, Revisits],
                                                               sqlite_sessions: sessionmaker[Session]) -> None:
    service, revisits = setup
    fed_back(service, "wechat", "rv-wx-1", "执行款已发放")
    assert asyncio.run(revisits.sweep(T0 + timedelta(minutes=15))) == 1
    task = [t for t in service.list_for_sender("wechat:rv-wx-1") if t.category == "undelivered"]
    assert len(task) == 1 and "执行款已发放" in task[0].summary and "45015" in task[0].summary


def test_two_replicas_sweeping_together_ask_once(sqlite_sessions: sessionmaker[Session]) -> None:
    service = TicketService(sqlite_sessions)
    messages = MessageLog(sqlite_sessions)
    a = Revisits(service, Outbound(messages, service, {}))
    b = Revisits(TicketService(sqlite_sessions), Outbound(messages, service, {}))
    numbers = [fed_back(service, "web", f"rv-race-{i}", "已答复") for i in range(8)]
    at = T0 + timedelta(minutes=15)

    async def both() -> list[int]:
        return list(await asyncio.gather(a.sweep(at), b.sweep(at)))

    assert sum(asyncio.run(both())) == len(numbers)
    for i in range(8):
        assert len(pushed(sqlite_sessions, f"rv-race-{i}")) == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("5", (5, "")), ("四分 很耐心", (4, "很耐心")), ("3分，一般", (3, "一般")), ("五星好评", (5, "好评")),
    ("不满意，没解决", (2, "没解决")), ("非常不满意", (1, "")), ("满意", (5, "")),
    ("满意度怎么算", None), ("3月5日开庭吗", None), ("三个工作日能办完吗", None), ("12368-20260615-0001", None),
    ("我想查案件进度", None),
])
def test_what_counts_as_a_rating(text: str, expected: tuple[int, str] | None) -> None:
    assert parse_rating(text) == expected
