"""Parse, validate and find case numbers (案号).

Layout per 最高人民法院《关于人民法院案件案号的若干规定》(2015) 第三条:
"（" + 收案年度 + "）" + 法院代字 + 类型代字 + 案件编号 + "号", e.g. （2024）豫0804民初1566号.
The canonical form uses full-width brackets, ASCII digits and ends with 号. Input is accepted in the
shapes people type or say: other brackets or none, 年 instead of brackets, spaces, full-width digits,
missing 号, Chinese numerals read digit by digit (二零二三) or positionally (一千二百三十四), and
traditional characters (執, 號, 訴前調).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from nlu.numerals import normalize_numbers_mapped

YEAR_MIN = 1990
YEAR_MAX = 2100
_MAX_SEQ_DIGITS = 9  # 刑事复核 uses 8 digits (第十条); anything longer is a typo

# Type codes (类型代字) from the 2015 standard that a caller may meet, with a plain Chinese name.
CASE_TYPE_CODES: dict[str, str] = {
    # civil
    "民初": "民事一审",
    "民终": "民事二审",
    "民申": "民事申请再审审查",
    "民再": "民事再审",
    "民特": "民事特别程序",
    "民催": "公示催告",
    "民督": "申请支付令（督促程序）",
    "民辖": "民事管辖",
    "民辖终": "民事管辖上诉",
    "民撤": "第三人撤销之诉",
    "民他": "民事请示",
    "民诉前调": "诉前调解",
    "民诉前保": "诉前财产保全",
    # criminal
    "刑初": "刑事一审",
    "刑终": "刑事二审",
    "刑申": "刑事申诉审查",
    "刑再": "刑事再审",
    "刑核": "刑事复核",
    "刑更": "刑罚与执行变更",
    "刑医": "强制医疗",
    "刑没": "违法所得没收",
    "刑辖": "刑事管辖",
    "刑他": "刑事请示",
    # administrative
    "行初": "行政一审",
    "行终": "行政二审",
    "行申": "行政申请再审审查",
    "行再": "行政再审",
    "行审": "非诉行政行为申请执行审查",
    "行审复": "非诉行政行为申请执行审查复议",
    "行赔初": "行政赔偿一审",
    "行赔终": "行政赔偿二审",
    "行辖": "行政管辖",
    # execution
    "执": "首次执行",
    "执恢": "恢复执行",
    "执保": "财产保全执行",
    "执异": "执行异议",
    "执复": "执行复议",
    "执监": "执行监督",
    "执协": "执行协调",
    "执他": "执行请示",
    # state compensation, judicial relief and sanctions, bankruptcy
    "法赔": "法院作为赔偿义务机关的国家赔偿",
    "委赔": "赔偿委员会审理的国家赔偿",
    "司救": "司法救助",
    "司救民": "民事司法救助",
    "司救刑": "刑事司法救助",
    "司救行": "行政司法救助",
    "司救执": "执行司法救助",
    "司救赔": "国家赔偿司法救助",
    "司惩": "司法制裁审查",
    "司惩复": "司法制裁复议",
    "破申": "破产申请审查",
    "破": "破产",
    "强清申": "强制清算申请审查",
    "强清": "强制清算",
}

# High-court codes (法院代字 of 高级人民法院). 内蒙古's official code is 内; 蒙 is accepted as what
# people say and rewritten to 内. 兵 = 新疆生产建设兵团分院, 军 = 军事法院.
PROVINCE_ABBREVIATIONS: dict[str, str] = {
    "京": "北京", "津": "天津", "冀": "河北", "晋": "山西", "内": "内蒙古", "蒙": "内蒙古",
    "辽": "辽宁", "吉": "吉林", "黑": "黑龙江", "沪": "上海", "苏": "江苏", "浙": "浙江",
    "皖": "安徽", "闽": "福建", "赣": "江西", "鲁": "山东", "豫": "河南", "鄂": "湖北",
    "湘": "湖南", "粤": "广东", "桂": "广西", "琼": "海南", "渝": "重庆", "川": "四川",
    "贵": "贵州", "云": "云南", "藏": "西藏", "陕": "陕西", "甘": "甘肃", "青": "青海",
    "宁": "宁夏", "新": "新疆", "兵": "新疆生产建设兵团", "军": "军事法院",
}  # fmt: skip
_PROVINCE_ALIASES = {"蒙": "内"}
SUPREME_COURT_CODE = "最高法"

_BRACKETS = str.maketrans({o: "(" for o in "（(〔[【［﹙「〖"} | {c: ")" for c in "）)〕]】］﹚」〗"})
_SEQ_END = "号號"
_PROV_CLASS = "".join(PROVINCE_ABBREVIATIONS)
_CODES_LONGEST_FIRST = sorted(CASE_TYPE_CODES, key=len, reverse=True)
_COURT_CODE_RE = re.compile(f"(?:{SUPREME_COURT_CODE}|[{_PROV_CLASS}][0-9]{{0,4}})")


def _spaced(word: str) -> str:
    """Regex for `word` with optional whitespace between its characters."""
    return r"\s*".join(re.escape(ch) for ch in word)


_FIND_RE = re.compile(
    r"(?<![0-9])(?:\(\s*)?(?P<year>[0-9](?:\s*[0-9]){3})(?![0-9])\s*(?:年\s*)?(?:\)\s*)?"
    f"(?P<court>{_spaced(SUPREME_COURT_CODE)}|[{_PROV_CLASS}](?:\\s*[0-9]){{0,4}})\\s*"
    f"(?P<type>{'|'.join(_spaced(code) for code in _CODES_LONGEST_FIRST)})\\s*(?:第\\s*)?"
    f"(?:(?P<seq>[0-9](?:\\s*[0-9])*)\\s*[{_SEQ_END}]|(?P<bare_seq>[0-9]+)(?![0-9]))"
)


class CaseNumberError(ValueError):
    """A text is not a valid case number; `reason` is a short Chinese explanation for the user."""

    def __init__(self, reason: str, text: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text


@dataclass(frozen=True)
class CaseNumber:
    """A validated case number; construct through parse_case_number or with canonical parts."""

    year: int
    court_code: str
    type_code: str
    seq: int

    def __post_init__(self) -> None:
        if not YEAR_MIN <= self.year <= YEAR_MAX:
            raise CaseNumberError(f"年份不合法：{self.year}")
        if not _COURT_CODE_RE.fullmatch(self.court_code) or self.court_code[0] in _PROVINCE_ALIASES:
            raise CaseNumberError("无法识别法院代字")
        if self.type_code not in CASE_TYPE_CODES:
            raise CaseNumberError(f"无法识别案件类型代字：{self.type_code}")
        if self.seq < 1:
            raise CaseNumberError(f"案件序号不合法：{self.seq}")

    @property
    def canonical(self) -> str:
        return f"（{self.year}）{self.court_code}{self.type_code}{self.seq}号"

    @property
    def case_type_name(self) -> str:
        return CASE_TYPE_CODES[self.type_code]

    def __str__(self) -> str:
        return self.canonical


def _prepare(text: str, *, keep_spaces: bool) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Normalised copy (ASCII digits, brackets as ( ), simplified characters, optional whitespace removal)
    plus its index map; 案號（2023）豫0804執1234號 reads as 案号(2023)豫0804执1234号."""
    unified = text.translate(_BRACKETS)  # one char to one char, offsets unchanged
    mapped = normalize_numbers_mapped(unified, aggressive=True, halfwidth=True, simplify=True)
    if keep_spaces:
        return mapped.text, mapped.starts, mapped.ends
    keep = [i for i, ch in enumerate(mapped.text) if not ch.isspace()]
    return (
        "".join(mapped.text[i] for i in keep),
        tuple(mapped.starts[i] for i in keep),
        tuple(mapped.ends[i] for i in keep),
    )


