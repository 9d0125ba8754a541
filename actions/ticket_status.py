"""A caller asks how their 12368 ticket is going, by its number, on any channel.

Nothing about a ticket is said before the caller is verified as its caller: the last four digits of the
callback number on the ticket (checked under the same per-caller limits as a case), or an identity
this conversation already verified for the ticket's case. Every query verifies again."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.case_progress import OFFER_HUMAN, caller_of, refusal_message
from actions.conversation import channel_of
from actions.services import identity_service, ticket_service
from core.masking import mask_text
from core.timeutil import as_utc, court_tz
from identity.answers import phone_tail_of
from nlu.numerals import digits_from_spoken, to_halfwidth
from tickets.categories import category_label
from tickets.models import Ticket

# 12368-YYYYMMDD-NNNN as people type or say it: dashes, spaces or nothing between the parts.
_TICKET = re.compile(r"12368[\s\-－—_]*(\d{8})[\s\-－—_]*(\d{4})(?!\d)")
_QUESTION = re.compile(r"[?？]|吗|呢|啥|什么|怎么|哪|多少|为什么")
FORM_SLOTS = ("ticket_number", "ticket_tail", "ticket_blocked")

# Reply texts of this skill. The hotline reads a ticket number digit by digit, so it gets the spoken form.
TEXT = {
    "not_found": "没有查到工单号{number}，请核对后再说一遍（工单号形如12368-20261203-0001）。",
    "no_number": "没有听清工单号。工单号在登记时告诉过您，形如12368-20261203-0001。",
    "no_contact": ("工单{number}没有登记回电号码，无法在这里核验您的身份，所以不能告诉您办理情况。"
                   "您可以拨打12368诉讼服务热线由工作人员核实后查询，或者现在转人工。"),
    "failed": "核验未通过：号码后四位与工单登记的回电号码不一致（还可尝试{left}次）。",
    "need_digits": "需要回电号码的后四位数字。",
    "question": "抱歉，这个问题我没能理解，可以先查完工单再问我，或说“转人工”。",
    "switched": "好的，改为查询工单{number}。",
    "report": "工单{number}（{category}）：{status}{deadline}",
    "anything_else": "还有什么可以帮您？",
}
STATUS = {
    "received": "已登记受理，正在分派承办部门。",
    "assigned": "已交{department}办理。",
    "in_progress": "{department}正在办理。",
    "fed_back": "{department}已于{fed_back_at}答复处理结果：{feedback}",
    "revisited": "已答复并回访，即将办结。",
    "closed": "已办结。",
    "merged": "与同一事项的工单{merged_into}合并办理，请以该工单的进展为准。",
}
DEADLINE = {
    "received": "按规定将于{assign_due}前交办，",
    "feedback": "办理期限：{feedback_due}前答复您。",
    "revisit": "工作人员会在{revisit_due}前回访，听取您的意见。",
}
DEPARTMENT_UNSET = "承办部门"
SPOKEN_CHANNELS = ("hotline", "voice")


def find_ticket_number(text: str) -> str | None:
    """The canonical ticket number in a message, written or spoken digit by digit, or None."""
    match = _TICKET.search(digits_from_spoken(to_halfwidth(text)))
    return f"12368-{match.group(1)}-{match.group(2)}" if match else None


def spoken_number(number: str) -> str:
    """12368-20261203-0001 read out: 一二三六八，二零二六一二零三，零零零一."""
    digits = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
    return "，".join("".join(digits[d] for d in part) for part in number.split("-"))


def _when(at: datetime | None) -> str:
    return f"{as_utc(at).astimezone(court_tz()):%m月%d日%H:%M}" if at else ""


def describe_ticket(ticket: Ticket, spoken: bool = False) -> str:
    """Status, department and deadline of a ticket in plain Chinese."""
    department = ticket.department or DEPARTMENT_UNSET
    status = STATUS.get(ticket.status, "正在办理。").format(
        department=department, fed_back_at=_when(ticket.fed_back_at),
        feedback=mask_text(ticket.feedback or "请留意工作人员的答复。"), merged_into=ticket.merged_into or "")
    deadline = ""
    if ticket.status == "received" and ticket.assign_due_at:
        deadline = DEADLINE["received"].format(assign_due=_when(ticket.assign_due_at))
    if ticket.status in ("received", "assigned", "in_progress") and ticket.feedback_due_at:
        deadline += DEADLINE["feedback"].format(feedback_due=_when(ticket.feedback_due_at))
    elif ticket.status == "fed_back" and ticket.revisit_due_at:
        deadline = DEADLINE["revisit"].format(revisit_due=_when(ticket.revisit_due_at))
    number = spoken_number(ticket.number) if spoken else ticket.number
    return TEXT["report"].format(number=number, category=category_label(ticket.category), status=status,
                                 deadline=deadline)


def _verified_for(ticket: Ticket, tracker: Tracker) -> bool:
    """Already verified in this conversation: as this ticket's caller, or for the ticket's case."""
    if tracker.get_slot("ticket_verified") == ticket.number:
        return True
    return bool(ticket.case_number) and tracker.get_slot("verified_case") == ticket.case_number


class ValidateTicketStatusForm(FormValidationAction):
    def name(self) -> str:
        return "validate_ticket_status_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("ticket_blocked"):
            return []
        number = tracker.get_slot("ticket_number")
        if number and tracker.get_slot("ticket_verified") == number:
            return ["ticket_number"]
        return domain_slots

    def validate_ticket_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        number = find_ticket_number(text)
        if number is None:
            if tracker.get_slot("requested_slot") == "ticket_number":
                dispatcher.utter_message(text=TEXT["no_number"])
            return {"ticket_number": None}
        ticket = ticket_service().get(number)
        if ticket is None:
            dispatcher.utter_message(text=TEXT["not_found"].format(number=number))
            return {"ticket_number": None}
        if _verified_for(ticket, tracker):
            return {"ticket_number": number, "ticket_verified": number}
        if not ticket.caller_contact:
            dispatcher.utter_message(text=TEXT["no_contact"].format(number=number))
            return {"ticket_number": None, "ticket_blocked": True, "handoff_offered": True}
        refused = identity_service().refusal(number, caller_of(tracker))
        if refused is not None:
            dispatcher.utter_message(text=refusal_message(f"工单{number}", refused) + OFFER_HUMAN)
            return {"ticket_number": None, "ticket_blocked": True, "handoff_offered": True}
        slots: dict[str, Any] = {"ticket_number": number, "ticket_tail": None}
        rest = _TICKET.sub(" ", digits_from_spoken(to_halfwidth(text)))
        tail = phone_tail_of(rest)
        if tail:  # the tail said in the same message as the number
            slots["ticket_tail"] = tail
        return slots

    def validate_ticket_tail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if re.fullmatch(r"\d{4}", text):
            return {"ticket_tail": text}
        number = find_ticket_number(text)
        if number and number != tracker.get_slot("ticket_number"):
            dispatcher.utter_message(text=TEXT["switched"].format(number=number))
            return {**self.validate_ticket_number(text, dispatcher, tracker, domain)}
        tail = phone_tail_of(_TICKET.sub(" ", digits_from_spoken(to_halfwidth(text))))
        if tail:
            return {"ticket_tail": tail}
        dispatcher.utter_message(text=TEXT["question"] if _QUESTION.search(text) else TEXT["need_digits"])
        return {"ticket_tail": None}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        slots = dict(tracker.slots)
        slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
        return events + self._verify(dispatcher, tracker, slots)

    @staticmethod
    def _verify(dispatcher: CollectingDispatcher, tracker: Tracker, slots: dict[str, Any]) -> list[EventType]:
        number, tail = slots.get("ticket_number"), slots.get("ticket_tail")
        if not (number and tail) or slots.get("ticket_verified") == number or slots.get("ticket_blocked"):
            return []
        ticket = ticket_service().get(number)
        if ticket is None:
            return [SlotSet("ticket_number", None), SlotSet("ticket_tail", None)]
        result = identity_service().verify_ticket_caller(number, tail, ticket.caller_contact, caller_of(tracker))
        if result.verified:
            return [SlotSet("ticket_verified", number)]
        if result.refused is not None:
            dispatcher.utter_message(text=refusal_message(f"工单{number}", result) + OFFER_HUMAN)
            return [SlotSet("ticket_number", None), SlotSet("ticket_tail", None), SlotSet("ticket_blocked", True),
                    SlotSet("handoff_offered", True)]
        dispatcher.utter_message(text=TEXT["failed"].format(left=result.attempts_left))
        return [SlotSet("ticket_tail", None)]


class ActionTicketStatusReport(Action):
    """Runs when the form ends. Tells the ticket only to a caller verified for it in this query."""

    def name(self) -> str:
        return "action_ticket_status_report"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        number = tracker.get_slot("ticket_number")
        if number and tracker.get_slot("ticket_verified") == number:
            ticket = ticket_service().get(number)
            if ticket is not None:
                spoken = channel_of(tracker) in SPOKEN_CHANNELS
                dispatcher.utter_message(text=f"{describe_ticket(ticket, spoken)}{TEXT['anything_else']}")
        return reset_ticket_query()


class ActionCancelTicketQuery(Action):
    def name(self) -> str:
        return "action_cancel_ticket_query"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_ticket_query_cancelled")
        return reset_ticket_query()


def reset_ticket_query() -> list[EventType]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]
