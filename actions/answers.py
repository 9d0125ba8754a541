"""Questions answered from guidance: court information, procedures, fees and legal questions by kind.

The `topic` slot keeps what the caller is asking about, so a follow-up ("那要带啥材料") is answered
against it; court-information and other side questions leave it as it was."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.fees import amounts_in, fee_reply
from actions.legal_guidance import legal_guidance
from courtinfo.service import court_info, is_court_question
from guidance.service import (
    LEGAL_PREFIX,
    QUESTION,
    is_follow_up,
    legal_answer,
    legal_kind,
    named_topic,
    procedural_answer,
    resolve,
    topic_name,
)

ASPECT_NAMES = {"materials": "要准备的材料", "where": "去哪里办", "duration": "需要多长时间", "start": "期限从什么时候算",
                "cost": "费用", "pay": "怎么交费"}
# Aspects a court-information question may carry and still be one ("立案庭电话多少", "哪天上班 我想去立案").
COURT_ASPECTS = (None, "where", "pay", "duration")
ASK_WHICH = ("您想了解{aspect}，请问是哪项业务？比如立案、诉前调解、申请执行、诉讼费，"
             "或者是哪类纠纷（借钱、离婚和孩子抚养、工伤和工资、交通事故等）。")


def answer_for(intent: str | None, text: str, tracker: Tracker) -> tuple[str, str | None]:
    """(reply, topic to keep). Court information answers without changing the topic in hand."""
    in_hand = tracker.get_slot("topic") or ("case_progress" if tracker.get_slot("verified_case") else None)
    resolved = resolve(intent, text, in_hand)
    asks_court = is_court_question(text) and resolved.aspect in COURT_ASPECTS
    plain_court_info = intent == "court_info" and resolved.topic in (None, "case_progress")
    if (asks_court or plain_court_info) and not resolved.follow_up:
        return court_info().answer(text)[1], in_hand
    topic, aspect = resolved.topic, resolved.aspect
    if topic is None:
        return ASK_WHICH.format(aspect=ASPECT_NAMES.get(aspect or "", "相关规定")), in_hand
    if topic == "fees" or (topic in ("filing", "execution", "appeal") and aspect == "cost"):
        # What a matter costs is the fee rule of its kind, with the figure for an amount given.
        reply = fee_reply(text, amounts_in(tracker), topic if topic != "fees" else in_hand, aspect)
    elif topic.startswith("legal"):
        kind = topic[len(LEGAL_PREFIX):] if topic.startswith(LEGAL_PREFIX) else legal_kind(text, in_hand)
        reply = legal_answer(kind, aspect)
        if aspect is None and not resolved.follow_up:  # a dispute described: guidance from the knowledge base
            reply = legal_guidance(text, tracker, reply, kind is not None)
        topic = f"{LEGAL_PREFIX}{kind}" if kind else "legal"
    elif aspect == "pay":
        reply = court_info().answer("缴费")[1]
    elif topic == "execution" and aspect is None and not resolved.follow_up:
        # "判了不给钱 咋办": everything applying takes, the time limit, where and what to bring.
        reply = "\n".join(procedural_answer("execution", a) for a in (None, "where", "materials"))
    else:
        reply = procedural_answer(topic, aspect)
    if resolved.follow_up and not topic.startswith("legal"):
        reply = f"关于{topic_name(topic)}：{reply}"
    return reply, topic


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        reply, topic = answer_for(intent, tracker.latest_message.get("text") or "", tracker)
        dispatcher.utter_message(text=reply)
        return [SlotSet("topic", topic)]


def answer_missed_question(text: str, tracker: Tracker, named_topics: bool) -> tuple[str, list[EventType]] | None:
    """(reply, events) for a question the NLU took for something else: an elliptical court question
    ("周六呢"), a follow-up on the topic in hand, and with `named_topics` a question naming its topic."""
    if is_court_question(text):
        return court_info().answer(text)[1], []
    if tracker.get_slot("topic") and is_follow_up(text):
        reply, topic = answer_for("ask_follow_up", text, tracker)
        return reply, [SlotSet("topic", topic)]
    if named_topics and named_topic(text) and QUESTION.search(text):  # "判了他不给钱咋整"
        reply, topic = answer_for(None, text, tracker)
        return reply, [SlotSet("topic", topic)]
    return None


class ActionNoQuestionPending(Action):
    """A yes, no or "never mind" with nothing going on. Often a question the NLU took for one ("那需要多久",
    "周六呢"): answer it."""

    def name(self) -> str:
        return "action_no_question_pending"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        answered = answer_missed_question(tracker.latest_message.get("text") or "", tracker, named_topics=False)
        if answered is None:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        dispatcher.utter_message(text=answered[0])
        return answered[1]


class ActionOutOfScope(Action):
    """Out of scope for the NLU, but an elliptical court question ("周六呢"), a follow-up or a question
    naming its topic is answered."""

    def name(self) -> str:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        answered = answer_missed_question(tracker.latest_message.get("text") or "", tracker, named_topics=True)
        if answered is None:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        dispatcher.utter_message(text=answered[0])
        return answered[1]
