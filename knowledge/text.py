"""Text normalisation and jieba tokenisation for retrieval (court dictionary, stop words).

One jieba instance per process with the court dictionary (`nlu/dict/court_terms.txt`), kept apart
from jieba's global tokenizer so other components' dictionaries do not leak in.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from nlu.t2s import to_simplified

REPO = Path(__file__).resolve().parent.parent
COURT_DICT = REPO / "nlu" / "dict" / "court_terms.txt"
STOPWORDS_FILE = Path(__file__).resolve().parent / "stopwords.txt"

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_lock = threading.Lock()


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), traditional → simplified, lower case."""
    return to_simplified(unicodedata.normalize("NFKC", text or "")).lower()


def strip_punctuation(text: str) -> str:
    return _PUNCT.sub("", text)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words = STOPWORDS_FILE.read_text(encoding="utf-8").split()
    return frozenset(w for w in words if not w.startswith("#"))


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tokenizer.load_userdict(str(COURT_DICT))
    return tokenizer


def tokens(text: str) -> list[str]:
    """Search tokens: jieba's search mode (words and their sub-words), stop words and punctuation out."""
    clean = normalise(text)
    tokenizer = _jieba()
    with _lock:  # jieba's tokenizer is not thread-safe while it lazily builds its caches
        words = tokenizer.lcut_for_search(clean)
    stop = stopwords()
    return [w for w in (w.strip() for w in words) if w and w not in stop and not _PUNCT.fullmatch(w)]


def overlap_key(text: str) -> str:
    """The held-out/duplicate comparison form: NFKC, simplified, lower case, no punctuation or spaces."""
    return strip_punctuation(normalise(text))


def trigrams(text: str) -> frozenset[str]:
    key = overlap_key(text)
    return frozenset(key[i:i + 3] for i in range(len(key) - 2)) if len(key) >= 3 else frozenset([key])


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


NEAR_DUPLICATE = 0.8


def near_duplicate(a: str, b: str) -> bool:
    """The one overlap rule: equal after overlap_key, or character-3-gram Jaccard ≥ 0.8."""
    return overlap_key(a) == overlap_key(b) or jaccard(trigrams(a), trigrams(b)) >= NEAR_DUPLICATE
