"""Spoken/written number normalisation (nlu.numerals)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.numerals import (
    DIGIT_CHARS,
    UNIT_CHARS,
    chinese_to_int,
    chinese_to_number,
    digits_from_spoken,
    normalize_numbers,
    normalize_numbers_mapped,
    to_halfwidth,
)

_CN_DIGITS = "零一二三四五六七八九"


def positional(n: int) -> str:
    """Reference renderer of 0 <= n < 10**8 as a positional Chinese numeral (十五, 一千零五, 一万零五十)."""

    def below_10k(value: int, leading: bool) -> str:
        parts: list[str] = []
        zero = False
        for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = value // unit_value % 10
            if digit == 0:
                zero = zero or bool(parts)
                continue
            if zero:
                parts.append("零")
                zero = False
            if unit_value == 10 and digit == 1 and not parts and leading:
                parts.append("十")
            else:
                parts.append(_CN_DIGITS[digit] + unit)
        return "".join(parts)

    if n == 0:
        return "零"
    if n < 10_000:
        return below_10k(n, True)
    high, low = divmod(n, 10_000)
    text = below_10k(high, True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10k(low, False)
    return text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（２０２３）", "(2023)"),
        ("豫０８０４民初１２３４号", "豫0804民初1234号"),
        ("ＡＢｃ：，", "ABc:,"),
        ("中文　空格", "中文 空格"),
        ("（2024）豫0804民初1566号", "(2024)豫0804民初1566号"),
        ("二零二三", "二零二三"),  # Chinese stays Chinese
    ],
)
def test_to_halfwidth(text: str, expected: str) -> None:
    assert to_halfwidth(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二零二三", "2023"),
        ("幺三八三八九一五六七八", "13838915678"),
        ("一38三8九一五六七八", "13838915678"),
        ("〇洞零", "000"),
        ("壹贰叁肆伍陆柒捌玖零", "1234567890"),
        ("两两", "22"),
        ("１２３", "123"),
        ("尾号五六七八", "尾号5678"),  # other characters are kept
    ],
)
def test_digits_from_spoken(text: str, expected: str) -> None:
    assert digits_from_spoken(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一千二百三十四", 1234),
        ("两千零二十三", 2023),
        ("十五", 15),
        ("十", 10),
        ("二十", 20),
        ("一百一十五", 115),
        ("三万五千", 35000),
        ("三万五", 35000),  # colloquial: the digit after a unit is one unit lower
        ("一千二", 1200),
        ("两百五", 250),
        ("一千零二", 1002),
        ("一万零五十", 10050),
        ("一百二十万", 1_200_000),
        ("一亿三千万", 130_000_000),
        ("1.5万", 15000),
        ("1.1万", 11000),
        ("一点五万", 15000),
        ("3千", 3000),
        ("3千5", 3500),
        ("一二三四", 1234),
        ("二零二三", 2023),
        ("2023", 2023),
        ("零", 0),
        ("壹仟贰佰", 1200),
        (" 一千 二百 ", 1200),
        ("", None),
        ("abc", None),
        ("百", None),
        ("万一", None),
        ("千万", None),
        ("七八千", None),  # an estimate, not a number
        ("二十二十", None),
        ("三十百", None),
        ("1.5", None),  # not whole
        ("一点五", None),
        ("一下", None),
    ],
)
def test_chinese_to_int(text: str, expected: int | None) -> None:
    assert chinese_to_int(text) == expected


def test_chinese_to_number_keeps_fractions() -> None:
    assert chinese_to_number("3.5") == 3.5
    assert chinese_to_number("1.25万") == 12500
    assert chinese_to_number("一点二三四五六万") == 12345.6


@given(st.integers(min_value=0, max_value=10**8 - 1))
def test_positional_round_trip(n: int) -> None:
    assert chinese_to_int(positional(n)) == n


@given(st.integers(min_value=0, max_value=10**12))
def test_digit_by_digit_round_trip(n: int) -> None:
    assert chinese_to_int("".join(_CN_DIGITS[int(d)] for d in str(n))) == n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我手机尾号五六七八", "我手机尾号5678"),
        ("二零二三年", "2023年"),
        ("两千零二十三年", "2023年"),
        ("三万五千块", "35000块"),
        ("两千块钱", "2000块钱"),
        ("一百二十万", "1200000"),
        ("1.5万", "15000"),
        ("5万元", "50000元"),
        ("五块钱", "5块钱"),
        ("三月五号", "3月5号"),
        ("十二月二十五日", "12月25日"),
        ("后四位是五六七八", "后4位是5678"),
        ("幺三八三八九一五六七八", "13838915678"),
        ("三点五十分", "3点50分"),  # a time, not 3.5 × 10
        ("二零年", "20年"),  # a two-digit pair converts when a trigger follows
        ("尾数幺幺二三", "尾数1123"),  # 尾数 is not the vague 数 of 数十万
        ("后四位幺三八八", "后4位1388"),
        ("幺幺", "11"),  # 幺 is always a digit: never a double like 一一
        ("幺二", "12"),  # … nor an estimate like 一二
        ("数十万", "数十万"),
        # words that must stay
        ("等一下", "等一下"),
        ("一审判决", "一审判决"),
        ("一直没消息", "一直没消息"),
        ("有一些问题", "有一些问题"),
        ("万一不行", "万一不行"),
        ("统一处理", "统一处理"),
        ("第一次", "第一次"),
        ("千万别忘", "千万别忘"),
        ("五六个人", "五六个人"),
        ("一两天", "一两天"),
        ("一一解答", "一一解答"),
        ("七八千块", "七八千块"),
        ("十几个", "十几个"),
        ("几十万", "几十万"),
        ("一块儿去", "一块儿去"),
        ("有一点问题", "有一点问题"),
        ("十分感谢", "十分感谢"),
        ("2024.03.05", "2024.03.05"),
    ],
)
def test_normalize_numbers(text: str, expected: str) -> None:
    assert normalize_numbers(text) == expected


def test_mapped_offsets_digit_by_digit_are_exact() -> None:
    mapped = normalize_numbers_mapped("尾号五六七八")
    assert mapped.text == "尾号5678"
    assert [mapped.span(i, i + 1) for i in range(2, 6)] == [(2, 3), (3, 4), (4, 5), (5, 6)]


def test_mapped_offsets_positional_cover_the_run() -> None:
    mapped = normalize_numbers_mapped("共三万五千块")
    assert mapped.text == "共35000块"
    assert mapped.span(1, 6) == (1, 5)
    assert mapped.span(6, 7) == (5, 6)


def test_aggressive_mode_joins_spaced_numerals() -> None:
    mapped = normalize_numbers_mapped("二 零 二 三年，第一", aggressive=True)
    assert mapped.text == "2023年，第1"
    assert mapped.span(0, 4) == (0, 7)
    assert normalize_numbers_mapped("第一", aggressive=True).text == "第1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("案號二零二三", "案号2023"),
        ("兩千塊", "2000块"),
        ("參萬元", "30000元"),  # 參 (financial 3) stays a numeral although T2S folds it to 参
        ("後四位五六七八", "后4位5678"),
        ("下週三", "下周三"),
    ],
)
def test_simplify_option(text: str, expected: str) -> None:
    mapped = normalize_numbers_mapped(text, simplify=True)
    assert mapped.text == expected
    assert mapped.original == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("尾号 五 六 七 八", "尾号 5 6 7 8"),
        ("幺 三 八 三 八 九 一 五 六 七 八", "1 3 8 3 8 9 1 5 6 7 8"),
        ("3 九 2 1", "3 9 2 1"),
        ("五 六 个月", "五 六 个月"),  # two spaced digits are an estimate
        ("三 五 七千", "三 五 7000"),  # a positional number is not one of the spaced digits
        ("幺三八 三八九一 五六七八", "138 3891 5678"),
        ("等一下 一 起", "等一下 一 起"),
    ],
)
def test_spaced_digits_option(text: str, expected: str) -> None:
    mapped = normalize_numbers_mapped(text, spaced_digits=True)
    assert mapped.text == expected


def test_spaced_digits_need_the_option() -> None:
    assert normalize_numbers("尾号 五 六 七 八") == "尾号 五 六 七 八"
    mapped = normalize_numbers_mapped("尾号 五 六 七 八", spaced_digits=True)
    assert [mapped.span(i, i + 1) for i in range(3, 10, 2)] == [(3, 4), (5, 6), (7, 8), (9, 10)]


def test_halfwidth_option() -> None:
    assert normalize_numbers_mapped("（二零二三）", halfwidth=True).text == "(2023)"
    assert normalize_numbers_mapped("（二零二三）").text == "（2023）"


_NUMERAL_FREE = st.text(
    alphabet=st.characters(
        blacklist_characters="".join(DIGIT_CHARS) + "".join(UNIT_CHARS) + "0123456789０１２３４５６７８９"
    )
)


@settings(max_examples=200)
@given(_NUMERAL_FREE)
def test_text_without_numerals_is_unchanged(text: str) -> None:
    assert normalize_numbers(text) == text


@settings(max_examples=300)
@given(
    st.text(
        alphabet=st.sampled_from(list("一二三十百千万亿两零幺点.0123 号年月块个的几數萬兩參號"))
        | st.characters()
    )
)
def test_mapping_is_monotonic_and_in_bounds(text: str) -> None:
    for aggressive, spaced in ((False, False), (False, True), (True, False)):
        mapped = normalize_numbers_mapped(
            text, aggressive=aggressive, halfwidth=True, simplify=True, spaced_digits=spaced
        )
        assert len(mapped.starts) == len(mapped.ends) == len(mapped.text)
        assert all(0 <= s < e <= len(text) for s, e in zip(mapped.starts, mapped.ends, strict=True))
        assert list(mapped.starts) == sorted(mapped.starts)
