"""WeChat's size limits: a text message (passive reply or customer-service message) carries at most
2048 bytes of UTF-8; longer answers are split at paragraph, then sentence, then character bounds."""

from __future__ import annotations

import re

MAX_BYTES = 2000  # a little under WeChat's 2048, for the XML escaping of & < >
SENTENCE = re.compile(r"(?<=[。！？；!?;\n])")


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def split_text(text: str, limit: int = MAX_BYTES) -> list[str]:
    if _size(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        if current and _size(current + piece) > limit:
            chunks.append(current)
            current = ""
        current += piece
    if current:
        chunks.append(current)
    return [c.strip("\n") for c in chunks if c.strip()]


def _pieces(text: str, limit: int) -> list[str]:
    """Sentences (with their ending), each cut further by characters if one alone is too long."""
    out: list[str] = []
    for sentence in SENTENCE.split(text):
        while _size(sentence) > limit:
            cut = limit // 4  # at most 4 bytes a character
            while _size(sentence[: cut + 1]) <= limit:
                cut += 1
            out.append(sentence[:cut])
            sentence = sentence[cut:]
        if sentence:
            out.append(sentence)
    return out


def messages_for(replies: list[str]) -> list[str]:
    """The bot's replies of one turn as WeChat messages: joined, then split to the limit."""
    return split_text("\n\n".join(r for r in replies if r.strip())) if replies else []
