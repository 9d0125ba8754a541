"""Case progress: the form that collects case number and identity, and the report after it."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import answer_for
from actions.conversation import channel_of
from actions.services import case_system, identity_service
from cases.progress import describe_progress
from core.config import get_settings
from core.timeutil import court_now, court_tz
from courtinfo.service import is_court_question
from guidance.service import aspect_of, named_topic
from identity.answers import identity_in_request, parse_identity_answer
from identity.service import Caller, Refusal, VerificationResult
from nlu.case_number import (
    CaseNumberParts,
    find_case_numbers,
    gather_case_number,
    read_case_number,
    validate_case_number,
)

OFFER_HUMAN = "需要为您转接人工服务吗？"
# Plainly a question or another request, not an identity answer: never checked, never counted.
_QUESTION = re.compile(r"[?？]|吗|呢|啥|什么|怎么|怎样|哪|多少|几点|能不能|可不可以|是不是|要不要|为什么")

# Words that ask about a case's progress: with them a case number is a query, not a detail for a ticket.
ASKS_PROGRESS = re.compile(r"进度|进展|开庭|查一下|查查|查下|到哪|判了没|咋样了|怎么样了|啥情况|什么情况|结果")
# The court named in a message ("马村法院的", "马村区人民法院"): never a party's name.
_COURT_NAME = re.compile(r"[\u4e00-\u9fff]{0,6}?(区|县|市)?(人民)?法院")
REMEMBERED_TAIL = "（已记住）"  # fills the form's tail slot; the check itself was passed on an earlier visit
FORM = "case_progress_form"
FORM_SLOTS = ("case_number", "party_name", "phone_tail", "identity_verified", "case_query_blocked")


def reset_case_query() -> list[EventType]:
    """Forget a query in progress (on report, cancel, handoff or topic change); keeps verified_case."""
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("case_number_failures", 0)]


IDENTITY_STEPS = ("party_name", "phone_tail")
# What a caller is asked for when a part of the number is still missing.
_MISSING_PART = {
    "year": "收案年份（比如2025年）",
    "type_code": "案件类型代字（比如民初、执、刑初）",
    "seq": "案件序号（“号”字前面的数字）",
}


def canonical_case_number(text: str) -> tuple[str | None, str | None]:
    """(canonical case number, None) or (None, reason). Accepts a bare number or one inside a sentence,
    with or without this court's code ("2025年的 民初2001那个")."""
    if len({value for _, _, value in find_case_numbers(text)}) > 1:
        return None, "一次只能查询一个案号"
    number = read_case_number(text).parts.complete(get_settings().court_code)
    return (number.canonical, None) if number else (None, validate_case_number(text)[1])


def _said(parts: CaseNumberParts) -> str:
    """The parts in hand as the caller would recognise them: "2025年、民初2001号"."""
    said = [f"{parts.year}年"] if parts.year else []
    if parts.type_code and parts.seq:
        said.append(f"{parts.court_code or ''}{parts.type_code}{parts.seq}号")
    else:
        said += [parts.type_code] if parts.type_code else []
        said += [f"序号{parts.seq}"] if parts.seq else []
    return "、".join(said)


def _missing_parts(parts: CaseNumberParts) -> str:
    return f"已记下案号中的“{_said(parts)}”，还差{'和'.join(_MISSING_PART[name] for name in parts.missing)}"


def side_answer(text: str, tracker: Tracker) -> str | None:
    """A question asked in the identity step the guidance can answer ("开庭得带点啥", "几点下班"), or None."""
    if not (aspect_of(text) or is_court_question(text) or named_topic(text)):
        return None
    return answer_for("ask_follow_up", text, tracker)[0]


def caller_of(tracker: Tracker) -> Caller:
    """The conversation's channel identity; on the web also the client address the gateway saw."""
    channel = channel_of(tracker)
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    address = metadata.get("client_address") if channel == "web" else None
    return Caller(id=tracker.sender_id, channel=channel, address=str(address) if address else None)


