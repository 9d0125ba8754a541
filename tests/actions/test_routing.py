"""A progress query is checked against what the message plainly asks before the case form starts."""

from __future__ import annotations

from datetime import date

import pytest

from actions.information import ActionAcknowledgeInformation
from actions.routing import ActionStartCaseQuery
from tests.actions.trackers import Conversation


def followup_of(events: list[dict]) -> str | None:
    return next((e.get("name") for e in events if e.get("event") == "followup"), None)


@pytest.mark.parametrize(
    ("text", "followup"),
    [
        ("帮我看看我那个案子审到哪一步了", "case_progress_form"),
        ("我投诉一下 （2025）豫0804民初2001号立案后就没人管了", "action_capture_request"),
        ("麻烦问问我的工单现在处理得怎么样", "ticket_status_form"),
    ],
)
def test_where_a_progress_query_goes(seeded: date, text: str, followup: str) -> None:
    convo = Conversation().user(text, "case_progress")
    _, events = convo.run(ActionStartCaseQuery())
    assert followup_of(events) == followup


def test_a_procedural_question_taken_for_a_progress_query_is_answered(seeded: date) -> None:
    convo = Conversation().user("二审判决书收到了不服 还能上诉吗 要几天内", "case_progress")
    texts, events = convo.run(ActionStartCaseQuery())
    assert followup_of(events) is None and "15日" in texts[0] and convo.slots["topic"] == "appeal"


def test_a_case_number_after_a_ticket_is_a_detail_for_it(seeded: date) -> None:
    convo = Conversation()
    convo.set("last_ticket", "12368-20261203-0009")
    convo.user("案号是（2024）豫0804民初1566号 你给记上", "case_progress")
    convo.latest_message["entities"] = [{"entity": "case_number", "value": "（2024）豫0804民初1566号"}]
    _, events = convo.run(ActionStartCaseQuery())
    assert followup_of(events) == "action_acknowledge_information"


@pytest.mark.parametrize("text", ["麻烦看下俺的案子 2023年民初1234号", "民初1234号 23年的 给看看"])
def test_a_number_without_the_court_code_said_as_information_starts_the_query(seeded: date, text: str) -> None:
    convo = Conversation().user(text)  # no case_number entity: Rasa's is a whole number with the court code
    _, events = convo.run(ActionAcknowledgeInformation())
    assert followup_of(events) == "case_progress_form"