def _canonical_court(court: str) -> str:
    court = re.sub(r"\s+", "", court)
    return _PROVINCE_ALIASES.get(court[0], court[0]) + court[1:] if court[0] in _PROV_CLASS else court


def _match_type_code(s: str, pos: int) -> str | None:
    # Longest first, so 民诉前调 wins over shorter prefixes and 执恢 over 执.
    return next((code for code in _CODES_LONGEST_FIRST if s.startswith(code, pos)), None)


def _scan(s: str) -> CaseNumber:
    """Strict left-to-right parse of a normalised, space-free string; raises with the first problem."""
    if not s:
        raise CaseNumberError("案号为空")
    pos = 1 if s.startswith("(") else 0
    year_match = re.match(r"[0-9]+", s[pos:])
    if year_match is None:
        rest = s[pos:]
        if rest.startswith(SUPREME_COURT_CODE) or (rest[:1] and rest[0] in _PROV_CLASS):
            raise CaseNumberError("缺少年份")
        raise CaseNumberError("案号格式无法识别")
    year_text = year_match.group()
    if len(year_text) != 4 or not YEAR_MIN <= int(year_text) <= YEAR_MAX:
        raise CaseNumberError(f"年份不合法：{year_text}")
    pos += len(year_text)
    if s.startswith("年", pos):
        pos += 1
    if s.startswith(")", pos):
        pos += 1

    if s.startswith(SUPREME_COURT_CODE, pos):
        court = SUPREME_COURT_CODE
    elif pos < len(s) and s[pos] in _PROV_CLASS:
        court_match = re.match(r"[0-9]*", s[pos + 1 :])
        digits = court_match.group() if court_match else ""
        if len(digits) > 4:
            raise CaseNumberError(f"法院代字不合法：{s[pos]}{digits}")
        court = s[pos] + digits
    else:
        raise CaseNumberError("无法识别法院代字")
    pos += len(court)

    type_code = _match_type_code(s, pos)
    if type_code is None:
        unknown = re.match(f"[^0-9{_SEQ_END}]*", s[pos:])
        word = unknown.group() if unknown else ""
        raise CaseNumberError(f"无法识别案件类型代字：{word}" if word else "缺少案件类型代字")
    pos += len(type_code)
    if s.startswith("第", pos):
        pos += 1

    seq_match = re.match(r"[0-9]+", s[pos:])
    if seq_match is None:
        if s[pos:] in ("", *_SEQ_END):
            raise CaseNumberError("缺少案件序号")
        raise CaseNumberError("案号格式无法识别")
    seq_text = seq_match.group()
    if len(seq_text) > _MAX_SEQ_DIGITS or int(seq_text) < 1:
        raise CaseNumberError(f"案件序号不合法：{seq_text}")
    pos += len(seq_text)
    if pos < len(s) and s[pos] in _SEQ_END:
        pos += 1
    if pos != len(s):
        raise CaseNumberError("案号格式无法识别")
    return CaseNumber(int(year_text), _canonical_court(court), type_code, int(seq_text))


