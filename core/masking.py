"""Mask personal numbers before they reach logs, stored messages, transcripts or audit notes.

A mobile keeps its first 3 and last 4 digits (138****5678), an ID number its first 2 and last 2, a
landline or any other long digit run its last 4. Numbers are found the way the NLU understands
them (nlu/entities.py): full-width, spaced or dashed, +86, spoken digit by digit (一三八…, 幺, 壹),
so what the bot could read back from a message is what gets masked.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlu.entities import extract_id_numbers, extract_phones
from nlu.numerals import DIGIT_CHARS

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
# Any other run of 11+ digits (any script; one space or dash may sit between digits): bank cards,
# numbers glued to more digits, IDs with a mistyped birth date, 一-三-八-… read out with pauses.
_LONG_RUN = 11
_DIGITS = {**DIGIT_CHARS, **{str(i): str(i) for i in range(10)}, **{chr(0xFF10 + i): str(i) for i in range(10)}}
_SEPARATORS = frozenset(" \t-\u3000－")
# Our own ticket numbers (tickets/service.py) are 17 digits with dashes; callers must read them back.
_TICKET_NUMBER = re.compile(r"12368-\d{8}-\d{4}")
_SHORTEST_NUMBER = 7  # phone entities shorter than this are tails (尾号5678): already the visible part


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7 if len(digits) > 7 else len(digits) - 4) + digits[-4:]


def mask_id(number: str) -> str:
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def _keep_last_four(digits: str) -> str:
    return "*" * (len(digits) - 4) + digits[-4:]


@lru_cache
def _public_numbers() -> frozenset[str]:
    """The court's published numbers are not personal data: replies quote them on purpose."""
    from core.config import get_settings

    return frozenset({re.sub(r"\D", "", get_settings().court_office_phone)})


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) in `text` for every personal number, non-overlapping."""
    found: list[tuple[int, int, str]] = []

    def add(start: int, end: int, replacement: str) -> None:
        if not any(start < e and s < end for s, e, _ in found):
            found.append((start, end, replacement))

    for entity in extract_id_numbers(text):
        if len(entity.value) == 18:
            add(entity.start, entity.end, mask_id(entity.value))
    for entity in extract_phones(text):
        if len(entity.value) >= _SHORTEST_NUMBER and entity.value not in _public_numbers():
            masked = mask_phone(entity.value) if entity.value.startswith("1") else _keep_last_four(entity.value)
            add(entity.start, entity.end, masked)
    for start, end, digits in _digit_runs(text):
        if (len(digits) >= _LONG_RUN and digits not in _public_numbers()
                and not _TICKET_NUMBER.fullmatch(text[start:end])):
            add(start, end, _keep_last_four(digits))
    return sorted(found)


def _digit_runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ASCII digits) of every run of digit characters, single separators allowed inside."""
    runs: list[tuple[int, int, str]] = []
    i = 0
    while i < len(text):
        if text[i] not in _DIGITS:
            i += 1
            continue
        start, digits, end = i, [], i
        while i < len(text):
            if text[i] in _DIGITS:
                digits.append(_DIGITS[text[i]])
                i += 1
                end = i
            elif text[i] in _SEPARATORS and i + 1 < len(text) and text[i + 1] in _DIGITS:
                i += 1
            else:
                break
        runs.append((start, end, "".join(digits)))
    return runs


def mask_text(text: str) -> str:
    """Mask mobile, ID, landline and other long numbers anywhere in free text."""
    out, last = [], 0
    for start, end, replacement in _spans(text):
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    masked = "".join(out)
    # Plain ASCII forms once more, whatever the extractors decided about their context.
    masked = _ID.sub(lambda m: mask_id(m.group()), masked)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), masked)
