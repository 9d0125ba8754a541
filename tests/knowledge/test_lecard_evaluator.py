"""LeCaRD's evaluator as benchmarks/knowledge_lecard.py reimplements it: the published BM25 run, re-scored,
must give back LeCaRD's published figures, or the benchmark's numbers are not comparable with them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.knowledge_lecard import DATA, official_map, official_ndcg, splits, strict_ndcg

pytestmark = pytest.mark.skipif(not (DATA / "published_bm25_top100.json").exists(), reason="LeCaRD data not here")


def test_the_published_bm25_run_scores_the_published_figures() -> None:
    labels = json.loads((DATA / "labels_top30.json").read_text())
    run = json.loads((DATA / "published_bm25_top100.json").read_text())
    official, test, tune = splits(list(labels))
    assert len(official) == 100 and len(test) == 20 and not set(test) & set(tune)
    ranked = {q: [str(c) for c in reversed(run[q])] for q in official}  # stored ascending, as metrics.py reverses
    ndcg30 = np.mean([official_ndcg(ranked[q], labels[q], 30) for q in official])
    ndcg10 = np.mean([official_ndcg(ranked[q], labels[q], 10) for q in official])
    assert round(float(ndcg30), 3) == 0.888  # LeCaRD README: BM25 NDCG@30 0.888
    assert 0.72 < ndcg10 < ndcg30
    assert 0.0 < np.mean([official_map(ranked[q], labels[q]) for q in official]) < 1.0


def test_only_the_labelled_pool_counts_with_linear_gains() -> None:
    labels = {"a": 3, "b": 1, "c": 0}
    assert official_ndcg(["x", "a", "y", "b", "c"], labels, 3) == pytest.approx(1.0)  # unlabelled ones are skipped
    worst = official_ndcg(["c", "b", "a"], labels, 3)
    assert worst == pytest.approx((0 + 1 / np.log2(3) + 3 / 2) / (3 + 1 / np.log2(3)))
    assert official_map(["b", "a"], labels) == pytest.approx(0.5)
    # The strict evaluator punishes the unlabelled candidates ranked on top.
    assert strict_ndcg(["x", "y", "a"], labels, 3) < 0.5