def parse_case_number(text: str) -> CaseNumber:
    """Parse a text that is exactly one case number (in any accepted variant); raise CaseNumberError.

    Surrounding words ("案号是…", "…的进度") are rejected: use find_case_numbers for free text.
    """
    normalised, _, _ = _prepare(text, keep_spaces=False)
    try:
        return _scan(normalised)
    except CaseNumberError as exc:
        exc.text = text
        raise


def validate_case_number(text: str) -> tuple[CaseNumber | None, str | None]:
    """(CaseNumber, None) when `text` is a case number, else (None, Chinese reason)."""
    try:
        return parse_case_number(text), None
    except CaseNumberError as exc:
        return None, exc.reason


def _whole_number(m: re.Match[str]) -> CaseNumber | None:
    """The case number of a _FIND_RE match, None for an implausible one (year 1850, sequence 0)."""
    seq_text = re.sub(r"\s+", "", m.group("seq") or m.group("bare_seq"))
    if len(seq_text) > _MAX_SEQ_DIGITS:
        return None
    try:
        return CaseNumber(
            int(re.sub(r"\s+", "", m.group("year"))),
            _canonical_court(m.group("court")),
            re.sub(r"\s+", "", m.group("type")),
            int(seq_text),
        )
    except CaseNumberError:
        return None


def find_case_numbers(text: str) -> list[tuple[int, int, CaseNumber]]:
    """Every case number in free text as (start, end, value); offsets index the original `text`.

    Invalid candidates (year outside 1990..2100, sequence 0) are skipped silently.
    """
    normalised, starts, ends = _prepare(text, keep_spaces=True)
    found: list[tuple[int, int, CaseNumber]] = []
    for m in _FIND_RE.finditer(normalised):
        value = _whole_number(m)
        if value is not None:
            found.append((starts[m.start()], ends[m.end() - 1], value))
    return found