def _latest_text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def _slot_before_this_message(tracker: Tracker, name: str) -> Any:
    """A slot's value before the latest user message filled it again."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return None


def _set_since_latest_message(tracker: Tracker, name: str) -> bool:
    """Whether a slot was set (by Rasa's extraction or a validation) after the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == name:
            return True
    return False


def _texts_earlier_in_form(tracker: Tracker) -> list[str]:
    """The caller's messages of this case query before the latest one, from the one that started it."""
    events = tracker.events
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if not users:
        return []
    loops = [i for i, event in enumerate(events[: users[-1]]) if event.get("event") == "active_loop"]
    if not loops or events[loops[-1]].get("name") != FORM:
        return []  # the form starts with the latest message
    started = [i for i in users if i < loops[-1]][-1:] + [i for i in users[:-1] if i > loops[-1]]
    return [str(events[i].get("text") or "") for i in started]


def _heard(text: str, tracker: Tracker) -> tuple[CaseNumberParts, CaseNumberParts]:
    """(the case number in hand before this message, what this message says of one).

    In hand is the case found, else the parts said since the query started. In the identity step only what
    cannot be an identity counts ("2222" there is a tail, never a year); a bare year answers a missing year.
    """
    before = _slot_before_this_message(tracker, "case_number")
    found, _ = validate_case_number(str(before)) if before else (None, None)
    in_hand = CaseNumberParts.of(found) if found else gather_case_number(_texts_earlier_in_form(tracker))
    identity_step = tracker.get_slot("requested_slot") in IDENTITY_STEPS
    bare_year = not identity_step and bool(in_hand) and in_hand.year is None
    return in_hand, read_case_number(text, strict=identity_step, bare_year=bare_year).parts


def _block(dispatcher: CollectingDispatcher, reason: str) -> dict[str, Any]:
    dispatcher.utter_message(text=f"{reason}{OFFER_HUMAN}")
    return {"case_query_blocked": True, "handoff_offered": True}


def refusal_message(subject: str, result: VerificationResult) -> str:
    """Why self-service stopped for `subject` (案件… or 工单…)."""
    until = f"{result.until.astimezone(court_tz()):%m月%d日%H:%M}" if result.until else ""
    if result.refused is Refusal.CASE_MANUAL:
        return (
            f"为保护当事人信息，{subject}近期多次身份核验未通过，已暂停自助核验，"
            "改由工作人员人工核验您的身份后为您查询。"
        )
    if result.refused is Refusal.LOCKED:
        return (
            f"您对{subject}的身份核验已连续多次未通过，为保护当事人信息已暂停您的查询，"
            f"请于{until}后再试，或由人工为您办理。"
        )
    if result.refused is Refusal.CALLER:
        return f"您的身份核验未通过次数过多，已暂停自助查询，请于{until}后再试，或由人工为您办理。"
    return f"您所在网络的身份核验未通过次数过多，已暂停自助查询，请于{until}后再试，或由人工为您办理。"


class ValidateCaseProgressForm(FormValidationAction):
    def name(self) -> str:
        return "validate_case_progress_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("case_query_blocked"):
            return []  # ends the form; the report action then stays silent
        return domain_slots

    async def extract_case_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A number said without the court's code ("2025年的民初2001号 我是陈静…") or one part of it corrected
        in the identity step ("序号是1566"): Rasa's entity is a whole number only, and the text itself fills
        the slot only when the case number is asked for."""
        if _set_since_latest_message(tracker, "case_number"):
            return {}
        text = _latest_text(tracker)
        in_hand, said = _heard(text, tracker)
        return {"case_number": text} if said and said.over(in_hand) != in_hand else {}

    def validate_case_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not value:
            return {}
        text = str(value)
        in_hand, said = _heard(text, tracker)
        parts = said.over(in_hand)  # "应该是民初1566号" keeps the year and court said before
        number = parts.complete(get_settings().court_code)
        if len({found for _, _, found in find_case_numbers(text)}) > 1:
            reason = "一次只能查询一个案号"
        elif number is not None:
            if case_system().find_case(number.canonical) is not None:
                whole = said.court_code is not None and not said.missing
                return self._take_case(number.canonical, whole, dispatcher, tracker)
            reason = f"没有查到案号为{number.canonical}的案件，请核对后重新输入"
        elif parts:
            reason = _missing_parts(parts)
            if said and parts != in_hand:  # a step forward, not a failure: say what is understood and what not
                dispatcher.utter_message(text=f"{reason}。")
                return {"case_number": None}
        else:
            reason = validate_case_number(text)[1] or "案号格式无法识别"
        failures = int(tracker.get_slot("case_number_failures") or 0) + 1
        if failures >= 3:
            return {
                "case_number": None,
                "case_number_failures": 0,
                **_block(dispatcher, f"{reason}。已经连续{failures}次没能确认案号。"),
            }
        dispatcher.utter_message(text=f"{reason}。不清楚案号的话，可以说“转人工”。")
        return {"case_number": None, "case_number_failures": failures}

    def _take_case(
        self, canonical: str, said_whole: bool, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """An existing case: the query goes on with it, to the identity check."""
        refused = identity_service().refusal(canonical, caller_of(tracker))
        if refused is not None:
            return {"case_number": None, **_block(dispatcher, refusal_message(f"案件{canonical}", refused))}
        corrected = tracker.get_slot("requested_slot") in IDENTITY_STEPS and (
            _slot_before_this_message(tracker, "case_number") != canonical
        )
        if corrected:  # a new number during the identity step replaces the case
            dispatcher.utter_message(text=f"好的，改为查询{canonical}。")
        elif not said_whole:  # completed with this court's code or the parts said before: say which case
            dispatcher.utter_message(text=f"好的，查询{canonical}。")
        # Every query verifies again: a conversation id alone must never unlock a case.
        slots: dict[str, Any] = {"case_number": canonical, "identity_verified": None}
        if corrected:
            slots |= {"party_name": None, "phone_tail": None}
        else:
            slots |= self._remembered(dispatcher, tracker, canonical) or self._identity_given_with(tracker)
        return slots

    @staticmethod
    def _remembered(dispatcher: CollectingDispatcher, tracker: Tracker, case_number: str) -> dict[str, Any]:
        """A WeChat user who verified for this case within the remembered period (until "解除绑定")
        is not asked again; only the platform's own user id counts (identity/remembered.py)."""
        caller = caller_of(tracker)
        name = identity_service().remembered.party_for(caller.id, case_number)
        party = next((p for p in case_system().parties(case_number) if p.name == name), None) if name else None
        if party is None:
            return {}
        dispatcher.utter_message(text=f"您此前已核验为本案当事人{party.name}，本次无需再核验（发送“解除绑定”可取消）。")
        return {"party_name": party.name, "phone_tail": REMEMBERED_TAIL, "identity_verified": True,
                "verified_case": case_number, "verified_party": f"{party.name}（{party.role}）"}

    @staticmethod
    def _identity_given_with(tracker: Tracker) -> dict[str, Any]:
        """Name and tail said in the same message as the case number, in whatever wording."""
        text = _COURT_NAME.sub(" ", _latest_text(tracker))  # "马村法院的" names no party
        answer = identity_in_request(text, list(read_case_number(text).spans))
        given: dict[str, Any] = {}
        if answer.name and not tracker.get_slot("party_name"):
            given["party_name"] = answer.name
        if answer.tail and not tracker.get_slot("phone_tail"):
            given["phone_tail"] = answer.tail
        return given

    def _identity_answer(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Name and/or tail from one answer; whatever it held is kept, a correction replaces."""
        # In the identity step the whole answer counts: a slot may hold only the entity Rasa found in it
        # ("5678" of "张伟，尾数5678").
        in_step = tracker.get_slot("requested_slot") in IDENTITY_STEPS
        text = _latest_text(tracker) if in_step and _latest_text(tracker) else str(value)
        in_hand, said = _heard(text, tracker)
        if said:
            if said.over(in_hand) != in_hand:
                return {slot: None}  # a corrected case number (or one part of it): validate_case_number takes it
            for start, end in reversed(read_case_number(text, strict=True).spans):  # the same number again
                text = f"{text[:start]} {text[end:]}"
        answer = parse_identity_answer(text)
        slots: dict[str, Any] = {}
        if answer.name:
            slots["party_name"] = answer.name
        if answer.tail:
            slots["phone_tail"] = answer.tail
        if not slots:
            if _QUESTION.search(text):
                dispatcher.utter_message(text=side_answer(text, tracker)
                                         or "抱歉，这个问题我没能理解，可以先办完查询再问我，或说“转人工”。")
            elif slot == "party_name":
                dispatcher.utter_message(text="没有听清您的姓名。")
            else:
                dispatcher.utter_message(text="需要四位数字。")
            return {slot: None}
        if slot == "phone_tail" and answer.name and not answer.tail:
            dispatcher.utter_message(text=f"好的，姓名改为{answer.name}。")
        slots.setdefault(slot, None)  # the raw text this slot was filled with is not its value
        return slots

    def validate_party_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._identity_answer("party_name", value, dispatcher, tracker) if value else {}

    def validate_phone_tail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._identity_answer("phone_tail", value, dispatcher, tracker) if value else {}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        slots = dict(tracker.slots)
        slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
        return events + self._verify_identity(dispatcher, tracker, slots)

    def _verify_identity(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slots: dict[str, Any]
    ) -> list[EventType]:
        case_number, name, tail = slots.get("case_number"), slots.get("party_name"), slots.get("phone_tail")
        if not (case_number and name and tail) or slots.get("identity_verified") or slots.get("case_query_blocked"):
            return []
        result = identity_service().verify_caller(case_number, name, tail, caller_of(tracker))
        if result.verified and result.party is not None:
            return [
                SlotSet("identity_verified", True),
                SlotSet("verified_case", case_number),
                SlotSet("verified_party", f"{result.party.name}（{result.party.role}）"),
            ]
        if result.refused is not None:
            blocked = _block(dispatcher, refusal_message(f"案件{case_number}", result))
            return [SlotSet(k, v) for k, v in blocked.items()] + [SlotSet("case_number", None)]
        dispatcher.utter_message(
            text=f"身份核验未通过：姓名或手机号码后四位与本案当事人登记信息不一致（还可尝试{result.attempts_left}次）。"
            "姓名说错了的，可以连同姓名一起再说一遍。"
        )
        # The name is kept, so a corrected tail alone ("输错了 是5678") is checked with it.
        return [SlotSet("phone_tail", None)]


class ActionAskCaseNumber(Action):
    """The form's question for the case number: with part of a number in hand, ask for the rest only."""

    def name(self) -> str:
        return "action_ask_case_progress_form_case_number"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        in_hand, said = _heard(_latest_text(tracker), tracker)
        parts = said.over(in_hand)
        if parts and parts.complete(get_settings().court_code) is None:
            wanted = "和".join(_MISSING_PART[name] for name in parts.missing)
            dispatcher.utter_message(text=f"请告诉我{wanted}。")
        else:
            dispatcher.utter_message(response="utter_ask_case_progress_form_case_number")
        return []


class ActionCaseProgressReport(Action):
    """Runs when the form ends. Discloses the case only when this conversation verified the caller."""

    def name(self) -> str:
        return "action_case_progress_report"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        case_number = tracker.get_slot("case_number")
        verified = tracker.get_slot("identity_verified") and tracker.get_slot("verified_case") == case_number
        if case_number and verified:
            cases = case_system()
            record = cases.find_case(case_number)
            if record is not None:
                now = court_now().replace(tzinfo=None)  # timelines are court-local wall time
                text = describe_progress(record, cases.timeline(case_number), cases.staff(case_number), now)
                dispatcher.utter_message(text=text)
                dispatcher.utter_message(text=f"如有疑问可拨打法院电话{get_settings().court_office_phone}。还有什么可以帮您？")
        return reset_case_query()


class ActionCancelCaseQuery(Action):
    def name(self) -> str:
        return "action_cancel_case_query"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_case_query_cancelled")
        # A request that was waiting for this check (a message for the judge) is cancelled with it, so a
        # later query, for this case or another, never registers it.
        waiting = [SlotSet(slot, None) for slot in ("pending_request", "request_category", "request_detail")]
        return [*reset_case_query(), *waiting]


class ActionGoodbye(Action):
    def name(self) -> str:
        return "action_goodbye"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        # A message carrying a phone or case number is information, not a goodbye ("有事打我电话139…").
        entities = (tracker.latest_message or {}).get("entities") or []
        if any(e.get("entity") == "case_number" or (e.get("entity") == "phone" and len(str(e.get("value"))) > 4)
               for e in entities):
            return [FollowupAction("action_acknowledge_information")]
        dispatcher.utter_message(response="utter_goodbye")
        return reset_case_query()
