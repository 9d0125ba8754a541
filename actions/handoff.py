"""Handing the caller to a person, and what happens when the bot does not understand."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import answer_for
from actions.case_progress import reset_case_query
from actions.conversation import channel_of, consecutive_misses, transcript
from actions.legal_guidance import queue_person_request
from actions.services import ticket_service
from core.masking import mask_text
from courtinfo.service import court_info
from guidance.screening import REFUSAL, is_not_a_request
from guidance.service import is_follow_up, named_topic
from tickets.categories import PERSON_REQUESTED_NOTE
from tickets.service import NewTicket, TicketError

MISSES_BEFORE_OFFER = 2
_QUESTION = re.compile(r"[?？]|吗|呢|啥|什么|怎么|咋|哪|多少|几|能不能|可不可以|要不要|不$")
# A short message the NLU is unsure of that names a court topic (address, hours, phone …) asks about it.
COURT_QUESTION_LENGTH = 16


def collected_details(tracker: Tracker) -> dict[str, Any]:
    """Everything the caller already told the bot, so the person does not ask again."""
    keys = ("case_number", "verified_case", "verified_party", "party_name", "phone_tail", "request_category",
            "request_detail", "topic")
    details = {k: tracker.get_slot(k) for k in keys if tracker.get_slot(k) not in (None, "")}
    # Free-text slots (request_detail) may hold a phone or ID number; tickets store them masked.
    details = {k: mask_text(v) if isinstance(v, str) else v for k, v in details.items()}
    intents = [
        ((e.get("parse_data") or {}).get("intent") or {}).get("name")
        for e in tracker.events
        if e.get("event") == "user"
    ]
    details["intents"] = [i for i in intents if i]
    return details


def callback_contact(tracker: Tracker) -> str | None:
    """The latest full phone number the caller gave (not a 4-digit tail): staff call back on it."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            value = str(entity.get("value") or "")
            if entity.get("entity") == "phone" and len(value) > 4:
                return value
    return None


def open_handoff_ticket(tracker: Tracker, category: str, summary: str) -> str:
    details = collected_details(tracker)
    verified_case = tracker.get_slot("verified_case")
    ticket = ticket_service().open_ticket(
        NewTicket(
            category=category,
            channel=channel_of(tracker),
            sender=tracker.sender_id,
            summary=mask_text(summary),
            case_number=verified_case or tracker.get_slot("case_number"),
            caller_name=(tracker.get_slot("verified_party") or tracker.get_slot("party_name")),
            caller_verified=bool(verified_case),
            caller_contact=callback_contact(tracker),
            collected=details,
            transcript=transcript(tracker),
        )
    )
    return ticket.number


def add_to_ticket(tracker: Tracker, number: str, text: str) -> bool:
    """Append what the caller added to a ticket of this conversation; False if it is gone or closed."""
    try:
        ticket_service().add_details(number, mask_text(text), f"courtbot:{tracker.sender_id}",
                                     contact=callback_contact(tracker))
    except TicketError:
        return False
    return True


class ActionTransferToHuman(Action):
    def name(self) -> str:
        return "action_transfer_to_human"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        last_text = next(
            (e.get("text") for e in reversed(tracker.events) if e.get("event") == "user" and e.get("text")), ""
        )
        if is_not_a_request(last_text):
            dispatcher.utter_message(text=REFUSAL)
            return [SlotSet("handoff_offered", False)]
        # The matter already has a ticket in this conversation: the person takes that one, not a new one.
        queue_person_request(tracker)  # a question answered with guidance goes to the curation queue
        open_number = tracker.get_slot("last_ticket")
        if open_number and add_to_ticket(tracker, open_number, f"{PERSON_REQUESTED_NOTE}。最后一句：{last_text}"):
            dispatcher.utter_message(
                text=f"好的，已在工单{open_number}上注明您需要人工联系，工作人员会带着您已说明的情况联系您，"
                "不用重复说明；紧急事项请拨打12368诉讼服务热线。"
            )
            return [SlotSet("handoff_offered", False), *reset_case_query()]
        number = open_handoff_ticket(tracker, "转人工", f"来电人请求人工服务。最后一句：{last_text}")
        verified = tracker.get_slot("verified_case")
        carried = "，以及已核验的身份和案号" if verified else ""
        dispatcher.utter_message(
            text=(
                f"已为您转接人工服务，工单号：{number}。您刚才提供的信息和对话记录{carried}已随工单转交，"
                "工作人员接手后无需您重复说明。工作时间内将尽快与您联系；紧急事项请拨打12368诉讼服务热线。"
            )
        )
        return [SlotSet("handoff_offered", False), SlotSet("last_ticket", number), *reset_case_query()]


class ActionHandoffDeclined(Action):
    def name(self) -> str:
        return "action_handoff_declined"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff_declined")
        return [SlotSet("handoff_offered", False)]


class ActionNluFallback(Action):
    """First miss: ask to rephrase. Second miss in a row: offer a person."""

    def name(self) -> str:
        return "action_nlu_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if court_info().topics_in(text) and len(text) <= COURT_QUESTION_LENGTH:
            # "马村法远在哪个路上": unsure of the words, but plainly asking about the court.
            dispatcher.utter_message(text=court_info().answer(text)[1])
            return [SlotSet("handoff_offered", False)]
        if tracker.get_slot("topic") and is_follow_up(text):  # "这个十五天打哪天起算" after an appeal question
            reply, topic = answer_for("ask_follow_up", text, tracker)
            dispatcher.utter_message(text=reply)
            return [SlotSet("handoff_offered", False), SlotSet("topic", topic)]
        if named_topic(text) and _QUESTION.search(text):
            # Unsure of the intent, but the question names its subject ("…告他诉讼费多少"): answer that.
            reply, topic = answer_for(None, text, tracker)
            dispatcher.utter_message(text=reply)
            return [SlotSet("handoff_offered", False), SlotSet("topic", topic)]
        if consecutive_misses(tracker) >= MISSES_BEFORE_OFFER:
            dispatcher.utter_message(response="utter_offer_human")
            return [SlotSet("handoff_offered", True)]
        dispatcher.utter_message(response="utter_rephrase")
        return [SlotSet("handoff_offered", False)]