# --- A number said loosely, or one part of it -------------------------------------------------------
# A caller of a basic court rarely says the court's own code and often not the whole number at once:
# "2025年的 民初2001那个", "25年民初第2001号", "民初2001 2025年的", then "应该是民初1566号" or "序号是1566"
# to correct one part. A message is read as a sequence of part mentions, later ones correcting earlier ones.

_PART_NAMES = ("year", "court_code", "type_code", "seq")
_TYPE_RE = "|".join(_spaced(code) for code in _CODES_LONGEST_FIRST)
# A court code said before a type code needs its digits (豫0804): a bare province character is too common
# a word character (新, 内, 云) to be taken for one.
_LOOSE_COURT_RE = f"{_spaced(SUPREME_COURT_CODE)}|[{_PROV_CLASS}](?:\\s*[0-9]){{1,4}}"
_IS = r"\s*(?:应该)?(?:是|为|改成|改为|写的是|:)?\s*"
_TYPE_AND_SEQ_RE = re.compile(
    f"(?:(?P<court>{_LOOSE_COURT_RE})\\s*)?(?P<type>{_TYPE_RE})\\s*(?:第\\s*)?(?P<seq>[0-9]{{1,{_MAX_SEQ_DIGITS}}})"
    f"(?![0-9])(?:\\s*[{_SEQ_END}])?"
)
_NAMED_SEQ_RE = re.compile(
    f"(?:序号|编号){_IS}(?:第\\s*)?(?P<seq>[0-9]{{1,{_MAX_SEQ_DIGITS}}})(?![0-9-])(?:\\s*[{_SEQ_END}])?"
)
_NAMED_TYPE_RE = re.compile(f"(?:类型代字|类型|代字){_IS}(?P<type>{_TYPE_RE})")
_NAMED_YEAR_RE = re.compile(f"(?:年份|年度){_IS}(?P<year>[0-9]{{4}}|[0-9]{{2}})(?![0-9])(?:\\s*年)?")
_BEFORE_TYPE = f"(?=\\s*(?:的\\s*)?(?:(?:{_LOOSE_COURT_RE})\\s*)?(?:{_TYPE_RE})\\s*(?:第\\s*)?[0-9])"
# A year said as one: in brackets, four digits before 年 (not a date's 年 with a month after it), right
# before the type code ("2024民初1566号", "25年民初…"), or two digits and 年 ending a phrase ("…2001 25年的");
# "打了10年官司", "10年前" are spans of years.
_YEAR_RE = re.compile(
    r"\(\s*(?P<bracketed>[0-9]{4})\s*\)"
    r"|(?<![0-9])(?P<long>[0-9]{4})\s*年(?!\s*[0-9]{1,2}\s*月)"
    f"|(?<![0-9])(?P<short>[0-9]{{2}})\\s*年{_BEFORE_TYPE}"
    r"|(?<![0-9])(?P<short_end>[0-9]{2})\s*年(?=\s*(?:的|立的)?\s*(?:$|[，。,.！!？?\s]))"
    f"|(?<![0-9])(?P<adjacent>[0-9]{{4}}){_BEFORE_TYPE}"
)
# The answer to "which year": "2025", "是2025"; words of a phone tail around it make it a tail.
_BARE_YEAR_RE = re.compile(r"[^0-9尾号机话位]{0,6}?(?<![0-9])([0-9]{4})(?![0-9])[^0-9尾号机话位]{0,6}")


@dataclass(frozen=True)
class CaseNumberParts:
    """The parts of a case number said so far; a part not said is None."""

    year: int | None = None
    court_code: str | None = None
    type_code: str | None = None
    seq: int | None = None

    @classmethod
    def of(cls, number: CaseNumber) -> CaseNumberParts:
        return cls(number.year, number.court_code, number.type_code, number.seq)

    def __bool__(self) -> bool:
        return any(getattr(self, name) is not None for name in _PART_NAMES)

    def over(self, earlier: CaseNumberParts) -> CaseNumberParts:
        """These parts, each one not said here taken from `earlier` ("应该是民初1566号" keeps the year)."""
        return CaseNumberParts(
            *(getattr(self, name) if getattr(self, name) is not None else getattr(earlier, name) for name in _PART_NAMES)
        )

    @property
    def missing(self) -> tuple[str, ...]:
        """Parts a number still needs ("year", "type_code", "seq"): a court code not said is this court's."""
        return tuple(name for name in ("year", "type_code", "seq") if getattr(self, name) is None)

    def complete(self, court_code: str) -> CaseNumber | None:
        """The case number, `court_code` standing in for a court code not said; None while parts are missing."""
        if self.year is None or self.type_code is None or self.seq is None:
            return None
        try:
            return CaseNumber(self.year, self.court_code or court_code, self.type_code, self.seq)
        except CaseNumberError:
            return None


