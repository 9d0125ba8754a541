"""Through /api/chat on the real stack: the case-progress form tolerates people — everything in one
message in any wording and for every case type, side questions answered and the form resumed,
corrections at any step, numbers said without the court's code."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from cases.models import Case
from tests.e2e.conftest import Caller

CASE = "（2024）豫0804民初1566号"
SECRET = ("王建军", "赵敏", "第三法庭")


def a_case(sessions: sessionmaker[Session], type_code: str) -> tuple[str, str, str, str]:
    """(number, a natural-person party, the last 4 of that party's phone, status) of a generated case."""
    with sessions() as session:
        stmt = (select(Case).where(Case.type_code == type_code).options(selectinload(Case.parties))
                .order_by(Case.case_number))
        for case in session.scalars(stmt):
            for party in case.parties:
                if party.phone and 2 <= len(party.name) <= 3:
                    return case.case_number, party.name, party.phone[-4:], case.status
    raise AssertionError(f"no {type_code} case with a person party in the demo docket")


def test_name_and_a_bare_tail_before_the_number(caller: Caller) -> None:
    reply = caller.say("张伟 5678 2024豫0804民初1566号 啥时候开庭")
    assert "第三法庭" in reply and "后四位" not in reply


def test_one_message_for_an_execution_case_with_the_tail_at_the_end(caller: Caller) -> None:
    reply = caller.say("（2025）豫0804执1001号 执行款到了没有 王磊 9999")
    assert "执行中" in reply and "吴涛" in reply


def test_one_message_for_a_criminal_case(caller: Caller, sessions: sessionmaker[Session]) -> None:
    number, party, tail, status = a_case(sessions, "刑初")
    reply = caller.say(f"{party}，{tail}，{number}现在咋样了")
    assert status in reply


def test_identity_as_information_is_a_progress_query(caller: Caller) -> None:
    # Read by the NLU as information, not a request: the case number with the identity is still the query.
    reply = caller.say("被告刘洋 2025豫0804民初2001号 尾号2222")
    assert "已立案" in reply and "孙丽" in reply


def test_dialect_name_answer_in_the_identity_step(caller: Caller) -> None:
    caller.say("查下案子")
    caller.say(CASE)
    assert "后四位" in caller.say("俺是张伟")
    assert "第三法庭" in caller.say("5678")


def test_a_number_without_the_courts_code_is_this_courts(caller: Caller) -> None:
    caller.say("帮我查查案子")
    reply = caller.say("2024年民初1566号那个")
    assert "姓名" in reply and "无法识别" not in reply


def test_a_side_question_in_the_identity_step_is_answered_and_the_form_resumes(caller: Caller) -> None:
    caller.say("想查下进度")
    caller.say(CASE)
    side = caller.say("你们法院周六上班不")
    assert "周六" in side and "未通过" not in side and "姓名" in side
    caller.say("张伟")
    assert "第三法庭" in caller.say("尾号5678")


def test_a_wrong_tail_corrected_alone_is_checked_with_the_name(caller: Caller) -> None:
    caller.say(f"{CASE} 我是张伟")
    wrong = caller.say("5687")
    assert "未通过" in wrong and not any(s in wrong for s in SECRET)
    assert "第三法庭" in caller.say("打错了 是5678")


def test_a_refund_question_inside_the_form(caller: Caller) -> None:
    caller.say("查一下我的案子")
    reply = caller.say("交了的诉讼费还能退回来吗")
    assert "退" in reply and "案号" in reply
