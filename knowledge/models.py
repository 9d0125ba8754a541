"""Knowledge tables: items (all kinds), their versions (who and when), and the curation queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class KnowledgeItem(Base):
    __tablename__ = "knowledge_items"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The id exactly as an import file gave it when that was not a string (e.g. 475): given back as is.
    external_id: Mapped[Any] = mapped_column(JSON, nullable=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # faq | case | mediation_org | checklist
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # the answer / facts and outcome / what the org does
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # kind-specific (see schema.py)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    dispute_type: Mapped[str | None] = mapped_column(String(16), index=True, nullable=True)
    status: Mapped[str] = mapped_column(String(12), index=True)  # draft | published | unpublished
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Search text and its jieba tokens, kept so an index rebuild needs no re-tokenising.
    search_text: Mapped[str] = mapped_column(Text)
    tokens: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(40))
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class KnowledgeVersion(Base):
    """Append-only history: every create, edit, publish, unpublish and delete, with a full snapshot."""

    __tablename__ = "knowledge_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(String(64), index=True)  # no FK: history outlives a delete
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CurationQuestion(Base):
    """A question the bot could not answer well, waiting for an editor (text stored masked)."""

    __tablename__ = "knowledge_queue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(24))  # low_confidence | no_match | asked_for_person
    dispute_type: Mapped[str | None] = mapped_column(String(16), nullable=True)
    best_item_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    best_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    channel: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(12), index=True, default="open")  # open | answered | dismissed
    answer_item_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
