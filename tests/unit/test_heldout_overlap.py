"""The evaluation sets stay held out: no item duplicates or nearly duplicates training data or test literals.

The rule (benchmarks/nlu/overlap.py): same normal form, or character-3-gram Jaccard ≥ 0.8, with any
intent example in bot/data/nlu or any string literal in tests/unit, tests/actions, tests/rasa. When this
fails, rewrite the evaluation item (or, if the item was learnt from on purpose, move it to training and
write a new evaluation item in its place) — never delete it to make the test pass.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmarks.nlu.overlap import (
    TESTSET,
    OverlapIndex,
    Reference,
    dialogue_turns,
    entity_case_texts,
    intent_items,
    is_slot_answer,
    normalise,
    references,
)

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain.yml"


def domain_intents() -> set[str]:
    """Every intent the bot has (an entry is a name, or a one-key mapping with its options)."""
    entries = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["intents"]
    return {entry if isinstance(entry, str) else next(iter(entry)) for entry in entries}


@pytest.fixture(scope="module")
def index() -> OverlapIndex:
    return OverlapIndex(references())


def _report(index: OverlapIndex, items: list[str], what: str) -> None:
    overlaps = [found.describe() for found in map(index.find, items) if found]
    assert not overlaps, f"{len(overlaps)} {what} overlap training data or unit-test literals:\n" + "\n".join(
        overlaps
    )


def test_the_references_are_really_loaded(index: OverlapIndex) -> None:
    # An empty index would let every item pass: make sure both kinds of reference were read.
    refs = references()
    assert sum(r.source.startswith("bot/data/nlu/") for r in refs) > 1000
    assert sum(r.source.startswith("tests/unit/") for r in refs) > 100
    assert len(index) > 1000


def test_intent_testset_is_held_out(index: OverlapIndex) -> None:
    _report(index, [text for text, _ in intent_items(TESTSET.read_text(encoding="utf-8"))], "intent test items")


def test_entity_cases_are_held_out(index: OverlapIndex) -> None:
    _report(index, entity_case_texts(), "entity cases")


def test_dialogue_caller_turns_are_held_out(index: OverlapIndex) -> None:
    # Slot answers and command words (张伟 5678, 取消, a bare case number) are exempt: see is_slot_answer.
    turns = [(text, source) for text, source in dialogue_turns() if not is_slot_answer(text)]
    if not turns:
        pytest.skip("no multi-turn dialogue suite (tests/dialogues/*.yml) in this tree")
    overlaps = [f"{source}: {found.describe()}" for text, source in turns if (found := index.find(text))]
    assert not overlaps, f"{len(overlaps)} dialogue caller turns overlap:\n" + "\n".join(overlaps)


def test_testset_covers_every_intent_without_internal_duplicates() -> None:
    # A new intent needs its own held-out messages (written fresh, at least 25) before it is measured.
    items = intent_items(TESTSET.read_text(encoding="utf-8"))
    per_intent = Counter(intent for _, intent in items)
    assert set(per_intent) == domain_intents()
    assert min(per_intent.values()) >= 25, per_intent
    normals = Counter(normalise(text) for text, _ in items)
    assert [n for n, c in normals.items() if c > 1] == []


# --- the rule itself can fail -------------------------------------------------------------------


PLANTED = OverlapIndex(
    [
        Reference("我想查一下我那个离婚案子现在审到哪一步了", "planted"),
        Reference("尾号五六七八", "planted"),
    ]
)


def test_rule_catches_a_duplicate_after_normalising() -> None:
    # Traditional characters, full-width punctuation and spaces do not hide a copy.
    found = PLANTED.find("我想查一下，我那個離婚案子 現在審到哪一步了？")
    assert found is not None and found.similarity == 1.0
    assert PLANTED.find("尾號 五六七八。") is not None


def test_rule_catches_a_near_duplicate() -> None:
    found = PLANTED.find("我想查一下我那个离婚案子现在审到哪一步啦")  # one character changed
    assert found is not None and 0.8 <= found.similarity < 1.0


def test_slot_answers_are_told_from_worded_turns() -> None:
    for turn in ("张伟 5678", "（2024）豫0804民初1566号", "二零二四年豫零八零四民初一五六六号", "取消", "查进度 {c.number}"):
        assert is_slot_answer(turn), turn
    for turn in ("我想查（2024）豫0804民初1566号的进度 我是张伟", "俺那案子到底啥时候开庭啊"):
        assert not is_slot_answer(turn), turn


def test_rule_lets_a_different_message_through() -> None:
    assert PLANTED.find("俺家那个离婚官司啥时候开庭") is None
    assert PLANTED.find("后四位是九九零一") is None
