"""Traditional → simplified folding (nlu.t2s)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.t2s import T2S, to_simplified


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("案號", "案号"),
        ("執", "执"),
        ("訴訟", "诉讼"),
        ("調解", "调解"),
        ("審理", "审理"),
        ("開庭", "开庭"),
        ("書記員", "书记员"),
        ("電話", "电话"),
        ("尾號", "尾号"),
        ("後四位", "后四位"),
        ("身份證", "身份证"),
        ("劉桂蘭", "刘桂兰"),
        ("（2023）豫0804執1234號", "（2023）豫0804执1234号"),
        ("下週三開庭嗎？", "下周三开庭吗？"),
        # already simplified, ASCII or punctuation: unchanged
        ("案号执行诉讼调解", "案号执行诉讼调解"),
        ("abc 123 ，。！", "abc 123 ，。！"),
        ("「2023」", "「2023」"),  # corner brackets stay: they are case-number brackets, not quotes
    ],
)
def test_to_simplified(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified


def test_table_is_single_characters() -> None:
    assert len(T2S) > 3000
    assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in T2S.items())
    assert not set(T2S.values()) & set(T2S)  # no chains, so folding twice changes nothing


_MIXED = st.text(
    alphabet=st.sampled_from(list("案號执執訴訟调解調解後后乾於參兩萬 0123（）「」,，")) | st.characters(),
    max_size=80,
)


@settings(max_examples=300)
@given(_MIXED)
def test_length_is_preserved_and_folding_is_idempotent(text: str) -> None:
    folded = to_simplified(text)
    assert len(folded) == len(text)
    assert all(a == b or T2S[a] == b for a, b in zip(text, folded, strict=True))
    assert to_simplified(folded) == folded
