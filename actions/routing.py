"""The start of a case query, checked against what the message plainly asks: a complaint or a message for
the judge said with a case number, a detail for the ticket just opened, or a procedural question ("判决书
收到了 不服 咋上诉") the NLU took for a progress query. Anything else starts the case-progress form."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import answer_for
from actions.case_progress import ASKS_PROGRESS, canonical_case_number
from actions.service_requests import category_in_text
from actions.ticket_status import find_ticket_number
from guidance.service import resolve

_TICKET_WORDS = re.compile(r"工单|单号|工單")
# Topics a question may name that the guidance answers without any case ("咋上诉", "判了不给钱咋办").
ANSWERED_TOPICS = ("appeal", "execution", "filing", "mediation", "fees")


class ActionStartCaseQuery(Action):
    def name(self) -> str:
        return "action_start_case_query"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        entities = tracker.latest_message.get("entities") or []
        has_case = any(e.get("entity") == "case_number" for e in entities) or canonical_case_number(text)[0]
        asks_progress = bool(ASKS_PROGRESS.search(text))
        if find_ticket_number(text) or _TICKET_WORDS.search(text):  # "我想查一下工单办得怎么样了"
            return [SlotSet("ticket_number", text), FollowupAction("ticket_status_form")]
        if has_case and tracker.get_slot("last_ticket") and not asks_progress:
            return [FollowupAction("action_acknowledge_information")]  # "案号是…你记一下" after a complaint
        if category_in_text(text):
            return [FollowupAction("action_capture_request")]
        if not has_case and not asks_progress:
            resolved = resolve("case_progress", text, tracker.get_slot("topic"))
            if resolved.topic in ANSWERED_TOPICS or (resolved.topic or "").startswith("legal"):
                reply, topic = answer_for("filing_help", text, tracker)
                dispatcher.utter_message(text=reply)
                return [SlotSet("topic", topic)]
        return [FollowupAction("case_progress_form")]
