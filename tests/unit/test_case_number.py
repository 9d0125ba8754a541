"""Case numbers (案号) per 最高人民法院《关于人民法院案件案号的若干规定》(2015).

第三条: "（" + 收案年度 + "）" + 法院代字 + 类型代字 + 案件编号 + "号"; 第二条: year and sequence in Arabic
numerals. People type or say them in many variants, which must all come out canonical.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.case_number import (
    CASE_TYPE_CODES,
    PROVINCE_ABBREVIATIONS,
    CaseNumber,
    CaseNumberError,
    CaseNumberParts,
    find_case_numbers,
    gather_case_number,
    parse_case_number,
    read_case_number,
    validate_case_number,
)

from .test_numerals import positional

# Codes the court reference lists, plus second-instance and retrial codes.
REQUIRED_CODES = [
    "民初",
    "民特",
    "民诉前调",
    "民诉前保",
    "民催",
    "民督",
    "执",
    "执恢",
    "执异",
    "执保",
    "行初",
    "行审",
    "刑初",
    "司救",
    "法赔",
    "民终",
    "刑终",
    "行终",
    "执复",
    "执监",
    "民申",
    "刑申",
    "行申",
]
REQUIRED_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵"

# Several spoken readings per digit, as speech recognisers write them.
SPOKEN_DIGITS = {
    "0": "零〇洞", "1": "一幺壹", "2": "二两贰", "3": "三叁", "4": "四肆",
    "5": "五伍", "6": "六陆", "7": "七柒", "8": "八捌", "9": "九玖",
}  # fmt: skip
BRACKETS = [
    ("（", "）"),
    ("(", ")"),
    ("〔", "〕"),
    ("[", "]"),
    ("【", "】"),
    ("［", "］"),
    ("", ""),
    ("", "年"),
]
# Surrounding chat text: no digits, numerals, brackets, 号/年/点, so it cannot extend the case number.
FILLER = "我想查询下的进度请问案子怎么样了谢您好法院开庭时间在哪里关于这个帮忙看，。？！ abc"


def test_required_codes_and_provinces_are_known() -> None:
    assert set(REQUIRED_CODES) <= set(CASE_TYPE_CODES)
    assert set(REQUIRED_PROVINCES) <= set(PROVINCE_ABBREVIATIONS)


@dataclass(frozen=True)
class Parts:
    year: int
    province: str
    court_digits: str
    type_code: str
    seq: int

    @property
    def canonical(self) -> str:
        return f"（{self.year}）{self.province}{self.court_digits}{self.type_code}{self.seq}号"


parts_strategy = st.builds(
    Parts,
    year=st.integers(1990, 2100),
    province=st.sampled_from(sorted(set(PROVINCE_ABBREVIATIONS) - {"蒙"})),  # 蒙 is rewritten to 内
    court_digits=st.text(alphabet="0123456789", max_size=4),
    type_code=st.sampled_from(sorted(CASE_TYPE_CODES)),
    seq=st.integers(1, 99_999_999),
)


@st.composite
def digit_string(draw: st.DrawFn, digits: str, allow_positional: bool) -> str:
    """Render ASCII digits as ASCII, full-width, spoken digit by digit, or (numbers only) positional."""
    styles = ["ascii", "fullwidth", "spoken"] + (["positional"] if allow_positional else [])
    style = draw(st.sampled_from(styles))
    if style == "ascii":
        return digits
    if style == "fullwidth":
        return "".join(chr(0xFF10 + int(d)) for d in digits)
    if style == "spoken":
        return "".join(draw(st.sampled_from(SPOKEN_DIGITS[d])) for d in digits)
    return positional(int(digits))


@st.composite
def spaced(draw: st.DrawFn, text: str, allowed: bool) -> str:
    """Insert ASCII or ideographic spaces at random positions of `text` when allowed."""
    if not allowed or not text:
        return text
    positions = draw(st.sets(st.integers(0, len(text)), max_size=3))
    out = []
    for i, ch in enumerate(text):
        if i in positions:
            out.append(draw(st.sampled_from([" ", "　", "  "])))
        out.append(ch)
    if len(text) in positions:
        out.append(" ")
    return "".join(out)


@st.composite
def rendered_case_number(draw: st.DrawFn, for_find: bool = False) -> tuple[Parts, str]:
    parts = draw(parts_strategy)
    open_bracket, close_bracket = draw(st.sampled_from(BRACKETS))
    with_hao = draw(st.booleans())
    use_spaces = draw(st.booleans())
    pieces = [
        open_bracket,
        draw(digit_string(str(parts.year), allow_positional=True)),
        close_bracket,
        parts.province,
        draw(digit_string(parts.court_digits, allow_positional=False)) if parts.court_digits else "",
        parts.type_code,
        draw(digit_string(str(parts.seq), allow_positional=True)),
        "号" if with_hao else "",
    ]
    # Without 号 nothing marks where the sequence ends, so find cannot allow spaces inside it.
    no_space_index = 6 if for_find and not with_hao else -1
    text = "".join(draw(spaced(piece, use_spaces and i != no_space_index)) for i, piece in enumerate(pieces))
    return parts, text


@settings(max_examples=500, deadline=None)
@given(rendered_case_number())
def test_parse_accepts_every_variant(case: tuple[Parts, str]) -> None:
    parts, text = case
    value = parse_case_number(text)
    assert value.canonical == parts.canonical
    assert (value.year, value.type_code, value.seq) == (parts.year, parts.type_code, parts.seq)
    assert value.court_code == parts.province + parts.court_digits


@settings(max_examples=500, deadline=None)
@given(
    rendered_case_number(for_find=True),
    st.text(alphabet=FILLER, max_size=12),
    st.text(alphabet=FILLER, max_size=12),
)
def test_find_locates_the_case_number_in_chat(case: tuple[Parts, str], before: str, after: str) -> None:
    parts, rendered = case
    # A trailing space in `before` or a leading one in `after` is fine, but Latin letters glued to a
    # bare year or sequence are not part of our variants.
    text = before + rendered + after
    found = find_case_numbers(text)
    assert [value.canonical for _, _, value in found] == [parts.canonical]
    start, end, _ = found[0]
    assert text[start:end] == rendered.strip(" 　")
    assert parse_case_number(text[start:end]).canonical == parts.canonical


@settings(max_examples=200, deadline=None)
@given(st.lists(parts_strategy, min_size=2, max_size=3))
def test_find_returns_all_in_order(many: list[Parts]) -> None:
    text = "，还有".join(p.canonical for p in many)
    found = find_case_numbers(text)
    assert [value.canonical for _, _, value in found] == [p.canonical for p in many]
    assert [s for s, _, _ in found] == sorted(s for s, _, _ in found)


@settings(max_examples=1000, deadline=None)
@given(st.text())
def test_parse_only_raises_case_number_error(text: str) -> None:
    try:
        value = parse_case_number(text)
    except CaseNumberError as exc:
        assert exc.reason
        return
    assert parse_case_number(value.canonical) == value


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("（）()年号豫0804民初执恢一二三四十百千万 零两诉前调第"))
        | st.characters()
    )
)
def test_parse_and_find_never_crash_on_near_misses(text: str) -> None:
    value, reason = validate_case_number(text)
    assert (value is None) != (reason is None)
    for start, end, found in find_case_numbers(text):
        assert 0 <= start < end <= len(text)
        assert parse_case_number(text[start:end]) == found
    for strict in (False, True):
        reading = read_case_number(text, strict=strict, bare_year=True)
        assert all(0 <= start < end <= len(text) for start, end in reading.spans)


@given(parts_strategy)
def test_canonical_round_trip(parts: Parts) -> None:
    value = parse_case_number(parts.canonical)
    assert str(value) == value.canonical == parts.canonical
    assert CaseNumber(parts.year, parts.province + parts.court_digits, parts.type_code, parts.seq) == value


@pytest.mark.parametrize(
    ("text", "canonical", "type_name"),
    [
        ("（2024）豫0804民初1566号", "（2024）豫0804民初1566号", "民事一审"),
        ("(2023)豫0804民初1234号", "（2023）豫0804民初1234号", "民事一审"),
        ("（2025）豫0804执恢12号", "（2025）豫0804执恢12号", "恢复执行"),
        ("（2025）豫0804执12号", "（2025）豫0804执12号", "首次执行"),
        ("（2024）豫0804民诉前调88号", "（2024）豫0804民诉前调88号", "诉前调解"),
        ("二零二三年豫零八零四民初一二三四号", "（2023）豫0804民初1234号", "民事一审"),
        ("2023豫0804民初1234号", "（2023）豫0804民初1234号", "民事一审"),
        ("〔2023〕豫0804民初1234", "（2023）豫0804民初1234号", "民事一审"),
        ("（２０２３）豫０８０４民初１２３４号", "（2023）豫0804民初1234号", "民事一审"),
        ("(二〇二三)豫0804民初一千二百三十四号", "（2023）豫0804民初1234号", "民事一审"),
        ("两千零二十三年豫0804民初第十五号", "（2023）豫0804民初15号", "民事一审"),
        (" ( 2023 ) 豫 08 04 民 初 12 34 ", "（2023）豫0804民初1234号", "民事一审"),
        ("(2019)最高法民申1号", "（2019）最高法民申1号", "民事申请再审审查"),
        ("(2019)豫民终12号", "（2019）豫民终12号", "民事二审"),
        ("(2020)蒙01民初5号", "（2020）内01民初5号", "民事一审"),  # 内蒙古's official code is 内
        ("(2024)豫08行初3号", "（2024）豫08行初3号", "行政一审"),
        # traditional characters
        ("（2023）豫0804執1234號", "（2023）豫0804执1234号", "首次执行"),
        ("（2024）豫0804民訴前調88號", "（2024）豫0804民诉前调88号", "诉前调解"),
        ("(2019)最高法民終12號", "（2019）最高法民终12号", "民事二审"),
        ("（2023）遼01刑終5號", "（2023）辽01刑终5号", "刑事二审"),
        ("（2025）豫0804執恢十二號", "（2025）豫0804执恢12号", "恢复执行"),
        ("兩千零二十三年豫0804民初第十五號", "（2023）豫0804民初15号", "民事一审"),
    ],
)
def test_parse_examples(text: str, canonical: str, type_name: str) -> None:
    value = parse_case_number(text)
    assert value.canonical == canonical
    assert value.case_type_name == type_name


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "案号为空"),
        ("豫0804民初1234号", "缺少年份"),
        ("(1850)豫0804民初1号", "年份不合法：1850"),
        ("(2101)豫0804民初1号", "年份不合法：2101"),
        ("(23)豫0804民初1号", "年份不合法：23"),
        ("(2023)X0804民初1号", "无法识别法院代字"),
        ("(2023)豫08041民初1号", "法院代字不合法：豫08041"),
        ("(2023)豫0804民X12号", "无法识别案件类型代字：民X"),
        ("(2023)豫0804", "缺少案件类型代字"),
        ("(2023)豫0804民初号", "缺少案件序号"),
        ("(2023)豫0804民初", "缺少案件序号"),
        ("(2023)豫0804民初0号", "案件序号不合法：0"),
        ("案号是（2023）豫0804民初1234号", "案号格式无法识别"),
        ("（2023）豫0804民初1234号的进度", "案号格式无法识别"),
        ("你好", "案号格式无法识别"),
    ],
)
def test_parse_reasons(text: str, reason: str) -> None:
    with pytest.raises(CaseNumberError) as info:
        parse_case_number(text)
    assert info.value.reason == reason
    assert validate_case_number(text) == (None, reason)


def test_case_number_error_is_value_error() -> None:
    with pytest.raises(ValueError, match="缺少年份"):
        parse_case_number("豫0804民初1号")


def test_constructor_validates() -> None:
    with pytest.raises(CaseNumberError):
        CaseNumber(2023, "豫0804", "民X", 1)
    with pytest.raises(CaseNumberError):
        CaseNumber(2023, "豫0804", "民初", 0)
    with pytest.raises(CaseNumberError):
        CaseNumber(1989, "豫0804", "民初", 1)


def test_longest_type_code_wins() -> None:
    assert parse_case_number("(2025)豫0804执恢12号").type_code == "执恢"
    assert parse_case_number("(2024)豫0804民诉前保7号").type_code == "民诉前保"
    assert parse_case_number("(2024)豫0804行审复7号").type_code == "行审复"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我想查（2023）豫0804民初1234号的进度", [("（2023）豫0804民初1234号", "（2023）豫0804民初1234号")]),
        (
            "二零二三年豫零八零四民初一二三四号",
            [("二零二三年豫零八零四民初一二三四号", "（2023）豫0804民初1234号")],
        ),
        ("案号2023 豫0804 民初 1234", [("2023 豫0804 民初 1234", "（2023）豫0804民初1234号")]),
        (
            "两个案子(2023)豫0804民初1号和2024豫0804执恢12号",
            [
                ("(2023)豫0804民初1号", "（2023）豫0804民初1号"),
                ("2024豫0804执恢12号", "（2024）豫0804执恢12号"),
            ],
        ),
        ("我的案号是（2025）豫0804执恢12号，谢谢", [("（2025）豫0804执恢12号", "（2025）豫0804执恢12号")]),
        (
            "案號（2023）豫0804執1234號，謝謝",
            [("（2023）豫0804執1234號", "（2023）豫0804执1234号")],  # offsets index the traditional text
        ),
        ("「2023」豫0804民初1号", [("「2023」豫0804民初1号", "（2023）豫0804民初1号")]),
        ("电话1232023豫0804民初1", []),  # the year must not be glued to other digits
        ("(1850)豫0804民初1号", []),
        ("我想问一下民初案件", []),
    ],
)
def test_find_examples(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[s:e], value.canonical) for s, e, value in find_case_numbers(text)] == expected


def test_find_skips_implausible_candidates() -> None:
    assert find_case_numbers("12023豫0804民初1号") == []  # five-digit "year"
    assert find_case_numbers("(2023)豫0804民初1234567890号") == []  # sequence longer than 9 digits
    assert find_case_numbers("(2023)豫0804民初0号") == []


# --- Loose numbers and parts (issue 7): the court code and 号 missing, parts apart, one part corrected ---
COURT = "豫0804"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("就是2025年的 那个民初2001", "（2025）豫0804民初2001号"),
        ("25年民初第2001号", "（2025）豫0804民初2001号"),
        ("民初2001 2025年的", "（2025）豫0804民初2001号"),
        ("民初2001号 二五年立的", "（2025）豫0804民初2001号"),
        ("2024民初1566号", "（2024）豫0804民初1566号"),
        ("【2026】执异31号那个", "（2026）豫0804执异31号"),
        ("(2025)刑初12", "（2025）豫0804刑初12号"),
        ("二零二五年 民诉前调 十二号", "（2025）豫0804民诉前调12号"),
        ("行初3号 是2026年的", "（2026）豫0804行初3号"),
        ("2025年執1001號", "（2025）豫0804执1001号"),
        ("2023年豫08民终5号", "（2023）豫08民终5号"),  # a court code said is kept
        ("不是民初1565号 是民初1566号 2024年的", "（2024）豫0804民初1566号"),  # the later mention corrects
    ],
)
def test_a_loose_number_is_complete_with_the_courts_code(text: str, canonical: str) -> None:
    number = read_case_number(text).parts.complete(COURT)
    assert number is not None and number.canonical == canonical


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("应该是民初1566号", CaseNumberParts(type_code="民初", seq=1566)),
        ("序号是1566", CaseNumberParts(seq=1566)),
        ("编号应该是第2001号", CaseNumberParts(seq=2001)),
        ("年份是2024年的", CaseNumberParts(year=2024)),
        ("类型是执异", CaseNumberParts(type_code="执异")),
        ("豫0804民初1566号", CaseNumberParts(court_code="豫0804", type_code="民初", seq=1566)),
        # not a case-number part: dates, spans of years, words, a ticket number
        ("2025年12月15号开庭", CaseNumberParts()),
        ("打了10年官司了", CaseNumberParts()),
        ("我想问一下民初案件", CaseNumberParts()),
        ("被告刘洋", CaseNumberParts()),
        ("工单编号12368-20261203-0001", CaseNumberParts()),
        ("执行了三个月", CaseNumberParts()),
        ("2222", CaseNumberParts()),
    ],
)
def test_parts_of_a_number(text: str, parts: CaseNumberParts) -> None:
    reading = read_case_number(text)
    assert reading.parts == parts
    assert bool(reading.spans) == bool(parts)
    assert reading.parts.complete(COURT) is None


def test_spans_index_the_text_as_written() -> None:
    text = "俺那个 二五年的 民初两千零一号 谢谢"
    assert [text[s:e] for s, e in read_case_number(text).spans] == ["二五年", "民初两千零一号"]


def test_missing_parts_are_named() -> None:
    assert read_case_number("民初2001").parts.missing == ("year",)
    assert read_case_number("2025年的").parts.missing == ("type_code", "seq")
    assert CaseNumberParts().missing == ("year", "type_code", "seq")


def test_a_part_said_later_replaces_only_itself() -> None:
    whole = CaseNumberParts.of(parse_case_number("（2024）豫0804民初1565号"))
    corrected = read_case_number("输快了 其实是民初1566号").parts.over(whole)
    assert corrected.complete("京01") == parse_case_number("（2024）豫0804民初1566号")  # the court said stays
    assert read_case_number("年份是2025").parts.over(whole).year == 2025


def test_strict_reading_takes_only_what_cannot_be_an_identity() -> None:
    assert read_case_number("陈静 2020年就起诉了", strict=True).parts == CaseNumberParts()
    assert read_case_number("是2025年的民初2001号", strict=True).parts.complete(COURT) is not None
    assert read_case_number("序号是1566", strict=True).parts == CaseNumberParts(seq=1566)


@pytest.mark.parametrize(("text", "year"), [("2025", 2025), ("是2025吧", 2025), ("25年的", 2025), ("尾号2024", None),
                                            ("2222", None), ("5678", None), ("刘洋 13700002025", None)])
def test_a_bare_year_only_answers_the_year_question(text: str, year: int | None) -> None:
    assert read_case_number(text, bare_year=True).parts.year == year
    assert read_case_number(text).parts.year == (2025 if text == "25年的" else None)  # 年 marks a year anyway


def test_parts_gathered_over_messages() -> None:
    assert gather_case_number(["民初2001号那个", "2025"]).complete(COURT) == parse_case_number("（2025）豫0804民初2001号")
    assert gather_case_number(["2025", "民初2001号"]).year is None  # "2025" first was nothing asked for
    first = "俺的案号2024豫0804民初1565号 帮忙查查"
    assert gather_case_number([first, "序号是1566"]).complete("京01") == parse_case_number("（2024）豫0804民初1566号")


@settings(max_examples=300, deadline=None)
@given(rendered_case_number(for_find=True), st.text(alphabet=FILLER, max_size=12), st.text(alphabet=FILLER, max_size=12))
def test_a_whole_number_reads_as_itself(case: tuple[Parts, str], before: str, after: str) -> None:
    parts, rendered = case
    assert read_case_number(before + rendered + after).parts.complete("京01").canonical == parts.canonical
