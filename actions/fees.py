"""Litigation-fee questions: the rule for the matter's kind, a figure only where that rule has one."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from courtinfo.service import court_info, is_court_question
from fees.calculator import estimate, yuan
from fees.kinds import (
    RULES,
    claim_amounts,
    divorce_property_extra,
    execution_fee,
    fee_kind,
    payment_order_fee,
    personality_damages_extra,
    preservation_fee,
)
from guidance.service import LEGAL_PREFIX, aspect_of

# A legal question in hand says which fee rule a bare "那诉讼费多少" falls under.
FEE_KIND_OF_LEGAL_TOPIC = {"divorce": "divorce", "custody": "divorce", "labour_injury": "labour"}
CHECKED_AT_FILING = "具体金额以立案时法院核算为准；确有困难的可以申请缓交、减交或免交。"
OVERVIEW = ("诉讼费按国务院《诉讼费用交纳办法》交纳，不同案件标准不同：财产案件按请求金额分段累计（1万元以下每件50元，"
            "请求20万元为4300元）；离婚案件每件50元至300元；劳动争议每件10元；行政案件每件50元；侵害人格权案件每件100元至"
            "500元；申请执行一般不预交。调解结案、撤诉或适用简易程序的减半交纳。告诉我案件类型和请求金额，我帮您算一下。")
NOT_A_CLAIM = ("您提到的金额是利息或已交的费用，不是诉讼请求金额，不能用来算受理费。请告诉我您要求对方支付的金额"
               "（比如借款本金）。")


REFUND = ("诉讼费这些情况下会退：调解结案或撤诉的减半收取，已交的另一半退还；判决后由败诉方负担，您预交了而不该您负担的部分"
          "由法院退还或由对方直接给您；二审改判的，一审费用按改判重新确定。退费带身份证、缴费票据和银行卡，"
          "到诉讼服务中心缴费窗口申请。")
_REFUND = re.compile(r"退费|退钱|退还|退回|能退|退不退|可以退|退吗|退不")
# 《诉讼费用交纳办法》第四十四条至第四十九条: judicial relief for a party who cannot pay.
RELIEF = ("交纳诉讼费确有困难的，可以申请司法救助，缓交、减交或者免交：起诉或上诉时提交书面申请和经济困难的证明材料"
          "（如低保证、特困供养证明、残疾证、失业证明，或村（居）委会、民政部门出具的困难证明）；追索赡养费、扶养费、"
          "抚育费、抚恤金的，以及最低生活保障对象、特困供养人员等没有其他收入的，可以申请免交。")
_RELIEF = re.compile(r"缓交|减交|免交|减免|免了|司法救助|交不起|掏不起|拿不出|没钱交|付不起|困难")


def fee_window() -> str:
    """The window for fee matters, relief applications included, from court.yml."""
    return court_info().answer("诉讼费窗口")[1]


def amounts_in(tracker: Tracker) -> list[tuple[float, int | None, int | None]]:
    return [
        (float(e["value"]), e.get("start"), e.get("end"))
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == "amount" and isinstance(e.get("value"), (int, float))
    ]


def fee_reply(text: str, amounts: list[tuple[float, int | None, int | None]], topic: str | None,
              aspect: str | None = None) -> str:
    """The fee answer for one message: how to pay, or the rule of the matter's kind with its figure."""
    if aspect == "pay":
        return court_info().answer("缴费")[1]
    if aspect == "where":  # "那这个去哪申请"
        return fee_window()
    if _RELIEF.search(text) and not claim_amounts(text, amounts):  # with a claim, its figure comes first
        return RELIEF + fee_window()
    if _REFUND.search(text):
        return REFUND + court_info().answer("退费电话")[1]
    kind = fee_kind(text)
    if kind is None and topic and topic.startswith(LEGAL_PREFIX):
        kind = FEE_KIND_OF_LEGAL_TOPIC.get(topic[len(LEGAL_PREFIX):])
    if kind is None and topic == "execution":  # "对方欠我十万" after asking what execution costs
        kind = "execution"
    claims = claim_amounts(text, amounts)
    claim = max(claims) if claims else None
    if kind in (None, "property", "ip") and claim is not None:
        result = estimate(claim)
        return (f"按《诉讼费用交纳办法》第十三条第（一）项，诉讼请求金额{yuan(result.claim)}元的财产案件，"
                f"案件受理费约为{yuan(result.full)}元；适用简易程序审理、调解结案或撤诉的减半交纳，"
                f"约为{yuan(result.halved)}元。{CHECKED_AT_FILING}")
    if kind is None:
        return NOT_A_CLAIM if amounts else OVERVIEW
    rule = RULES[kind].rule
    if claim is None:
        return f"{rule}{CHECKED_AT_FILING}"
    figures = {
        "execution": lambda c: f"执行金额{yuan(c)}元的，申请执行费约为{yuan(execution_fee(c))}元。",
        "preservation": lambda c: f"保全财产{yuan(c)}元的，保全申请费约为{yuan(preservation_fee(c))}元。",
        "payment_order": lambda c: f"请求金额{yuan(c)}元的，申请费约为{yuan(payment_order_fee(c))}元。",
        "divorce": lambda c: f"按您说的财产{yuan(c)}元，财产部分另交约{yuan(divorce_property_extra(c))}元。",
        "personality": lambda c: f"按赔偿请求{yuan(c)}元，赔偿部分另交约{yuan(personality_damages_extra(c))}元。",
    }
    figure = figures.get(kind)
    extra = figure(claim) if figure else f"不按金额计算，您说的{yuan(claim)}元不影响这个标准。"
    return f"{rule}{extra}{CHECKED_AT_FILING}"


class ActionLitigationFee(Action):
    def name(self) -> str:
        return "action_litigation_fee"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        amounts = amounts_in(tracker)
        if is_court_question(text) and not amounts:  # "能不能手机上交诉讼费", "退费打哪个电话"
            dispatcher.utter_message(text=court_info().answer(text)[1])
            return [SlotSet("topic", "fees")]
        in_hand = tracker.get_slot("topic")
        dispatcher.utter_message(text=fee_reply(text, amounts, in_hand, aspect_of(text)))
        # An execution matter stays one, so an amount given next is read as the execution amount.
        execution = fee_kind(text) == "execution" or (fee_kind(text) is None and in_hand == "execution")
        return [SlotSet("topic", "execution" if execution else "fees")]
