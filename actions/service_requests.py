"""Complaints, petitions, suggestions and messages for the judge: registered as tickets, always."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.case_progress import reset_case_query
from actions.handoff import open_handoff_ticket

CATEGORY_BY_INTENT = {
    "complaint": "投诉举报",
    "petition": "涉诉信访",
    "suggestion": "意见建议",
    "contact_judge": "联系法官",
}
# A first message this long already says what happened; shorter ones ("我要投诉") get asked for details.
DETAILED_ENOUGH = 15
# A reply to "please describe it" shorter than this is not a description.
SHORTEST_DETAIL = 6

CONFIRMATION = {
    "投诉举报": "您的投诉举报已登记，工单号：{number}。我们将转交相关部门核查，并在规定期限内答复您。",
    "涉诉信访": "您的信访事项已登记，工单号：{number}。按照“必登记、必转交、必回复”的要求，"
    "将转交相关部门办理并答复您，全程留痕、可查询。",
    "意见建议": "感谢您的意见建议，已登记，工单号：{number}。我们会认真研究并向您反馈。",
    "联系法官": "已为您登记给承办人员的留言，工单号：{number}。承办人员会尽快与您联系。",
}


class ActionCaptureRequest(Action):
    def name(self) -> str:
        return "action_capture_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = (tracker.latest_message.get("text") or "").strip()
        category = CATEGORY_BY_INTENT.get(str(intent), "其他诉求")
        detail = text if len(text) >= DETAILED_ENOUGH else None
        # A switch from a case query drops that query, so its identity slots cannot linger; a case
        # number said in this very message is kept for the ticket.
        mentioned = next(tracker.get_latest_entity_values("case_number"), None)
        return [*reset_case_query(), SlotSet("case_number", mentioned),
                SlotSet("request_category", category), SlotSet("request_detail", detail)]


class ValidateServiceRequestForm(FormValidationAction):
    def name(self) -> str:
        return "validate_service_request_form"

    def validate_request_detail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        detail = str(value or "").strip()
        if len(detail) < SHORTEST_DETAIL:
            dispatcher.utter_message(text="内容太简短了，我们没法据此办理。")
            return {"request_detail": None}
        return {"request_detail": detail}


class ActionSubmitServiceRequest(Action):
    def name(self) -> str:
        return "action_submit_service_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        category = tracker.get_slot("request_category") or "其他诉求"
        detail = tracker.get_slot("request_detail")
        if detail:
            number = open_handoff_ticket(tracker, category, str(detail))
            dispatcher.utter_message(text=CONFIRMATION.get(category, "已登记，工单号：{number}。").format(number=number))
        return [SlotSet("request_category", None), SlotSet("request_detail", None)]
