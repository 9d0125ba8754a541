"""Handing the caller to a person, and what happens when the bot does not understand.

A message for the judge is never passed on for a caller who has not verified the case: asked to "just
pass it on", the bot says why and what can be done without the check and keeps the check open; a person
asked for in so many words is still called, without the message."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
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
from guidance.service import QUESTION, is_follow_up, named_topic
from tickets.categories import PERSON_REQUESTED_NOTE
from tickets.service import NewTicket, TicketError

MISSES_BEFORE_OFFER = 2
# A short message the NLU is unsure of that names a court topic (address, hours, phone …) asks about it.
COURT_QUESTION_LENGTH = 16
JUDGE_MESSAGE = "联系法官"
# A person asked for in so many words, not "记上转过去" (pass my message on).
_ASKS_FOR_PERSON = re.compile(r"人工|人宫|真人|活人|客服|坐席|话务员|接线员|工作人员|值班|导诉员|找个人|换个人|接个人|跟人说")
# Asking what the bot is ("你是真人还是机器", "是机器人吗") is not asking for a person …
_ASKS_IF_PERSON = re.compile(r"(是|是不是)(个)?(真人|活人|人工|机器人?|人)(还是|吗|嘛|不是|啊)|真人还是|人还是机器"
                             r"|机器人?还是|是人是机器|自动回(复|的)")
# A greeting that only addresses the bot by what it is.
_GREETS_THE_BOT = re.compile(r"^(你好|您好|嗨|哈喽|hello|hi|在吗|在不在)?[啊呀哇吖]?[\s,，!！]*(机器人|小?助手|智能客服)[啊呀]?"
                             r"[\s,，!！]*(你好|您好|在吗|在不在)?[啊呀]?[!！。]?$", re.IGNORECASE)
# … unless the same message asks for one.
_WANTS_PERSON_NOW = re.compile(r"转人工|找人工|要人工|接人工|换(个)?人|找(个)?(真)?人|要(找)?(个)?真人|跟(真)?人说")
# What a judge message waiting for the check leaves out of a hand-off ticket.
_JUDGE_MESSAGE_SLOTS = ("request_category", "request_detail")
JUDGE_MESSAGE_HELD = "您要给承办法官的留言因未核验身份，没有随工单转交；工作人员联系您时会先核验您的身份。"


def unverified_judge_message() -> str:
    """Why a message for the judge is not taken without the check, and what the caller can do without it."""
    info = court_info().data
    notices = "、".join(o["name"] for o in info["online"] if "开庭公告" in o["does"])
    notice = f"，也可以查看{notices}上的开庭公告" if notices else ""
    return ("给承办法官留言，需要先核验您是本案当事人（姓名和在法院登记的手机号码后四位）；没有核验身份，"
            f"我不能替您登记或转交留言。不核验也可以这样办：①{info['hours']['hotline']}；"
            "②带上身份证到本院诉讼服务中心，当面核验身份后办理；"
            f"③开庭时间、地点以法院送达的传票和开庭通知为准{notice}。您愿意核验的话，随时告诉我。")


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


def open_handoff_ticket(tracker: Tracker, category: str, summary: str, withheld: tuple[str, ...] = ()) -> str:
    """A ticket with everything collected except the `withheld` details."""
    details = {k: v for k, v in collected_details(tracker).items() if k not in withheld}
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
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if _GREETS_THE_BOT.match(last_text.strip()):  # "你好啊 机器人": a greeting that names the bot
            dispatcher.utter_message(response="utter_greet")
            return [SlotSet("handoff_offered", False)]
        if intent != "affirm" and _ASKS_IF_PERSON.search(last_text) and not _WANTS_PERSON_NOW.search(last_text):
            # "恁是真人还是机器 都能管啥事": a question about the bot, answered; a person is one word away.
            dispatcher.utter_message(response="utter_capabilities")
            return [SlotSet("handoff_offered", False)]
        judge_message_held = tracker.get_slot("pending_request") == JUDGE_MESSAGE
        if judge_message_held and intent != "affirm" and not _ASKS_FOR_PERSON.search(last_text):
            # "名字不方便说 你先给俺记上转过去": the message itself, unverified. The check stays open.
            dispatcher.utter_message(text=unverified_judge_message())
            return [SlotSet("handoff_offered", False), FollowupAction("case_progress_form")]
        # A person asked for in words is called; a held message is dropped, not carried to them.
        dropped = [SlotSet(slot, None) for slot in ("pending_request", *_JUDGE_MESSAGE_SLOTS)] if judge_message_held else []
        held = JUDGE_MESSAGE_HELD if judge_message_held else ""
        # The matter already has a ticket in this conversation: the person takes that one, not a new one.
        queue_person_request(tracker)  # a question answered with guidance goes to the curation queue
        open_number = tracker.get_slot("last_ticket")
        if open_number and add_to_ticket(tracker, open_number, f"{PERSON_REQUESTED_NOTE}。最后一句：{last_text}"):
            dispatcher.utter_message(
                text=f"好的，已在工单{open_number}上注明您需要人工联系，工作人员会带着您已说明的情况联系您，"
                f"不用重复说明；紧急事项请拨打12368诉讼服务热线。{held}"
            )
            return [SlotSet("handoff_offered", False), *reset_case_query(), *dropped]
        note = "（给承办法官的留言未核验身份，未登记）" if judge_message_held else ""
        number = open_handoff_ticket(tracker, "转人工", f"来电人请求人工服务{note}。最后一句：{last_text}",
                                     withheld=_JUDGE_MESSAGE_SLOTS if judge_message_held else ())
        verified = tracker.get_slot("verified_case")
        carried = "，以及已核验的身份和案号" if verified else ""
        dispatcher.utter_message(
            text=(
                f"已为您转接人工服务，工单号：{number}。您刚才提供的信息和对话记录{carried}已随工单转交，"
                f"工作人员接手后无需您重复说明。工作时间内将尽快与您联系；紧急事项请拨打12368诉讼服务热线。{held}"
            )
        )
        return [SlotSet("handoff_offered", False), SlotSet("last_ticket", number), *reset_case_query(), *dropped]


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
        if named_topic(text) and QUESTION.search(text):
            # Unsure of the intent, but the question names its subject ("…告他诉讼费多少"): answer that.
            reply, topic = answer_for(None, text, tracker)
            dispatcher.utter_message(text=reply)
            return [SlotSet("handoff_offered", False), SlotSet("topic", topic)]
        if consecutive_misses(tracker) >= MISSES_BEFORE_OFFER:
            dispatcher.utter_message(response="utter_offer_human")
            return [SlotSet("handoff_offered", True)]
        dispatcher.utter_message(response="utter_rephrase")
        return [SlotSet("handoff_offered", False)]
