"""Court information comes from courtinfo/court.yml, and each question gets the part it asks about."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from courtinfo.service import COURT_FILE, court_info, is_court_question, load_court_info


@pytest.mark.parametrize(
    ("question", "topic", "must_contain"),
    [
        ("马村法院到底在哪个位置啊", "address", "建设东路"),
        ("礼拜六你们开不开门", "hours", "周六、周日不对外办公"),
        ("中午过去有没有人", "hours", "午休"),
        ("法院的座机号给一个", "phone", "0391-3921368"),
        ("执行上的事打哪个号码", "phone", "0391-3921375"),
        ("诉讼费到底去哪里交", "payment", "5号窗口"),
        ("开车过去车往哪停", "parking", "停车场"),
        ("你们有公众号没", "online", "移动微法院"),
        ("复印材料是几号窗口", "windows", "7号窗口"),
        ("热线12368啥时候有人工", "hours", "人工坐席"),
    ],
)
def test_each_question_gets_its_topic(question: str, topic: str, must_contain: str) -> None:
    topics, reply = court_info().answer(question)
    assert topic in topics
    assert must_contain in reply


def test_saturday_question_puts_the_weekend_rule_first() -> None:
    _, reply = court_info().answer("星期六能去办事不")
    assert reply.startswith("周末")


def test_payment_where_is_not_read_as_the_court_address() -> None:
    topics, reply = court_info().answer("钱在哪交")
    assert topics == ["payment"] and "建设东路" not in reply


def test_a_specific_phone_lists_only_that_purpose() -> None:
    _, reply = court_info().answer("信访的电话多少")
    assert "0391-3921380" in reply and "0391-3921375" not in reply


def test_a_question_naming_no_topic_gets_address_hours_and_phone() -> None:
    topics, _ = court_info().answer("说说你们法院的情况")
    assert topics == ["address", "hours", "phone"]


def test_the_data_file_is_marked_as_demo_and_complete() -> None:
    text = COURT_FILE.read_text(encoding="utf-8")
    assert "DEMO DATA" in text
    assert court_info().name == "焦作市马村区人民法院"


def test_a_court_file_missing_a_section_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(COURT_FILE.read_text(encoding="utf-8"))
    del data["parking"]
    broken = tmp_path / "court.yml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="parking"):
        load_court_info(broken)


def test_another_court_edits_only_the_file(tmp_path: Path) -> None:
    data = yaml.safe_load(COURT_FILE.read_text(encoding="utf-8"))
    data["court"], data["address"] = "某某县人民法院", "某某县人民路1号"
    other = tmp_path / "court.yml"
    other.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, reply = load_court_info(other).answer("地址在哪")
    assert "某某县人民路1号" in reply and "建设东路" not in reply


@pytest.mark.parametrize(
    ("question", "number", "not_number"),
    [
        ("总机老是打不进去 管执行的有单独电话没", "0391-3921375", "0391-3921380"),
        ("信访这边有没有个座机能打", "0391-3921380", "0391-3921375"),
        ("退费的话有专门的号码吗", "0391-3921372", "0391-3921380"),
    ],
)
def test_a_phone_asked_for_a_purpose_is_a_court_question(question: str, number: str, not_number: str) -> None:
    assert is_court_question(question)
    _, reply = court_info().answer(question)
    assert number in reply and not_number not in reply


@pytest.mark.parametrize(
    ("question", "window", "other"),
    [
        ("想去交诉讼费 是在几号窗口", "5号窗口", "7号窗口"),
        ("申请执行上哪个窗口", "4号窗口", "5号窗口"),
        ("诉前调解去啥窗口登记", "6号窗口", "4号窗口"),
    ],
)
def test_a_window_question_names_the_window_for_that_business(question: str, window: str, other: str) -> None:
    assert is_court_question(question)
    topics, reply = court_info().answer(question)
    assert topics == ["windows"] and window in reply and other not in reply


def test_a_window_question_naming_no_business_lists_every_window() -> None:
    _, reply = court_info().answer("你们那都有哪些窗口")
    assert "1—3号窗口" in reply and "8号窗口" in reply


@pytest.mark.parametrize("text", ["他电话一直没人接", "俺留个电话13623456789", "开庭在几号", "法官电话不接"])
def test_a_message_mentioning_a_phone_or_a_day_is_not_a_court_question(text: str) -> None:
    assert not is_court_question(text)
