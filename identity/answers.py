"""Read an identity answer as people give it: a name, a phone tail, or both in one message.

"董德峰 尾号9280", "李娜 后四位2468", "王芳，手机5678", "5678 张伟", "张伟 五六七八", "不对，是张伟",
"焦作市宏达商贸有限公司 尾号1234". The parser never looks at the case's parties: what it accepts must
not reveal whether a string is a party's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.entities import COMPOUND_SURNAMES, SINGLE_SURNAMES, extract_person_names
from nlu.numerals import to_halfwidth
from nlu.t2s import to_simplified

# Spoken digits only in runs of three or more, so the 三 of 张三 stays a name.
_SPOKEN = dict(zip("零〇○洞一幺二两三四五六七八九", "000011223456789", strict=True))
_SPOKEN_RUN = re.compile(f"[{''.join(_SPOKEN)}]{{3,}}")
_DIGIT_RUN = re.compile(r"\d[\d\s-]*\d|\d")
_TAIL_KEY = r"(?:尾号|后四位|末四位|最后四位)"
_TAIL_WORDS = re.compile(
    rf"(?:手机号码|手机号|手机|联系电话|电话号码|电话|号码)的?{_TAIL_KEY}?(?:是|为)?|{_TAIL_KEY}(?:是|为)?"
)
_LEAD_WORDS = re.compile(
    r"^(不对|不是|错了|说错了|更正一下|更正|应该是|我再说一遍)?[，,。\s]*"
    r"(我是|我叫|我的名字是|我的名字叫|俺是|俺叫|俺的名字是|俺名字叫|咱是|我就是|名字是|名字叫|名叫|名字|姓名是|姓名|"
    r"本人是|本人|是)?"
    r"(申请执行人|被申请人|被执行人|被告人|被害人|申请人|异议人|第三人|当事人|原告|被告)?(是)?"
)
# Words of the request around an identity in one message ("查一下…我叫张伟"): never part of a name.
_REQUEST_WORDS = re.compile(
    r"你好|您好|麻烦|请问|帮我|帮忙|给我|我想|我要|想要|查询|查一下|查下|查查|查|看看|看下|看一下|问问|问一下|"
    r"一下|案子|案件|案号|进度|进展|情况|状态|到哪了|到哪一步了|怎么样了|咋样了|了没|没有|那个|这个|那位|这位|的|了|吧|啊|呀"
)
_BARE_TAIL = re.compile(r"(?:^|[\s，,、；;])\d{4}(?=$|[\s，,、；;。])(?![\s，,]*(?:年|元|块|万|月|号|日|天|个|次))")
_FILLER = re.compile(r"[\s，。,.!！？?、；;：:“”\"'（）()]")
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
# A registered organisation: a company, a government body, a bank branch, an association …
_ORGANISATION = re.compile(
    r"[\u4e00-\u9fff]{2,40}?(股份有限公司|有限责任公司|有限公司|公司|集团|银行|支行|分行|局|委员会|政府|"
    r"中心|医院|学校|合作社|厂|店|事务所|研究所)"
)


@dataclass(frozen=True)
class IdentityAnswer:
    name: str | None
    tail: str | None


def _spoken_to_digits(text: str) -> str:
    return _SPOKEN_RUN.sub(lambda m: "".join(_SPOKEN[c] for c in m.group()), text)


def phone_tail_of(text: str) -> str | None:
    """Last four digits of the longest digit run (a whole number or just its tail), spoken or written."""
    runs = [re.sub(r"\D", "", m.group()) for m in _DIGIT_RUN.finditer(_normalise(text))]
    runs = [r for r in runs if len(r) >= 4]
    return max(runs, key=len)[-4:] if runs else None


def _normalise(text: str) -> str:
    # "后4位" names the tail; its 4 is not part of the number.
    return re.sub(r"([后末])4位", r"\1四位", _spoken_to_digits(to_simplified(to_halfwidth(text))))


def _name_of(parts: list[str]) -> str | None:
    """A person's name (by the extractor), else an organisation's, else a plausible bare name."""
    for part in parts:
        found = extract_person_names(part)
        if found:
            return str(found[0].value)
    cleaned = [_LEAD_WORDS.sub("", _FILLER.sub("", part), count=1) for part in parts]
    for part in cleaned:
        organisation = _ORGANISATION.search(part)
        if organisation:
            return organisation.group()
    for part in cleaned:
        candidate = _REQUEST_WORDS.sub("", part)
        has_surname = candidate[:1] in SINGLE_SURNAMES or candidate[:2] in COMPOUND_SURNAMES
        if _PERSON_NAME.match(candidate) and has_surname:
            return candidate
    return None


def identity_in_request(text: str, case_spans: list[tuple[int, int]]) -> IdentityAnswer:
    """The identity given along with a request in one message, the case numbers cut out first."""
    for start, end in sorted(case_spans, reverse=True):
        text = f"{text[:start]} {text[end:]}"
    answer = parse_identity_answer(text)
    # In a request, four digits are a tail only when called one, or when they stand on their own next to
    # the name ("王磊 9999", "赵刚，6666"): not an amount, a date or a count.
    normalised = _normalise(text)
    called = _TAIL_WORDS.search(normalised) or re.search(r"1[3-9]\d{9}", normalised)
    if answer.tail and not called and not (answer.name and _BARE_TAIL.search(normalised)):
        return IdentityAnswer(answer.name, None)
    return answer


def parse_identity_answer(text: str) -> IdentityAnswer:
    normalised = _normalise(text)
    tail = phone_tail_of(normalised)
    # What is left once the digits and the words around them are gone is the name, if anything.
    rest = _DIGIT_RUN.sub(" ", normalised)
    parts = [_TAIL_WORDS.sub("", part) for part in re.split(r"[\s，。,、；;！!？?]+", rest)]
    return IdentityAnswer(_name_of([p for p in parts if p]), tail)
