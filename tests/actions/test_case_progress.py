"""Case-progress form and report, run as the action server runs them (real database, no model)."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest

from actions.case_progress import (
    ActionAskCaseNumber,
    ActionCancelCaseQuery,
    ActionCaseProgressReport,
    ValidateCaseProgressForm,
    canonical_case_number,
)
from identity.answers import parse_identity_answer
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


def test_three_failures_lock_that_caller_only(form: ValidateCaseProgressForm) -> None:
    case = "（2023）豫0804民初1234号"
    convo = Conversation()
    for attempts_left in (2, 1):
        convo.user("李四 尾号0000", case_number=case, party_name="李四", phone_tail="0000").activate(FORM)
        texts, _ = convo.run(form)
        assert f"还可尝试{attempts_left}次" in texts[-1]
        # The tail is asked again; the name stays, so a corrected tail alone is checked with it.
        assert convo.slots["phone_tail"] is None and convo.slots["identity_verified"] is None
        assert convo.slots["party_name"] == "李四"
    convo.user("李四 尾号0000", case_number=case, party_name="李四", phone_tail="0000").activate(FORM)
    texts, _ = convo.run(form)
    assert "暂停" in texts[-1] and "转接人工" in texts[-1] and convo.slots["case_query_blocked"] is True
    assert "还可尝试" not in texts[-1]
    # The locked caller cannot start again with the same case ...
    again = Conversation(sender=convo.sender).user(case, case_number=case).activate(FORM, "case_number")
    texts, _ = again.run(form)
    assert "暂停" in texts[-1] and again.slots["case_number"] is None

    # ... but the real party, on another conversation, is not stopped.
    other = Conversation(sender="wechat:other").user(case, case_number=case).activate(FORM, "case_number")
    other.run(form)
    assert other.slots["case_number"] == case
    other.user("张三 13512345678", party_name="张三 13512345678").activate(FORM, "party_name")
    other.run(form)
    assert other.slots["identity_verified"] is True
    texts, _ = other.run(ActionCaseProgressReport())
    assert any("已结案" in t for t in texts)


LEASE = "（2025）豫0804民初2001号"
EXECUTION = "（2025）豫0804执1001号"


@pytest.mark.parametrize(
    ("case", "said"),
    [
        (LEASE, "陈静 尾号1111"),
        (LEASE, "刘洋 后四位2222"),
        (LEASE, "陈静，手机1111"),
        (LEASE, "2222 刘洋"),
        (LEASE, "刘洋 2222"),
        (LEASE, "陈静 幺幺幺幺"),
        (LEASE, "我叫刘洋，手机尾号是2222"),
        (EXECUTION, "王磊 电话9999"),
        (EXECUTION, "赵刚手机号13577776666"),
        (EXECUTION, "手机后4位六六六六，赵刚"),
        (CASE, "张伟 尾号五六七八"),
    ],
)
def test_every_answer_form_verifies_in_the_identity_step(form: ValidateCaseProgressForm, case: str, said: str) -> None:
    convo = Conversation().user(case, case_number=case).activate(FORM, "case_number")
    convo.run(form)
    convo.user(said, party_name=said).activate(FORM, "party_name")  # from_text: the whole answer
    texts, _ = convo.run(form)
    assert convo.slots["identity_verified"] is True, texts
    assert convo.slots["verified_case"] == case


def test_a_bare_name_then_the_tail(form: ValidateCaseProgressForm) -> None:
    convo = Conversation().user(LEASE, case_number=LEASE).activate(FORM, "case_number")
    convo.run(form)
    convo.user("陈静", party_name="陈静").activate(FORM, "party_name")
    convo.run(form)
    assert convo.slots["party_name"] == "陈静" and convo.slots["phone_tail"] is None
    convo.user("1111", phone_tail="1111").activate(FORM, "phone_tail")
    convo.run(form)
    assert convo.slots["identity_verified"] is True


def _failed_checks(sessions, sender: str) -> int:
    from sqlalchemy import func, select

    from identity.models import VerificationAttempt

    with sessions() as session:
        stmt = select(func.count()).where(VerificationAttempt.caller == sender, VerificationAttempt.counted.is_(True))
        return int(session.scalar(stmt.select_from(VerificationAttempt)))


@pytest.mark.parametrize("said", ["对了 开庭要带啥", "你们几点下班", "我不知道啊", "查询怎么收费吗"])
def test_an_answer_that_is_not_an_identity_is_never_a_failed_check(
    form: ValidateCaseProgressForm, sessions, said: str
) -> None:
    convo = Conversation().user(LEASE, case_number=LEASE).activate(FORM, "case_number")
    convo.run(form)
    convo.user(said, party_name=said).activate(FORM, "party_name")
    texts, _ = convo.run(form)
    assert not any("还可尝试" in t or "未通过" in t for t in texts)
    assert convo.slots["party_name"] is None and convo.slots["case_number"] == LEASE
    assert _failed_checks(sessions, convo.sender) == 0


def test_a_new_case_number_in_the_identity_step_replaces_the_case(form: ValidateCaseProgressForm, sessions) -> None:
    convo = Conversation().user(CASE, case_number=CASE).activate(FORM, "case_number")
    convo.run(form)
    said = f"不对，案号是{LEASE}"
    convo.user(said, case_number=LEASE, party_name=said).activate(FORM, "party_name")
    texts, _ = convo.run(form)
    assert convo.slots["case_number"] == LEASE and convo.slots["party_name"] is None
    assert any(LEASE in t for t in texts) and not any("未通过" in t for t in texts)
    assert _failed_checks(sessions, convo.sender) == 0
    convo.user("陈静 1111", party_name="陈静 1111").activate(FORM, "party_name")
    convo.run(form)
    assert convo.slots["verified_case"] == LEASE


def test_the_name_can_be_corrected_at_the_tail_step(form: ValidateCaseProgressForm, sessions) -> None:
    convo = Conversation().user(CASE, case_number=CASE).activate(FORM, "case_number")
    convo.run(form)
    convo.user("李伟", party_name="李伟").activate(FORM, "party_name")
    convo.run(form)
    convo.user("不对，是张伟", phone_tail="不对，是张伟").activate(FORM, "phone_tail")
    texts, _ = convo.run(form)
    assert convo.slots["party_name"] == "张伟" and convo.slots["phone_tail"] is None
    assert any("张伟" in t for t in texts) and not any("四位数字" in t for t in texts)
    convo.user("5678", phone_tail="5678").activate(FORM, "phone_tail")
    convo.run(form)
    assert convo.slots["identity_verified"] is True
    assert _failed_checks(sessions, convo.sender) == 0


def test_the_web_address_is_recorded_with_the_attempt(form: ValidateCaseProgressForm, sessions) -> None:
    from sqlalchemy import select

    from identity.models import VerificationAttempt

    convo = Conversation(sender="web:addr").user("李娜 0000", case_number=CASE, party_name="李娜", phone_tail="0000")
    convo.latest_message["metadata"]["client_address"] = "203.0.113.77"
    convo.activate(FORM).run(form)
    with sessions() as session:
        row = session.scalars(select(VerificationAttempt).where(VerificationAttempt.caller == "web:addr")).one()
    assert row.address == "203.0.113.77" and row.channel == "web" and not row.success


def test_an_execution_case_names_its_original_case(form: ValidateCaseProgressForm) -> None:
    said = f"查一下{EXECUTION}，我是王磊，尾号9999"
    convo = Conversation().user(said, "case_progress", case_number=EXECUTION, party_name="王磊", phone_tail="9999")
    convo.activate(FORM).run(form)
    texts, _ = convo.run(ActionCaseProgressReport())
    report = "\n".join(texts)
    assert "执行中" in report and "执行法官：吴涛" in report and "郑华" in report
    assert re.search(r"执行依据（原审案件）：（2025）豫0804民初\d+号", report), report


def _case_with_reachable_party(sessions, type_code: str, status: str | None = None) -> tuple[str, str, str]:
    from sqlalchemy import select

    from cases.models import Case, CaseParty

    with sessions() as session:
        stmt = select(Case.case_number, CaseParty.name, CaseParty.phone).join(CaseParty)
        stmt = stmt.where(Case.type_code == type_code, CaseParty.phone.is_not(None), CaseParty.id_number.is_not(None))
        if status:
            stmt = stmt.where(Case.status == status)
        number, name, phone = session.execute(stmt.order_by(Case.id).limit(1)).one()
    return number, name, phone


WORDINGS = {
    "民初": "帮我看看{number}到哪一步了 我叫{name} 手机号后四位{tail}",
    "民特": "{name} 尾号{tail} 查一下{number}",
    "民诉前调": "{number}调解得咋样了，{name}，电话{tail}",
    "执": "你好 我是{name} 手机{phone} 想问{number}执行到哪了",
    "执恢": "{number} {name} 后4位{tail}",
    "执异": "查询{number}进度，当事人{name}，手机尾号是{tail}",
    "行初": "{name}，{number}，尾号{tail}，开庭了没",
    "刑初": "请问{number}现在什么情况 {name} 电话号码后四位{tail}",
}


@pytest.mark.parametrize("type_code", list(WORDINGS))
def test_everything_in_one_message_for_every_case_type(form: ValidateCaseProgressForm, sessions, type_code: str) -> None:
    """Only the case number comes from NLU entities: name and tail are read from the text itself."""
    number, name, phone = _case_with_reachable_party(sessions, type_code)
    said = WORDINGS[type_code].format(number=number, name=name, tail=phone[-4:], phone=phone)
    canonical, _ = canonical_case_number(said)
    assert canonical == number
    convo = Conversation().user(said, "case_progress", case_number=canonical)
    convo.activate(FORM).run(form)
    assert convo.slots["identity_verified"] is True
    texts, _ = convo.run(ActionCaseProgressReport())
    assert texts and number in texts[0] and "当前状态" in texts[0]


def test_a_mediation_case_gets_its_mediation_progress(form: ValidateCaseProgressForm, sessions) -> None:
    number, name, phone = _case_with_reachable_party(sessions, "民诉前调", "调解中")
    convo = Conversation().user(number, "case_progress", case_number=number, party_name=name, phone_tail=phone[-4:])
    convo.activate(FORM).run(form)
    texts, _ = convo.run(ActionCaseProgressReport())
    assert "诉前调解案件" in texts[0] and "调解中" in texts[0] and "特邀调解员" in texts[0]
    assert "调解成功可申请司法确认" in texts[0]


@pytest.mark.parametrize(
    ("said", "name"),
    [("张伟", "张伟"), ("我叫张伟", "张伟"), ("我是张伟。", "张伟"), ("张伟 5678", "张伟"), ("欧阳娜娜", "欧阳娜娜")],
)
def test_party_name_is_cleaned(said: str, name: str) -> None:
    assert parse_identity_answer(said).name == name


@pytest.mark.parametrize("said", ["不知道", "5678", "你们法院怎么这样"])
def test_not_a_name(said: str) -> None:
    assert parse_identity_answer(said).name is None


@pytest.mark.parametrize(("said", "tail"), [("5678", "5678"), ("尾号五六七八", "5678"), ("13838915678", "5678"),
                                            ("幺三八三八九一五六七八", "5678"), ("56", None)])
def test_phone_tail_is_cleaned(said: str, tail: str | None) -> None:
    assert parse_identity_answer(said).tail == tail


def test_repeating_the_same_case_number_with_an_identity_is_not_a_correction(form: ValidateCaseProgressForm) -> None:
    convo = Conversation().user(CASE, case_number=CASE).activate(FORM, "case_number")
    convo.run(form)
    said = f"我想查{CASE}，我是张伟，手机尾号5678"
    convo.user(said, "case_progress", case_number=CASE, party_name="张伟", phone_tail="5678").activate(FORM, "party_name")
    texts, _ = convo.run(form)
    assert not any("改为查询" in t for t in texts)
    assert convo.slots["identity_verified"] is True


def _remember(caller_id: str) -> None:
    from actions.services import identity_service
    from identity.service import Caller

    assert identity_service().verify_caller(CASE, "张伟", "5678", Caller(id=caller_id, channel="wechat")).verified


def test_a_remembered_wechat_user_is_not_asked_again(form: ValidateCaseProgressForm, seeded: date) -> None:
    sender = f"wechat:{uuid.uuid4().hex}"
    _remember(sender)  # verified on an earlier visit
    convo = Conversation(sender).user(CASE, "case_progress", case_number=CASE).activate(FORM, "case_number")
    convo.latest_message["metadata"]["channel"] = "wechat"
    texts, _ = convo.run(form)
    assert convo.slots["identity_verified"] is True and convo.slots["verified_case"] == CASE
    assert any("无需再核验" in t for t in texts)
    report = "\n".join(convo.run(ActionCaseProgressReport())[0])
    assert "第三法庭" in report  # the progress itself, without a name or tail asked


def test_remembering_is_per_platform_user_and_case(form: ValidateCaseProgressForm) -> None:
    sender = f"wechat:{uuid.uuid4().hex}"
    _remember(sender)
    other = "（2025）豫0804民初2001号"
    convo = Conversation(sender).user(other, "case_progress", case_number=other).activate(FORM, "case_number")
    convo.latest_message["metadata"]["channel"] = "wechat"
    convo.run(form)
    assert not convo.slots.get("identity_verified")  # another case: asked as usual
    web = Conversation(f"web:{sender.split(':')[1]}").user(CASE, case_number=CASE).activate(FORM, "case_number")
    web.run(form)
    assert not web.slots.get("identity_verified")  # a web sender id proves nothing


# Case numbers as people write them (issue 7): without the court's code or 号, the parts apart, and one part
# corrected later. The demo court has one code, so year, type and sequence make a whole number.


def _ask(convo: Conversation, form: ValidateCaseProgressForm, said: str, step: str | None, **slots: str) -> list[str]:
    """One caller turn: the text fills the slot asked for (Rasa's from_text mapping), then the form runs."""
    if step is not None:
        slots.setdefault(step, said)
    convo.user(said, **slots).activate(FORM, step)
    texts, _ = convo.run(form)
    return texts


@pytest.mark.parametrize("said", ["就是2025年的 那个民初2001", "25年民初第2001号", "民初2001 2025年的", "【2025】民初2001"])
def test_a_number_without_the_court_code_is_this_courts(form: ValidateCaseProgressForm, said: str) -> None:
    convo = Conversation().user("想问问案子弄到哪了", "case_progress").activate(FORM, "case_number")
    texts = _ask(convo, form, said, "case_number")
    assert convo.slots["case_number"] == LEASE, texts
    assert any(LEASE in t for t in texts) and not any("无法识别" in t or "转人工" in t for t in texts)
    _ask(convo, form, "被告刘洋", "party_name")
    assert convo.slots["party_name"] == "刘洋"
    _ask(convo, form, "2222", "phone_tail")  # a tail, never a year
    assert convo.slots["identity_verified"] is True and convo.slots["verified_case"] == LEASE


def test_a_number_without_its_year_asks_for_the_year(form: ValidateCaseProgressForm) -> None:
    convo = Conversation().activate(FORM, "case_number")
    texts = _ask(convo, form, "民初2001号那个", "case_number")
    assert convo.slots["case_number"] is None and convo.slots["case_number_failures"] == 0
    reply = "\n".join(texts)
    assert "民初2001号" in reply and "年份" in reply and "无法识别" not in reply
    # The form's next question asks for the year only, not for a whole number again.
    asked, _ = convo.run(ActionAskCaseNumber())
    assert asked == ["请告诉我收案年份（比如2025年）。"]
    _ask(convo, form, "2025", "case_number")  # the answer to the year question
    assert convo.slots["case_number"] == LEASE


def test_with_no_number_in_hand_the_form_asks_for_a_whole_number() -> None:
    convo = Conversation().user("想问问案子弄到哪了", "case_progress").activate(FORM, "case_number")
    asked, _ = convo.run(ActionAskCaseNumber())
    assert asked == ["请告诉我您要查询的案号，例如（2024）豫0804民初1566号。"]


def test_the_missing_year_completes_a_query_said_in_one_message(form: ValidateCaseProgressForm) -> None:
    said = "民初2001号现在咋样了 我是刘洋 尾号2222"
    convo = Conversation().user(said, "case_progress", party_name="刘洋", phone_tail="2222").activate(FORM)
    texts, _ = convo.run(form)
    assert convo.slots["case_number"] is None and any("年份" in t for t in texts)
    _ask(convo, form, "25年的", "case_number")
    assert convo.slots["identity_verified"] is True and convo.slots["verified_case"] == LEASE


def test_a_loose_number_with_the_identity_in_one_message(form: ValidateCaseProgressForm) -> None:
    said = "25年民初第2001号 我是陈静 尾号1111 现在啥情况"  # no entity: Rasa's is a whole number only
    convo = Conversation().user(said, "case_progress", party_name="陈静", phone_tail="1111").activate(FORM)
    convo.run(form)
    assert convo.slots["identity_verified"] is True and convo.slots["verified_case"] == LEASE


def test_a_corrected_sequence_keeps_the_year_and_court(form: ValidateCaseProgressForm) -> None:
    wrong = "（2024）豫0804民初1565号"
    convo = Conversation().user(f"俺的案号{wrong} 帮忙查查", "case_progress", case_number=wrong).activate(FORM)
    texts, _ = convo.run(form)
    assert "没有查到" in texts[0]
    texts = _ask(convo, form, "输快了 其实是民初1566号", "case_number")
    assert convo.slots["case_number"] == CASE and any(CASE in t for t in texts)
    _ask(convo, form, "张伟 5678", "party_name")
    assert convo.slots["identity_verified"] is True


@pytest.mark.parametrize(("first", "correction"), [("（2023）豫0804民初1566号", "年份是2024年的"),
                                                    ("（2024）豫0804民初1565号", "序号是1566")])
def test_one_part_corrected_after_a_number_not_found(form: ValidateCaseProgressForm, first: str, correction: str) -> None:
    convo = Conversation().activate(FORM, "case_number")
    _ask(convo, form, first, "case_number", case_number=first)
    assert convo.slots["case_number"] is None
    _ask(convo, form, correction, "case_number")
    assert convo.slots["case_number"] == CASE


def test_one_part_corrected_in_the_identity_step_replaces_the_case(form: ValidateCaseProgressForm, sessions) -> None:
    convo = Conversation().user(LEASE, case_number=LEASE).activate(FORM, "case_number")
    convo.run(form)
    texts = _ask(convo, form, "不对不对 是执1001号", "party_name")
    assert convo.slots["case_number"] == EXECUTION and convo.slots["party_name"] is None
    assert any("改为查询" in t and EXECUTION in t for t in texts) and not any("未通过" in t for t in texts)
    texts = _ask(convo, form, "序号是1002", "party_name")  # a case that does not exist: said so, not a name
    assert convo.slots["case_number"] is None and any("（2025）豫0804执1002号" in t for t in texts)
    assert _failed_checks(sessions, convo.sender) == 0


def test_a_year_in_an_identity_answer_is_not_a_correction(form: ValidateCaseProgressForm) -> None:
    convo = Conversation().user(LEASE, case_number=LEASE).activate(FORM, "case_number")
    convo.run(form)
    _ask(convo, form, "陈静 2020年就起诉了", "party_name")
    assert convo.slots["case_number"] == LEASE and convo.slots["party_name"] == "陈静"
    texts = _ask(convo, form, "2020", "phone_tail")  # a wrong tail, checked as one
    assert convo.slots["case_number"] == LEASE and any("未通过" in t for t in texts)


def test_cancelling_the_check_drops_the_judge_message_waiting_for_it() -> None:
    convo = Conversation().user("给法官带句话", "contact_judge").activate(FORM, "party_name")
    convo.set("pending_request", "联系法官")
    convo.set("request_category", "联系法官")
    convo.user("算了不查了", "cancel")
    convo.run(ActionCancelCaseQuery())
    assert convo.slots["pending_request"] is None and convo.slots["request_category"] is None
