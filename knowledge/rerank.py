"""Optional second stage: re-rank a first-stage result list by agreement of types.

The items at the top of a ranking mostly share the query's type (dispute type for the knowledge
base, charge for judgments). Each item gets the share of the top `neighbours`' type votes its own
types receive, added with `weight` to its min-max normalised first-stage score. It needs no labels
and no model: a relevant item that BM25 under-scored rises when its type is the one the top agrees
on, an off-type item with many shared words sinks. Measured on LeCaRD (benchmarks/knowledge_lecard.py,
charges as types), where the non-test queries preferred 20 neighbours and weight 2 (the grid's edge);
the product keeps 5 and 1, since its result lists of a few FAQ or cases would otherwise all vote.
Enabled in the product with `COURTBOT_KB_RERANK=type` (off by default: not measured on the product's
own content).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

import numpy as np

from knowledge.fusion import minmax

NEIGHBOURS = 5
WEIGHT = 1.0


def type_agreement(types: Sequence[Collection[str]], order: Sequence[int], neighbours: int = NEIGHBOURS) -> np.ndarray:
    """For each item, the share of the votes of the first `neighbours` items of `order` that its types
    get (an item with several types splits its one vote among them)."""
    votes: Counter[str] = Counter()
    for i in order[:neighbours]:
        for t in types[i]:
            votes[t] += 1.0 / len(types[i])
    total = sum(votes.values())
    if not total:
        return np.zeros(len(types), dtype=np.float32)
    return np.array([sum(votes[t] for t in set(ts)) / total for ts in types], dtype=np.float32)


def rerank(
    scores: Sequence[float] | np.ndarray, types: Sequence[Collection[str]], neighbours: int = NEIGHBOURS, weight: float = WEIGHT
) -> np.ndarray:
    """Second-stage scores of the items of one result list (`scores[i]` is item i's first-stage score)."""
    scores = np.asarray(scores, dtype=np.float32)
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    return minmax(scores) + weight * type_agreement(types, order, neighbours)
