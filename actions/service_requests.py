"""Complaints, petitions, suggestions and messages for the judge → tickets, one per matter.

A conversation keeps its open tickets (`open_tickets`: category → number) so a repeated or extended
request adds to the same ticket, and `last_ticket` so details given afterwards (a case number, a
callback phone) attach to it. Messages that carry no request are refused and never ticketed; a message
for the judge waits until the caller has verified the case (the case-progress form runs first)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.case_progress import reset_case_query
from actions.handoff import add_to_ticket, open_handoff_ticket
from guidance.screening import REFUSAL, is_not_a_request

CATEGORY_BY_INTENT = {
    "complaint": "投诉举报",
    "petition": "涉诉信访",
    "suggestion": "意见建议",
    "contact_judge": "联系法官",
}
JUDGE_MESSAGE = "联系法官"
# A first message this long already says what happened; shorter ones ("我要投诉") get asked for details.
DETAILED_ENOUGH = 15
# A reply to "please describe it" shorter than this is not a description.
SHORTEST_DETAIL = 6

CONFIRMATION = {
    "投诉举报": "您的投诉举报已登记，工单号：{number}。我们将转交相关部门核查，并在规定期限内答复您。",
    "涉诉信访": "您的信访事项已登记，工单号：{number}。按照“必登记、必转交、必回复”的要求，"
    "将转交相关部门办理并答复您，全程留痕、可查询。",
    "意见建议": "感谢您的意见建议，已登记，工单号：{number}。我们会认真研究并向您反馈。",
    "联系法官": "已为您登记给承办人员的留言（案件{case}），工单号：{number}。承办人员会尽快与您联系。",
}
CALLBACK_HINT = "如需工作人员回电，请留下联系电话；还有要补充的（如案号），直接告诉我，我会记到这张工单上。"
ADDED = "这件事已在工单{number}中登记，您刚才说的内容已补充到该工单，不再重复开单。"
VERIFY_FIRST = ("给承办法官留言需要先确认您是本案当事人。我们先核验身份，核验通过后我马上为您登记留言。")


class ActionCaptureRequest(Action):
    def name(self) -> str:
        return "action_capture_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = (tracker.latest_message.get("text") or "").strip()
        if is_not_a_request(text):
            dispatcher.utter_message(text=REFUSAL)
            # No category: the request form asks nothing and nothing is registered.
            return [SlotSet("request_category", None), SlotSet("request_detail", None),
                    SlotSet("pending_request", None)]
        category = CATEGORY_BY_INTENT.get(str(intent), "其他诉求")
        # More about a matter that already has a ticket needs no long first message.
        extends = category in (tracker.get_slot("open_tickets") or {})
        detail = text if len(text) >= (SHORTEST_DETAIL if extends else DETAILED_ENOUGH) else None
        # A switch from a case query drops that query, so its identity slots cannot linger; a case
        # number said in this very message is kept for the ticket.
        mentioned = next(tracker.get_latest_entity_values("case_number"), None)
        events: list[EventType] = [*reset_case_query(), SlotSet("case_number", mentioned),
                                   SlotSet("request_category", category), SlotSet("request_detail", detail),
                                   SlotSet("pending_request", None)]
        verified = tracker.get_slot("verified_case")
        if category == JUDGE_MESSAGE and (not verified or (mentioned and mentioned != verified)):
            # Only a verified party may leave the judge a message: run the case query first.
            dispatcher.utter_message(text=VERIFY_FIRST)
            # A case number already given in an interrupted query is the case the message is about.
            case = mentioned or tracker.get_slot("case_number")
            return [*events, SlotSet("case_number", case), SlotSet("pending_request", JUDGE_MESSAGE),
                    FollowupAction("case_progress_form")]
        return events


class ActionResumeRequest(Action):
    """After the case query a judge message was waiting for: go on only if the caller was verified."""

    def name(self) -> str:
        return "action_resume_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if tracker.get_slot("verified_case") and tracker.get_slot("request_category") == JUDGE_MESSAGE:
            dispatcher.utter_message(text="身份已核验，现在为您登记给承办法官的留言。")
            return [SlotSet("pending_request", None)]
        return [SlotSet("pending_request", None), SlotSet("request_category", None), SlotSet("request_detail", None)]


class ValidateServiceRequestForm(FormValidationAction):
    def name(self) -> str:
        return "validate_service_request_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # No category means nothing to register (a refused message, an unverified judge message).
        return domain_slots if tracker.get_slot("request_category") else []

    def validate_request_detail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        detail = str(value or "").strip()
        if is_not_a_request(detail):
            dispatcher.utter_message(text=REFUSAL)
            return {"request_detail": None, "request_category": None}
        if len(detail) < SHORTEST_DETAIL:
            dispatcher.utter_message(text="内容太简短了，我们没法据此办理。")
            return {"request_detail": None}
        return {"request_detail": detail}


class ActionSubmitServiceRequest(Action):
    def name(self) -> str:
        return "action_submit_service_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        category = tracker.get_slot("request_category")
        detail = tracker.get_slot("request_detail")
        done: list[EventType] = [SlotSet("request_category", None), SlotSet("request_detail", None)]
        if not (category and detail):
            return done
        open_tickets: dict[str, str] = dict(tracker.get_slot("open_tickets") or {})
        number = open_tickets.get(category)
        if number and add_to_ticket(tracker, number, f"来电人补充：{detail}"):
            dispatcher.utter_message(text=ADDED.format(number=number))
        else:
            number = open_handoff_ticket(tracker, category, str(detail))
            open_tickets[category] = number
            case = tracker.get_slot("verified_case") or ""
            dispatcher.utter_message(text=CONFIRMATION.get(category, "已登记，工单号：{number}。").format(
                number=number, case=case))
            dispatcher.utter_message(text=CALLBACK_HINT)
        return [*done, SlotSet("open_tickets", open_tickets), SlotSet("last_ticket", number)]
