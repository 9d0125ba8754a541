"""Complaints, petitions, suggestions and messages for the judge → tickets, one per matter.

A conversation keeps its open tickets (`open_tickets`: category → number) so a repeated or extended
request adds to the same ticket, and `last_ticket` so details given afterwards (a case number, a
callback phone) attach to it. Messages that carry no request are refused and never ticketed; a question
(an unhonoured judgment: how to apply for execution) is answered instead; a message for the judge waits
until the caller has verified the case (the case-progress form runs first) and is never passed on unverified."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import ActionAnswerQuestion, ActionOutOfScope, answer_for
from actions.case_progress import ASKS_PROGRESS, reset_case_query
from actions.fees import ActionLitigationFee
from actions.handoff import JUDGE_MESSAGE, add_to_ticket, open_handoff_ticket, unverified_judge_message
from courtinfo.service import court_info, is_court_question
from guidance.screening import REFUSAL, is_not_a_request
from guidance.service import QUESTION, aspect_of, is_follow_up, legal_kind, named_topic
from identity.answers import identity_in_request
from nlu.case_number import find_case_numbers

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
    "联系法官": "已为您登记给承办人员的留言（案件{case}），工单号：{number}。承办人员会尽快与您联系。",
}
CALLBACK_HINT = "如需工作人员回电，请留下联系电话；还有要补充的（如案号），直接告诉我，我会记到这张工单上。"
# Words of a grievance: with them, a message about an appeal is still a petition ("二审判的不公 我要上访").
_GRIEVANCE = re.compile(r"上访|信访|不公|冤|枉法|徇私|违法|反映")
ADDED = "这件事已在工单{number}中登记，您刚才说的内容已补充到该工单，不再重复开单。"
VERIFY_FIRST = ("给承办法官留言需要先确认您是本案当事人。我们先核验身份，核验通过后我马上为您登记留言。")


# The request a message names in words, when the NLU read it as something else ("…帮我留个言让他回电").
CATEGORY_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("投诉举报", re.compile(r"投诉|举报")),
    ("涉诉信访", re.compile(r"信访|上访|我要反映|俺要反映|要反映")),
    ("意见建议", re.compile(r"提个?建议|我建议|建议你们|提意见")),
    (JUDGE_MESSAGE, re.compile(r"留个?言|(留|带|捎)(个|句|一句)?话|转告")),
)
_WORDS_OF = dict(CATEGORY_WORDS)
# Looser words that still point at a matter: without any of them, what is said after a ticket belongs to it.
_HINTS_OF = {
    "投诉举报": re.compile(r"投诉|举报|态度|不满"),
    "涉诉信访": re.compile(r"信访|上访|反映|申诉|不服|不公"),
    "意见建议": re.compile(r"建议|意见"),
    JUDGE_MESSAGE: re.compile(r"法官|承办人|书记员|留言|留话|转告|带话|捎话|联系"),
}
# The detail asked for names the matter, so the caller knows what was understood.
ASK_DETAIL = {
    "投诉举报": "好的，您要投诉。请具体说一下：投诉哪个部门或哪位工作人员、什么时间、发生了什么事，以及您的诉求；"
    "涉及案件的请说案号。我会如实登记并转交处理。",
    "涉诉信访": "好的，您要反映信访事项。请具体说明一下情况：涉及的案号、您反映的问题和诉求，我会登记并转交办理。",
    "意见建议": "感谢您提意见建议。请具体说一下您的建议，我会登记并转交相关部门。",
    JUDGE_MESSAGE: "请具体说明一下您要给承办法官留言的内容，我会登记并转交承办人员。",
}
UNCLEAR = ("您好，请问您想咨询或办理什么事？我可以帮您查询案件进度、给承办法官留言、解答立案和诉讼费问题、"
           "登记投诉建议，或者说“转人工”。")
ASK_DETAIL_DEFAULT = "请您具体说明一下情况（涉及的案号、人员、时间和您的诉求），我们会如实登记并转交办理。"
# "立案庭电话多少" read as a wish to reach a judge: the court's published numbers answer it, no ticket.
_JUDGE_OWN = re.compile(r"法官|书记员|承办人|庭长")
# A question how to appeal ("判决书收到了 不服 咋上诉") is answered, not registered as a petition.
_APPEAL_QUESTION = re.compile(r"上诉")
# Someone at the court named in a message about execution: a grievance about its conduct, not a how-to question.
_COURT_ACTOR = re.compile(r"法官|执行局|执行庭|执行干警|工作人员|书记员|承办人|你们|窗口")


def described(text: str) -> str:
    """The message without its case numbers: what it says about the matter."""
    for start, end, _ in reversed(find_case_numbers(text)):
        text = f"{text[:start]}{text[end:]}"
    return text.strip()


def category_in_text(text: str) -> str | None:
    return next((category for category, words in CATEGORY_WORDS if words.search(text)), None)


def request_category(intent: str | None, text: str, tracker: Tracker) -> str:
    """The matter a request is about: what its words name over what the NLU guessed, and more said after a
    ticket without naming a new matter is that ticket's matter."""
    guessed = CATEGORY_BY_INTENT.get(str(intent))
    named = category_in_text(text)
    if named and (guessed is None or not _WORDS_OF[guessed].search(text)):
        return named
    if guessed and not named and tracker.get_slot("last_ticket") and not _HINTS_OF[guessed].search(text):
        by_number = {number: category for category, number in (tracker.get_slot("open_tickets") or {}).items()}
        return by_number.get(tracker.get_slot("last_ticket"), guessed)
    return guessed or named or "其他诉求"


