"""The curation queue: questions the bot could not answer well, for editors to answer (stored masked)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.masking import mask_text
from core.timeutil import utcnow
from knowledge.models import CurationQuestion

REASONS = {"low_confidence": "分类把握不大", "no_match": "没有足够相近的知识", "asked_for_person": "来电人要求转人工"}


class CurationQueue:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def add(self, question: str, reason: str, channel: str = "", dispute_type: str | None = None,
            best_item_id: str | None = None, best_score: float | None = None) -> int:
        if reason not in REASONS:
            raise ValueError(reason)
        with self.sessions.begin() as session:
            row = CurationQuestion(question=mask_text(question)[:2000], reason=reason, channel=channel[:32],
                                   dispute_type=dispute_type, best_item_id=best_item_id, best_score=best_score,
                                   status="open", created_at=utcnow())
            session.add(row)
            session.flush()
            return row.id

    def person_requested(self, question: str, channel: str = "", dispute_type: str | None = None) -> int:
        """The caller asked for a person after guidance: an open entry for the same question (queued as
        no match or low confidence) is marked so, otherwise the question is queued with that reason."""
        masked = mask_text(question)[:2000]
        with self.sessions.begin() as session:
            query = select(CurationQuestion).where(CurationQuestion.status == "open", CurationQuestion.question == masked)
            row = session.scalars(query.order_by(CurationQuestion.created_at.desc()).limit(1)).first()
            if row is not None:
                row.reason = "asked_for_person"
                return row.id
        return self.add(question, "asked_for_person", channel, dispute_type)

    def pending(self, limit: int = 200) -> list[CurationQuestion]:
        with self.sessions() as session:
            query = select(CurationQuestion).where(CurationQuestion.status == "open")
            return list(session.scalars(query.order_by(CurationQuestion.created_at.desc()).limit(limit)))

    def get(self, question_id: int) -> CurationQuestion | None:
        with self.sessions() as session:
            return session.get(CurationQuestion, question_id)

    def resolve(self, question_id: int, by: str, answer_item_id: str | None = None) -> bool:
        """Answered (with the item written for it) or, without one, dismissed."""
        with self.sessions.begin() as session:
            row = session.get(CurationQuestion, question_id)
            if row is None or row.status != "open":
                return False
            row.status = "answered" if answer_item_id else "dismissed"
            row.answer_item_id, row.resolved_by, row.resolved_at = answer_item_id, by, utcnow()
            return True
