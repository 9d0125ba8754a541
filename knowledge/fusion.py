"""Hybrid fusion of lexical and dense rankings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RRF_K = 60


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the rankings an item appears in."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            fused[doc] = fused.get(doc, 0.0) + 1.0 / (k + rank)
    return fused


def minmax(scores: np.ndarray) -> np.ndarray:
    low, high = float(scores.min(initial=0.0)), float(scores.max(initial=0.0))
    return np.zeros_like(scores) if high - low < 1e-12 else (scores - low) / (high - low)


def weighted(lexical: np.ndarray, dense: np.ndarray, dense_weight: float = 0.5) -> np.ndarray:
    """Min-max normalised score fusion over one candidate set (both arrays score the same items)."""
    return (1 - dense_weight) * minmax(lexical) + dense_weight * minmax(dense)
