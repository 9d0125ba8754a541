"""Transfer to a person, low-confidence handling and service requests become tickets."""

from __future__ import annotations

import re
from datetime import date

import pytest

from actions.handoff import ActionNluFallback, ActionTransferToHuman
from actions.service_requests import ActionCaptureRequest, ActionSubmitServiceRequest
from actions.services import ticket_service
from tests.actions.trackers import Conversation

NUMBER = re.compile(r"12368-\d{8}-\d{4}")


def test_transfer_opens_ticket_with_everything_collected(seeded: date) -> None:
    convo = Conversation().user("我想查（2024）豫0804民初1566号", "case_progress", case_number="（2024）豫0804民初1566号")
    convo.set("verified_case", "（2024）豫0804民初1566号")
    convo.set("verified_party", "张伟（原告）")
    convo.user("转人工", "human_agent")
    texts, _ = convo.run(ActionTransferToHuman())
    number = NUMBER.search(texts[0])
    assert number, texts
    ticket = ticket_service().get(number.group())
    assert ticket is not None
    # A hand-off about a known case is case-progress follow-up; the bot's own label is kept beside it.
    assert (ticket.category, ticket.source_label, ticket.status) == ("progress", "转人工", "received")
    assert ticket.case_number == "（2024）豫0804民初1566号" and ticket.caller_verified
    assert [t["text"] for t in ticket.transcript if t["from"] == "caller"] == ["我想查（2024）豫0804民初1566号", "转人工"]
    assert ticket.collected["intents"] == ["case_progress", "human_agent"]
    assert [e.step for e in ticket.events] == ["接听"]


def test_ticket_numbers_increase_within_a_day(seeded: date) -> None:
    numbers = []
    for _ in range(3):
        texts, _ = Conversation().user("人工", "human_agent").run(ActionTransferToHuman())
        numbers.append(NUMBER.search(texts[0]).group())
    seqs = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3


def test_two_misses_offer_a_person() -> None:
    convo = Conversation().user("嗯那个啥", "nlu_fallback")
    texts, _ = convo.run(ActionNluFallback())
    assert "换个说法" in texts[0] and convo.slots["handoff_offered"] is False
    convo.user("就是那个呃", "nlu_fallback")
    texts, _ = convo.run(ActionNluFallback())
    assert "转接人工" in texts[0] and convo.slots["handoff_offered"] is True


def test_a_miss_after_an_understood_message_starts_over() -> None:
    convo = Conversation().user("嗯那个啥", "nlu_fallback").user("你好", "greet").user("呃呃", "nlu_fallback")
    texts, _ = convo.run(ActionNluFallback())
    assert "换个说法" in texts[0]


def test_detailed_complaint_is_registered_at_once(seeded: date) -> None:
    text = "我要投诉执行局的工作人员，上周去办事态度特别差还让我明天再来"
    convo = Conversation().user(text, "complaint")
    convo.run(ActionCaptureRequest())
    assert convo.slots["request_category"] == "投诉举报" and convo.slots["request_detail"] == text
    texts, _ = convo.run(ActionSubmitServiceRequest())
    ticket = ticket_service().get(NUMBER.search(texts[0]).group())
    assert ticket.category == "complaint" and ticket.summary == text


def test_short_request_asks_for_details() -> None:
    convo = Conversation().user("我要投诉", "complaint")
    convo.run(ActionCaptureRequest())
    assert convo.slots["request_detail"] is None


def test_fee_question_with_an_amount_gets_an_estimate() -> None:
    from actions.fees import ActionLitigationFee

    convo = Conversation()
    convo.user("我要起诉要回二十万，诉讼费多少", "litigation_fee")
    convo.latest_message["entities"] = [{"entity": "amount", "value": 200000, "start": 6, "end": 9}]
    texts, _ = convo.run(ActionLitigationFee())
    assert "4300元" in texts[0] and "2150元" in texts[0]


def test_fee_question_without_an_amount_gets_the_rules() -> None:
    from actions.fees import ActionLitigationFee

    texts, _ = Conversation().user("诉讼费怎么算", "litigation_fee").run(ActionLitigationFee())
    assert "诉讼费用交纳办法" in texts[0] and "元" in texts[0]


def test_request_keeps_the_case_number_it_names_and_drops_a_half_done_query(seeded: date) -> None:
    from tests.actions.trackers import user_event

    convo = Conversation().user("查案件进度", "case_progress", case_number="（2023）豫0804民初1234号", party_name="李四")
    event = user_event("给（2024）豫0804民初1566号的承办法官留言，我下周出差开不了庭", "contact_judge",
                       [{"entity": "case_number", "value": "（2024）豫0804民初1566号", "start": 1, "end": 16}])
    convo.events.append(event)
    convo.latest_message = {**event["parse_data"], "metadata": event["metadata"]}
    convo.run(ActionCaptureRequest())
    assert convo.slots["party_name"] is None
    assert convo.slots["case_number"] == "（2024）豫0804民初1566号"
    # an unverified caller's message for the judge waits for the case query (tests/actions/test_tickets_per_matter.py)
    assert convo.slots["pending_request"] == "联系法官"


def test_too_short_details_are_asked_again() -> None:
    from actions.service_requests import ValidateServiceRequestForm

    form = ValidateServiceRequestForm()
    convo = Conversation().activate("service_request_form", "request_detail")
    convo.set("request_category", "投诉举报")  # action_capture_request always sets it before the form
    convo.user("好的", request_detail="好的")
    texts, _ = convo.run(form)
    assert convo.slots["request_detail"] is None and "简短" in texts[0]
    convo.user("执行法官三个月没有任何进展", request_detail="执行法官三个月没有任何进展")
    convo.run(form)
    assert convo.slots["request_detail"] == "执行法官三个月没有任何进展"


def test_an_unsure_message_that_names_its_subject_is_answered(seeded: date) -> None:
    convo = Conversation().user("包工头欠俺三万块工钱 要去告他 诉讼费要多少", "nlu_fallback")
    texts, events = convo.run(ActionNluFallback())
    assert "10元" in texts[0] and "换个说法" not in texts[0]
    assert convo.slots["handoff_offered"] is False


@pytest.mark.parametrize("text", ["你到底是个真人不是 能帮俺弄点啥", "这是机器人还是人工在回", "你是机器人吗"])
def test_asking_whether_the_bot_is_a_person_gets_what_it_can_do_not_a_ticket(seeded: date, text: str) -> None:
    convo = Conversation().user(text, "human_agent")  # the NLU hears 真人 / 人工
    texts, events = convo.run(ActionTransferToHuman())
    assert len(texts) == 1 and "智能客服" in texts[0] and "案件进度" in texts[0]
    assert not NUMBER.search(texts[0]) and not any(e.get("name") == "last_ticket" for e in events)


@pytest.mark.parametrize("text", ["你是机器人吧 给俺转人工", "是机器还是人 俺要跟真人说"])
def test_asking_what_the_bot_is_and_for_a_person_gets_the_person(seeded: date, text: str) -> None:
    convo = Conversation().user(text, "human_agent")
    texts, _ = convo.run(ActionTransferToHuman())
    assert NUMBER.search(texts[0]), texts


@pytest.mark.parametrize("text", ["您好 智能客服", "机器人在吗", "hi 小助手"])
def test_a_greeting_that_names_the_bot_is_greeted_not_ticketed(seeded: date, text: str) -> None:
    convo = Conversation().user(text, "human_agent")
    texts, _ = convo.run(ActionTransferToHuman())
    assert len(texts) == 1 and not NUMBER.search(texts[0]) and "诉讼服务" in texts[0]
