"""Masking personal numbers in free text: every form the NLU reads as a phone or ID number."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.masking import mask_text
from nlu.numerals import digits_from_spoken, to_halfwidth

SPOKEN = {"0": "零〇洞", "1": "一幺壹", "2": "二两贰", "3": "三叁", "4": "四肆", "5": "五伍", "6": "六陆",
          "7": "七柒", "8": "八捌", "9": "九玖"}
FULLWIDTH = {str(i): chr(0xFF10 + i) for i in range(10)}


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("手机１３８３８９１５６７８", "手机138****5678"),
        ("电话 138 3891 5678 谢谢", "电话 138****5678 谢谢"),
        ("138-3891-5678", "138****5678"),
        ("+86 13838915678", "138****5678"),
        ("我的号码一三八三八九一五六七八", "我的号码138****5678"),
        ("幺三八 三八九幺 五六七八", "138****5678"),
        ("壹叁捌叁捌玖壹伍陆柒捌", "138****5678"),
        ("身份证４１０８０２１９９００３０７１２３Ｘ", "身份证41**************3X"),
        ("410802 19900307 1234", "41**************34"),
        ("四一零八零二一九九零零三零七一二三四", "41**************34"),
        ("身份证410802199013071234", "身份证**************1234"),  # impossible birth date: still masked
        ("家里电话0391-3925555", "家里电话*******5555"),
        ("卡号6222020200112233445", "卡号***************3445"),
        ("1383891567812", "*********7812"),  # glued to more digits
    ],
)
def test_tricky_forms_are_masked(raw: str, masked: str) -> None:
    assert mask_text(raw) == masked


@pytest.mark.parametrize(
    "kept",
    [
        "手机尾号是五六七八，我叫张三",
        "工单号：12368-20261202-0001",
        "（2024）豫0804民初1566号",
        "标的额200000元，2024年12月3日上午9点开庭",
        "请拨打本院电话0391-3921368或12368热线",  # the court's own published number
    ],
)
def test_what_is_not_personal_is_kept(kept: str) -> None:
    assert mask_text(kept) == kept


def _render(digits: str, draw: st.DrawFn) -> str:
    """One way a person or a speech engine writes these digits."""
    style = draw(st.sampled_from(["ascii", "fullwidth", "spoken", "mixed"]))
    chars = []
    for d in digits:
        kind = style if style != "mixed" else draw(st.sampled_from(["ascii", "fullwidth", "spoken"]))
        chars.append(d if kind == "ascii" else FULLWIDTH[d] if kind == "fullwidth" else draw(st.sampled_from(SPOKEN[d])))
    sep = draw(st.sampled_from(["", " ", "-", "groups"]))
    if sep == "groups":  # 138 3891 5678 / 410802 19900307 1234
        cuts = (3, 7) if len(digits) == 11 else (6, 14)
        return " ".join(["".join(chars[: cuts[0]]), "".join(chars[cuts[0]: cuts[1]]), "".join(chars[cuts[1]:])])
    return sep.join(chars)


CONTEXT = st.sampled_from(["", " ", "我的电话是", "手机：", "，", "请回电", "身份证号", "张伟", "谢谢", "。", "号码是 "])


@st.composite
def message_with_mobile(draw: st.DrawFn) -> tuple[str, str]:
    mobile = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    prefix = draw(st.sampled_from(["", "+86 ", "86"])) if draw(st.booleans()) else ""
    return draw(CONTEXT) + prefix + _render(mobile, draw) + draw(CONTEXT), mobile


@st.composite
def message_with_id(draw: st.DrawFn) -> tuple[str, str]:
    birth = draw(st.dates(min_value=__import__("datetime").date(1930, 1, 1),
                          max_value=__import__("datetime").date(2020, 12, 31)))
    number = (draw(st.sampled_from(["410802", "110101", "440305"])) + f"{birth:%Y%m%d}"
              + draw(st.text("0123456789", min_size=3, max_size=3)) + draw(st.sampled_from("0123456789")))
    return draw(CONTEXT) + _render(number, draw) + draw(CONTEXT), number


def _digits_left(text: str) -> str:
    return re.sub(r"[^0-9]", "", digits_from_spoken(to_halfwidth(text)))


@settings(max_examples=400, deadline=None)
@given(message_with_mobile())
def test_no_eleven_digit_mobile_survives(case: tuple[str, str]) -> None:
    text, mobile = case
    masked = mask_text(text)
    assert mobile not in _digits_left(masked), (text, masked)
    assert mobile[-4:] in _digits_left(masked)  # the visible part staff use to match a caller


@settings(max_examples=300, deadline=None)
@given(message_with_id())
def test_no_id_number_survives(case: tuple[str, str]) -> None:
    text, number = case
    masked = mask_text(text)
    assert number[6:14] not in _digits_left(masked), (text, masked)  # the birth date is gone
    assert number not in _digits_left(masked)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_masking_never_fails_and_only_shortens_digits(text: str) -> None:
    masked = mask_text(text)
    assert len(_digits_left(masked)) <= len(_digits_left(text))
