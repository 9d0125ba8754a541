"""Scripted conversations through the gateway against the real Rasa server and action server."""

from __future__ import annotations

import re
from datetime import date

from tests.e2e.conftest import Caller

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
