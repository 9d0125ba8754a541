"""The held-out rule: an evaluation item must not be a duplicate or near duplicate of anything learnt from.

An item *overlaps* when its normal form (NFKC, traditional → simplified with nlu/t2s.py, case folded,
punctuation, symbols and whitespace removed) equals, or has character-3-gram Jaccard similarity ≥ 0.8
with, the normal form of any reference text. References are every intent example in bot/data/nlu/*.yml
(entity markup reduced to its text) and every string literal in the unit, action and Rasa-component
tests (the literals a fix could have been tuned on).

Used by tests/unit/test_heldout_overlap.py (in `make test`) and by the NLU evaluation (to report an old
test set's overlap-filtered figures). Standard library + PyYAML, which both virtualenvs have.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.t2s import to_simplified

REPO = Path(__file__).resolve().parent.parent.parent
TRAINING_DIR = REPO / "bot" / "data" / "nlu"
LITERAL_DIRS = ("tests/unit", "tests/actions", "tests/rasa")
TESTSET = REPO / "tests" / "nlu" / "testset.yml"
ENTITY_CASES = REPO / "tests" / "nlu" / "entity_cases.yml"
DIALOGUES_DIR = REPO / "tests" / "dialogues"
JACCARD_THRESHOLD = 0.8
# Files whose literals ARE the evaluation's own items or the rule's planted examples, not references.
LITERAL_EXCLUDE = ("test_heldout_overlap.py",)

_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def normalise(text: str) -> str:
    """The comparison form: NFKC, simplified, case folded, without punctuation, symbols or spaces."""
    folded = to_simplified(unicodedata.normalize("NFKC", text)).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c)[0] not in "PSZC")


def trigrams(normal: str) -> frozenset[str]:
    """Character 3-grams of a normal form; a shorter text is its own single gram."""
    if len(normal) < 3:
        return frozenset({normal})
    return frozenset(normal[i : i + 3] for i in range(len(normal) - 2))


@dataclass(frozen=True)
class Reference:
    text: str
    source: str  # e.g. "bot/data/nlu/fees.yml" or "tests/unit/test_entities.py:42"


@dataclass(frozen=True)
class Overlap:
    item: str
    reference: Reference
    similarity: float  # 1.0 for an identical normal form

    def describe(self) -> str:
        kind = "duplicate" if self.similarity == 1.0 else f"near duplicate (3-gram Jaccard {self.similarity:.2f})"
        return f"{self.item!r}: {kind} of {self.reference.text!r} in {self.reference.source}"


class OverlapIndex:
    """References indexed by normal form and by 3-gram, so one lookup touches only candidates."""

    def __init__(self, references: Iterable[Reference], threshold: float = JACCARD_THRESHOLD) -> None:
        self.threshold = threshold
        self._refs: list[tuple[Reference, frozenset[str]]] = []
        self._exact: dict[str, int] = {}
        self._by_gram: dict[str, list[int]] = {}
        for ref in references:
            normal = normalise(ref.text)
            if not normal:
                continue
            grams = trigrams(normal)
            index = len(self._refs)
            self._refs.append((ref, grams))
            self._exact.setdefault(normal, index)
            for gram in grams:
                self._by_gram.setdefault(gram, []).append(index)

    def __len__(self) -> int:
        return len(self._refs)

    def find(self, item: str) -> Overlap | None:
        """The closest reference `item` overlaps, or None if it is held out."""
        normal = normalise(item)
        if not normal:
            return None
        if normal in self._exact:
            return Overlap(item, self._refs[self._exact[normal]][0], 1.0)
        grams = trigrams(normal)
        shared = Counter(i for gram in grams for i in self._by_gram.get(gram, ()))
        best: Overlap | None = None
        for index, common in shared.items():
            ref, ref_grams = self._refs[index]
            similarity = common / (len(grams) + len(ref_grams) - common)
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = Overlap(item, ref, similarity)
        return best


def strip_markup(example: str) -> str:
    """Rasa entity markup `[text](entity)` / `[text]{...}` reduced to its text."""
    return _MARKUP.sub(r"\1", example)


def training_examples(directory: Path = TRAINING_DIR) -> Iterator[Reference]:
    """Every intent example of the Rasa training data (lookup tables and synonyms are not examples)."""
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield Reference(strip_markup(line[2:].strip()), str(path.relative_to(REPO)))


def unit_test_literals(directories: Iterable[str] = LITERAL_DIRS) -> Iterator[Reference]:
    """Every string literal in the unit, action and Rasa-component test modules."""
    for directory in directories:
        for path in sorted((REPO / directory).rglob("*.py")):
            if path.name in LITERAL_EXCLUDE:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    yield Reference(node.value, f"{path.relative_to(REPO)}:{node.lineno}")


def references() -> list[Reference]:
    return [*training_examples(), *unit_test_literals()]


def intent_items(text: str) -> list[tuple[str, str]]:
    """(message, intent) pairs of a Rasa NLU YAML test set, given as text (it may come from git)."""
    items = []
    for block in (yaml.safe_load(text) or {}).get("nlu") or []:
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                items.append((strip_markup(line[2:].strip()), block["intent"]))
    return items


def entity_case_texts(path: Path = ENTITY_CASES) -> list[str]:
    return [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []]


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_CASE_NUMBER = re.compile(r"[0-9零〇一二三四五六七八九幺]{4}年?豫[0-9零〇一二三四五六七八九幺]{4}[\u4e00-\u9fff]{1,5}?第?[0-9零〇一二三四五六七八九十百千幺两]+号?")
_DIGITS = re.compile(r"[0-9]+|[零〇一二三四五六七八九幺两]{3,}")
SLOT_ANSWER_MAX_CHARS = 6


def is_slot_answer(turn: str) -> bool:
    """A dialogue turn with (almost) no wording of its own: a case number, a name and a tail, a command word.

    Such turns (张伟 5678, 取消, 转人工, a bare case number) are the values and verbs every conversation
    about the demo court must use verbatim; what is left of the turn once runner placeholders, case
    numbers and digit runs are removed is at most SLOT_ANSWER_MAX_CHARS characters.
    """
    wording = _DIGITS.sub("", _CASE_NUMBER.sub("", normalise(_PLACEHOLDER.sub("", turn))))
    return len(wording) <= SLOT_ANSWER_MAX_CHARS


def dialogue_turns(directory: Path = DIALOGUES_DIR) -> list[tuple[str, str]]:
    """(caller turn, file) for every caller turn of the multi-turn dialogue suite, if there is one.

    Generic on purpose: any string under a `user` or `say` key, at any depth, is a caller turn.
    """
    turns: list[tuple[str, str]] = []

    def walk(node: object, source: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("user", "say") and isinstance(value, str):
                    turns.append((value, source))
                elif key in ("user", "say") and isinstance(value, list):
                    turns.extend((v, source) for v in value if isinstance(v, str))
                else:
                    walk(value, source)
        elif isinstance(node, list):
            for value in node:
                walk(value, source)

    if directory.is_dir():
        for path in sorted([*directory.rglob("*.yml"), *directory.rglob("*.yaml")]):
            walk(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(REPO)))
    return turns
