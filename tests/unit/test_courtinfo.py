"""Court information comes from courtinfo/court.yml, and each question gets the part it asks about."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from courtinfo.service import COURT_FILE, court_info, load_court_info


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
