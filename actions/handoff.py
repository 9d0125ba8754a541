"""Handing the caller to a person, and what happens when the bot does not understand."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.case_progress import reset_case_query
from actions.conversation import channel_of, consecutive_misses, transcript
from actions.services import ticket_service
from tickets.service import NewTicket

MISSES_BEFORE_OFFER = 2


def collected_details(tracker: Tracker) -> dict[str, Any]:
    """Everything the caller already told the bot, so the person does not ask again."""
    keys = ("case_number", "verified_case", "verified_party", "party_name", "phone_tail", "request_category",
            "request_detail")
    details = {k: tracker.get_slot(k) for k in keys if tracker.get_slot(k) not in (None, "")}
    intents = [
        ((e.get("parse_data") or {}).get("intent") or {}).get("name")
        for e in tracker.events
        if e.get("event") == "user"
    ]
    details["intents"] = [i for i in intents if i]
    return details


def open_handoff_ticket(tracker: Tracker, category: str, summary: str) -> str:
    details = collected_details(tracker)
    verified_case = tracker.get_slot("verified_case")
    ticket = ticket_service().open_ticket(
        NewTicket(
            category=category,
            channel=channel_of(tracker),
            sender=tracker.sender_id,
            summary=summary,
            case_number=verified_case or tracker.get_slot("case_number"),
            caller_name=(tracker.get_slot("verified_party") or tracker.get_slot("party_name")),
            caller_verified=bool(verified_case),
            collected=details,
            transcript=transcript(tracker),
        )
    )
    return ticket.number


class ActionTransferToHuman(Action):
    def name(self) -> str:
        return "action_transfer_to_human"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        last_text = next(
            (e.get("text") for e in reversed(tracker.events) if e.get("event") == "user" and e.get("text")), ""
        )
        number = open_handoff_ticket(tracker, "转人工", f"来电人请求人工服务。最后一句：{last_text}")
        verified = tracker.get_slot("verified_case")
        carried = "，以及已核验的身份和案号" if verified else ""
        dispatcher.utter_message(
            text=(
                f"已为您转接人工服务，工单号：{number}。您刚才提供的信息和对话记录{carried}已随工单转交，"
                "工作人员接手后无需您重复说明。工作时间内将尽快与您联系；紧急事项请拨打12368诉讼服务热线。"
            )
        )
        return [SlotSet("handoff_offered", False), *reset_case_query()]


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
        if consecutive_misses(tracker) >= MISSES_BEFORE_OFFER:
            dispatcher.utter_message(response="utter_offer_human")
            return [SlotSet("handoff_offered", True)]
        dispatcher.utter_message(response="utter_rephrase")
        return [SlotSet("handoff_offered", False)]
