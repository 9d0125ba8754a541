"""The dispute-type classifier: the 20 labels, and accuracy on the held-out set above a floor."""

from __future__ import annotations

from pathlib import Path

from knowledge.classifier import dispute_classifier, read_tsv
from knowledge.schema import DISPUTE_TYPES

TESTSET = Path(__file__).resolve().parent.parent / "knowledge" / "dispute_testset.tsv"


def test_every_label_is_one_of_the_twenty_and_the_ranking_is_complete() -> None:
    result = dispute_classifier().classify("工地老板拖着工钱不结")
    assert result.label in DISPUTE_TYPES
    assert sorted(label for label, _ in result.ranking) == sorted(DISPUTE_TYPES)
    assert abs(sum(p for _, p in result.ranking) - 1) < 0.01 and result.confidence == result.ranking[0][1]


def test_held_out_accuracy_stays_above_the_floor() -> None:
    # The measured figure is in benchmarks/RESULTS.md; this floor catches a broken model or data file.
    items = read_tsv(TESTSET)
    predictions = dispute_classifier().classify_many([text for _, text in items])
    accuracy = sum(p.label == label for (label, _), p in zip(items, predictions, strict=True)) / len(items)
    assert accuracy >= 0.6


def test_empty_text_is_general_consultation_with_no_confidence() -> None:
    assert dispute_classifier().classify("  ").label == "综合咨询"
