"""Record validation, list parsing and the import/export file formats."""

from __future__ import annotations

import math

import pytest

from knowledge import schema, transfer
from knowledge.bm25 import BM25
from knowledge.fusion import rrf
from knowledge.text import near_duplicate, tokens


def test_a_faq_record_is_cleaned_and_keeps_its_id() -> None:
    record = schema.clean_record("faq", {"id": "Q-17", "question": " 借条丢了怎么办 ", "answer": "先找转账记录",
                                         "tags": "借条 证据", "dispute_type": "债权债务"})
    assert record["id"] == "Q-17" and record["question"] == "借条丢了怎么办"
    assert record["tags"] == ["借条", "证据"] and record["dispute_type"] == "债权债务"


def test_numbers_nan_and_missing_answers_are_accepted_like_a_spreadsheet_writes_them() -> None:
    record = schema.clean_record("faq", {"id": 475, "question": "合伙要书面合同吗", "answer": math.nan, "tags": math.nan,
                                         "dispute_type": ""})
    assert record["id"] == "475" and record["answer"] == "" and record["tags"] == [] and record["dispute_type"] is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"question": "q"}, "缺少 id"),
        ({"id": "a b", "question": "q"}, "不能含空白"),
        ({"id": "x"}, "缺少 question"),
        ({"id": "x", "question": "q", "dispute_type": "民事"}, "不在20个纠纷类型之内"),
        ({"id": "x", "question": "q", "tags": {"a": 1}}, "字符串列表"),
    ],
)
def test_invalid_records_say_what_is_wrong_in_chinese(raw: dict, problem: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(schema.RecordError) as caught:
        schema.clean_record("faq", raw)
    assert any(problem in p for p in caught.value.problems)


def test_jsonl_rows_that_cannot_be_parsed_become_row_errors() -> None:
    rows = transfer.parse('{"id": "a", "question": "q"}\n{not json\n', "jsonl")
    assert isinstance(rows[1], schema.RowParseError)
    with pytest.raises(schema.RecordError, match="JSON"):
        schema.clean_record("faq", rows[1])


def test_csv_round_trip_keeps_list_fields() -> None:
    records = [schema.clean_record("mediation_org", {"id": "m1", "name": "调解室", "contact": "0391-1",
                                                     "dispute_types": ["婚姻家庭", "侵权"]})]
    text = transfer.dump("mediation_org", records, "csv")
    again = schema.clean_record("mediation_org", transfer.parse(text, "csv")[0])
    assert again == records[0]


def test_tokens_use_the_court_dictionary_and_drop_stop_words() -> None:
    words = tokens("我想问一下網上立案怎么办理")
    assert "网上立案" in words and "我" not in words and "一下" not in words


def test_bm25_ranks_the_document_with_the_rare_term_first() -> None:
    bm25 = BM25([["离婚", "抚养"], ["借款", "利息"], ["借款", "借条", "担保"]])
    scores = bm25.scores(["借条"])
    assert scores.argmax() == 2 and scores[0] == 0


def test_rrf_rewards_agreement() -> None:
    fused = rrf([[1, 2, 3], [3, 1, 4]])
    assert max(fused, key=fused.__getitem__) == 1 and fused[3] > fused[2]


def test_near_duplicate_rule() -> None:
    assert near_duplicate("借钱不还怎么起诉？", "借钱不还怎么起诉")
    assert not near_duplicate("借钱不还怎么起诉", "离婚孩子归谁抚养")
