"""Rule-based entity extraction (nlu.entities)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.entities import (
    Entity,
    extract_all,
    extract_amounts,
    extract_case_numbers,
    extract_case_types,
    extract_dates,
    extract_id_numbers,
    extract_person_names,
    extract_phones,
)

TODAY = date(2024, 3, 6)  # a Wednesday


def values(entities: list[Entity]) -> list[Any]:
    return [e.value for e in entities]


def assert_offsets(text: str, entities: list[Entity]) -> None:
    for e in entities:
        assert text[e.start : e.end] == e.text


@pytest.mark.parametrize(
    ("text", "expected", "span_text"),
    [
        ("我手机号13838915678", ["13838915678"], ["13838915678"]),
        ("电话幺三八三八九一五六七八", ["13838915678"], ["幺三八三八九一五六七八"]),
        ("电话一38三8九一五六七八", ["13838915678"], ["一38三8九一五六七八"]),
        ("138-3891-5678", ["13838915678"], ["138-3891-5678"]),
        ("手机 138 3891 5678 谢谢", ["13838915678"], ["138 3891 5678"]),
        ("幺三八 三八九一 五六七八", ["13838915678"], ["幺三八 三八九一 五六七八"]),
        ("＋８６ １３８３８９１５６７８", ["13838915678"], ["＋８６ １３８３８９１５６７８"]),
        ("座机0391-1234567", ["03911234567"], ["0391-1234567"]),
        ("尾号5678", ["5678"], ["5678"]),
        ("后四位是5678", ["5678"], ["5678"]),
        ("手机后4位 五六七八", ["5678"], ["五六七八"]),
        ("尾数5678", ["5678"], ["5678"]),
        ("手机号码后四位：5678", ["5678"], ["5678"]),
        ("后四位是567", [], []),  # 后四位 needs four digits
        ("身份证后四位1234", [], []),  # an ID tail, not a phone
        ("身份证410804199001011234", [], []),
        ("（2023）豫0804民初1234号", [], []),
        ("12368热线", [], []),
        # more ways to give a tail
        ("手机尾号：5678", ["5678"], ["5678"]),
        ("电话后4位是5678", ["5678"], ["5678"]),
        ("尾号是五六七八", ["5678"], ["五六七八"]),
        ("尾号　5678", ["5678"], ["5678"]),  # ideographic space
        ("尾数幺幺二三", ["1123"], ["幺幺二三"]),
        ("后四位幺三八八", ["1388"], ["幺三八八"]),
        ("我的电话是一三八三八九一五六七八", ["13838915678"], ["一三八三八九一五六七八"]),
        # traditional characters
        ("尾號2580", ["2580"], ["2580"]),
        ("手機後四位2580", ["2580"], ["2580"]),
        ("電話號碼後四位是五六七八", ["5678"], ["五六七八"]),
        # digits separated by spaces (typed or from speech recognition)
        ("最后四位是 3 9 2 1", ["3921"], ["3 9 2 1"]),
        ("尾号 4 4 0 1", ["4401"], ["4 4 0 1"]),
        ("尾号 五 六 七 八", ["5678"], ["五 六 七 八"]),
        ("手机号码是1 3 8 3 8 9 1 5 6 7 8", ["13838915678"], ["1 3 8 3 8 9 1 5 6 7 8"]),
        ("幺 三 八 三 八 九 一 五 六 七 八", ["13838915678"], ["幺 三 八 三 八 九 一 五 六 七 八"]),
        ("138 3891 5678", ["13838915678"], ["138 3891 5678"]),
        ("１３８　３８９１　５６７８", ["13838915678"], ["１３８　３８９１　５６７８"]),
        ("电话13838915678 13838915679", ["13838915678", "13838915679"], ["13838915678", "13838915679"]),
        # … without gluing unrelated numbers together
        ("2 个人 3 天", [], []),
        ("尾号 4 4 0 1 2 个人", ["4401"], ["4 4 0 1"]),  # the 2 counts people
        ("后四位是 3 9 2 1 2 个人", ["3921"], ["3 9 2 1"]),
        ("1 3 8 3 8 9 1 5 6 7 8 9", [], []),  # twelve digits: not a mobile number
        ("3 1 3 8 3 8 9 1 5 6 7 8", [], []),
        ("我有 2 个 孩子 3 岁 和 5 岁", [], []),
        ("五 六 七 八 13838915678", ["13838915678"], ["13838915678"]),
        ("尾号 5 6", [], []),
    ],
)
def test_extract_phones(text: str, expected: list[str], span_text: list[str]) -> None:
    found = extract_phones(text)
    assert values(found) == expected
    assert [e.text for e in found] == span_text
    assert all(e.entity == "phone" for e in found)
    assert_offsets(text, found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证410804199001011234", ["410804199001011234"]),
        ("身份证号41080419900101123x", ["41080419900101123X"]),
        ("证件号 410804 19900101 123X", ["41080419900101123X"]),
        ("身份证后四位1234", ["1234"]),
        ("身份证号后六位是12345X", ["12345X"]),
        ("身份证尾号是五六七八", ["5678"]),
        ("身份证号后四位是123X", ["123X"]),
        ("身份證後四位1234", ["1234"]),
        ("身份证后四位 1 2 3 X", ["123X"]),
        ("410804199013011234", []),  # month 13: not a birth date
        ("尾号5678", []),  # a phone tail
        ("电话13838915678", []),
    ],
)
def test_extract_id_numbers(text: str, expected: list[str]) -> None:
    found = extract_id_numbers(text)
    assert values(found) == expected
    assert all(e.entity == "id_number" for e in found)
    assert_offsets(text, found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三万五千块", [35000]),
        ("5万元", [50000]),
        ("3500元", [3500]),
        ("1.5万", [15000]),
        ("两千块钱", [2000]),
        ("一百二十万", [1_200_000]),
        ("10,000元", [10000]),
        ("３５００元", [3500]),
        ("欠我三万五", [35000]),
        ("标的额50000", [50000]),
        ("借了他三千", [3000]),
        ("诉讼费是1234.5", [1234.5]),
        ("3500.50元", [3500.5]),
        ("五块钱", [5]),
        # not amounts
        ("我的电话13838915678", []),
        ("2023年", []),
        ("二零二三年", []),
        ("（2023）豫0804民初1234号", []),
        ("2024年3月5日", []),
        ("尾号5678", []),
        ("三万人", []),
        ("等一下", []),
        ("第一次", []),
        ("一块儿去", []),
    ],
)
def test_extract_amounts(text: str, expected: list[int | float]) -> None:
    found = extract_amounts(text)
    assert values(found) == expected
    assert [type(v) for v in values(found)] == [type(v) for v in expected]
    assert all(e.entity == "amount" for e in found)
    assert_offsets(text, found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年3月5日", ["2024-03-05"]),
        ("2024-03-05", ["2024-03-05"]),
        ("2024/3/5", ["2024-03-05"]),
        ("２０２４年３月５日", ["2024-03-05"]),
        ("3月5号", ["2024-03-05"]),
        ("十二月二十五号", ["2024-12-25"]),
        ("二零二四年三月五日", ["2024-03-05"]),
        ("今天", ["2024-03-06"]),
        ("明天", ["2024-03-07"]),
        ("后天", ["2024-03-08"]),
        ("大后天", ["2024-03-09"]),
        ("昨天", ["2024-03-05"]),
        ("前天", ["2024-03-04"]),
        ("大前天", ["2024-03-03"]),
        ("下周三", ["2024-03-13"]),
        ("下个星期三", ["2024-03-13"]),
        ("下下周一", ["2024-03-18"]),
        ("本周五", ["2024-03-08"]),
        ("这周五", ["2024-03-08"]),
        ("这周一", ["2024-03-04"]),  # this week's Monday, already past
        ("上周一", ["2024-02-26"]),
        ("周三", ["2024-03-06"]),  # bare weekday: next occurrence, today included
        ("星期三", ["2024-03-06"]),
        ("周二", ["2024-03-12"]),
        ("礼拜四", ["2024-03-07"]),
        ("星期天", ["2024-03-10"]),
        ("下个月5号", ["2024-04-05"]),
        ("明天和后天", ["2024-03-07", "2024-03-08"]),
        # not dates
        ("2月30日", []),
        ("以后天天打电话", []),
        ("一周三次", []),
        ("每周三", []),
        ("（2024）豫0804民初1566号", []),
    ],
)
def test_extract_dates(text: str, expected: list[str]) -> None:
    found = extract_dates(text, TODAY)
    assert values(found) == expected
    assert all(e.entity == "date" for e in found)
    assert_offsets(text, found)


def test_weekday_on_sunday_and_year_end() -> None:
    sunday = date(2024, 3, 10)
    assert values(extract_dates("周日", sunday)) == ["2024-03-10"]
    assert values(extract_dates("周一", sunday)) == ["2024-03-11"]
    assert values(extract_dates("本周一", sunday)) == ["2024-03-04"]
    assert values(extract_dates("明天", date(2024, 12, 31))) == ["2025-01-01"]
    assert values(extract_dates("下个月1号", date(2024, 12, 31))) == ["2025-01-01"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是张伟", ["张伟"]),
        ("我叫欧阳娜娜", ["欧阳娜娜"]),
        ("本人李四", ["李四"]),
        ("我姓名是王小明", ["王小明"]),
        ("姓名：王小明", ["王小明"]),
        ("名字是李娜", ["李娜"]),
        ("当事人是刘洋，手机尾号5678", ["刘洋"]),
        ("原告是赵敏", ["赵敏"]),
        ("被告是孙强", ["孙强"]),
        ("我是原告张伟", ["张伟"]),
        ("我叫张伟想问一下案子", ["张伟"]),
        ("我是张伟，电话13838915678", ["张伟"]),
        ("我是司马光", ["司马光"]),
        ("张伟", ["张伟"]),
        ("欧阳娜娜", ["欧阳娜娜"]),
        ("张伟。", ["张伟"]),
        # not names
        ("我是原告", []),
        ("我是来问", []),
        ("我是想问一下", []),
        ("本人手机13838915678", []),
        ("本人手机", []),
        ("我是张律师", []),
        ("谢谢", []),
        ("马上", []),
        ("你好", []),
        ("查询", []),
        ("欧阳", []),
        ("我是张伟伟伟伟", []),  # end of the name unclear
        ("我是江苏的", []),
        ("我是温县人", []),
        ("我是公司的", []),
        ("我是明天开庭的", []),
        ("我是周三的", []),
        ("我是那个张伟", ["张伟"]),
        ("本人姓名张三", ["张三"]),
        ("我是申请执行人王五", ["王五"]),
        # a role word without 是, and 叫
        ("原告刘桂兰", ["刘桂兰"]),
        ("案号（2023）豫0804民初1234号，被告李秀英，身份证410804199001011234", ["李秀英"]),
        ("申请人王建国", ["王建国"]),
        ("被申请人张伟的电话", ["张伟"]),
        ("申请执行人陈强", ["陈强"]),
        ("被执行人孙丽 身份证", ["孙丽"]),
        ("当事人周杰，手机尾号5678", ["周杰"]),
        ("第三人吴刚", ["吴刚"]),
        ("被告人赵六", ["赵六"]),
        ("原告刘桂兰诉被告李秀英", ["刘桂兰", "李秀英"]),
        ("被告王五欠我钱", ["王五"]),
        ("原告 欧阳娜娜", ["欧阳娜娜"]),
        ("我姓赵 叫赵德胜", ["赵德胜"]),
        ("我姓赵　叫赵德胜", ["赵德胜"]),
        ("我叫赵德胜", ["赵德胜"]),
        ("叫赵德胜", ["赵德胜"]),
        # traditional characters: the value is simplified, the span is the original
        ("原告劉桂蘭", ["刘桂兰"]),
        ("我是張偉，電話13838915678", ["张伟"]),
        ("原告於佳", ["於佳"]),  # 於 is also a simplified surname and stays as written
        # role words followed by ordinary words are not names
        ("原告是我", []),
        ("被告不还钱", []),
        ("申请人需要带什么", []),
        ("被执行人没有财产", []),
        ("原告向法院起诉", []),
        ("被告方面怎么说", []),
        ("被告常年不在家", []),
        ("被告于是跑了", []),
        ("原告申请撤诉", []),
        ("申请人应当提交材料", []),
        ("原告和被告", []),
        ("被告方律师", []),
        ("被告单位", []),
        ("被告席", []),
        ("被告明天开庭", []),
        ("申请人民法院强制执行", []),
        ("市第三人民医院", []),
        ("被告知", []),
        ("当事人何时", []),
        ("被告余额", []),
        ("叫什么名字", []),
        ("叫车", []),
        ("叫王师傅", []),
        ("被告張律師", []),
    ],
)
def test_extract_person_names(text: str, expected: list[str]) -> None:
    found = extract_person_names(text)
    assert values(found) == expected
    assert all(e.entity == "person_name" for e in found)
    assert_offsets(text, found)


def test_bare_names_can_be_disabled() -> None:
    assert extract_person_names("张伟", allow_bare=False) == []
    assert values(extract_person_names("我是张伟", allow_bare=False)) == ["张伟"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我想问民事案件", ["民事"]),
        ("刑事附带民事", ["刑事", "民事"]),
        ("行政诉讼怎么立案", ["行政"]),
        ("申请强制执行", ["执行"]),
        ("申請強制執行", ["执行"]),
        ("民间借贷纠纷", []),
        ("（2023）豫0804民初1234号", []),
    ],
)
def test_extract_case_types(text: str, expected: list[str]) -> None:
    found = extract_case_types(text)
    assert values(found) == expected
    assert_offsets(text, found)


def test_extract_case_numbers() -> None:
    text = "查一下二零二三年豫零八零四民初一二三四号"
    found = extract_case_numbers(text)
    assert [(e.entity, e.value, e.text) for e in found] == [
        ("case_number", "（2023）豫0804民初1234号", "二零二三年豫零八零四民初一二三四号")
    ]
    assert_offsets(text, found)


def test_extract_all_resolves_overlaps_and_sorts() -> None:
    text = "我想查（2023）豫0804民初1234号的进度，我叫张伟，电话13838915678，标的三万五千元，下周三开庭吗"
    found = extract_all(text, TODAY)
    assert [(e.entity, e.value) for e in found] == [
        ("case_number", "（2023）豫0804民初1234号"),
        ("person_name", "张伟"),
        ("phone", "13838915678"),
        ("amount", 35000),
        ("date", "2024-03-13"),
    ]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("案号（2024）豫0804民初1566号", [("case_number", "（2024）豫0804民初1566号")]),
        ("电话13838915678元", [("phone", "13838915678")]),  # phones win over amounts
        ("2024年3月5日交了5000元", [("date", "2024-03-05"), ("amount", 5000)]),
        ("身份证410804199001011234", [("id_number", "410804199001011234")]),
        ("我是张伟身份证后四位1234", [("person_name", "张伟"), ("id_number", "1234")]),
        ("案號（2023）豫0804執1234號", [("case_number", "（2023）豫0804执1234号")]),
        ("尾號2580", [("phone", "2580")]),
        ("手機後四位2580", [("phone", "2580")]),
        ("下週三開庭，標的三萬五千元", [("date", "2024-03-13"), ("amount", 35000)]),
        (
            "案号（2023）豫0804民初1234号，被告李秀英，身份证410804199001011234",
            [
                ("case_number", "（2023）豫0804民初1234号"),
                ("person_name", "李秀英"),
                ("id_number", "410804199001011234"),
            ],
        ),
        ("我姓赵 叫赵德胜 尾号 4 4 0 1", [("person_name", "赵德胜"), ("phone", "4401")]),
        ("2 个人 3 天", []),
    ],
)
def test_extract_all_examples(text: str, expected: list[tuple[str, Any]]) -> None:
    assert [(e.entity, e.value) for e in extract_all(text, TODAY)] == expected


_EXTRACTORS: list[Callable[[str], list[Entity]]] = [
    extract_phones,
    extract_id_numbers,
    extract_amounts,
    lambda t: extract_dates(t, TODAY),
    extract_person_names,
    extract_case_types,
    extract_case_numbers,
]

_CHATTY = st.text(
    alphabet=st.sampled_from(
        list(
            "我是叫张伟欧阳身份证手机尾号后四位元块万千百十一二三四五六七八九零两幺0123456789年月日号周下本天（）() -,，。"
            "號後執劉萬兩參原被告申请人　 "
        )
    )
    | st.characters(),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_CHATTY)
def test_extractors_never_crash_and_offsets_slice_back(text: str) -> None:
    for extractor in _EXTRACTORS:
        assert_offsets(text, extractor(text))
    found = extract_all(text, TODAY)
    assert_offsets(text, found)
    assert [e.start for e in found] == sorted(e.start for e in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
