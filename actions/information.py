"""Information given without a question: attached to the ticket this conversation just opened, or
repeated back with the choices of what to do with it — never a bare "请问您想办理什么业务"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import add_to_ticket
from core.masking import mask_phone

CHOICES = "查询案件进度、给承办法官留言、立案或诉讼费咨询、投诉建议，或者说“转人工”"


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
        parts = understood(tracker.latest_message.get("entities") or [])
        number = tracker.get_slot("last_ticket")
        if number and add_to_ticket(tracker, number, f"来电人补充：{text}"):
            what = "、".join(parts) if parts else "补充的内容"
            dispatcher.utter_message(text=f"收到，已把您补充的{what}记到工单{number}上，工作人员办理时会看到。"
                                          "还有别的要补充吗？")
            return []
        if parts:
            dispatcher.utter_message(text=f"我记下了您提供的{'、'.join(parts)}。请问您要办理哪项业务？比如{CHOICES}。")
        else:
            dispatcher.utter_message(text=f"您说的情况我记下了，但还不清楚您要办理哪项业务。您可以选择：{CHOICES}。")
        return []
