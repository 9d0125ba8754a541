"""Litigation-fee questions: an estimate when the caller names the claim amount, else the rules."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from fees.calculator import estimate, yuan


def claim_amount(tracker: Tracker) -> float | None:
    numbers = [float(a) for a in tracker.get_latest_entity_values("amount") if isinstance(a, (int, float)) and a >= 0]
    return max(numbers) if numbers else None


class ActionLitigationFee(Action):
    def name(self) -> str:
        return "action_litigation_fee"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        amount = claim_amount(tracker)
        if amount is None:
            dispatcher.utter_message(response="utter_litigation_fee")
            return []
        result = estimate(amount)
        dispatcher.utter_message(
            text=(
                f"按《诉讼费用交纳办法》第十三条，诉讼请求金额{yuan(result.claim)}元的财产案件，"
                f"案件受理费约为{yuan(result.full)}元；适用简易程序审理、调解结案或撤诉的减半交纳，"
                f"约为{yuan(result.halved)}元。离婚、劳动争议等非财产案件另有标准，"
                "具体以立案时法院核算为准；确有困难的可以申请缓交、减交或免交。"
            )
        )
        return []
