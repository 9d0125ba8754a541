"""The dispute-type test set stays held out: no item duplicates or nearly duplicates anything the
classifier trains on (written examples, seed case summaries and FAQ) or any unit-test literal.

Same rule as the NLU set (benchmarks/nlu/overlap.py): equal normal form, or character-3-gram
Jaccard ≥ 0.8. When this fails, rewrite the test item — never delete it to make the test pass.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from benchmarks.nlu.overlap import OverlapIndex, Reference, unit_test_literals
from knowledge.classifier import read_tsv, training_examples
from knowledge.schema import DISPUTE_TYPES

TESTSET = Path(__file__).resolve().parent.parent / "knowledge" / "dispute_testset.tsv"


def test_testset_covers_every_type_at_least_ten_times() -> None:
    counts = Counter(label for label, _ in read_tsv(TESTSET))
    assert set(counts) == set(DISPUTE_TYPES)
    assert min(counts.values()) >= 10


def test_testset_shares_nothing_with_training_data_or_test_literals() -> None:
    training = [Reference(text, "classifier training") for _, text in training_examples()]
    assert len(training) > 400  # the written examples and the seed items were really read
    index = OverlapIndex([*training, *unit_test_literals()])
    overlaps = [found.describe() for found in (index.find(text) for _, text in read_tsv(TESTSET)) if found]
    assert not overlaps, "\n".join(overlaps)


def test_the_rule_catches_a_planted_near_duplicate() -> None:
    label, text = read_tsv(TESTSET)[0]
    index = OverlapIndex([Reference(text + "吗", "planted")])
    assert index.find(text) is not None