@dataclass(frozen=True)
class CaseNumberReading:
    """What one message says of a case number, and where (offsets into the message as written)."""

    parts: CaseNumberParts
    spans: tuple[tuple[int, int], ...]


def _year(text: str) -> int | None:
    digits = re.sub(r"\s+", "", text)
    year = int(digits)
    if len(digits) == 2:  # "25年" is 2025, "98年" 1998: a case is never filed in a later year
        year += 2000 if 2000 + year <= date.today().year + 1 else 1900
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def read_case_number(text: str, *, strict: bool = False, bare_year: bool = False) -> CaseNumberReading:
    """The case-number parts in free text: whole numbers, type and sequence with or without a court code,
    years, and parts named as such ("序号是1566", "年份是2024年的"); later mentions correct earlier ones.

    strict: only what cannot be anything else (for a message answering another question): a whole
    number, type and sequence, a named part, and a year only beside type and sequence.
    bare_year: a message that is a four-digit number and little else is the year (the year was asked for).
    """
    s, starts, ends = _prepare(text, keep_spaces=True)
    mentions: list[tuple[int, int, CaseNumberParts]] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(m.start() < end and start < m.end() for start, end in taken)

    def add(m: re.Match[str], parts: CaseNumberParts) -> None:
        mentions.append((m.start(), m.end(), parts))
        taken.append((m.start(), m.end()))

    for m in _FIND_RE.finditer(s):
        whole = _whole_number(m)
        if whole is not None:
            add(m, CaseNumberParts.of(whole))
    for m in _TYPE_AND_SEQ_RE.finditer(s):
        if free(m) and int(m.group("seq")) >= 1:
            court = _canonical_court(m.group("court")) if m.group("court") else None
            add(m, CaseNumberParts(court_code=court, type_code=re.sub(r"\s+", "", m.group("type")),
                                   seq=int(m.group("seq"))))
    for m in _NAMED_SEQ_RE.finditer(s):
        if free(m) and int(m.group("seq")) >= 1:
            add(m, CaseNumberParts(seq=int(m.group("seq"))))
    for m in _NAMED_TYPE_RE.finditer(s):
        if free(m):
            add(m, CaseNumberParts(type_code=re.sub(r"\s+", "", m.group("type"))))
    for m in _NAMED_YEAR_RE.finditer(s):
        if free(m) and _year(m.group("year")):
            add(m, CaseNumberParts(year=_year(m.group("year"))))
    with_type = any(parts.type_code and parts.seq for _, _, parts in mentions)
    if with_type or not strict:
        for m in _YEAR_RE.finditer(s):
            year = _year(next(group for group in m.groups() if group))
            if free(m) and year:
                add(m, CaseNumberParts(year=year))
    if bare_year and not mentions:
        m = _BARE_YEAR_RE.fullmatch(s)
        if m and _year(m.group(1)):
            mentions.append((m.start(1), m.end(1), CaseNumberParts(year=_year(m.group(1)))))

    parts = CaseNumberParts()
    for _, _, said in sorted(mentions, key=lambda mention: mention[0]):
        parts = said.over(parts)
    spans = tuple(sorted((starts[start], ends[end - 1]) for start, end, _ in mentions))
    return CaseNumberReading(parts, spans)


def gather_case_number(texts: list[str]) -> CaseNumberParts:
    """The parts said over several messages, later ones correcting earlier ones; a bare four-digit
    number counts as the year only while the year is what is still missing."""
    parts = CaseNumberParts()
    for text in texts:
        parts = read_case_number(text, bare_year=bool(parts) and parts.year is None).parts.over(parts)
    return parts
