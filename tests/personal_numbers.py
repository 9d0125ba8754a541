"""Messages carrying full phone and ID numbers in the forms callers use, and a leak check.

Shared by the integration and end-to-end tests of personal data at rest.
"""

from __future__ import annotations

import re

from nlu.numerals import digits_from_spoken, to_halfwidth

# (message, the full numbers in it as ASCII digits)
MESSAGES: list[tuple[str, list[str]]] = [
    ("我是张伟，电话13838915678，身份证410802199003071234", ["13838915678", "410802199003071234"]),
    ("请回电 139 1234 5678，谢谢", ["13912345678"]),
    ("我的号码一五九八七六五四三二一", ["15987654321"]),
    ("身份证号４１０８０２１９８５１２２５６６７Ｘ", ["41080219851225667"]),
    ("家里电话0391-3925555，手机幺八六 零零零零 一二三四", ["03913925555", "18600001234"]),
]
ALL_NUMBERS = [n for _, numbers in MESSAGES for n in numbers]


def digits_of(text: str) -> str:
    """Every digit the text holds, in any script, with everything else removed."""
    return re.sub(r"[^0-9]", "", digits_from_spoken(to_halfwidth(text)))


def leaks(text: str) -> list[str]:
    """The full numbers from MESSAGES that can still be read out of `text`."""
    held = digits_of(text)
    return [n for n in ALL_NUMBERS if n in held]
