"""Which topic and aspect a question is about — against the topic in hand for a follow-up — and the answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
LEGAL_PREFIX = "legal:"  # topic of a legal question: legal:<kind>, e.g. legal:custody

ASPECT_WORDS: dict[str, tuple[str, ...]] = {
    "pay": ("哪交", "怎么交", "咋交", "交到哪", "哪里交", "哪儿交", "怎么缴", "哪缴", "怎么付"),
    "start": ("开始算", "起算", "从啥时候", "从什么时候", "从哪天", "从哪一天", "哪天算", "怎么算时间"),
    "materials": ("材料", "带啥", "带什么", "带点啥", "带些啥", "带点什么", "拿点啥", "带哪些", "拿啥", "拿什么", "准备啥", "准备什么", "准备些", "证据", "啥手续",
                  "什么手续", "要啥东西", "什么东西", "啥东西", "证件"),
    "duration": ("多久", "多长时间", "几天", "多少天", "几个月", "多长", "时效", "期限", "啥时候能", "什么时候能",
                 "要等"),
    "where": ("去哪", "在哪", "哪里办", "哪儿办", "哪个窗口", "网上能", "怎么申请", "咋申请", "去哪儿", "找谁"),
    "cost": ("多少钱", "收费", "要钱", "花钱", "费用", "免费", "收钱", "交钱"),
}
# Words that name a topic outright; a question naming one is about it whatever was discussed before.
TOPIC_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fees", ("诉讼费", "受理费", "执行费", "保全费", "申请费", "交费", "缴费", "退费", "缓交", "减交", "免交", "减免",
              "交不起", "掏不起", "付不起", "没钱交", "打官司的钱", "打官司钱", "官司费")),
    ("mediation", ("调解",)),
    ("appeal", ("上诉", "二审")),
    ("execution", ("申请执行", "强制执行", "执行", "拒不履行", "不履行")),
    ("filing", ("立案", "起诉", "告他", "告她", "告对方", "打官司")),
    ("case_progress", ("开庭", "审理", "判决", "判下来", "案子进度", "进度")),
)
INTENT_TOPIC = {"filing_help": "filing", "mediation": "mediation", "litigation_fee": "fees",
                "legal_consult": "legal", "case_progress": "case_progress"}
# A follow-up leans on what came before: it starts like one, or is too short to name its own subject.
_FOLLOW_UP_START = re.compile(r"^(那|那么|那我|那要|那得|那这|还有|另外|这个|这样的话|这种|然后|再问下|再问一下|对了)")
SHORT_FOLLOW_UP = 10
# The message asks something (a question word or mark): said with a named topic, it is a question about it.
QUESTION = re.compile(r"[?？]|吗|呢|啥|什么|怎么|咋|哪|多少|几|能不能|可不可以|要不要|不$")


def aspect_of(text: str) -> str | None:
    return next((aspect for aspect, words in ASPECT_WORDS.items() if any(w in text for w in words)), None)


# A judgment or mediation the other side does not honour is a matter for execution ("判了 对方就是不给钱").
_UNHONOURED = re.compile(r"(判了|判决|判下来|调解书|调解好|生效).{0,16}(不给|不还|不履行|不执行|不付|没给|没还|赖着)")


# 诉讼费 as typed in a hurry or by speech recognition (诉送费, 诉松费): still the fee.
_FEE_TYPO = re.compile(r"诉.费")


def named_topic(text: str, topic_in_hand: str | None = None) -> str | None:
    """The topic a message names itself (a legal kind counts: legal:<kind>), or None."""
    if _FEE_TYPO.search(text):
        return "fees"
    if _UNHONOURED.search(text):  # before 判决/调解书 name progress or mediation: "判决下来半年了 他一分钱不给"
        return "execution"
    for topic, words in TOPIC_WORDS:
        if any(w in text for w in words):
            kind = legal_kind(text, topic_in_hand) if topic == "filing" and aspect_of(text) is None else None
            # "能起诉他们不" about a named kind of dispute is that dispute's question, not filing in general.
            return f"{LEGAL_PREFIX}{kind}" if kind else topic
    kind = legal_kind(text, topic_in_hand)
    return f"{LEGAL_PREFIX}{kind}" if kind else None


def is_follow_up(text: str) -> bool:
    compact = re.sub(r"[\s，。,.!！？?、~～]", "", text)
    return aspect_of(compact) is not None and (bool(_FOLLOW_UP_START.match(compact)) or len(compact) <= SHORT_FOLLOW_UP)


@dataclass(frozen=True)
class Resolved:
    topic: str | None  # filing / mediation / execution / fees / case_progress / legal[:kind] / None
    aspect: str | None
    follow_up: bool  # answered against the topic in hand


def resolve(intent: str | None, text: str, topic_in_hand: str | None) -> Resolved:
    """A message that names its topic is about it; a follow-up is about the topic in hand; else the intent's."""
    aspect = aspect_of(text)
    named = named_topic(text, topic_in_hand)
    legal_intent = intent in ("legal_consult", "ask_follow_up", None) or (intent == "filing_help" and aspect is None)
    if named and not (named.startswith(LEGAL_PREFIX) and not legal_intent):
        return Resolved(named, aspect, False)
    if topic_in_hand and is_follow_up(text):
        return Resolved(topic_in_hand, aspect, True)
    topic = INTENT_TOPIC.get(intent or "")
    if topic == "legal" and topic_in_hand and topic_in_hand.startswith(LEGAL_PREFIX):
        topic = topic_in_hand  # "那这个多久算过期" after a custody question stays on custody
    return Resolved(topic, aspect, False)


