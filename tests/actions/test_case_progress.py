"""Case-progress form and report, run as the action server runs them (real database, no model)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from actions.case_progress import ActionCaseProgressReport, ValidateCaseProgressForm
from tests.actions.trackers import Conversation

CASE = "（2024）豫0804民初1566号"
FORM = "case_progress_form"


@pytest.fixture()
def form(seeded: date) -> ValidateCaseProgressForm:
    return ValidateCaseProgressForm()


def test_everything_in_one_message_verifies(form: ValidateCaseProgressForm) -> None:
    convo = Conversation().user(
        "我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678",
        "case_progress", case_number=CASE, party_name="张伟", phone_tail="5678",
    ).activate(FORM)
    texts, events = convo.run(form)
    assert convo.slots["identity_verified"] is True
    assert convo.slots["verified_case"] == CASE
    assert "张伟" in convo.slots["verified_party"]
    assert not any("未通过" in t for t in texts)


def test_report_without_verification_discloses_nothing(form: ValidateCaseProgressForm) -> None:
    convo = Conversation().user(CASE, case_number=CASE).activate(FORM, "case_number")
    convo.run(form)
    assert convo.slots["case_number"] == CASE
    convo.set("identity_verified", True)  # even a forged flag: verified_case was never set by a check
    texts, _ = convo.run(ActionCaseProgressReport())
    assert texts == []
    assert convo.slots["case_number"] is None


def test_report_after_verification_piece_by_piece(form: ValidateCaseProgressForm, seeded: date) -> None:
    convo = Conversation().user(CASE, case_number=CASE).activate(FORM, "case_number")
    convo.run(form)
    convo.user("我叫张伟", party_name="我叫张伟").activate(FORM, "party_name")
    convo.run(form)
    assert convo.slots["party_name"] == "张伟"
    convo.user("幺三八三八九一五六七八", phone_tail="幺三八三八九一五六七八").activate(FORM, "phone_tail")
    convo.run(form)
    assert convo.slots["identity_verified"] is True
    texts, events = convo.run(ActionCaseProgressReport())
    report = "\n".join(texts)
    assert "已排期" in report and "王建军" in report and "赵敏" in report and "第三法庭" in report
    hearing = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", report.split("下一步安排")[1])
    assert hearing is not None
    assert (date(*map(int, hearing.groups())) - seeded).days >= 30
    assert convo.slots["case_number"] is None and convo.slots["verified_case"] == CASE


def test_unknown_case_number_asks_again_then_offers_person(form: ValidateCaseProgressForm) -> None:
    convo = Conversation().activate(FORM, "case_number")
    for attempt in range(1, 3):
        convo.user("（2024）豫0804民初9999号", case_number="（2024）豫0804民初9999号")
        texts, _ = convo.run(form)
        assert "没有查到" in texts[0]
        assert convo.slots["case_number"] is None
        assert convo.slots["case_number_failures"] == attempt
    convo.user("豫0804民初", case_number="豫0804民初")
    texts, events = convo.run(form)
    assert "转接人工" in texts[-1]
    assert convo.slots["handoff_offered"] is True and convo.slots["case_query_blocked"] is True
    assert any(e.get("name") == "requested_slot" and e.get("value") is None for e in events)


def test_invalid_case_number_gets_a_reason(form: ValidateCaseProgressForm) -> None:
    convo = Conversation().activate(FORM, "case_number").user("2024豫0804民X12号", case_number="2024豫0804民X12号")
    texts, _ = convo.run(form)
    assert texts and ("民X" in texts[0] or "类型" in texts[0])
    assert convo.slots["case_number"] is None


def test_wrong_identity_three_times_locks_case_across_senders(form: ValidateCaseProgressForm) -> None:
    case = "（2023）豫0804民初1234号"
    convo = Conversation()
    for attempts_left in (2, 1):
        convo.user("李四 尾号0000", case_number=case, party_name="李四", phone_tail="0000").activate(FORM)
        texts, _ = convo.run(form)
        assert f"还可尝试{attempts_left}次" in texts[-1]
        assert convo.slots["party_name"] is None and convo.slots["identity_verified"] is None
    convo.user("李四 尾号0000", case_number=case, party_name="李四", phone_tail="0000").activate(FORM)
    texts, _ = convo.run(form)
    assert "暂停查询" in texts[-1] and convo.slots["case_query_blocked"] is True

    # Another caller (another channel, another session) with the right identity is still refused.
    other = Conversation(sender="wechat:other").user(case, case_number=case).activate(FORM, "case_number")
    texts, _ = other.run(form)
    assert "暂停查询" in texts[-1]
    assert other.slots["case_number"] is None
    texts, _ = other.run(ActionCaseProgressReport())
    assert texts == []


@pytest.mark.parametrize(
    ("said", "name"),
    [("张伟", "张伟"), ("我叫张伟", "张伟"), ("我是张伟。", "张伟"), ("张伟 5678", "张伟"), ("欧阳娜娜", "欧阳娜娜")],
)
def test_party_name_is_cleaned(said: str, name: str) -> None:
    from actions.case_progress import clean_party_name

    assert clean_party_name(said) == name


@pytest.mark.parametrize("said", ["不知道", "5678", "你们法院怎么这样"])
def test_not_a_name(said: str) -> None:
    from actions.case_progress import clean_party_name

    assert clean_party_name(said) is None


@pytest.mark.parametrize(("said", "tail"), [("5678", "5678"), ("尾号五六七八", "5678"), ("13838915678", "5678"),
                                            ("幺三八三八九一五六七八", "5678"), ("56", None)])
def test_phone_tail_is_cleaned(said: str, tail: str | None) -> None:
    from actions.case_progress import clean_phone_tail

    assert clean_phone_tail(said) == tail
