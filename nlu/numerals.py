"""Normalise spoken and written Chinese numbers to ASCII digits.

Speech recognition and users write the same number many ways: 二零二三, 两千零二十三, ２０２３,
幺三八…; downstream regexes only need to understand ASCII digits. Every normalisation here can
also return an index map so that entity offsets still point into the user's original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from nlu.t2s import T2S

# Digit-by-digit readings. 幺/洞 are the radio/phone readings of 1/0; 两 also reads as 2.
DIGIT_CHARS: dict[str, str] = {
    "零": "0", "〇": "0", "○": "0", "洞": "0",
    "一": "1", "幺": "1", "壹": "1",
    "二": "2", "两": "2", "兩": "2", "贰": "2", "貳": "2",
    "三": "3", "叁": "3", "參": "3",
    "四": "4", "肆": "4",
    "五": "5", "伍": "5",
    "六": "6", "陆": "6", "陸": "6",
    "七": "7", "柒": "7",
    "八": "8", "捌": "8",
    "九": "9", "玖": "9",
}  # fmt: skip

UNIT_CHARS: dict[str, int] = {
    "十": 10, "拾": 10,
    "百": 100, "佰": 100,
    "千": 1000, "仟": 1000,
    "万": 10_000, "萬": 10_000,
    "亿": 100_000_000, "億": 100_000_000,
}  # fmt: skip

_ZERO_CHARS = frozenset("零〇○洞")
_FULLWIDTH_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}
_CN_NUM = "".join(DIGIT_CHARS) + "".join(UNIT_CHARS)
_CN_DIGIT_CLASS = "".join(DIGIT_CHARS)

# Longer inputs are rejected instead of being fed to int(), which refuses >4300 digits on 3.11.
_MAX_DIGITS = 1000

# A run of numeral characters; "." / 点 only count when a numeral follows (3.5万, 一点五万).
_RUN_CONSERVATIVE = re.compile(f"[0-9{_CN_NUM}]+(?:[.点][0-9{_CN_NUM}]+)*")
# Aggressive mode also joins Chinese numerals split by spaces (speech engines insert them).
_RUN_AGGRESSIVE = re.compile(
    f"[0-9{_CN_NUM}]+(?:(?:[.点]|(?<=[{_CN_NUM}])\\s+(?=[{_CN_NUM}]))[0-9{_CN_NUM}]+)*"
)
# Three or more single digits split by spaces (五 六 七 八, 3 九 2 1) are a number read out digit by digit;
# two (五 六 个月) are an estimate.
_SPACED_SINGLE_DIGITS = (
    f"(?<![0-9{_CN_NUM}])[0-9{_CN_DIGIT_CLASS}](?:[ \\t]+[0-9{_CN_DIGIT_CLASS}]){{2,}}(?![0-9{_CN_NUM}.点])"
)
_RUN_SPACED = re.compile(f"{_SPACED_SINGLE_DIGITS}|{_RUN_CONSERVATIVE.pattern}")
_ASCII_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_CN_DECIMAL = re.compile(f"[{_CN_DIGIT_CLASS}]+点[{_CN_DIGIT_CLASS}]+")

# A single numeral char is only converted when one of these follows (五号, 三月, 两块, 后四位, 三点).
SINGLE_CHAR_TRIGGERS = frozenset("号年月日元块位点岁")
# 一块儿/一块去 mean "together", 一点 means "a bit": never numbers.
_YI_KUAI_NOT_MONEY = frozenset("儿去走来吃玩住")
# 幺 is only ever the spoken digit 1, so 幺幺/幺二 are numbers, never doubles or estimates like 一一/一二.
_ALWAYS_DIGIT = frozenset("幺")
# Traditional → simplified for matching. Numeral characters stay: 參 (financial 3) would become 参, which
# is not a numeral in simplified text.
_FOLD_TRADITIONAL = str.maketrans({t: s for t, s in T2S.items() if t not in DIGIT_CHARS})


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms (ＡＢＣ１２３（）：，) and the ideographic space to ASCII; Chinese stays.

    The mapping is one character to one character, so offsets are unchanged.
    """
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif code == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def digits_from_spoken(text: str) -> str:
    """Replace every digit character (Chinese digit-by-digit reading or full-width) by its ASCII digit.

    Other characters are kept, so "一38三8-五" becomes "13838-5"; callers strip what they do not want.
    Unit characters (十百千万) are not digits and are kept as they are.
    """
    return "".join(DIGIT_CHARS.get(ch) or _FULLWIDTH_DIGITS.get(ch) or ch for ch in text)


