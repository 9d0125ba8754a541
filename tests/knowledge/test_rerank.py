"""The type re-ranker: items of the type the top agrees on rise, an off-type item sinks."""

from __future__ import annotations

import numpy as np

from knowledge.rerank import rerank, type_agreement


def test_agreement_is_the_share_of_the_tops_votes() -> None:
    types = [{"盗窃罪"}, {"盗窃罪"}, {"诈骗罪"}, {"盗窃罪", "诈骗罪"}, set()]
    share = type_agreement(types, [0, 1, 2, 3, 4], neighbours=4)
    assert share.tolist() == [0.625, 0.625, 0.375, 1.0, 0.0]


def test_an_on_type_item_overtakes_an_off_type_one_with_more_shared_words() -> None:
    scores = np.array([10.0, 9.0, 8.5, 8.0])
    types = [{"交通事故"}, {"交通事故"}, {"婚姻家庭"}, {"交通事故"}]
    order = np.argsort(-rerank(scores, types, neighbours=2, weight=1.0), kind="stable").tolist()
    assert order.index(3) < order.index(2)


def test_no_types_keeps_the_first_stage_order() -> None:
    scores = np.array([0.2, 0.9, 0.5])
    assert np.argsort(-rerank(scores, [set(), set(), set()])).tolist() == [1, 2, 0]
