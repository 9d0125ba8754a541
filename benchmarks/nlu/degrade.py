"""Make typed Chinese text look like phone speech-recognition (ASR) output.

Used to benchmark the NLU on "what the 12368 hotline hears" rather than on clean WeChat text:

* Rasa entity markup (``[text](entity)`` / ``[text]{...}``) is reduced to its plain text;
* court-vocabulary homophone substitutions typical of Mandarin ASR are applied
  (each occurrence independently, probability 0.5);
* full-width characters are normalised (NFKC) and all punctuation and spacing is removed
  (``138 3891 5678`` becomes one run of digits, as ASR would produce it);
* digit runs are, with probability 0.5 each, spelled out in Chinese the way they are spoken:
  digit by digit for years, phone numbers (``1`` sometimes as ``幺``), case and code numbers,
  tails and other long numbers; as a cardinal (``2500元`` -> ``两千五百元``) before a counting unit.

Everything is deterministic: ``degrade(text, seed)`` draws only from ``random.Random(seed)``.
``main()`` degrades a whole Rasa NLU YAML file, seeding example *i* with ``seed + i``::

    python benchmarks/nlu/degrade.py tests/nlu/testset.yml /tmp/testset_asr.yml --seed 0
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml

SUBSTITUTION_PROBABILITY = 0.5
DIGIT_CONVERSION_PROBABILITY = 0.5
YAO_PROBABILITY = 0.5

# (correct, ASR mis-recognition). Near- or exact homophones in Mandarin, including the
# s/sh, an/ang and tone confusions common with Henan-accented callers on a phone line.
HOMOPHONES: tuple[tuple[str, str], ...] = (
    ("进度", "进毒"),
    ("承办", "成半"),
    ("诉讼", "输送"),
    ("立案", "力案"),
    ("开庭", "开廷"),
    ("调解", "调节"),
    ("投诉", "头诉"),
    ("申诉", "申述"),
    ("法官", "法管"),
    ("判决", "判绝"),
    ("执行", "直行"),
    ("书记员", "书记源"),
    ("起诉", "气诉"),
    ("上诉", "上述"),
    ("传票", "船票"),
    ("案件", "按键"),
    ("案号", "暗号"),
    ("被告", "背告"),
    ("原告", "元告"),
    ("撤诉", "撤速"),
    ("保全", "保权"),
    ("缓交", "换交"),
    ("减免", "检免"),
    ("裁定", "才定"),
    ("再审", "在审"),
    ("审理", "审里"),
    ("送达", "送答"),
    ("手机号", "收集号"),
    ("尾号", "伪号"),
    ("查询", "查寻"),
    ("证据", "正据"),
    ("庭审", "停审"),
    ("离婚", "理婚"),
    ("转人工", "专人工"),
    ("律师", "绿师"),
    ("借条", "节条"),
)

_HOMOPHONE_MAP: dict[str, str] = dict(HOMOPHONES)
# Longest first, so that e.g. 书记员 wins over any shorter overlapping key.
_HOMOPHONE_RE = re.compile("|".join(re.escape(k) for k in sorted(_HOMOPHONE_MAP, key=len, reverse=True)))

_MARKUP_RE = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_DECIMAL_RE = re.compile(r"(\d+)\.(\d+)")
_TIME_RE = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)")
_DIGITS_RE = re.compile(r"\d+")

_DIGIT_CHARS = "零一二三四五六七八九"
# Characters after which a number is read as a quantity (cardinal) rather than digit by digit.
_COUNT_UNITS = set("元块万千百个月日天岁次楼层室栋条人期亩年斤周点分")
# Characters right before a digit run that signal a code, tail or case number (read digit by digit).
_CODE_PREFIXES = set("豫号位数是码尾第执初调特保异恢")


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch).startswith(("P", "S"))


def _spell_digits(digits: str, yao: bool) -> str:
    out: list[str] = []
    for d in digits:
        out.append("幺" if yao and d == "1" else _DIGIT_CHARS[int(d)])
    return "".join(out)


def _cardinal_below_10000(n: int, leading: bool) -> str:
    """Reading of 0 < n < 10000; ``leading`` means this is the most significant section."""
    parts: list[str] = []
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    zero_pending = False
    for value, unit in units:
        d = n // value % 10
        if d == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        if unit == "十" and d == 1 and leading and not parts:
            parts.append("十")
        elif d == 2 and unit in ("千", "百") and not parts:
            parts.append("两" + unit)
        else:
            parts.append(_DIGIT_CHARS[d] + unit)
    return "".join(parts)


def cardinal(n: int) -> str:
    """Spoken cardinal reading of a non-negative integer below 10**12 (2500 -> 两千五百)."""
    if n == 0:
        return "零"
    if n >= 10**12:
        return _spell_digits(str(n), yao=False)
    sections = ((10**8, "亿"), (10**4, "万"), (1, ""))
    out: list[str] = []
    for value, unit in sections:
        part = n // value % 10000
        if part == 0:
            continue
        if out and part < 1000:
            out.append("零")
        text = _cardinal_below_10000(part, leading=not out)
        if unit and text == "二":
            text = "两"
        out.append(text + unit)
    return "".join(out)


def _speak_run(digits: str, before: str, after: str, rng: random.Random) -> str:
    """Spoken form of one run of Arabic digits, given its neighbouring characters."""
    if len(digits) == 11 and digits.startswith("1"):
        # Mobile number: read digit by digit, 1 often as 幺 on the phone.
        return _spell_digits(digits, yao=rng.random() < YAO_PROBABILITY)
    if len(digits) == 4 and after == "年":
        return _spell_digits(digits, yao=False)
    code_like = before in _CODE_PREFIXES or digits.startswith("0") or len(digits) > 8
    if not code_like and after in _COUNT_UNITS:
        return cardinal(int(digits))
    if len(digits) <= 2 and not code_like:
        return cardinal(int(digits))
    return _spell_digits(digits, yao=len(digits) >= 3 and rng.random() < 0.25)


def _strip_punctuation(text: str) -> str:
    """Remove punctuation/symbols and whitespace; keep one space only between two Latin words."""
    out: list[str] = []
    pending_space = False
    for ch in text:
        if ch.isspace() or _is_punctuation(ch):
            pending_space = True
            continue
        if (
            pending_space
            and out
            and out[-1].isascii()
            and out[-1].isalpha()
            and ch.isascii()
            and ch.isalpha()
        ):
            out.append(" ")
        pending_space = False
        out.append(ch)
    return "".join(out)


def degrade(text: str, seed: int = 0) -> str:
    """Return ``text`` as a phone speech recogniser might have transcribed it (deterministic)."""
    rng = random.Random(seed)

    text = _MARKUP_RE.sub(r"\1", text)
    text = unicodedata.normalize("NFKC", text)  # full-width digits/letters -> ASCII

    def substitute(match: re.Match[str]) -> str:
        word = match.group(0)
        return _HOMOPHONE_MAP[word] if rng.random() < SUBSTITUTION_PROBABILITY else word

    text = _HOMOPHONE_RE.sub(substitute, text)

    # Numbers whose punctuation carries meaning (times, decimals) are rewritten before it is dropped.
    def speak_time(match: re.Match[str]) -> str:
        hour, minute = match.group(1), match.group(2)
        if rng.random() < DIGIT_CONVERSION_PROBABILITY:
            return f"{cardinal(int(hour))}点{cardinal(int(minute))}"
        return f"{hour}点{minute}"

    text = _TIME_RE.sub(speak_time, text)
    text = _DECIMAL_RE.sub(lambda m: f"{cardinal(int(m.group(1)))}点{_spell_digits(m.group(2), False)}", text)

    text = _strip_punctuation(text)

    def speak(match: re.Match[str]) -> str:
        digits = match.group(0)
        if rng.random() >= DIGIT_CONVERSION_PROBABILITY:
            return digits
        start, end = match.span()
        before = match.string[start - 1] if start > 0 else ""
        after = match.string[end] if end < len(match.string) else ""
        return _speak_run(digits, before, after, rng)

    text = _DIGITS_RE.sub(speak, text)
    return text


def _example_texts(examples: Any) -> list[str]:
    if isinstance(examples, str):
        texts = []
        for line in examples.splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.append(line[2:].strip())
        return texts
    if isinstance(examples, list):
        return [e["text"] if isinstance(e, dict) else str(e) for e in examples]
    return []


def degrade_nlu(data: dict[str, Any], seed: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Degrade every intent example of a loaded Rasa NLU document.

    Returns the new ``nlu`` items (intents with a list of texts, other items unchanged) and the
    number of examples dropped because they became empty or duplicated another degraded example.
    """
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    dropped = 0
    index = 0
    for item in data.get("nlu") or []:
        if not isinstance(item, dict) or "intent" not in item:
            items.append(item)
            continue
        texts: list[str] = []
        for text in _example_texts(item.get("examples")):
            degraded = degrade(text, seed=seed + index)
            index += 1
            if not degraded or degraded in seen:
                dropped += 1
                continue
            seen.add(degraded)
            texts.append(degraded)
        new_item = {k: v for k, v in item.items() if k != "examples"}
        new_item["examples"] = texts
        items.append(new_item)
    return items, dropped


