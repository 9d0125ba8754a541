"""Mask personal numbers before they reach logs or audit notes."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7 if len(digits) > 7 else len(digits) - 4) + digits[-4:]


def mask_text(text: str) -> str:
    """Mask mobile and ID numbers anywhere in free text."""
    text = _ID.sub(lambda m: m.group(1)[:2] + "*" * 14 + m.group(3)[-2:], text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
