"""Information given without a question: attached to the ticket this conversation just opened, or read
for what it asks after all (a case number with the caller's identity is a progress query, "转人工 回电打…"
wants a person, "周六呢" asks about the court), or repeated back with the choices of what to do with it —
never a bare "请问您想办理什么业务"."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.case_progress import ASKS_PROGRESS, canonical_case_number
from actions.fees import amounts_in, fee_reply
from actions.handoff import add_to_ticket
from actions.service_requests import category_in_text
from actions.ticket_status import find_ticket_number
from core.masking import mask_phone
from courtinfo.service import court_info, is_court_question
from guidance.service import aspect_of

CHOICES = "查询案件进度、给承办法官留言、立案或诉讼费咨询、投诉建议，或者说“转人工”"
_WANTS_PERSON = re.compile(r"转人工|人工服务|人工客服|接人工|找人工|真人|转接|找个人")
_FEE_TOPICS = ("fees", "execution", "filing", "appeal")


def understood(entities: list[dict[str, Any]]) -> list[str]:
    """What the message told us, as the caller would recognise it (numbers masked)."""
    parts: list[str] = []
    for entity in entities:
        kind, value = entity.get("entity"), entity.get("value")
        if kind == "case_number":
            parts.append(f"案号{value}")
        elif kind == "phone":
            parts.append(f"电话{mask_phone(str(value))}" if len(str(value)) > 4 else f"手机尾号{value}")
        elif kind == "person_name":
            parts.append(f"姓名{value}")
        elif kind == "amount":
            parts.append(f"金额{value}元")
        elif kind == "date":
            parts.append(f"日期{value}")
        elif kind == "id_number":
            parts.append("身份证号（已收到，不会显示）")
    return list(dict.fromkeys(parts))


class ActionAcknowledgeInformation(Action):
    def name(self) -> str:
        return "action_acknowledge_information"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        entities = tracker.latest_message.get("entities") or []
        kinds = {e.get("entity") for e in entities}
        if _WANTS_PERSON.search(text):
            return [FollowupAction("action_transfer_to_human")]
        if find_ticket_number(text):  # a ticket number on its own: its status
            return [SlotSet("ticket_number", text), FollowupAction("ticket_status_form")]
        parts = understood(entities)
        number = tracker.get_slot("last_ticket")
        # A number without the court's code ("2024年民初2001号") is no entity, but a case number all the same.
        has_case = "case_number" in kinds or canonical_case_number(text)[0] is not None
        asks_progress = has_case and ASKS_PROGRESS.search(text)
        if number and not asks_progress and add_to_ticket(tracker, number, f"来电人补充：{text}"):
            what = "、".join(parts) if parts else "补充的内容"
            dispatcher.utter_message(text=f"收到，已把您补充的{what}记到工单{number}上，工作人员办理时会看到。"
                                          "还有别的要补充吗？")
            return []
        if category_in_text(text):  # "…帮我留个言让他回电", "…我要反映" said as information
            return [FollowupAction("action_capture_request")]
        if has_case:  # a case number, maybe with the caller's name and tail: the progress query
            return [FollowupAction("case_progress_form")]
        topic = tracker.get_slot("topic")
        if "amount" in kinds and topic in _FEE_TOPICS:  # "对方欠我十万" after a fee question
            dispatcher.utter_message(text=fee_reply(text, amounts_in(tracker), topic, aspect_of(text)))
            return [SlotSet("topic", "execution" if topic == "execution" else "fees")]
        if is_court_question(text):  # "周六呢" after asking when the court opens
            dispatcher.utter_message(text=court_info().answer(text)[1])
            return []
        if parts:
            dispatcher.utter_message(text=f"我记下了您提供的{'、'.join(parts)}。请问您要办理哪项业务？比如{CHOICES}。")
        else:
            dispatcher.utter_message(text=f"您说的情况我记下了，但还不清楚您要办理哪项业务。您可以选择：{CHOICES}。")
        return []