def _to_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _tokenize(text: str) -> list[tuple[str, Decimal, bool]] | None:
    """Tokens (kind, value, is_single_digit), kind in num/zero/unit/decimal/cn_decimal; None if not numeric."""
    tokens: list[tuple[str, Decimal, bool]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if "0" <= ch <= "9":
            m = _ASCII_NUMBER.match(text, i)
            assert m is not None  # ch is a digit, so the pattern matches at least it
            if len(m.group()) > 30:
                return None
            kind = "decimal" if "." in m.group() else "num"
            tokens.append((kind, Decimal(m.group()), len(m.group()) == 1))
            i = m.end()
        elif ch in DIGIT_CHARS:
            m = _CN_DECIMAL.match(text, i)
            if m is not None:
                whole, frac = m.group().split("点")
                if len(m.group()) > 30:
                    return None
                tokens.append(
                    ("cn_decimal", Decimal(f"{digits_from_spoken(whole)}.{digits_from_spoken(frac)}"), False)
                )
                i = m.end()
                continue
            if ch in _ZERO_CHARS:
                tokens.append(("zero", Decimal(0), True))
            else:
                tokens.append(("num", Decimal(DIGIT_CHARS[ch]), True))
            i += 1
        elif ch in UNIT_CHARS:
            tokens.append(("unit", Decimal(UNIT_CHARS[ch]), False))
            i += 1
        else:
            return None
    return tokens


def _positional_value(text: str) -> Decimal | None:
    """Value of a numeral written with units (一千二百三十四, 三万五, 1.5万, 3千5); None if malformed."""
    tokens = _tokenize(text)
    if not tokens or not any(kind == "unit" for kind, _, _ in tokens):
        return None
    yi_total = Decimal(0)  # everything already multiplied by 亿
    wan_total = Decimal(0)  # the 万 part of the current 亿 group
    section = Decimal(0)  # below 万
    pending: Decimal | None = None
    pending_single = False
    last_small: int | None = None  # last of 十/百/千 in this section, to reject 三十百
    last_unit: int | None = None  # for the shorthand 三万五 = 35000, 一千二 = 1200
    zero_seen = False
    used_wan = used_yi = False
    for index, (kind, value, single) in enumerate(tokens):
        if kind in ("decimal", "cn_decimal"):
            # A decimal needs a unit right after it; Chinese ones only 万/亿 so 三点五十 (3:50) stays a time.
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if pending is not None or following is None or following[0] != "unit":
                return None
            if kind == "cn_decimal" and following[1] < 10_000:
                return None
            pending, pending_single = value, False
        elif kind == "zero":
            if pending is not None:
                return None
            zero_seen = True
        elif kind == "num":
            if pending is not None:
                return None  # two digits in a row (七八千) is an estimate, not a number
            pending, pending_single = value, single
        else:
            unit = int(value)
            if unit < 10_000:
                if pending is None:
                    if unit != 10:
                        return None  # bare 百/千 (百分之, 千万) are not numbers
                    pending = Decimal(1)  # 十五, 一百十五
                if last_small is not None and unit >= last_small:
                    return None
                section += pending * unit
                last_small = unit
            elif unit == 10_000:
                group = section + (pending or 0)
                if used_wan or group == 0:
                    return None
                wan_total = group * unit
                used_wan = True
                section, last_small = Decimal(0), None
            else:
                group = wan_total + section + (pending or 0)
                if used_yi or group == 0:
                    return None
                yi_total = group * unit
                used_yi = True
                wan_total, section, last_small, used_wan = Decimal(0), Decimal(0), None, False
            pending, last_unit, zero_seen = None, unit, False
    if pending is not None:
        if pending_single and last_unit is not None and last_unit >= 100 and not zero_seen:
            pending *= last_unit // 10
        section += pending
    return yi_total + wan_total + section


def _digit_string(text: str) -> str | None:
    """ASCII digits for a unit-free digit-by-digit reading (一二三四, 幺38三8), else None."""
    if not text or any(ch not in DIGIT_CHARS and not "0" <= ch <= "9" for ch in text):
        return None
    return digits_from_spoken(text)


def chinese_to_number(text: str) -> int | float | None:
    """Like chinese_to_int but keeps fractions (1.25万 → 12500, 3.5 → 3.5)."""
    clean = re.sub(r"\s+", "", to_halfwidth(text))
    if not clean or len(clean) > _MAX_DIGITS:
        return None
    if not any(ch in UNIT_CHARS for ch in clean):
        digits = _digit_string(clean)
        if digits is not None:
            return int(digits)
        if re.fullmatch(r"[0-9]+\.[0-9]+", clean):
            return _to_number(Decimal(clean))
        return None
    try:
        value = _positional_value(clean)
    except InvalidOperation:
        return None
    return None if value is None else _to_number(value)


def chinese_to_int(text: str) -> int | None:
    """Integer value of a written or spoken number, or None when the text is not a whole number.

    Positional numerals (一千二百三十四, 两千零二十三, 十五, 三万五千, 三万五, 1.5万, 3千) and unit-free
    digit-by-digit readings (一二三四 → 1234, 二零二三 → 2023) are both accepted; whitespace is ignored.
    """
    value = chinese_to_number(text)
    return value if isinstance(value, int) else None


@dataclass(frozen=True)
class MappedText:
    """A rewritten copy of `original`; character i of `text` came from original[starts[i]:ends[i]]."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) offsets of text[start:end]."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _is_estimate_pair(digits: str) -> bool:
    """三四/五六/一两 (approximations) and 一一/五五 (word-like doubles) are not two-digit numbers."""
    a, b = int(digits[0]), int(digits[1])
    return b == a + 1 or a == b


def _convert_run(run: str) -> tuple[str, bool] | None:
    """(replacement, per_char) for one numeral run, or None to keep it; per_char means 1:1 digits."""
    clean = re.sub(r"\s+", "", run)
    if all("0" <= ch <= "9" or ch == "." for ch in clean):
        return None  # already ASCII
    if not any(ch in UNIT_CHARS for ch in clean):
        digits = _digit_string(clean)
        return (digits, True) if digits is not None else None
    value = _positional_value(clean)
    if value is None:
        return None
    return str(_to_number(value)), False


def _keep_single_or_pair(run: str, base: str, start: int, end: int, per_char: bool) -> bool:
    """Conservative-mode veto: True when this run is probably a word (一下, 第一, 五六个), not a number."""
    prev_ch = base[start - 1] if start > 0 else ""
    next_ch = base[end] if end < len(base) else ""
    next2 = base[end + 1] if end + 1 < len(base) else ""
    if not per_char and (prev_ch in ("几", "数") or next_ch == "几"):
        return True  # 几十万, 十几 are vague quantities (but 尾数五六七八 is a number)
    if len(run) >= 2 and _ALWAYS_DIGIT.intersection(run):
        return False
    triggered = next_ch in SINGLE_CHAR_TRIGGERS
    if len(run) == 1:
        if not triggered:
            return True
        return run == "一" and (next_ch == "点" or (next_ch == "块" and next2 in _YI_KUAI_NOT_MONEY))
    if len(run) == 2 and per_char and not triggered:
        digits = digits_from_spoken(run)
        return digits.isdigit() and _is_estimate_pair(digits)
    return False


def normalize_numbers_mapped(
    text: str,
    *,
    aggressive: bool = False,
    halfwidth: bool = False,
    simplify: bool = False,
    spaced_digits: bool = False,
) -> MappedText:
    """Rewrite numeral runs to ASCII digits and return the result with an index map.

    Conservative mode (the default, for free text) converts a run of Chinese numerals when
      * it is at least two characters and parses as a number (二零二三, 五六七八, 十五, 三万五千, 1.5万), except
        two-character estimates or doubles without a following trigger (五六个, 一两次, 一一解答), or
      * it is one character followed by one of 号年月日元块位点岁 (五号, 三月, 两块, 后四位),
    and never touches runs that do not parse (万一, 千万, 七八千) or vague ones next to 几/数.
    So 一下, 一审, 一直, 一些, 统一, 第一 stay as they are.
    Aggressive mode converts every run that parses and joins Chinese numerals split by whitespace;
    use it only when a strict pattern follows (case numbers).
    Full-width digits always become ASCII; halfwidth=True applies to_halfwidth to everything first and
    simplify=True folds traditional characters to simplified ones (案號 → 案号), both one to one.
    spaced_digits=True (conservative mode) also converts three or more single digits split by spaces,
    keeping the spaces (尾号 五 六 七 八 → 尾号 5 6 7 8), for patterns that accept spaced digits.
    Digit-by-digit runs map one to one; a positional run maps each output digit to the whole run.
    """
    base = to_halfwidth(text) if halfwidth else "".join(_FULLWIDTH_DIGITS.get(ch, ch) for ch in text)
    if simplify:
        base = base.translate(_FOLD_TRADITIONAL)
    pattern = _RUN_AGGRESSIVE if aggressive else (_RUN_SPACED if spaced_digits else _RUN_CONSERVATIVE)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def copy(lo: int, hi: int) -> None:
        for i in range(lo, hi):
            chars.append(base[i])
            starts.append(i)
            ends.append(i + 1)

    def emit_run(lo: int, hi: int) -> None:
        run = base[lo:hi]
        if not aggressive and re.search(r"\s", run):
            # Spaced single digits: convert each and keep the spaces, so that the caller's pattern decides
            # which digits belong together (尾号 4 4 0 1 2 个人 is 4401 and two people).
            for i in range(lo, hi):
                chars.append(DIGIT_CHARS.get(base[i], base[i]))
                starts.append(i)
                ends.append(i + 1)
            return
        converted = _convert_run(run)
        if converted is None and ("点" in run or "." in run):
            # 三点五十 is 3:50, not a decimal: convert the pieces around 点 on their own.
            pos = lo
            for m in re.finditer(r"[.点]", run):
                if lo + m.start() > pos:
                    emit_run(pos, lo + m.start())
                copy(lo + m.start(), lo + m.end())
                pos = lo + m.end()
            emit_run(pos, hi)
            return
        if converted is None:
            copy(lo, hi)
            return
        replacement, per_char = converted
        if not aggressive and _keep_single_or_pair(re.sub(r"\s+", "", run), base, lo, hi, per_char):
            copy(lo, hi)
            return
        if per_char:
            for i in range(lo, hi):
                if base[i].isspace():
                    continue  # aggressive mode: 二 零 二 三 → 2023
                chars.append(DIGIT_CHARS.get(base[i], base[i]))
                starts.append(i)
                ends.append(i + 1)
        else:
            for ch in replacement:
                chars.append(ch)
                starts.append(lo)
                ends.append(hi)

    pos = 0
    for m in pattern.finditer(base):
        copy(pos, m.start())
        emit_run(m.start(), m.end())
        pos = m.end()
    copy(pos, len(base))
    return MappedText(original=text, text="".join(chars), starts=tuple(starts), ends=tuple(ends))


def normalize_numbers(text: str) -> str:
    """Conservatively rewrite Chinese numerals in free text to ASCII digits (see normalize_numbers_mapped).

    "我手机尾号五六七八" → "我手机尾号5678", "二零二三年" → "2023年", "三万五千块" → "35000块"; 一下/第一 stay.
    """
    return normalize_numbers_mapped(text).text
