"""Through /api/chat on the real stack: court basics answered, follow-ups read against the topic in hand,
legal questions by kind, fees by the matter's rule, replies that show what was understood."""

from __future__ import annotations

import re

from tests.e2e.conftest import Caller

CATCH_ALL = "收到。请问您想办理什么业务"


def test_court_basics_are_answered_not_refused(caller: Caller) -> None:
    reply = caller.say("马村法院地址在哪 礼拜六开门不")
    assert "建设东路" in reply and "不属于" not in reply
    assert "0391-3921368" in caller.say("法院电话是多少啊")
    pay = caller.say("诉讼费去哪儿交")
    assert "5号窗口" in pay and "移动微法院" in pay


def test_what_can_you_do_lists_the_services_not_youre_welcome(caller: Caller) -> None:
    reply = caller.say("你都能干点啥呀")
    assert "不客气" not in reply and "查询案件进度" in reply and "转人工" in reply


def test_custody_and_work_injury_are_not_answered_with_loan_evidence(caller: Caller) -> None:
    custody = caller.say("离婚以后孩子的抚养权归谁")
    assert "子女抚养" in custody and "借条" not in custody
    injury = Caller(caller.base)
    reply = injury.say("我在厂里干活受了伤 老板不给赔")
    assert "工伤" in reply and "借条" not in reply


def test_a_materials_follow_up_after_mediation_stays_on_mediation(caller: Caller) -> None:
    caller.say("俺们两家想先调解 不想打官司")
    reply = caller.say("那要准备点啥材料")
    assert "调解" in reply and "起诉状（正本一份" not in reply


def test_where_to_pay_follow_up_after_a_fee_question(caller: Caller) -> None:
    assert "1050元" in caller.say("起诉要回五万块 诉讼费多少")
    assert "5号窗口" in caller.say("那去哪交啊")


def test_from_when_after_a_labour_question_is_not_a_case_number_prompt(caller: Caller) -> None:
    caller.say("公司把我辞退了 还欠着三个月工资")
    reply = caller.say("那从啥时候开始算")
    assert "1年" in reply and "案号" not in reply


def test_a_side_question_then_back_to_the_topic(caller: Caller) -> None:
    caller.say("诉前调解是怎么回事")
    assert "午休" in caller.say("你们中午上班不")
    assert "30日" in caller.say("那调完得多长时间")


def test_labour_fee_is_ten_yuan_not_a_property_figure(caller: Caller) -> None:
    reply = caller.say("老板欠我三万块工资 去法院告要交多少诉讼费")
    assert "10元" in reply and "受理费约为" not in reply


def test_information_without_a_question_is_repeated_back_with_choices(caller: Caller) -> None:
    reply = caller.say("我叫王秀兰")
    assert CATCH_ALL not in reply and "王秀兰" in reply and "查询案件进度" in reply


def test_how_long_after_mediation_is_answered_not_taken_for_a_yes(caller: Caller) -> None:
    caller.say("想先走诉前调解")
    assert "30日" in caller.say("那需要多久")


def test_an_elliptical_court_question_after_hours(caller: Caller) -> None:
    assert "8:30" in caller.say("法院早上几点开门")
    assert "周六" in caller.say("礼拜六呢")


def test_court_facts_asked_while_naming_a_business(caller: Caller) -> None:
    assert "0391-3921375" in caller.say("管执行的那个部门电话多少")
    holiday = Caller(caller.base).say("五一放假法院上班不 想去递诉状")
    assert "节假日" in holiday and "起诉状（正本一份" not in holiday


def test_an_amount_after_an_execution_fee_question_is_the_execution_amount(caller: Caller) -> None:
    caller.say("申请强制执行收费不")
    reply = caller.say("对方欠我十万")
    assert "1400元" in reply and "2300" not in reply


def test_appeal_how_is_answered_not_ticketed(caller: Caller) -> None:
    reply = caller.say("一审判决下来了 我不服 想上诉咋弄")
    assert "15日" in reply and not re.search(r"12368-\d{8}-\d{4}", reply)
    assert "次日" in caller.say("那这个期限从哪天算")


def test_custody_after_a_divorce_question(caller: Caller) -> None:
    caller.say("离婚了房子咋分")
    reply = caller.say("那孩子呢")
    assert "子女抚养" in reply and "借条" not in reply


def test_elderly_support_is_its_own_kind(caller: Caller) -> None:
    reply = caller.say("闺女儿子都不给老人生活费 能起诉吗")
    assert "赡养" in reply and "抚养权" not in reply