@lru_cache
def procedural_answers() -> dict[str, dict[str, str]]:
    return yaml.safe_load((HERE / "answers.yml").read_text(encoding="utf-8"))


@lru_cache
def legal_kinds() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((HERE / "legal.yml").read_text(encoding="utf-8"))


def procedural_answer(topic: str, aspect: str | None) -> str:
    answers = procedural_answers()[topic]
    if aspect == "pay":
        aspect = "cost" if topic == "mediation" else None
    return answers.get(aspect or "overview") or answers["overview"]


def topic_name(topic: str) -> str:
    if topic.startswith(LEGAL_PREFIX):
        return str(legal_kinds()[topic[len(LEGAL_PREFIX):]]["name"])
    return {**{k: str(v["name"]) for k, v in procedural_answers().items()}, "fees": "诉讼费"}.get(topic, topic)


def legal_kind(text: str, topic_in_hand: str | None = None) -> str | None:
    """The kind of dispute a question names; after a divorce question, naming the child means custody."""
    # A kind's `all_of` patterns together are stronger evidence than another kind's single word.
    kind = next((kind for kind, spec in legal_kinds().items()
                 if spec.get("all_of") and all(re.search(p, text) for p in spec["all_of"])), None)
    kind = kind or next((kind for kind, spec in legal_kinds().items() if any(w in text for w in spec["words"])), None)
    if kind is None and topic_in_hand == f"{LEGAL_PREFIX}divorce":
        kind = next((k for k, spec in legal_kinds().items() if any(w in text for w in spec.get("after_divorce", ()))),
                    None)
    return kind


OFFER_PERSON = "每个案子的情况不同，以上只是一般规定，不是对您案件的结论；需要进一步解答的，可以说“转人工”，由工作人员为您解答。"


def legal_answer(kind: str | None, aspect: str | None) -> str:
    """Name the kind, give what is safe for that kind only, offer a person."""
    if kind is None:
        return ("您问的是法律问题，但我没能判断是哪一类纠纷（比如借钱不还、离婚和孩子抚养、工伤和工资、交通事故、"
                "房屋租赁、继承）。请说一下是哪类事情，我告诉您时效和要准备的证据；也可以说“转人工”。")
    spec = legal_kinds()[kind]
    head = f"您问的是{spec['name']}方面的问题。"
    parts = {"start": f"期限怎么算：{spec['start']}", "materials": f"要准备的证据：{spec['evidence']}",
             "duration": f"时效：{spec['period']}", "where": f"怎么办：{spec['step']}"}
    body = parts.get(aspect or "") or f"{parts['duration']}{parts['materials']}{parts['where']}"
    return f"{head}{body}{OFFER_PERSON}"
