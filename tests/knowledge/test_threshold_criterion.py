"""The threshold benchmark's bookkeeping: what guidance shows at a threshold, and Youden's J."""

from __future__ import annotations

import pytest

from benchmarks.knowledge_threshold import outcome, youden


def test_the_first_hit_over_the_threshold_is_the_one_shown() -> None:
    hits = [(0.93, False), (0.95, True), (0.90, True)]
    assert outcome(hits, 0.94) == "shown-relevant"
    assert outcome(hits, 0.92) == "shown-irrelevant"
    assert outcome(hits, 0.96) == "silent-missed"
    assert outcome([(0.91, False)], 0.92) == "silent-right"


def test_youden_is_relevant_kept_minus_irrelevant_kept() -> None:
    questions = [[(0.95, True)], [(0.92, True)], [(0.93, False)], [(0.89, False)]]
    assert youden(questions, 0.90) == pytest.approx(1.0 - 0.5)
    assert youden(questions, 0.94) == pytest.approx(0.5 - 0.0)
    assert youden(questions, 0.80) == pytest.approx(0.0)