class ActionCaptureRequest(Action):
    def name(self) -> str:
        return "action_capture_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = (tracker.latest_message.get("text") or "").strip()
        nothing = [SlotSet("request_category", None), SlotSet("request_detail", None), SlotSet("pending_request", None)]
        if is_not_a_request(text):
            dispatcher.utter_message(text=REFUSAL)
            # No category: the request form asks nothing and nothing is registered.
            return nothing
        category = request_category(intent, text, tracker)
        extends = category in (tracker.get_slot("open_tickets") or {})
        answered = self._answered_instead(category, text, tracker)
        if answered is not None:
            reply, topic = answered
            dispatcher.utter_message(text=reply)
            return [*nothing, SlotSet("topic", topic)]
        if self._no_matter_named(category, text) and not extends:  # "有个事想问问": an opener, not a request
            dispatcher.utter_message(text=UNCLEAR)
            return nothing
        if self._is_case_query(text, tracker):  # "…执行异议那个案子 我是X 尾号1234 啥时候开庭"
            return [*nothing, FollowupAction("case_progress_form")]
        # More about a matter that already has a ticket needs no long first message; a case number
        # describes nothing ("给（2025）…号的法官留句话" still needs what to tell the judge).
        detail = text if len(described(text)) >= (SHORTEST_DETAIL if extends else DETAILED_ENOUGH) else None
        # A switch from a case query drops that query, so its identity slots cannot linger; a case
        # number said in this very message is kept for the ticket.
        mentioned = next(tracker.get_latest_entity_values("case_number"), None)
        events: list[EventType] = [*reset_case_query(), SlotSet("case_number", mentioned),
                                   SlotSet("request_category", category), SlotSet("request_detail", detail),
                                   SlotSet("pending_request", None)]
        verified = tracker.get_slot("verified_case")
        if category == JUDGE_MESSAGE and (not verified or (mentioned and mentioned != verified)):
            # Only a verified party may leave the judge a message: run the case query first; asked again
            # while that check is still open, say why and what can be done without it.
            waiting = tracker.get_slot("pending_request") == JUDGE_MESSAGE
            dispatcher.utter_message(text=unverified_judge_message() if waiting else VERIFY_FIRST)
            # A case number already given in an interrupted query is the case the message is about.
            case = mentioned or tracker.get_slot("case_number")
            return [*events, SlotSet("case_number", case), SlotSet("pending_request", JUDGE_MESSAGE),
                    FollowupAction("case_progress_form")]
        if intent not in CATEGORY_BY_INTENT:  # reached from another intent's action: no rule opens the form
            events.append(FollowupAction("service_request_form"))
        return events

    @staticmethod
    def _answered_instead(category: str, text: str, tracker: Tracker) -> tuple[str, str | None] | None:
        """(reply, topic) when the message is a question the guidance answers, not a matter for staff."""
        if category == JUDGE_MESSAGE and is_court_question(text) and not _JUDGE_OWN.search(text):
            return court_info().answer(text)[1], tracker.get_slot("topic")
        if category == "涉诉信访" and _APPEAL_QUESTION.search(text) and not _GRIEVANCE.search(text):
            return answer_for("filing_help", text, tracker)
        if category_in_text(text) or tracker.get_slot("last_ticket"):
            return None
        if tracker.get_slot("topic") and is_follow_up(text):  # "那要是拖着不去 多久就不让办了" after an answer
            return answer_for("ask_follow_up", text, tracker)
        if named_topic(text) == "execution" and not _COURT_ACTOR.search(text):
            # "判了半年 他一分钱不给 咋弄": the other side does not pay; the answer is applying for execution.
            return answer_for("filing_help", text, tracker)
        if legal_kind(text):
            # "俩儿子都不管老娘 能告他们不": a dispute to ask about, with no complaint in its words.
            return answer_for("legal_consult", text, tracker)
        return None

    @staticmethod
    def _no_matter_named(category: str, text: str) -> bool:
        """A short message naming no matter at all (the NLU's guess has nothing in its words to go on)."""
        hints = _HINTS_OF.get(category)
        return hints is not None and len(text) < DETAILED_ENOUGH and not category_in_text(text) and not hints.search(text)

    @staticmethod
    def _is_case_query(text: str, tracker: Tracker) -> bool:
        """A case number with the caller's name and tail, and no words of a request: the progress query."""
        if category_in_text(text) or not ASKS_PROGRESS.search(text):
            return False
        numbers = find_case_numbers(text)
        identity = identity_in_request(text, [(start, end) for start, end, _ in numbers])
        return bool(numbers and identity.name and identity.tail)


class ActionAskRequestDetail(Action):
    """The form's question for the details, naming the matter the caller raised."""

    def name(self) -> str:
        return "action_ask_service_request_form_request_detail"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=ASK_DETAIL.get(tracker.get_slot("request_category") or "", ASK_DETAIL_DEFAULT))
        return []


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


class ActionAnswerInsideRequest(Action):
    """A message while the request form waits for the details. The NLU may read a detail as a question
    ("开庭的通知麻烦寄到俺娘家 地址是…" as filing help): a message that asks nothing is the detail; a
    question is answered and the form asks again."""

    def name(self) -> str:
        return "action_answer_inside_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        asks = QUESTION.search(text) or aspect_of(text) or is_court_question(text)
        if tracker.get_slot("requested_slot") == "request_detail" and not asks and len(text) >= DETAILED_ENOUGH:
            # The detail, checked as the form checks one it extracts itself (a non-request is refused).
            checked = ValidateServiceRequestForm().validate_request_detail(text, dispatcher, tracker, domain)
            return [SlotSet(slot, value) for slot, value in checked.items()]
        answer: Action = {"litigation_fee": ActionLitigationFee(), "out_of_scope": ActionOutOfScope()}.get(
            intent or "", ActionAnswerQuestion())
        return answer.run(dispatcher, tracker, domain)  # type: ignore[return-value]


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
