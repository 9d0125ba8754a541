"""Scripted conversations through the gateway against the real Rasa server and action server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cases.models import Case, CaseParty
from cli.stack import Stack
from core.config import REPO_ROOT
from tests.e2e.conftest import Caller
from tickets.models import Ticket

CASE = "（2024）豫0804民初1566号"


def assert_report(reply: str, seeded: date) -> None:
    assert "已排期" in reply and "第三法庭" in reply
    assert "王建军" in reply and "赵敏" in reply
    hearing = re.search(r"下一步安排：(\d{4})年(\d{1,2})月(\d{1,2})日", reply)
    assert hearing, reply
    assert (date(*map(int, hearing.groups())) - seeded).days >= 30


def test_piece_by_piece(caller: Caller, seeded: date) -> None:
    assert "诉讼服务" in caller.say("你好")
    assert "案号" in caller.say("我想查一下我的案子进度")
    reply = caller.say(CASE)
    assert "姓名" in reply and "王建军" not in reply
    assert "后四位" in caller.say("张伟")
    assert_report(caller.say("5678"), seeded)


def test_everything_in_one_message(caller: Caller, seeded: date) -> None:
    reply = caller.say("我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678")
    assert_report(reply, seeded)


def test_spoken_case_number(caller: Caller, seeded: date) -> None:
    caller.say("查询案件进度")
    reply = caller.say("二零二四年豫零八零四民初一五六六号")
    assert "姓名" in reply
    caller.say("我叫张伟")
    assert_report(caller.say("尾号五六七八"), seeded)


def test_wrong_identity_discloses_nothing(caller: Caller) -> None:
    caller.say("我想查案件进度")
    caller.say("（2024）豫0804民初1566号")
    caller.say("李娜")
    reply = caller.say("0000")
    assert "未通过" in reply
    assert "王建军" not in reply and "第三法庭" not in reply


def test_unknown_case_number_is_refused(caller: Caller) -> None:
    caller.say("我想查案件进度")
    reply = caller.say("（2024）豫0804民初9876号")
    assert "没有查到" in reply


def test_cancel_leaves_the_form(caller: Caller) -> None:
    caller.say("查一下案件进度")
    reply = caller.say("算了")
    assert "取消" in reply
    assert "案号" not in caller.say("你好")


def test_side_question_then_back_to_the_form(caller: Caller, seeded: date) -> None:
    caller.say("我想查案件进度")
    reply = caller.say("对了诉讼费怎么算")
    assert "诉讼费" in reply and "案号" in reply  # answers, then asks again for the case number
    caller.say(CASE)
    caller.say("张伟")
    assert_report(caller.say("5678"), seeded)


# ---------------------------------------------------------------- issue 6: checks that cannot be gamed
LEASE = "（2025）豫0804民初2001号"
EXECUTION = "（2025）豫0804执1001号"


def test_name_and_tail_in_one_answer(caller: Caller) -> None:
    caller.say("我想查一下案件进度")
    assert "姓名" in caller.say(LEASE)
    reply = caller.say("陈静 尾号1111")
    assert "已立案" in reply and "孙丽" in reply and "周强" in reply, reply


def test_interleaved_guessing_locks_the_caller(caller: Caller) -> None:
    """Issue 6 item 1: wrong tails for 李娜 between correct checks as 张伟 get this caller locked."""
    caller.say(f"查{CASE}")
    assert "还可尝试2次" in caller.say("李娜 尾号0000")
    assert "还可尝试1次" in caller.say("李娜 尾号1111")
    assert "王建军" in caller.say("张伟 尾号5678")  # a real success in between
    caller.say(f"查{CASE}")
    reply = caller.say("李娜 尾号2222")
    assert "暂停" in reply and "转接人工" in reply and "还可尝试" not in reply, reply
    reply = caller.say(f"我想查{CASE}的进度，我是张伟，手机尾号5678")
    assert "暂停" in reply and "王建军" not in reply


def test_failures_from_others_do_not_stop_the_real_party(gateway: str, seeded: date) -> None:
    """Issue 6 item 2: three unrelated conversations fail; 张伟 with the right tail still gets his case."""
    for i in range(3):
        stranger = Caller(gateway)
        assert "未通过" in stranger.say(f"我想查{CASE}的进度，我是张伟，手机尾号000{i}")
    mob = Caller(gateway)
    for i in range(3):
        last = mob.say(f"我想查{CASE}的进度，我是李娜，手机尾号111{i}")
    assert "暂停" in last
    assert_report(Caller(gateway).say(f"我想查{CASE}的进度，我是张伟，手机尾号5678"), seeded)


def _alert_tickets(sessions: sessionmaker[Session], case_number: str) -> list[str]:
    with sessions() as session:
        rows = session.execute(select(Ticket.number, Ticket.summary).where(Ticket.case_number == case_number))
        return [number for number, summary in rows if summary.startswith("核验告警")]


def test_rotating_senders_hit_the_ceiling_and_staff_reset_it(
    gateway: str, sessions: sessionmaker[Session], database_url: str, stack: Stack
) -> None:
    before = set(_alert_tickets(sessions, EXECUTION))
    replies = [
        Caller(gateway).say(f"查一下{EXECUTION}执行到哪了，我是赵刚，手机尾号{i:04d}") for i in range(1, 11)
    ]
    assert all("未通过" in r for r in replies[:9])
    assert "人工核验" in replies[9] and "转接人工" in replies[9]
    refused = Caller(gateway).say(f"查一下{EXECUTION}执行到哪了，我是王磊，手机尾号9999")
    assert "人工核验" in refused and "吴涛" not in refused
    assert len(set(_alert_tickets(sessions, EXECUTION)) - before) == 1

    env = {**os.environ, "DATABASE_URL": database_url, "COURTBOT_DATA_DIR": str(stack.settings.data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "verification", "reset", EXECUTION],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    assert "已恢复自助核验" in done.stdout, done.stdout + done.stderr
    reply = Caller(gateway).say(f"查一下{EXECUTION}执行到哪了，我是王磊，手机尾号9999")
    assert "执行中" in reply and "吴涛" in reply and "执行依据（原审案件）：（2025）豫0804民初" in reply, reply
    assert len(set(_alert_tickets(sessions, EXECUTION)) - before) == 1


# ---------------------------------------------------------------- issue 7: forms that tolerate people
def test_a_new_case_number_in_the_identity_step_replaces_the_case(caller: Caller) -> None:
    caller.say("查询案件进度")
    caller.say(CASE)
    reply = caller.say(f"不对 是{LEASE}")
    assert "改为查询" in reply and "未通过" not in reply, reply
    assert "孙丽" in caller.say("陈静 1111")


def test_the_name_is_corrected_at_the_tail_step(caller: Caller, seeded: date) -> None:
    caller.say(f"查{CASE}")
    caller.say("李伟")
    reply = caller.say("不对，是张伟")
    assert "张伟" in reply and "未通过" not in reply, reply
    assert_report(caller.say("5678"), seeded)


def test_a_side_question_in_the_identity_step_is_not_a_failed_check(caller: Caller, seeded: date) -> None:
    caller.say(f"查{CASE}")
    reply = caller.say("对了 开庭要带啥")
    assert "未通过" not in reply and "还可尝试" not in reply
    assert "姓名" in reply, reply  # the form asks again for what it still needs
    assert_report(caller.say("张伟 5678"), seeded)


def test_cancel_in_the_identity_step(caller: Caller) -> None:
    caller.say(f"查{CASE}")
    assert "取消" in caller.say("算了不查了")
    assert "姓名" not in caller.say("你好")


def test_everything_in_one_message_in_other_wordings(caller: Caller) -> None:
    reply = caller.say(f"王磊 尾号9999 帮我查下{EXECUTION}")
    assert "吴涛" in reply and "执行中" in reply, reply
    other = Caller(caller.base)
    reply = other.say(f"{LEASE}开庭了没 刘洋 电话2222")
    assert "孙丽" in reply and "暂无已排定" in reply, reply


def test_a_mediation_case_gets_its_own_progress(caller: Caller, sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        number, name, phone = session.execute(
            select(Case.case_number, CaseParty.name, CaseParty.phone)
            .join(CaseParty)
            .where(Case.type_code == "民诉前调", Case.status == "调解中", CaseParty.id_number.is_not(None))
            .order_by(Case.id)
            .limit(1)
        ).one()
    reply = caller.say(f"{number}诉前调解调得咋样了，我是{name}，手机尾号{phone[-4:]}")
    assert "诉前调解案件" in reply and "调解中" in reply and number in reply, reply
