"""Ticket status by number: told only after the caller verified as the ticket's caller (tail of the callback
number on it, or the ticket's case verified in this conversation), under per-caller limits."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from actions.services import ticket_service
from actions.ticket_status import (
    ActionTicketStatusReport,
    ValidateTicketStatusForm,
    find_ticket_number,
    spoken_number,
)
from tests.actions.trackers import Conversation, domain
from tickets.service import NewTicket

CASE = "（2024）豫0804民初1566号"


def open_ticket(contact: str | None = "15937461029", case: str | None = None) -> str:
    ticket = ticket_service().open_ticket(NewTicket(
        category="投诉举报", channel="web", sender="web:someone-else", summary="立案窗口排队三小时无人受理",
        case_number=case, caller_contact=contact))
    return ticket.number


def ask(convo: Conversation, text: str, slot: str, intent: str = "ticket_status") -> list[str]:
    """One caller message inside the ticket form, as Rasa fills the slot from the text; then the report
    when the form is done."""
    convo.user(text, intent, **{slot: text})
    form = ValidateTicketStatusForm()
    texts, _ = convo.run(form)
    # What Rasa's form does next: request the first required slot still empty, or finish.
    required = asyncio.run(form.required_slots(["ticket_number", "ticket_tail"], None, convo.tracker(), domain()))  # type: ignore[arg-type]
    convo.slots["requested_slot"] = next((s for s in required if convo.slots.get(s) is None), None)
    if convo.slots["requested_slot"] is None and convo.slots.get("ticket_number"):
        more, _ = convo.run(ActionTicketStatusReport())
        texts += more
    return texts


def test_the_number_is_read_as_people_write_and_say_it() -> None:
    assert find_ticket_number("我的工单12368-20261203-0007咋样了") == "12368-20261203-0007"
    assert find_ticket_number("单号 12368 20261203 0007") == "12368-20261203-0007"
    assert find_ticket_number("一二三六八 二零二六一二零三 零零零七") == "12368-20261203-0007"
    assert find_ticket_number("案号（2024）豫0804民初1566号 尾号5678") is None
    assert spoken_number("12368-20261203-0007") == "一二三六八，二零二六一二零三，零零零七"


def test_status_department_and_deadline_only_after_the_tail_matches(seeded: date) -> None:
    number = open_ticket()
    convo = Conversation().activate("ticket_status_form")
    first = ask(convo, f"查一下工单{number}办到哪了", "ticket_number")
    assert not any("办理期限" in t or "待交办" in t or "已登记受理" in t for t in first)
    assert convo.slots["requested_slot"] == "ticket_tail"
    wrong = ask(convo, "1234", "ticket_tail", "inform")
    assert any("不一致" in t and "还可尝试2次" in t for t in wrong)
    assert not any("已登记受理" in t for t in wrong)
    right = " ".join(ask(convo, "后四位1029", "ticket_tail", "inform"))
    assert number in right and "已登记受理" in right and "办理期限" in right and "投诉举报" in right


def test_a_verified_case_in_this_conversation_is_enough(seeded: date) -> None:
    number = open_ticket(contact=None, case=CASE)
    convo = Conversation().activate("ticket_status_form")
    convo.set("verified_case", CASE)
    reply = " ".join(ask(convo, f"{number}", "ticket_number"))
    assert "已登记受理" in reply and number in reply


def test_a_ticket_without_a_callback_number_is_not_told(seeded: date) -> None:
    number = open_ticket(contact=None)
    convo = Conversation().activate("ticket_status_form")
    reply = " ".join(ask(convo, f"工单{number}", "ticket_number"))
    assert "没有登记回电号码" in reply and "已登记受理" not in reply and "办理期限" not in reply
    assert convo.slots["handoff_offered"] is True


def test_three_wrong_tails_lock_the_caller_out_of_that_ticket(seeded: date) -> None:
    number = open_ticket()
    convo = Conversation().activate("ticket_status_form")
    ask(convo, f"工单{number}", "ticket_number")
    for guess in ("0001", "0002"):
        ask(convo, guess, "ticket_tail", "inform")
    locked = " ".join(ask(convo, "0003", "ticket_tail", "inform"))
    assert "暂停" in locked and "已登记受理" not in locked
    again = Conversation(convo.sender).activate("ticket_status_form")
    reply = " ".join(ask(again, f"工单{number} 尾号1029", "ticket_number"))
    assert "暂停" in reply and "已登记受理" not in reply


@pytest.mark.parametrize("message", ["12368-20991231-9999 查一下", "工单号12368-20991231-9998"])
def test_an_unknown_number_says_so(seeded: date, message: str) -> None:
    convo = Conversation().activate("ticket_status_form")
    reply = " ".join(ask(convo, message, "ticket_number"))
    assert "没有查到工单号" in reply and convo.slots["ticket_number"] is None


def test_the_hotline_hears_the_number_digit_by_digit(seeded: date) -> None:
    number = open_ticket()
    convo = Conversation().activate("ticket_status_form")
    convo.user(f"工单{number} 尾号1029", "ticket_status", ticket_number=f"工单{number} 尾号1029")
    convo.latest_message["metadata"] = {"channel": "hotline"}
    convo.run(ValidateTicketStatusForm())
    assert convo.slots["ticket_verified"] == number
    texts, _ = convo.run(ActionTicketStatusReport())
    assert spoken_number(number) in texts[0] and "已登记受理" in texts[0]
