"""A ticket only for a real request (issue 7): a message for the judge is never passed on for an unverified
caller, and a judgment the other side does not honour is a question about applying for execution."""

from __future__ import annotations

import re
from datetime import date

from actions.handoff import ActionTransferToHuman
from actions.routing import ActionStartCaseQuery
from actions.service_requests import (
    ActionAnswerInsideRequest,
    ActionCaptureRequest,
    ActionSubmitServiceRequest,
)
from actions.services import ticket_service
from tests.actions.trackers import Conversation

NUMBER = re.compile(r"12368-\d{8}-\d{4}")
CASE = "（2024）豫0804民初1566号"


def tickets_of(convo: Conversation) -> list[str]:
    return [t.number for t in ticket_service().list_for_sender(convo.sender)]


def followups(events: list[dict]) -> list[str]:
    return [e["name"] for e in events if e.get("event") == "followup"]


def waiting_judge_message() -> Conversation:
    """A caller asked to leave the judge a message and is now asked for their identity."""
    convo = Conversation()
    convo.user(f"{CASE}这个案子 我想给法官捎个话 下礼拜我在外地", "contact_judge", case_number=CASE)
    texts, events = convo.run(ActionCaptureRequest())
    assert "核验" in texts[0] and followups(events) == ["case_progress_form"]
    assert convo.slots["pending_request"] == "联系法官"
    return convo


def test_a_progress_query_that_leaves_the_judge_a_word_is_a_judge_message(seeded: date) -> None:
    convo = Conversation().user("俺想给管案子的法官留个话 顺便问下（2024）豫0804民初1566号开庭是哪天", "case_progress")
    _, events = convo.run(ActionStartCaseQuery())
    assert followups(events) == ["action_capture_request"]


def test_pass_it_on_without_the_identity_check_is_not_ticketed(seeded: date) -> None:
    convo = waiting_judge_message()
    convo.user("我不想报名字 你就直接给他递过去", "human_agent")
    texts, events = convo.run(ActionTransferToHuman())
    reply = "\n".join(texts)
    assert not NUMBER.search(reply) and tickets_of(convo) == []
    # Why, and what the caller can do without the check: the hotline, in person with ID, hearing notices.
    assert "核验" in reply and "后四位" in reply
    assert "12368" in reply and "身份证" in reply and "开庭公告" in reply
    # The check stays open for when they change their mind.
    assert followups(events) == ["case_progress_form"] and convo.slots["pending_request"] == "联系法官"


def test_asking_again_for_the_message_to_be_passed_on_explains_instead_of_repeating(seeded: date) -> None:
    convo = waiting_judge_message()
    convo.user("名字就别问了 你帮我跟法官说一声我来不了就行", "contact_judge")
    texts, events = convo.run(ActionCaptureRequest())
    assert "12368" in texts[0] and "身份证" in texts[0]
    assert followups(events) == ["case_progress_form"] and tickets_of(convo) == []


def test_a_person_asked_for_in_words_is_called_without_the_unverified_message(seeded: date) -> None:
    convo = waiting_judge_message()
    convo.user("不核验了 直接给我找人工客服", "human_agent")
    texts, events = convo.run(ActionTransferToHuman())
    number = NUMBER.search(texts[0]).group()
    assert "留言" in texts[0] and "没有随工单转交" in texts[0]
    ticket = ticket_service().get(number)
    assert ticket.source_label == "转人工" and ticket.category != "contact_judge"
    assert "request_category" not in ticket.collected and "request_detail" not in ticket.collected
    assert convo.slots["pending_request"] is None and convo.slots["request_category"] is None
    assert followups(events) == []


def test_a_judgment_the_other_side_ignores_is_answered_with_execution(seeded: date) -> None:
    convo = Conversation().user("法院判了快一年了 那人一直赖着不还钱 我现在该怎么办", "complaint")
    texts, _ = convo.run(ActionCaptureRequest())
    convo.run(ActionSubmitServiceRequest())
    assert tickets_of(convo) == [] and not NUMBER.search(texts[0])
    # Where, what to bring and the time limit of applying for execution.
    assert "申请执行" in texts[0] and "2年" in texts[0] and "4号窗口" in texts[0] and "申请书" in texts[0]
    assert convo.slots["topic"] == "execution"


def test_a_grievance_about_the_courts_execution_is_still_a_complaint(seeded: date) -> None:
    convo = Conversation().user("执行庭的人半年了都不给执行 对方一分钱没给 电话也不接", "complaint")
    convo.run(ActionCaptureRequest())
    texts, _ = convo.run(ActionSubmitServiceRequest())
    number = NUMBER.search(texts[0]).group()
    assert ticket_service().get(number).category == "complaint"


def test_an_ignored_judgment_taken_for_a_progress_query_is_told_how_to_apply(seeded: date) -> None:
    convo = Conversation().user("判了以后对方一直不履行 俺这该咋整", "case_progress")
    texts, events = convo.run(ActionStartCaseQuery())
    assert followups(events) == [] and "4号窗口" in texts[0] and convo.slots["topic"] == "execution"


def test_a_case_number_is_not_what_to_tell_the_judge(seeded: date) -> None:
    convo = Conversation()
    convo.set("verified_case", CASE)
    convo.user(f"麻烦给{CASE}的承办法官带句话", "contact_judge")
    convo.run(ActionCaptureRequest())
    # The form asks what the message is before anything is registered.
    assert convo.slots["request_category"] == "联系法官" and convo.slots["request_detail"] is None
    convo.run(ActionSubmitServiceRequest())
    assert tickets_of(convo) == []


def test_a_follow_up_on_execution_the_nlu_took_for_a_complaint_is_answered(seeded: date) -> None:
    convo = Conversation()
    convo.set("topic", "execution")
    convo.user("那我要是隔几年再去申请 会不会过了期限", "complaint")
    texts, _ = convo.run(ActionCaptureRequest())
    convo.run(ActionSubmitServiceRequest())
    assert tickets_of(convo) == [] and "执行" in texts[0] and convo.slots["topic"] == "execution"


def test_a_short_follow_up_taken_for_a_complaint_is_answered_not_met_with_a_menu(seeded: date) -> None:
    convo = Conversation()
    convo.set("topic", "appeal")
    convo.user("那得带点啥", "complaint")
    texts, _ = convo.run(ActionCaptureRequest())
    assert "上诉状" in texts[0] and tickets_of(convo) == []


def test_a_detail_the_nlu_reads_as_a_question_is_the_detail(seeded: date) -> None:
    convo = Conversation().user("给法官留言", "contact_judge").activate("service_request_form", "request_detail")
    convo.set("request_category", "联系法官")
    convo.user("下个月俺去外地干活 开庭的传票请寄到俺闺女家 地址是马村区待王街道南村", "filing_help")
    texts, events = convo.run(ActionAnswerInsideRequest())
    assert texts == [] and convo.slots["request_detail"].endswith("待王街道南村")


def test_a_question_inside_the_request_form_is_answered_and_nothing_is_taken(seeded: date) -> None:
    convo = Conversation().user("我要投诉", "complaint").activate("service_request_form", "request_detail")
    convo.set("request_category", "投诉举报")
    convo.user("对了 立案要带啥材料", "filing_help")
    texts, _ = convo.run(ActionAnswerInsideRequest())
    assert len(texts) == 1 and "起诉状" in texts[0] and convo.slots.get("request_detail") is None
