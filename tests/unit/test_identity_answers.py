"""Identity answers as people give them (issue 6, item 3): name and tail in one answer, any order and
wording, spoken digits, organisations; and what is not an identity answer at all."""

from __future__ import annotations

import pytest

from identity.answers import IdentityAnswer, parse_identity_answer, phone_tail_of


@pytest.mark.parametrize(
    ("said", "name", "tail"),
    [
        ("董德峰 尾号9280", "董德峰", "9280"),
        ("李娜 后四位2468", "李娜", "2468"),
        ("王芳，手机5678", "王芳", "5678"),
        ("5678 张伟", "张伟", "5678"),
        ("张伟5678", "张伟", "5678"),
        ("张伟 五六七八", "张伟", "5678"),
        ("我叫张三，手机尾号是5678", "张三", "5678"),
        ("我是陈静 电话号码13700001111", "陈静", "1111"),
        ("手机号码的后四位是2468 李娜", "李娜", "2468"),
        ("王磊 后4位 9999", "王磊", "9999"),
        ("赵刚手机末四位六六六六", "赵刚", "6666"),
        ("刘洋，电话尾号 2 2 2 2", "刘洋", "2222"),
        ("欧阳娜娜 幺三八三八九一五六七八", "欧阳娜娜", "5678"),
        ("焦作市宏达商贸有限公司 尾号1234", "焦作市宏达商贸有限公司", "1234"),
        ("马村区住房和城乡建设局，电话4321", "马村区住房和城乡建设局", "4321"),
    ],
)
def test_name_and_tail_in_one_answer(said: str, name: str, tail: str) -> None:
    assert parse_identity_answer(said) == IdentityAnswer(name, tail)


@pytest.mark.parametrize(
    ("said", "name"), [("张伟", "张伟"), ("张三", "张三"), ("我是陈静", "陈静"), ("不对，是张伟", "张伟"), ("是刘洋", "刘洋")]
)
def test_a_bare_name(said: str, name: str) -> None:
    assert parse_identity_answer(said) == IdentityAnswer(name, None)


@pytest.mark.parametrize("said", ["5678", "尾号是五六七八", "13838915678", "我的手机尾号是5678"])
def test_a_bare_tail(said: str) -> None:
    assert parse_identity_answer(said) == IdentityAnswer(None, "5678")


@pytest.mark.parametrize("said", ["对了 开庭要带啥", "开庭要带什么", "你们法院怎么这样", "不知道", "56"])
def test_not_an_identity(said: str) -> None:
    assert parse_identity_answer(said) == IdentityAnswer(None, None)


def test_the_tail_is_the_end_of_the_longest_number() -> None:
    assert phone_tail_of("2024年 13903912468") == "2468"
    assert phone_tail_of("三号") is None