def _flow(value: Any) -> str:
    """One-line YAML for a scalar or small collection (without the ``...`` end-of-document marker)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return dumped.removesuffix("...\n").strip()


def _dump_nlu(version: str, items: list[Any]) -> str:
    """Serialise ``nlu`` items in the usual Rasa layout (examples as ``|`` block scalars)."""
    lines = [f'version: "{version}"', "", "nlu:"]
    for item in items:
        examples = item.get("examples") if isinstance(item, dict) else None
        if isinstance(item, dict) and item and isinstance(examples, (list, str)):
            first = True
            for key, value in item.items():
                if key == "examples":
                    continue
                lines.append(f"{'- ' if first else '  '}{key}: {_flow(value)}")
                first = False
            texts = examples if isinstance(examples, list) else _example_texts(examples)
            lines.append(f"{'- ' if first else '  '}examples: |")
            lines.extend(f"    - {text}" for text in texts)
        else:
            lines.append(yaml.safe_dump([item], allow_unicode=True, sort_keys=False).rstrip("\n"))
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write an ASR-degraded copy of a Rasa NLU YAML file.")
    parser.add_argument("input", type=Path, help="Rasa NLU yml to read")
    parser.add_argument("output", type=Path, help="where to write the degraded yml")
    parser.add_argument("--seed", type=int, default=0, help="base seed (example i uses seed + i)")
    args = parser.parse_args(argv)

    data = yaml.safe_load(args.input.read_text(encoding="utf-8")) or {}
    items, dropped = degrade_nlu(data, seed=args.seed)
    version = str(data.get("version", "3.1"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(_dump_nlu(version, items), encoding="utf-8")
    kept = sum(len(i["examples"]) for i in items if "intent" in i and isinstance(i.get("examples"), list))
    print(f"wrote {kept} degraded examples to {args.output} (dropped {dropped})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
