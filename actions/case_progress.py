"""Case progress: the form that collects case number and identity, and the report after it."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import channel_of
from actions.services import case_system, identity_service
from cases.progress import describe_progress
from core.config import get_settings
from core.timeutil import court_now, court_tz
from nlu.case_number import find_case_numbers, validate_case_number
from nlu.entities import COMPOUND_SURNAMES, SINGLE_SURNAMES, extract_person_names
from nlu.numerals import digits_from_spoken, to_halfwidth

OFFER_HUMAN = "需要为您转接人工服务吗？"
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
_NAME_PREFIX = re.compile(r"^(我是|我叫|本人是?|我的名字是|名字是|姓名是?|当事人是?)")

FORM_SLOTS = ("case_number", "party_name", "phone_tail", "identity_verified", "case_query_blocked")


def reset_case_query() -> list[EventType]:
    """Forget a query in progress (on report, cancel, handoff or topic change); keeps verified_case."""
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("case_number_failures", 0)]


def canonical_case_number(text: str) -> tuple[str | None, str | None]:
    """(canonical case number, None) or (None, reason). Accepts a bare number or one inside a sentence."""
    value, reason = validate_case_number(text)
    if value is not None:
        return value.canonical, None
    found = find_case_numbers(text)
    if len(found) == 1:
        return found[0][2].canonical, None
    if len(found) > 1:
        return None, "一次只能查询一个案号"
    return None, reason


def clean_party_name(text: str) -> str | None:
    found = extract_person_names(text)
    if found:
        return str(found[0].value)
    # Last resort for what the extractor declined: a plausible name that starts with a known surname.
    candidate = _NAME_PREFIX.sub("", re.sub(r"[\s，。,.!！？?、\d]", "", text))
    has_surname = candidate[:1] in SINGLE_SURNAMES or candidate[:2] in COMPOUND_SURNAMES
    return candidate if _NAME.match(candidate) and has_surname else None


def clean_phone_tail(text: str) -> str | None:
    digits = re.sub(r"\D", "", digits_from_spoken(to_halfwidth(text)))
    return digits[-4:] if len(digits) >= 4 else None


def _block(dispatcher: CollectingDispatcher, reason: str) -> dict[str, Any]:
    dispatcher.utter_message(text=f"{reason}{OFFER_HUMAN}")
    return {"case_query_blocked": True, "handoff_offered": True}


def _lock_message(case_number: str, until_utc: Any) -> str:
    until = until_utc.astimezone(court_tz())
    return (
        f"案件{case_number}因连续多次身份核验未通过，为保护当事人信息已暂停查询，"
        f"请于{until:%H:%M}后再试，或由人工为您办理。"
    )


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

    def validate_case_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not value:
            return {}
        canonical, reason = canonical_case_number(str(value))
        if canonical is not None:
            if case_system().find_case(canonical) is None:
                reason = f"没有查到案号为{canonical}的案件，请核对后重新输入"
            else:
                locked_until = identity_service().locked_until(canonical)
                if locked_until is not None:
                    return {"case_number": None, **_block(dispatcher, _lock_message(canonical, locked_until))}
                # Every query verifies again: a conversation id alone must never unlock a case.
                return {"case_number": canonical, "identity_verified": None}
        failures = int(tracker.get_slot("case_number_failures") or 0) + 1
        if failures >= 3:
            return {
                "case_number": None,
                "case_number_failures": 0,
                **_block(dispatcher, f"{reason}。已经连续{failures}次没能确认案号。"),
            }
        dispatcher.utter_message(text=f"{reason}。不清楚案号的话，可以说“转人工”。")
        return {"case_number": None, "case_number_failures": failures}

    def validate_party_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not value:
            return {}
        name = clean_party_name(str(value))
        if name is None:
            dispatcher.utter_message(text="没有听清您的姓名。")
        return {"party_name": name}

    def validate_phone_tail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not value:
            return {}
        tail = clean_phone_tail(str(value))
        if tail is None:
            dispatcher.utter_message(text="需要四位数字。")
        return {"phone_tail": tail}

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
        result = identity_service().verify_caller(
            case_number, name, tail, sender=tracker.sender_id, channel=channel_of(tracker)
        )
        if result.verified and result.party is not None:
            return [
                SlotSet("identity_verified", True),
                SlotSet("verified_case", case_number),
                SlotSet("verified_party", f"{result.party.name}（{result.party.role}）"),
            ]
        if result.locked_until is not None:
            blocked = _block(dispatcher, _lock_message(case_number, result.locked_until))
            return [SlotSet(k, v) for k, v in blocked.items()] + [SlotSet("case_number", None)]
        dispatcher.utter_message(
            text=f"身份核验未通过：姓名或手机号码后四位与本案当事人登记信息不一致（还可尝试{result.attempts_left}次）。"
        )
        return [SlotSet("party_name", None), SlotSet("phone_tail", None)]


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
        return reset_case_query()


class ActionGoodbye(Action):
    def name(self) -> str:
        return "action_goodbye"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_goodbye")
        return reset_case_query()
